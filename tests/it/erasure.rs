//! Consent and withdrawal by receipt code: a resident changes their consent, and withdrawing a story
//! erases it for good. The canary test writes a story with a word found nowhere else, withdraws it,
//! and then reads every file under the data folder (store, index, everything) for that word.

use std::path::Path;

use axum::http::StatusCode;
use verhalenbank::export::{ExportFormat, export_on};
use verhalenbank::ids::{ChoiceId, QuestionId};
use verhalenbank::index::{Scope, SearchRequest};
use verhalenbank::questions::{Answer, AnswerValue};
use verhalenbank::store::ErasureReason;

use super::support::read_tree;
use super::web::{TestApp, receipt_code};

/// A word no story, name list or stemmer knows.
const CANARY: &str = "Kwispelkrontjaar";
/// Another, only in the teller's answer to a question about the story.
const ANSWER_CANARY: &str = "Snorpelwiebeltje";
/// A third, as the option id of a choice answer, which the index counts and filters on.
const CHOICE_CANARY: &str = "plonzelvinkje";

/// The files under `dir` holding `needle` in any case, as it is or inside a compressed record (the
/// store keeps story records compressed).
fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    let needle = needle.to_lowercase().into_bytes();
    read_tree(dir)
        .into_iter()
        .filter(|(_, bytes)| {
            verhalenbank::testing::with_frames_unpacked(bytes)
                .to_ascii_lowercase()
                .windows(needle.len())
                .any(|window| window == needle.as_slice())
        })
        .map(|(path, _)| path.display().to_string())
        .collect()
}

fn hits(app: &TestApp, words: &str) -> usize {
    let request = SearchRequest::new(words, Scope::Municipality);
    app.bank.search(&request).unwrap().total
}

fn story_of(app: &TestApp, code: &str) -> verhalenbank::story::Story {
    let code = verhalenbank::story::receipt::ReceiptCode::parse(code).unwrap();
    app.bank
        .raw_store()
        .story_by_receipt(&code.hash())
        .unwrap()
        .unwrap()
}

