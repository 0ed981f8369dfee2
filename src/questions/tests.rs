//! Reading and checking `questions.toml`, and reading answers against its questions.

use super::*;

/// A problem as line, question, field and kind.
type Told = (usize, Option<String>, Option<String>, String);

fn problems(text: &str) -> Vec<Told> {
    QuestionSet::from_toml(text)
        .expect_err("the text has problems")
        .into_iter()
        .map(|p| (p.line, p.question, p.field, p.kind.code().to_string()))
        .collect()
}

const SLIDER: &str = "[[vraag]]\nid = \"alleen\"\nversie = 1\nsoort = \"schuifbalk\"\ntekst.nl = \"Hoe voelde u zich?\"\nlinks.nl = \"Alleen\"\nrechts.nl = \"Samen\"\n";
const CHOICE: &str = "[[vraag]]\nid = \"gevoel\"\nversie = 2\nsoort = \"keuze\"\nsubdoel = \"netwerk\"\ntekst.nl = \"Welk woord?\"\ntekst.en = \"Which word?\"\n[[vraag.keuze]]\nid = \"blij\"\ntekst.nl = \"Blij\"\n[[vraag.keuze]]\nid = \"boos\"\ntekst.nl = \"Boos\"\n";

#[test]
fn reads_every_kind_with_texts_scopes_and_versions() {
    let text = format!(
        "{SLIDER}{CHOICE}[[vraag]]\nid = \"veranderd\"\nversie = 1\nsoort = \"meerkeuze\"\nronde = \"ronde-1\"\ntekst.nl = \"Wat?\"\n[[vraag.keuze]]\nid = \"a\"\ntekst.nl = \"A\"\n[[vraag.keuze]]\nid = \"b\"\ntekst.nl = \"B\"\n[[vraag]]\nid = \"eens\"\nversie = 1\nsoort = \"stelling\"\nsessie = \"noord\"\ntekst.nl = \"Ik ben gehoord\"\n[[vraag]]\nid = \"woord\"\nversie = 3\nsoort = \"tekst\"\ntekst = {{ nl = \"Een woord\" }}\n"
    );
    let set = QuestionSet::from_toml(&text).unwrap();
    let kinds: Vec<&str> = set.questions.iter().map(|q| q.kind.code()).collect();
    assert_eq!(
        kinds,
        ["schuifbalk", "keuze", "meerkeuze", "stelling", "tekst"]
    );
    let gevoel = &set.questions[1];
    assert_eq!(gevoel.version, 2);
    assert_eq!(
        gevoel.scope,
        Scope::Subgoal(SubgoalId::parse("netwerk").unwrap())
    );
    assert_eq!(gevoel.text.get("en"), "Which word?");
    // A language without a text falls back to Dutch.
    assert_eq!(gevoel.text.get("tr"), "Welk woord?");
    assert_eq!(gevoel.kind.options().len(), 2);
    assert_eq!(set.questions[0].scope, Scope::Bank);
    assert_eq!(
        set.questions[2].scope,
        Scope::Round(RoundId::parse("ronde-1").unwrap())
    );
    assert_eq!(
        set.questions[3].scope,
        Scope::Session(SessionId::parse("noord").unwrap())
    );
    assert_eq!(set.questions[4].version, 3);
    assert_eq!(QuestionSet::from_toml("").unwrap(), QuestionSet::default());
}

