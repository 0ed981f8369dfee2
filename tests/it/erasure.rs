//! Consent and withdrawal by receipt code: a resident changes their consent, and withdrawing a story
//! erases it for good. The canary test writes a story with a word found nowhere else, withdraws it,
//! and then reads every file under the data folder (store, index, everything) for that word.

use std::path::Path;

use axum::http::StatusCode;
use verhalenbank::export::{ExportFormat, export_on};
use verhalenbank::index::{Scope, SearchRequest};
use verhalenbank::store::ErasureReason;

use super::support::read_tree;
use super::web::{TestApp, receipt_code};

/// A word no story, name list or stemmer knows.
const CANARY: &str = "Kwispelkrontjaar";

fn files_holding(dir: &Path, needle: &str) -> Vec<String> {
    let needle = needle.to_lowercase().into_bytes();
    read_tree(dir)
        .into_iter()
        .filter(|(_, bytes)| {
            bytes
                .to_ascii_lowercase()
                .windows(needle.len())
                .any(|window| window == needle.as_slice())
        })
        .map(|(path, _)| path.display().to_string())
        .collect()
}

fn hits(app: &TestApp, words: &str) -> usize {
    let request = SearchRequest::new(words, Scope::Municipality);
    app.bank
        .index
        .search(&app.bank.store, &request)
        .unwrap()
        .total
}

fn story_of(app: &TestApp, code: &str) -> verhalenbank::story::Story {
    let code = verhalenbank::story::receipt::ReceiptCode::parse(code).unwrap();
    app.bank
        .store
        .story_by_receipt(&code.hash())
        .unwrap()
        .unwrap()
}

async fn tell(app: &TestApp, text: &str, name: &str) -> String {
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
    app.login("analist").await;
    let (status, _, body) = app
        .post_form(
            &format!("/moderatie/{id}"),
            &[
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
    // Rebuilt, so the story shares its segment with the rest of the bank, as after the index's merges:
    // a segment whose every document is deleted is dropped on commit anyway, a shared one is not.
    app.bank.index.rebuild(&app.bank.store).unwrap();
    assert!(app.bank.index.holds_text(CANARY).unwrap());

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
    assert_eq!(app.bank.store.get_story(id).unwrap(), None);
    assert_eq!(
        files_holding(&data, CANARY),
        Vec::<String>::new(),
        "files under the data folder still hold the withdrawn story"
    );
    // The index stores no text, and compresses what it keeps: it is searched term by term, for the
    // stem the Dutch analyser indexed and the tag as typed, in deleted documents too.
    assert!(!app.bank.index.holds_text("kwispelkrontja").unwrap());

    // The ledger keeps the id, the date and the reason, nothing else.
    let ledger = app.bank.store.erasures().unwrap();
    assert_eq!(ledger.len(), 1);
    assert_eq!(ledger[0].story, id);
    assert_eq!(ledger[0].date, jiff::civil::date(2026, 11, 23));
    assert_eq!(ledger[0].reason, ErasureReason::WithdrawnByTeller);

    // An export made afterwards does not hold it.
    let out = tempfile::tempdir().unwrap();
    export_on(
        &app.bank.store,
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