pub async fn tell(app: &TestApp, text: &str, name: &str) -> String {
    let (status, _, body) = app
        .post_form(
            "/vertel",
            &[
                ("verhaal", text),
                ("gevoel", "mixed"),
                ("toestemming", "public"),
                ("subdoel", "sterker-netwerk"),
                ("gebied", "de-hoven"),
                ("naam", name),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    receipt_code(&body)
}

#[tokio::test]
async fn a_withdrawn_story_is_in_no_file_under_the_data_folder() {
    let app = TestApp::demo();
    let paragraph = format!(
        "Bij de {CANARY} op dinsdag leerde ik mijn buren kennen. Eerst vond ik het spannend.\n\n"
    );
    let text = format!("{CANARY} in de wijk.\n\n{}", paragraph.repeat(150));
    let code = tell(&app, &text, &format!("Mevrouw {CANARY}")).await;

    // Moderated and published, so the story was written and indexed more than once, as in real use.
    app.index();
    let id = story_of(&app, &code).id;
    // The teller's answer to a question about the story, in a word found nowhere else.
    let mut story = story_of(&app, &code);
    story.answers.insert(
        QuestionId::parse("meegeven").unwrap(),
        Answer {
            version: 1,
            value: AnswerValue::Text(format!("Zeg {ANSWER_CANARY} tegen iedereen")),
        },
    );
    story.answers.insert(
        QuestionId::parse("gevoel").unwrap(),
        Answer {
            version: 2,
            value: AnswerValue::Choice(ChoiceId::parse(CHOICE_CANARY).unwrap()),
        },
    );
    app.bank.raw_store().put_story(&story).unwrap();
    app.login("analist").await;
    let version = app.version_on(&format!("/moderatie/{id}")).await;
    let (status, _, body) = app
        .post_form(
            &format!("/moderatie/{id}"),
            &[
                ("versie", &version),
                ("titel", &format!("{CANARY} in de wijk")),
                ("datum", "2026-11-20"),
                ("verhaal", &text),
                ("rol", "resident"),
                ("gevoel", "mixed"),
                ("toestemming", "public"),
                ("subdoel", "sterker-netwerk"),
                ("gebied", "de-hoven"),
                ("tags", &CANARY.to_lowercase()),
                ("naam", &format!("Mevrouw {CANARY}")),
                ("besluit", "publish"),
            ],
        )
        .await;
    assert!(status.is_success() || status.is_redirection(), "{body}");
    app.logout_locally();
    app.index();
    assert_eq!(hits(&app, CANARY), 1);
    let (_, body) = app.get(&format!("/verhaal/{id}")).await;
    assert!(body.contains(CANARY), "published story page");

    // The check below can see the word where it is: the store holds it before the withdrawal.
    let data = app.data_dir().to_path_buf();
    assert!(
        !files_holding(&data, CANARY).is_empty(),
        "the canary is written to disk at all"
    );
    assert!(
        !files_holding(&data, ANSWER_CANARY).is_empty(),
        "the answer survives moderation and is on disk"
    );
    // Rebuilt, so the story shares its segment with the rest of the bank, as after the index's merges:
    // a segment whose every document is deleted is dropped on commit anyway, a shared one is not.
    app.bank.raw_index().rebuild(app.bank.raw_store()).unwrap();
    assert!(app.bank.raw_index().holds_text(CANARY).unwrap());
    assert!(
        app.bank.raw_index().holds_text(CHOICE_CANARY).unwrap(),
        "the choice answer is indexed as a filter"
    );

    // Without ticking the box nothing happens.
    let (status, _, body) = app
        .post_form("/mijn-verhaal/intrekken", &[("code", &code)])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Zet eerst een vinkje"), "{body}");
    assert_eq!(hits(&app, CANARY), 1);

    let (status, _, body) = app
        .post_form(
            "/mijn-verhaal/intrekken",
            &[("code", &code), ("bevestig", "ja")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Uw verhaal is gewist"), "{body}");

    // Gone from every page, search and lookup, and from every file.
    assert_eq!(hits(&app, CANARY), 0);
    let (status, _) = app.get(&format!("/verhaal/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, body) = app.post_form("/mijn-verhaal", &[("code", &code)]).await;
    assert!(body.contains("Wij vinden geen verhaal bij deze code"));
    assert_eq!(app.bank.raw_store().get_story(id).unwrap(), None);
    assert_eq!(
        files_holding(&data, CANARY),
        Vec::<String>::new(),
        "files under the data folder still hold the withdrawn story"
    );
    assert_eq!(
        files_holding(&data, ANSWER_CANARY),
        Vec::<String>::new(),
        "files under the data folder still hold the withdrawn story's answers"
    );
    // The index stores no text, and compresses what it keeps: it is searched term by term, for the
    // stem the Dutch analyser indexed and the tag as typed, in deleted documents too.
    assert!(!app.bank.raw_index().holds_text("kwispelkrontja").unwrap());
    assert!(
        !app.bank.raw_index().holds_text(CHOICE_CANARY).unwrap(),
        "the index still holds the withdrawn story's answer filter"
    );

    // The ledger keeps the id, the date and the reason, nothing else.
    let ledger = app.bank.raw_store().erasures().unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].story, id);
    assert_eq!(ledger[0].date, jiff::civil::date(2026, 11, 23));
    assert_eq!(ledger[0].reason, ErasureReason::WithdrawnByTeller);

    // An export made afterwards does not hold it.
    let out = tempfile::tempdir().unwrap();
    export_on(
        app.bank.raw_store(),
        ExportFormat::Markdown,
        &out.path().join("export"),
        jiff::civil::date(2026, 11, 23),
    )
    .unwrap();
    assert_eq!(files_holding(out.path(), CANARY), Vec::<String>::new());

    // The rest of the bank is untouched and still searchable.
    assert!(hits(&app, "koffie") > 0);
}

#[tokio::test]
async fn a_resident_changes_consent_with_the_code() {
    let app = TestApp::demo();
    let code = tell(
        &app,
        "Het taalcafé hielp mij met de brieven van de gemeente.",
        "",
    )
    .await;
    let (_, _, body) = app.post_form("/mijn-verhaal", &[("code", &code)]).await;
    assert!(body.contains("Verhaal intrekken"), "{body}");
    assert!(body.contains(r#"value="public" checked"#), "{body}");

    let (status, _, body) = app
        .post_form(
            "/mijn-verhaal/toestemming",
            &[("code", &code), ("toestemming", "internal")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Uw keuze is opgeslagen"), "{body}");
    assert!(body.contains(r#"value="internal" checked"#), "{body}");
    let story = story_of(&app, &code);
    assert_eq!(story.consent, verhalenbank::story::Consent::Internal);
    assert_eq!(story.consent_date, Some(jiff::civil::date(2026, 11, 23)));

    // A wrong code changes nothing and says so.
    let (_, _, body) = app
        .post_form(
            "/mijn-verhaal/toestemming",
            &[("code", "AAAA-BBBB-CCCC-DDDD"), ("toestemming", "public")],
        )
        .await;
    assert!(body.contains("Wij vinden geen verhaal bij deze code"));
    assert!(!body.contains("Uw keuze is opgeslagen"));
}

/// The moderation form a moderator sends for a story told with [`tell`], publishing it.
fn publish_form(text: &str) -> Vec<(&'static str, String)> {
    vec![
        ("titel", "Buren".to_string()),
        ("datum", "2026-11-20".to_string()),
        ("verhaal", text.to_string()),
        ("rol", "resident".to_string()),
        ("gevoel", "mixed".to_string()),
        ("toestemming", "public".to_string()),
        ("subdoel", "sterker-netwerk".to_string()),
        ("gebied", "de-hoven".to_string()),
        ("besluit", "publish".to_string()),
    ]
}

#[tokio::test]
async fn a_moderation_save_after_a_withdrawal_does_not_bring_the_story_back() {
    let app = TestApp::demo();
    let text = format!("Bij de {CANARY} leerde ik mijn buren kennen.");
    let code = tell(&app, &text, "").await;
    app.index();

    // The moderator reads the story; before they save, its teller withdraws it.
    let read = story_of(&app, &code);
    let id = read.id;
    let version = app
        .bank
        .raw_store()
        .get_story_versioned(id)
        .unwrap()
        .unwrap()
        .version;
    app.login("analist").await;
    let page_version = app.version_on(&format!("/moderatie/{id}")).await;
    assert_eq!(page_version, version.to_string());
    let receipt = verhalenbank::story::receipt::ReceiptCode::parse(&code).unwrap();
    let today = jiff::civil::date(2026, 11, 23);
    assert_eq!(app.bank.withdraw(&receipt, today).unwrap(), Some(id));

    // The save made from what the moderator read is refused, and the story stays gone.
    let mut moderated = read.clone();
    moderated.moderation = verhalenbank::story::Moderation::Published;
    assert_eq!(
        app.bank.save_moderated(&moderated, version).unwrap(),
        Err(verhalenbank::bank::Refused::Erased)
    );
    assert_eq!(app.bank.raw_store().get_story(id).unwrap(), None);
    assert!(
        matches!(
            app.bank.raw_store().put_story(&moderated),
            Err(verhalenbank::store::StoreError::Erased(erased)) if erased == id
        ),
        "the store itself refuses an erased id"
    );
    app.index();
    assert_eq!(hits(&app, CANARY), 0);

    // Through the page: the moderator's form comes back with a clear page, not an error of ours.
    let mut form = publish_form(&text);
    form.push(("versie", page_version));
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, body) = app.post_form(&format!("/moderatie/{id}"), &pairs).await;
    assert_eq!(status, StatusCode::GONE, "{body}");
    assert!(body.contains("Dit verhaal is intussen gewist"), "{body}");
    assert!(
        body.contains("This story has been erased in the meantime"),
        "{body}"
    );
    assert_eq!(app.bank.raw_store().get_story(id).unwrap(), None);
    assert_eq!(app.bank.raw_store().erasures().unwrap().len(), 1);
}

#[tokio::test]
async fn an_older_export_imported_after_an_erasure_leaves_the_erased_story_out() {
    let app = TestApp::demo();
    let text = format!("Bij de {CANARY} leerde ik mijn buren kennen.");
    let code = tell(&app, &text, "").await;
    let id = story_of(&app, &code).id;
    let before = app.bank.raw_store().story_count();

    // An export made while the story was still there.
    let out = tempfile::tempdir().unwrap();
    let folder = out.path().join("export");
    export_on(
        app.bank.raw_store(),
        ExportFormat::Markdown,
        &folder,
        jiff::civil::date(2026, 11, 23),
    )
    .unwrap();
    assert!(!files_holding(&folder, CANARY).is_empty());

    let today = jiff::civil::date(2026, 11, 23);
    assert!(
        app.bank
            .erase(id, today, ErasureReason::ErasedByStaff)
            .unwrap()
    );

    // Importing it again stores every other story, leaves this one out and says so.
    let report = verhalenbank::import::import_paths(
        app.bank.raw_store(),
        &[folder],
        &indicatif::ProgressBar::hidden(),
    )
    .unwrap();
    assert!(report.is_success(), "{:?}", report.errors);
    assert_eq!(report.erased, 1);
    assert_eq!(report.stories, before - 1);
    assert_eq!(app.bank.raw_store().get_story(id).unwrap(), None);
    assert_eq!(app.bank.raw_store().story_count(), before - 1);
    app.index();
    assert_eq!(hits(&app, CANARY), 0);
}