#[test]
fn every_problem_is_told_with_line_question_and_field() {
    type Want = (
        usize,
        Option<&'static str>,
        Option<&'static str>,
        &'static str,
    );
    let cases: Vec<(String, Vec<Want>)> = vec![
        (
            SLIDER.replace("id = \"alleen\"\n", ""),
            vec![(1, Some("#1"), Some("id"), "missing")],
        ),
        (
            SLIDER.replace("\"alleen\"", "\"Alleen!\""),
            vec![(2, Some("Alleen!"), Some("id"), "bad_id")],
        ),
        (
            format!("{SLIDER}{SLIDER}"),
            vec![(9, Some("alleen"), Some("id"), "duplicate_id")],
        ),
        (
            SLIDER.replace("versie = 1", "versie = 0"),
            vec![(3, Some("alleen"), Some("versie"), "bad_version")],
        ),
        (
            SLIDER.replace("schuifbalk", "glijbaan"),
            vec![(4, Some("alleen"), Some("soort"), "unknown_kind")],
        ),
        (
            SLIDER.replace("tekst.nl", "tekst.xx"),
            vec![(5, Some("alleen"), Some("tekst.xx"), "unknown_language")],
        ),
        (
            SLIDER.replace("tekst.nl", "tekst.en"),
            vec![(5, Some("alleen"), Some("tekst"), "no_dutch")],
        ),
        (
            SLIDER.replace("\"Hoe voelde u zich?\"", "\"  \""),
            vec![(5, Some("alleen"), Some("tekst.nl"), "blank")],
        ),
        (
            SLIDER.replace("rechts.nl = \"Samen\"\n", ""),
            vec![(1, Some("alleen"), Some("rechts"), "missing")],
        ),
        (
            SLIDER.replace("schuifbalk", "tekst"),
            vec![
                (6, Some("alleen"), Some("links"), "not_for_kind"),
                (7, Some("alleen"), Some("rechts"), "not_for_kind"),
            ],
        ),
        (
            CHOICE.replace("[[vraag.keuze]]\nid = \"boos\"\ntekst.nl = \"Boos\"\n", ""),
            vec![(8, Some("gevoel"), Some("keuze"), "too_few_choices")],
        ),
        (
            CHOICE.replace("\"boos\"", "\"blij\""),
            vec![(12, Some("gevoel"), Some("keuze.id"), "duplicate_id")],
        ),
        (
            CHOICE.replace(
                "subdoel = \"netwerk\"",
                "subdoel = \"netwerk\"\nronde = \"r\"",
            ),
            vec![(6, Some("gevoel"), Some("ronde"), "two_places")],
        ),
        (
            SLIDER.replace("versie = 1", "versie = 1\nkleur = \"rood\""),
            vec![(4, Some("#1"), Some("kleur"), "unknown_key")],
        ),
        (
            SLIDER.replace("versie = 1", "versie = \"een\""),
            vec![(3, Some("#1"), None, "syntax")],
        ),
    ];
    for (text, want) in cases {
        let want: Vec<Told> = want
            .into_iter()
            .map(|(line, question, field, code)| {
                (
                    line,
                    question.map(str::to_string),
                    field.map(str::to_string),
                    code.to_string(),
                )
            })
            .collect();
        assert_eq!(problems(&text), want, "{text}");
    }
}

#[test]
fn places_and_ids_are_checked_against_the_bank_and_versions_against_the_stored_set() {
    let goals = GoalTree::from_toml(
        "[[goals]]\nid = \"meedoen\"\ntitle = \"Meedoen\"\n[[subgoals]]\nid = \"netwerk\"\ngoal = \"meedoen\"\ntitle = \"Netwerk\"\n[[statements]]\nid = \"alleen\"\nsubgoal = \"netwerk\"\ntext = \"Ik ben minder alleen\"\nscale = \"agree_disagree\"\n",
    )
    .unwrap();
    let references = References {
        goals: &goals,
        sessions: &[],
        rounds: &[],
    };
    let told = |text: &str, previous: Option<&QuestionSet>| -> Vec<String> {
        match QuestionSet::check(text, Some(references), previous) {
            Ok(_) => Vec::new(),
            Err(problems) => problems.iter().map(ToString::to_string).collect(),
        }
    };
    assert_eq!(
        told(SLIDER, None),
        [
            "line 2, question alleen, field id, value \"alleen\": a statement of the goal tree has this id; choose another"
        ]
    );
    assert_eq!(told(CHOICE, None), Vec::<String>::new());
    assert_eq!(
        told(&CHOICE.replace("\"netwerk\"", "\"wonen\""), None),
        [
            "line 5, question gevoel, field subdoel, value \"wonen\": no such subgoal, round or session in this bank"
        ]
    );

    let stored = QuestionSet::from_toml(CHOICE).unwrap();
    // A new text keeps the version; a new option needs a new one; a version never goes down.
    assert!(
        told(
            &CHOICE.replace("Welk woord?", "Welk woord past?"),
            Some(&stored)
        )
        .is_empty()
    );
    assert_eq!(
        told(&CHOICE.replace("\"boos\"", "\"bang\""), Some(&stored)),
        [
            "line 3, question gevoel, field versie, value \"2\": the kind or the options changed while the version stayed 2; raise the version so earlier answers keep their meaning"
        ]
    );
    assert!(
        told(
            &CHOICE
                .replace("\"boos\"", "\"bang\"")
                .replace("versie = 2", "versie = 3"),
            Some(&stored)
        )
        .is_empty()
    );
    assert_eq!(
        told(&CHOICE.replace("versie = 2", "versie = 1"), Some(&stored)),
        ["line 3, question gevoel, field versie, value \"1\": the version may not go below 2"]
    );
}

