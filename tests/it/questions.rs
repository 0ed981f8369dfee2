//! The questions about the story from end to end: the demo imports its question set and the answers
//! on its stories, they round-trip through export and import, and analysts change the set on
//! `/vragen` (422 with the problems in Dutch, 409 when someone else saved first, 403 for anyone else;
//! a question stories answered cannot be left out, a changed question needs a new version), which the
//! audit log records.

use axum::http::{StatusCode, header};
use verhalenbank::audit::Actor;
use verhalenbank::ids::QuestionId;
use verhalenbank::questions::AnswerValue;

use super::support::{repo_root, run, text};
use super::web::TestApp;

#[test]
fn the_demo_imports_its_questions_and_answers_and_they_round_trip() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let sample = repo_root().join("stories-sample");
    let output = run(&data, &["import", sample.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("imported the questions about the story (8 questions)"),
        "{}",
        text(&output)
    );
    let out = temp.path().join("export");
    let output = run(
        &data,
        &[
            "export",
            "--format",
            "markdown",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    assert_eq!(
        std::fs::read_to_string(out.join("questions.toml")).unwrap(),
        std::fs::read_to_string(sample.join("questions.toml")).unwrap(),
        "exported byte for byte"
    );
    let story = std::fs::read_dir(out.join("stories"))
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .find(|text| text.contains("title = \"Met pensioen en ineens veel tijd\""))
        .unwrap();
    assert!(
        story.contains("\n[answers]\nalleen-of-samen = { version = 1, value = 66 }\n"),
        "{story}"
    );
    assert!(story.contains("wat-veranderde = { version = 1, value = [\"meer-contact\"] }"));

    let again = temp.path().join("again");
    let output = run(&again, &["import", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
}

#[tokio::test]
async fn most_demo_stories_carry_answers_that_tell_a_pattern() {
    let app = TestApp::demo();
    let stories: Vec<_> = app
        .bank
        .raw_store()
        .stories()
        .collect::<Result<_, _>>()
        .unwrap();
    let answered = stories.iter().filter(|s| !s.answers.is_empty()).count();
    assert!(
        answered * 4 >= stories.len() * 3,
        "{answered} of {}",
        stories.len()
    );

    // Tellers from the koffie-inloop feel together more than tellers from the debt help desk.
    let slider = QuestionId::parse("alleen-of-samen").unwrap();
    let mean = |activity: &str| {
        let points: Vec<f64> = stories
            .iter()
            .filter(|s| s.activity.as_ref().is_some_and(|a| a.as_str() == activity))
            .filter_map(|s| match s.answers.get(&slider).map(|a| &a.value) {
                Some(AnswerValue::Slider(verhalenbank::questions::SliderAnswer::At(p))) => {
                    Some(f64::from(*p))
                }
                _ => None,
            })
            .collect();
        points.iter().sum::<f64>() / points.len() as f64
    };
    assert!(
        mean("koffie-inloop") > mean("schuldhulp-spreekuur") + 20.0,
        "{} {}",
        mean("koffie-inloop"),
        mean("schuldhulp-spreekuur")
    );
    // The questions asked with a story about a stronger network: the bank's own and its statements.
    let asked = app
        .bank
        .questions_for(
            &[verhalenbank::ids::SubgoalId::parse("sterker-netwerk").unwrap()],
            None,
            None,
        )
        .unwrap();
    assert!(asked.iter().any(|q| q.id.as_str() == "minder-alleen"));
    assert!(asked.iter().any(|q| q.id.as_str() == "alleen-of-samen"));
}

#[tokio::test]
async fn analysts_change_the_questions_on_their_page() {
    let app = TestApp::demo();
    app.login("buurtwerk").await;
    let (status, _) = app.get("/vragen").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    app.login("analist").await;
    let (status, page) = app.get("/vragen").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Hoe voelde u zich in dit verhaal?"),
        "the set as asked"
    );
    assert!(page.contains("Alleen … Samen met anderen"), "the poles");
    assert!(page.contains("verhalen voor ronde minder-alleen-2025"));
    assert!(
        page.contains("Doordat ik meedoe aan de activiteit voel ik me minder alleen"),
        "statements too"
    );
    assert!(page.contains("[[vraag.keuze]]"), "the file in the box");
    let version = app.version_on("/vragen").await;
    let current = app.bank.questions_text().unwrap().item;

    // Problems come back at the field, in Dutch, and nothing is stored.
    let wrong = current.replacen("soort = \"schuifbalk\"", "soort = \"glijbaan\"", 1);
    let (status, _, page) = app
        .post_form("/vragen", &[("inhoud", &wrong), ("versie", &version)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains(
            "regel 15, vraag alleen-of-samen, veld soort, “glijbaan”: deze soort bestaat niet"
        ),
        "{page}"
    );
    assert!(page.contains(r#"aria-invalid="true""#));
    // A question stories answered may not be left out; a changed option needs a new version.
    let without = current.replacen("id = \"gevoel\"", "id = \"gevoel-nieuw\"", 1);
    let (status, _, page) = app
        .post_form("/vragen", &[("inhoud", &without), ("versie", &version)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("vraag gevoel: "), "{page}");
    assert!(page.contains(" verhalen hebben een antwoord op deze vraag; laat de vraag staan"));
    let changed = current.replacen("id = \"boos\"", "id = \"kwaad\"", 1);
    let (status, _, page) = app
        .post_form("/vragen", &[("inhoud", &changed), ("versie", &version)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("de soort of de antwoorden zijn veranderd, maar de versie is nog 1"));
    assert_eq!(
        app.bank.questions_text().unwrap().version.to_string(),
        version
    );

    // A good change is saved.
    let better = changed
        .replacen(
            "id = \"gevoel\"\nversie = 1",
            "id = \"gevoel\"\nversie = 2",
            1,
        )
        .replace('\n', "\r\n");
    let (status, headers, _) = app
        .post_form("/vragen", &[("inhoud", &better), ("versie", &version)])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers[header::LOCATION].to_str().unwrap().to_string();
    let (_, saved) = app.get(&location).await;
    assert!(saved.contains("Er staan nu 8 vragen in"), "{saved}");
    let stored = app.bank.questions_text().unwrap();
    assert_eq!(stored.item, better.replace("\r\n", "\n"));
    let gevoel = app
        .bank
        .question_set()
        .unwrap()
        .get(&QuestionId::parse("gevoel").unwrap())
        .cloned()
        .unwrap();
    assert_eq!(gevoel.version, 2);

    // A save from the version before that one is refused; both texts are shown.
    let (status, _, page) = app
        .post_form("/vragen", &[("inhoud", ""), ("versie", &version)])
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("Iemand anders heeft de vragen intussen veranderd"));
    assert!(page.contains("kwaad"), "the file as it is now");
    assert_eq!(app.bank.questions_text().unwrap(), stored);

    // The audit log has the change, by whom, and none of the words.
    let entries = app.bank.raw_store().audit_entries(0, 1000).unwrap();
    let analist = Actor::User(verhalenbank::ids::UserName::parse("analist").unwrap());
    let changes: Vec<_> = entries
        .iter()
        .filter(|entry| entry.action == "questions.changed")
        .collect();
    assert!(
        changes
            .iter()
            .any(|entry| entry.actor == analist && entry.status == 303)
    );
    assert!(changes.iter().any(|entry| entry.status == 409));
    assert!(!format!("{entries:?}").contains("kwaad"));
}

/// A resident tells a story about a subgoal and then, on the screen with their code, answers the
/// bank's questions and that subgoal's statements without JavaScript: the answers are stored with
/// the story; a value no option offers shows the screen again; after moderation nothing changes.
#[tokio::test]
async fn a_resident_answers_the_questions_after_telling() {
    let app = TestApp::demo();
    let (status, _, body) = app
        .post_form(
            "/vertel",
            &[
                (
                    "verhaal",
                    "Bij de koffie-inloop leerde ik de mensen van mijn straat kennen. Fijn!",
                ),
                ("gevoel", "positive"),
                ("toestemming", "public"),
                ("subdoel", "sterker-netwerk"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let code = super::web::receipt_code(&body);
    // The bank's questions and the chosen subgoal's statements, each with a way to leave it open.
    for field in [
        "name=\"vraag-alleen-of-samen\" value=\"75\"",
        "name=\"vraag-alleen-of-samen\" value=\"weet-niet\"",
        "name=\"vraag-wat-veranderde\" value=\"meer-contact\"",
        "name=\"vraag-meer-mensen-leren-kennen\" value=\"5\"",
        "name=\"vraag-minder-alleen\" value=\"1\"",
        "name=\"vraag-meegeven\"",
    ] {
        assert!(body.contains(field), "{field} not asked");
    }
    // A statement of another subgoal, and the round's question, are not asked.
    assert!(!body.contains("vraag-durf-nederlands-te-praten"));
    assert!(!body.contains("vraag-eigen-verhaal-helpt"));

    let (status, _, body) = app
        .post_form(
            "/vertel/vragen",
            &[
                ("code", code.as_str()),
                ("vraag-alleen-of-samen", "75"),
                ("vraag-gevoel", "niet-bestaand"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("Kies een van de antwoorden"), "{body}");
    assert!(
        body.contains("value=\"75\" checked"),
        "the answer given is kept"
    );

    let (status, _, body) = app
        .post_form(
            "/vertel/vragen",
            &[
                ("code", code.as_str()),
                ("vraag-alleen-of-samen", "75"),
                ("vraag-zelf-of-geholpen", "past-niet"),
                ("vraag-wat-veranderde", "meer-contact"),
                ("vraag-wat-veranderde", "iets-geleerd"),
                ("vraag-meer-mensen-leren-kennen", "4"),
                ("vraag-minder-alleen", "1"),
                ("vraag-meegeven", "Kom gewoon langs"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(body.contains("Uw antwoorden zijn bewaard"), "{body}");
    let story = app
        .bank
        .raw_store()
        .stories()
        .map(Result::unwrap)
        .find(|s| s.text.as_str().contains("koffie-inloop leerde ik"))
        .unwrap();
    let answer = |id: &str| {
        story
            .answers
            .get(&QuestionId::parse(id).unwrap())
            .map(|answer| answer.value.as_text())
    };
    assert_eq!(answer("alleen-of-samen").as_deref(), Some("75"));
    assert_eq!(answer("zelf-of-geholpen").as_deref(), Some("past-niet"));
    assert_eq!(
        answer("wat-veranderde").as_deref(),
        Some("meer-contact, iets-geleerd")
    );
    assert_eq!(answer("meegeven").as_deref(), Some("Kom gewoon langs"));
    assert_eq!(answer("gevoel"), None, "left open");
    assert_eq!(
        story
            .scores
            .iter()
            .map(|(id, score)| (id.to_string(), *score))
            .collect::<Vec<_>>(),
        [
            ("meer-mensen-leren-kennen".to_string(), 4),
            ("minder-alleen".to_string(), 1)
        ]
    );

    // Once a moderator has read the story, the answers stay as they were.
    let mut published = story.clone();
    published.moderation = verhalenbank::story::Moderation::Published;
    app.bank.raw_store().put_story(&published).unwrap();
    let (status, _, body) = app
        .post_form(
            "/vertel/vragen",
            &[("code", code.as_str()), ("vraag-alleen-of-samen", "0")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Uw verhaal is al bekeken"), "{body}");
    let (status, _, _) = app
        .post_form(
            "/vertel/vragen",
            &[
                ("code", "AAAA-BBBB-CCCC-DDDD"),
                ("vraag-alleen-of-samen", "0"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}
