//! Property tests of round trips: story → file → story, and bank → Markdown export → import → same bank,
//! answers to the questions about the story included.

use std::collections::BTreeMap;

use indicatif::ProgressBar;
use proptest::prelude::*;
use verhalenbank::evidence::{Measurement, Period};
use verhalenbank::export::{ExportFormat, export};
use verhalenbank::ids::{AreaId, ChoiceId, IndicatorId, QuestionId, StatementId, SubgoalId};
use verhalenbank::import::import_paths;
use verhalenbank::language::Language;
use verhalenbank::questions::{Answer, AnswerValue, Answers, SliderAnswer};
use verhalenbank::store::Store;
use verhalenbank::story::file::story_to_file;
use verhalenbank::story::front_matter::parse_story_file;
use verhalenbank::story::{
    Catalog, Consent, Markdown, Moderation, Story, StoryId, TellerRole, Valence, normalise_tag,
};
use verhalenbank::testing;

fn title() -> impl Strategy<Value = String> {
    "[\\PC&&[^\\s]][\\PC]{0,40}"
        .prop_map(|title| title.trim().to_string())
        .prop_filter("non-empty title", |title| !title.is_empty())
}

fn text() -> impl Strategy<Value = Markdown> {
    prop_oneof![
        "[a-zA-Zëéï0-9 .,!?*_#>\\-\n]{1,300}",
        "\\PC{1,200}",
        Just("Regel één\n\n+++\nnog een regel met +++ en ---\n---".to_string()),
        Just("<script>alert(1)</script> [x](javascript:alert(1))".to_string()),
    ]
    .prop_map(|text| Markdown::new(&text))
    .prop_filter("non-empty text", |text| !text.is_empty())
}

/// Answers to the test bank's questions (`testing::QUESTIONS_TOML`): every kind, the slider's two
/// ways out, and answers given under an earlier version of a question, with an option it no longer has.
fn answers() -> impl Strategy<Value = Answers> {
    let id = |text: &str| QuestionId::parse(text).unwrap();
    let choice = |text: &str| ChoiceId::parse(text).unwrap();
    (
        proptest::option::of(prop_oneof![
            (0u8..=100).prop_map(SliderAnswer::At),
            Just(SliderAnswer::DontKnow),
            Just(SliderAnswer::DoesNotApply),
        ]),
        proptest::option::of(prop_oneof![
            Just((2, "blij")),
            Just((2, "bezorgd")),
            Just((1, "verdrietig")),
        ]),
        proptest::sample::subsequence(vec!["contact", "rust"], 0..=2),
        proptest::option::of(1u8..=5),
        proptest::option::of("[\\PC&&[^\\s]][\\PC&&[^\r\n]]{0,60}[\\PC&&[^\\s]]"),
    )
        .prop_map(move |(slider, feeling, changed, agreement, text)| {
            let mut answers = Answers::new();
            if let Some(point) = slider {
                answers.insert(
                    id("alleen-of-samen"),
                    Answer {
                        version: 1,
                        value: AnswerValue::Slider(point),
                    },
                );
            }
            if let Some((version, option)) = feeling {
                answers.insert(
                    id("gevoel"),
                    Answer {
                        version,
                        value: AnswerValue::Choice(choice(option)),
                    },
                );
            }
            if !changed.is_empty() {
                answers.insert(
                    id("veranderd"),
                    Answer {
                        version: 1,
                        value: AnswerValue::Choices(changed.iter().map(|c| choice(c)).collect()),
                    },
                );
            }
            if let Some(score) = agreement {
                answers.insert(
                    id("overzicht"),
                    Answer {
                        version: 1,
                        value: AnswerValue::Agreement(score),
                    },
                );
            }
            if let Some(text) = text {
                answers.insert(
                    id("meegeven"),
                    Answer {
                        version: 1,
                        value: AnswerValue::Text(text),
                    },
                );
            }
            answers
        })
}

