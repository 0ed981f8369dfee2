//! The data folder of store format 1, kept in `tests/fixtures/data-format-1/`, still opens with
//! everything in it: stories, receipt codes, accounts and their passwords, API tokens, figures,
//! sessions, rounds and the search index. A later format change must migrate it (tests/fixtures/README.md).

use verhalenbank::bank::{Bank, DEMO_PASSWORD};
use verhalenbank::config::Config;
use verhalenbank::ids::UserName;
use verhalenbank::index::{Scope, SearchRequest};
use verhalenbank::story::receipt::ReceiptCode;
use verhalenbank::tokens::ApiToken;

use super::support::{repo_root, run, text};

/// A copy of the fixture, so opening it (which may write) never changes the one in the repository.
fn fixture_copy() -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    let source = repo_root().join("tests/fixtures/data-format-1");
    for entry in walkdir::WalkDir::new(&source) {
        let entry = entry.unwrap();
        let target = copy
            .path()
            .join(entry.path().strip_prefix(&source).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
    copy
}

#[test]
fn a_format_1_data_folder_opens_with_everything_in_it() {
    let copy = fixture_copy();
    let bank = Bank::open(&Config::new(copy.path())).unwrap();
    let store = bank.raw_store();

    assert_eq!(store.story_count(), 103, "99 demo stories and 4 told ones");
    // Opening migrated it to the current format: its stories have no answers, and say so.
    assert_eq!(
        verhalenbank::store::format_of(store).unwrap(),
        Some(verhalenbank::store::FORMAT_VERSION)
    );
    assert!(
        store
            .stories()
            .all(|story| story.unwrap().answers.is_empty())
    );
    let code = ReceiptCode::parse("QQNN-CVBZ-FFU3-BU9H").unwrap();
    let told = store.story_by_receipt(&code.hash()).unwrap().unwrap();
    assert_eq!(told.title, "Vaste proef voor het opslagformaat");
    assert!(told.text.as_str().contains("formaatproef"));

    let analyst = store
        .user(&UserName::parse("analist").unwrap())
        .unwrap()
        .unwrap();
    assert!(analyst.password.verify(DEMO_PASSWORD));
    assert_eq!(store.users().unwrap().len(), 5);
    let token = ApiToken::parse("vbk_kdv9u878fj6mkb9m9y6sk9tbyfsnc2ee").unwrap();
    assert_eq!(
        store
            .token(&token.hash())
            .unwrap()
            .unwrap()
            .provider
            .as_str(),
        "welzijn"
    );

    let settings = bank.settings().unwrap();
    assert_eq!(settings.municipality.name, "Gemeente Veenstede");
    assert!(!settings.goals.indicators.is_empty());
    assert!(store.measurement_count() > 0);
    assert!(!store.sessions().unwrap().is_empty());
    assert!(!store.rounds().unwrap().is_empty());

    // Records written before versions existed read as version 0, and the first change made from
    // that version is stored.
    let told_version = store.get_story_versioned(told.id).unwrap().unwrap().version;
    assert_eq!(told_version, 0);
    let round = store.rounds().unwrap()[0].id.clone();
    assert_eq!(store.round_versioned(&round).unwrap().unwrap().version, 0);
    let session = store.sessions().unwrap()[0].id.clone();
    assert_eq!(
        bank.change_session(&session, 0, |s| s.heard = Some("Gehoord.".to_string()))
            .unwrap(),
        Ok(1)
    );

    let found = bank
        .raw_index()
        .search(
            store,
            &SearchRequest::new("formaatproef", Scope::Municipality),
        )
        .unwrap();
    assert_eq!(found.total, 4);
}

#[test]
fn the_binary_searches_a_format_1_data_folder() {
    let copy = fixture_copy();
    let output = run(copy.path(), &["search", "formaatproef"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("4 stories"), "{}", text(&output));
}