#[test]
fn statements_are_agreement_questions_asked_with_their_subgoal() {
    let goals = GoalTree::from_toml(include_str!("../../stories-sample/goals.toml")).unwrap();
    let set = QuestionSet::from_toml(include_str!("../../stories-sample/questions.toml")).unwrap();
    let netwerk = SubgoalId::parse("sterker-netwerk").unwrap();
    let asked = set.asked(&goals, std::slice::from_ref(&netwerk), None, None);
    let ids: Vec<&str> = asked.iter().map(|q| q.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "alleen-of-samen",
            "zelf-of-geholpen",
            "gevoel",
            "wie-hielp",
            "wat-veranderde",
            "meegeven",
            "meer-mensen-leren-kennen",
            "minder-alleen"
        ]
    );
    let minder_alleen = asked.last().unwrap();
    assert_eq!(minder_alleen.origin, Origin::Statement);
    assert_eq!(
        minder_alleen.kind,
        Kind::Agreement {
            scale: Scale::AgreeDisagree
        }
    );
    assert_eq!(minder_alleen.statement().unwrap().as_str(), "minder-alleen");
    let round = RoundId::parse("minder-alleen-2025").unwrap();
    assert!(
        set.asked(&goals, &[], Some(&round), None)
            .iter()
            .any(|q| q.id.as_str() == "eigen-verhaal-helpt")
    );
    assert_eq!(
        set.with_statements(&goals).len(),
        set.questions.len() + goals.statements.len()
    );
}

#[test]
fn the_demo_set_reads_with_sliders_choices_a_statement_and_a_text() {
    let set = QuestionSet::from_toml(include_str!("../../stories-sample/questions.toml")).unwrap();
    let count = |code: &str| {
        set.questions
            .iter()
            .filter(|q| q.kind.code() == code)
            .count()
    };
    assert!(count("schuifbalk") >= 2);
    assert!(count("keuze") >= 2);
    assert!(count("meerkeuze") >= 1);
    assert!(count("stelling") >= 1);
    assert!(count("tekst") >= 1);
}

#[test]
fn answers_are_read_against_their_question() {
    let set = QuestionSet::from_toml(include_str!("../../stories-sample/questions.toml")).unwrap();
    let question = |id: &str| set.get(&QuestionId::parse(id).unwrap()).unwrap();
    let slider = question("alleen-of-samen");
    let choice = question("gevoel");
    let choices = question("wat-veranderde");
    let agreement = question("eigen-verhaal-helpt");
    let text = question("meegeven");
    let too_long = "x".repeat(MAX_TEXT_ANSWER + 1);
    /// The question, what was written, and the value read or `Err` for a refusal.
    type Case<'a> = (&'a Question, &'a str, Result<Option<AnswerValue>, ()>);
    let cases: Vec<Case> = vec![
        (
            slider,
            "72",
            Ok(Some(AnswerValue::Slider(SliderAnswer::At(72)))),
        ),
        (
            slider,
            " 0 ",
            Ok(Some(AnswerValue::Slider(SliderAnswer::At(0)))),
        ),
        (
            slider,
            "Weet ik niet",
            Ok(Some(AnswerValue::Slider(SliderAnswer::DontKnow))),
        ),
        (
            slider,
            "past-niet",
            Ok(Some(AnswerValue::Slider(SliderAnswer::DoesNotApply))),
        ),
        (slider, "101", Err(())),
        (slider, "7,5", Err(())),
        (slider, "", Ok(None)),
        (
            choice,
            "blij",
            Ok(Some(AnswerValue::Choice(ChoiceId::parse("blij").unwrap()))),
        ),
        (
            choice,
            "Opgelucht",
            Ok(Some(AnswerValue::Choice(
                ChoiceId::parse("opgelucht").unwrap(),
            ))),
        ),
        (choice, "verdrietig", Err(())),
        (
            choices,
            "niets, meer-contact,meer-contact",
            Ok(Some(AnswerValue::Choices(vec![
                ChoiceId::parse("meer-contact").unwrap(),
                ChoiceId::parse("niets").unwrap(),
            ]))),
        ),
        (choices, " , ", Ok(None)),
        (agreement, "4", Ok(Some(AnswerValue::Agreement(4)))),
        (agreement, "6", Err(())),
        (
            text,
            "  Ga gewoon eens kijken ",
            Ok(Some(AnswerValue::Text("Ga gewoon eens kijken".to_string()))),
        ),
        (text, &too_long, Err(())),
    ];
    for (question, written, want) in cases {
        let got = question.read_answer(written).map_err(|_| ());
        assert_eq!(got, want, "{} {written:?}", question.id);
        if let Ok(Some(value)) = &got {
            assert!(question.fits(value));
            assert_eq!(
                question.read_answer(&value.as_text()).unwrap().as_ref(),
                Some(value),
                "the written form reads back"
            );
        }
    }
    // An answer under an earlier version may name an option the question no longer has.
    assert_eq!(
        choice.read_earlier_answer("verdrietig").unwrap(),
        Some(AnswerValue::Choice(ChoiceId::parse("verdrietig").unwrap()))
    );
}