fn story() -> impl Strategy<Value = Story> {
    (
        (title(), 1900i16..2100, 1i8..=12, 1i8..=28, text()),
        (0usize..5, 0usize..3, 0usize..2, 0usize..3),
        (
            proptest::option::of(prop_oneof![Just("noord"), Just("de-hoven"), Just("zuid")]),
            proptest::sample::subsequence(vec!["sterker-netwerk", "grip-op-geld"], 0..=2),
            proptest::collection::vec("[a-zA-Zé ]{1,12}", 0..4),
            proptest::option::of(prop_oneof![Just("nl"), Just("en"), Just("tr")]),
            proptest::option::of(1u8..=5),
            prop_oneof![Just(0u8), Just(1), Just(2)],
            any::<[u8; 16]>(),
        ),
        answers(),
    )
        .prop_map(
            |(
                (title, year, month, day, text),
                (teller, valence, consent, provider),
                rest,
                answers,
            )| {
                let (area, subgoals, tags, language, score, state, id) = rest;
                let mut clean_tags: Vec<String> = Vec::new();
                for tag in tags.iter().map(|tag| normalise_tag(tag)) {
                    if !tag.is_empty() && !clean_tags.contains(&tag) {
                        clean_tags.push(tag);
                    }
                }
                Story {
                    id: StoryId::from_bytes(id),
                    title,
                    date: jiff::civil::date(year, month, day),
                    teller: [
                        TellerRole::Resident,
                        TellerRole::Professional,
                        TellerRole::Volunteer,
                        TellerRole::Carer,
                        TellerRole::Municipality,
                    ][teller],
                    valence: [Valence::Positive, Valence::Negative, Valence::Mixed][valence],
                    consent: [Consent::Internal, Consent::Public][consent],
                    consent_date: (consent == 1).then(|| jiff::civil::date(year, month, day)),
                    provider: [None, Some("buurtwerk"), Some("schuldhulp")][provider]
                        .map(|id| verhalenbank::ids::ProviderId::parse(id).unwrap()),
                    area: area.map(|id| AreaId::parse(id).unwrap()),
                    activity: None,
                    indicator: None,
                    translation: None,
                    subgoals: subgoals
                        .into_iter()
                        .map(|id| SubgoalId::parse(id).unwrap())
                        .collect(),
                    tags: clean_tags,
                    language: language.map(|code| Language::parse(code).unwrap()),
                    teller_name: score.map(|score| format!("Naam {score}")),
                    session: (state == 1)
                        .then(|| verhalenbank::ids::SessionId::parse("noord-2026-03").unwrap()),
                    round: None,
                    channel: (consent == 0).then_some(verhalenbank::story::Channel::Paper),
                    received: (state == 0).then(|| jiff::civil::date(year, month, day)),
                    scores: score
                        .map(|score| {
                            BTreeMap::from([(
                                StatementId::parse("ken-meer-mensen").unwrap(),
                                score,
                            )])
                        })
                        .unwrap_or_default(),
                    answers,
                    moderation: match state {
                        0 => Moderation::Submitted,
                        1 => Moderation::Published,
                        _ => Moderation::Rejected("bevat een adres".to_string()),
                    },
                    text,
                }
            },
        )
}

/// A synonyms file: two-way groups and one-way ones, with a note, each word in one group.
fn synonyms() -> impl Strategy<Value = String> {
    let word = "[a-zëï]{1,8}( [a-z]{1,6})?";
    proptest::collection::vec((proptest::collection::vec(word, 2..4), any::<bool>()), 0..5)
        .prop_map(|groups| {
            let mut text = String::from("# synoniemen\n");
            for (number, (words, one_way)) in groups.into_iter().enumerate() {
                // A number per group keeps every word in one group.
                let words: Vec<String> = words
                    .iter()
                    .enumerate()
                    .map(|(place, word)| format!("\"{word}{number}{place}\""))
                    .collect();
                if one_way {
                    text += &format!(
                        "\n[[groep]]\nwoord = {}\nook = [{}]\n",
                        words[0],
                        words[1..].join(", ")
                    );
                } else {
                    text += &format!("\n[[groep]]\nwoorden = [{}]\n", words.join(", "));
                }
            }
            text
        })
}

