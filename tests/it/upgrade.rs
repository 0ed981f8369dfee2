//! The data folders of older store formats, kept in `tests/fixtures/data-format-N/`, still open with
//! everything in it: stories, receipt codes, accounts and their passwords, API tokens, figures,
//! sessions, rounds, photos, erasures and the search index. A later format change must migrate them
//! (tests/fixtures/README.md).

use verhalenbank::bank::{Bank, DEMO_PASSWORD};
use verhalenbank::config::Config;
use verhalenbank::ids::UserName;
use verhalenbank::index::{Scope, SearchRequest};
use verhalenbank::story::receipt::ReceiptCode;
use verhalenbank::tokens::ApiToken;

use super::support::{read_tree, repo_root, run, text};

/// A copy of a fixture, so opening it (which may write) never changes the one in the repository.
fn fixture_copy(name: &str) -> tempfile::TempDir {
    let copy = tempfile::tempdir().unwrap();
    let source = repo_root().join("tests/fixtures").join(name);
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
    let copy = fixture_copy("data-format-1");
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

    the_analyst_and_the_token_still_work(store, "vbk_kdv9u878fj6mkb9m9y6sk9tbyfsnc2ee");
    assert_eq!(store.users().unwrap().len(), 5);

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
    let copy = fixture_copy("data-format-1");
    let output = run(copy.path(), &["search", "formaatproef"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("4 stories"), "{}", text(&output));
}

#[test]
fn a_format_2_data_folder_opens_migrated_with_everything_in_it() {
    let copy = fixture_copy("data-format-2");
    // Format 2 wrote story records as plain JSON: the told stories' word is in the store's file.
    let store_folder = copy.path().join("store");
    assert!(!plainly_holding(&store_folder, b"formaatproef").is_empty());

    let bank = Bank::open(&Config::new(copy.path())).unwrap();
    let store = bank.raw_store();
    assert_eq!(
        verhalenbank::store::format_of(store).unwrap(),
        Some(verhalenbank::store::FORMAT_VERSION)
    );
    assert_eq!(verhalenbank::store::FORMAT_VERSION, 3);
    assert_eq!(store.story_count(), 102, "99 demo stories and 3 told ones");
    assert!(store.stories().all(|story| story.is_ok()));

    let told = |code: &str| {
        let code = ReceiptCode::parse(code).unwrap();
        store.story_by_receipt(&code.hash()).unwrap()
    };
    let with_photo = told("39A5-QFSD-78YG-Z6AD").unwrap();
    assert_eq!(with_photo.title, "Vaste proef voor het opslagformaat");
    assert!(with_photo.text.as_str().contains("buurtkamer"));
    let media = bank.media_of(with_photo.id).unwrap();
    assert_eq!(media.photos.len(), 1);
    assert_eq!(media.photos[0].alt, "Een oranje vlak");
    let answered = told("BREX-8WTW-T97T-W2TY").unwrap();
    assert_eq!(answered.answers.len(), 1);
    assert!(told("3PRU-JHTU-9P85-5HGQ").is_some());
    // The withdrawn story stays erased: no code, no record, one entry in the ledger.
    assert!(told("4EB6-YSYR-H8YZ-CP33").is_none());
    assert_eq!(store.erasures().unwrap().len(), 1);
    assert!(store.is_erased(store.erasures().unwrap()[0].story).unwrap());

    // The migration rewrote the store with every story record compressed: the word is no longer
    // in any file of the store as it is, only inside its compressed records.
    assert_eq!(
        plainly_holding(&store_folder, b"formaatproef"),
        Vec::<String>::new()
    );
    assert!(!verhalenbank::testing::files_holding(&store_folder, b"formaatproef").is_empty());

    the_analyst_and_the_token_still_work(store, "vbk_eksmbx435wd9qsrfv4xcrghjacu63znp");
    assert!(store.measurement_count() > 0);

    let search = || {
        bank.raw_index()
            .search(
                store,
                &SearchRequest::new("formaatproef", Scope::Municipality),
            )
            .unwrap()
            .total
    };
    assert_eq!(search(), 3);
    // The index rebuilds from the migrated store.
    bank.raw_index().rebuild(store).unwrap();
    assert_eq!(search(), 3);
}

#[test]
fn the_binary_searches_a_format_2_data_folder() {
    let copy = fixture_copy("data-format-2");
    let output = run(copy.path(), &["search", "formaatproef"]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(text(&output).contains("3 stories"), "{}", text(&output));
}

/// The files under `dir` whose bytes hold `needle` as they are, not unpacked.
fn plainly_holding(dir: &std::path::Path, needle: &[u8]) -> Vec<String> {
    read_tree(dir)
        .into_iter()
        .filter(|(_, bytes)| bytes.windows(needle.len()).any(|window| window == needle))
        .map(|(path, _)| path.display().to_string())
        .collect()
}

#[test]
fn a_backup_of_format_2_restores_into_a_migrated_bank() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let file = repo_root().join("tests/fixtures/backup-format-2.backup");
    let output = run(&data, &["restore", file.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("restored 102 stories"),
        "{}",
        text(&output)
    );

    let bank = Bank::open(&Config::new(&data)).unwrap();
    let store = bank.raw_store();
    assert_eq!(
        verhalenbank::store::format_of(store).unwrap(),
        Some(verhalenbank::store::FORMAT_VERSION)
    );
    assert_eq!(store.story_count(), 102);
    let code = ReceiptCode::parse("39A5-QFSD-78YG-Z6AD").unwrap();
    let told = store.story_by_receipt(&code.hash()).unwrap().unwrap();
    assert_eq!(bank.media_of(told.id).unwrap().photos.len(), 1);
    assert_eq!(
        plainly_holding(&data.join("store"), b"formaatproef"),
        Vec::<String>::new()
    );
    let found = bank
        .raw_index()
        .search(
            store,
            &SearchRequest::new("formaatproef", Scope::Municipality),
        )
        .unwrap();
    assert_eq!(found.total, 3);
}

/// The demo analyst still logs in with the demo password, and the fixture's API token still
/// submits for its provider.
fn the_analyst_and_the_token_still_work(store: &verhalenbank::store::Store, token: &str) {
    let analyst = store
        .user(&UserName::parse("analist").unwrap())
        .unwrap()
        .unwrap();
    assert!(analyst.password.verify(DEMO_PASSWORD));
    let token = ApiToken::parse(token).unwrap();
    assert_eq!(
        store
            .token(&token.hash())
            .unwrap()
            .unwrap()
            .provider
            .as_str(),
        "welzijn"
    );
}