fn measurement() -> impl Strategy<Value = Measurement> {
    (
        prop_oneof![
            (2000i16..2030).prop_map(Period::Year),
            (2000i16..2030, 1u8..=4).prop_map(|(y, q)| Period::Quarter(y, q)),
            (2000i16..2030, 1u8..=12).prop_map(|(y, m)| Period::Month(y, m)),
        ],
        proptest::option::of(prop_oneof![Just("noord"), Just("zuid")]),
        -1.0e6f64..1.0e6,
        proptest::option::of(0.0f64..1000.0),
        proptest::option::of("[a-zA-Z =+@-]{1,20}"),
    )
        .prop_map(|(period, area, value, numerator, source)| Measurement {
            indicator: IndicatorId::parse("bezoekers-koffie-inloop").unwrap(),
            period,
            area: area.map(|id| AreaId::parse(id).unwrap()),
            value,
            numerator,
            denominator: numerator.map(|n| n * 2.0),
            source: source
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty()),
        })
}

proptest! {
    #[test]
    fn story_file_round_trip(story in story()) {
        let municipality = testing::municipality();
        let goals = testing::goal_tree();
        let file = story_to_file(&story);
        let sessions = [verhalenbank::ids::SessionId::parse("noord-2026-03").unwrap()];
        let parsed = parse_story_file(&file, Catalog { municipality: &municipality, goals: &goals, sessions: &sessions, rounds: &[], questions: &testing::question_set() });
        prop_assert_eq!(parsed, Ok(story), "{}", file);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(12))]
    #[test]
    fn bank_export_import_round_trip(
        stories in proptest::collection::vec(story(), 0..30),
        measurements in proptest::collection::vec(measurement(), 0..20),
        synonyms in proptest::option::of(synonyms()),
    ) {
        let temp = tempfile::tempdir().unwrap();
        let first = Store::open(&temp.path().join("a")).unwrap();
        first.set_municipality(&testing::municipality()).unwrap();
        first.set_goal_tree(&testing::goal_tree()).unwrap();
        first.put_session(&testing::session()).unwrap();
        first.set_questions(testing::QUESTIONS_TOML).unwrap();
        first.put_stories(&stories).unwrap();
        first.put_measurements(&measurements).unwrap();
        if let Some(text) = &synonyms {
            first.set_synonyms(text).unwrap();
        }

        let folder = temp.path().join("export");
        export(&first, ExportFormat::Markdown, &folder).unwrap();
        let second = Store::open(&temp.path().join("b")).unwrap();
        let report = import_paths(&second, &[folder], &ProgressBar::hidden()).unwrap();
        prop_assert!(report.is_success(), "{:?}", report.errors);

        let all = |store: &Store| store.stories().collect::<Result<Vec<_>, _>>().unwrap();
        prop_assert_eq!(all(&first), all(&second));
        prop_assert_eq!(first.measurements().unwrap(), second.measurements().unwrap());
        prop_assert_eq!(first.goal_tree().unwrap(), second.goal_tree().unwrap());
        prop_assert_eq!(first.municipality().unwrap(), second.municipality().unwrap());
        prop_assert_eq!(first.sessions().unwrap(), second.sessions().unwrap());
        let list = |store: &Store| store.synonyms().unwrap().map(|stored| stored.item);
        prop_assert_eq!(list(&first), list(&second));
        let questions = |store: &Store| store.questions().unwrap().map(|stored| stored.item);
        prop_assert_eq!(questions(&first), questions(&second));
    }
}

proptest! {
    /// The stories CSV carries every answer: a column per question (and per earlier version that was
    /// answered), read back by the stories CSV import under the version it was given under.
    #[test]
    fn stories_csv_keeps_every_answer(stories in proptest::collection::vec(story(), 1..12)) {
        let municipality = testing::municipality();
        let goals = testing::goal_tree();
        let questions = testing::question_set();
        let table = verhalenbank::export::stories_table(
            &stories,
            verhalenbank::export::Audience::Internal,
            &questions,
        );
        let csv = verhalenbank::export::to_csv(&table).unwrap();
        let sessions = [verhalenbank::ids::SessionId::parse("noord-2026-03").unwrap()];
        let catalog = Catalog { municipality: &municipality, goals: &goals, sessions: &sessions, rounds: &[], questions: &questions };
        let (read, errors) = verhalenbank::import::read_stories(std::str::from_utf8(&csv).unwrap(), catalog);
        prop_assert_eq!(errors, vec![]);
        let answers = |stories: &[verhalenbank::story::Story]| {
            stories.iter().map(|story| story.answers.clone()).collect::<Vec<_>>()
        };
        prop_assert_eq!(answers(&read), answers(&stories));
    }
}
