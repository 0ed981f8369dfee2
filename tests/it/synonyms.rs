//! The synonyms list from end to end: the demo imports it, the command line, the pages and the API
//! search with it unless told not to and say which synonyms they used, it round-trips through export
//! and import byte for byte, and analysts change it on `/zoeken/synoniemen` (422 with the problems in
//! Dutch, 409 when someone else saved first, 403 for anyone else), which the audit log records.

use std::path::Path;

use axum::http::{StatusCode, header};
use verhalenbank::audit::Actor;

use super::support::{repo_root, run, text};
use super::web::TestApp;

/// `verhalenbank search QUERY --json` with `extra` flags, as JSON.
fn search(data: &Path, query: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec!["search", query, "--per-page", "100", "--json"];
    args.extend(extra);
    let output = run(data, &args);
    assert!(output.status.success(), "{query}: {}", text(&output));
    serde_json::from_slice(&output.stdout).expect("search prints JSON")
}

fn total(results: &serde_json::Value) -> u64 {
    results["total"].as_u64().expect("a total")
}

fn titles(results: &serde_json::Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["story"]["title"].as_str().unwrap().to_string())
        .collect()
}

fn used(results: &serde_json::Value) -> Vec<String> {
    results["synonyms_used"]
        .as_array()
        .expect("synonyms_used")
        .iter()
        .map(|word| word.as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_command_line_searches_with_the_demo_synonyms_and_they_round_trip() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let sample = repo_root().join("stories-sample");
    let output = run(&data, &["import", sample.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("imported the synonyms list ("),
        "{}",
        text(&output)
    );

    // "eenzaam" also finds what "alleen" finds, the stories that say "eenzaam" first.
    let plain = search(&data, "eenzaam", &["--no-synonyms"]);
    let eenzaam = search(&data, "eenzaam", &[]);
    let alleen = search(&data, "alleen", &[]);
    assert!(total(&eenzaam) >= total(&alleen), "{eenzaam} {alleen}");
    assert!(total(&eenzaam) > total(&plain));
    assert!(used(&plain).is_empty());
    let words = used(&eenzaam);
    assert!(
        words.contains(&"alleen".to_string()) && words.contains(&"geïsoleerd".to_string()),
        "{words:?}"
    );
    // The stories the word finds come first; among those found by a tag alone, a synonym in the
    // text may change the order.
    let first = titles(&plain);
    let with_synonyms = titles(&eenzaam);
    assert_eq!(
        with_synonyms[..first.len()]
            .iter()
            .collect::<std::collections::BTreeSet<_>>(),
        first.iter().collect::<std::collections::BTreeSet<_>>(),
        "the word first"
    );
    // The notice in the text output too.
    let output = run(&data, &["search", "schulden"]);
    assert!(
        text(&output).contains("also searched for: geldzorgen"),
        "{}",
        text(&output)
    );

    // Export writes the file as imported; importing that gives the same list again.
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
    let original = std::fs::read(sample.join("synonyms.toml")).unwrap();
    assert_eq!(std::fs::read(out.join("synonyms.toml")).unwrap(), original);
    let again = temp.path().join("again");
    let output = run(&again, &["import", out.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    let store = verhalenbank::store::Store::open(&again.join("store")).unwrap();
    assert_eq!(
        store.synonyms().unwrap().unwrap().item.as_bytes(),
        original.as_slice()
    );
}

#[test]
fn a_list_with_problems_is_not_imported_and_says_where() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("in");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("synonyms.toml"),
        "[[groep]]\nwoorden = [\"eenzaam\", \"alleen\"]\n\n[[groep]]\nwoorden = [\"alleen\", \"solo\"]\nsoort = 1\n",
    )
    .unwrap();
    let data = temp.path().join("data");
    let output = run(&data, &["import", folder.to_str().unwrap()]);
    assert!(!output.status.success());
    let said = text(&output);
    assert!(
        said.contains("synonyms.toml:6: field soort: group 2: unknown key"),
        "{said}"
    );
    let store = verhalenbank::store::Store::open(&data.join("store")).unwrap();
    assert_eq!(store.synonyms().unwrap(), None);
}

#[tokio::test]
async fn the_search_page_and_the_api_say_which_synonyms_they_used() {
    let app = TestApp::demo();
    let (status, page) = app.get("/zoeken?q=eenzaam").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Ook gezocht op: alleen, geïsoleerd"),
        "the notice"
    );
    assert!(page.contains(r#"name="synoniemen" value="aan" checked"#));
    assert!(page.contains("<mark>alleen</mark>") || page.contains("<mark>Alleen</mark>"));
    let count = |page: &str| {
        let start = page.find(r#"<h2 id="resultaten">"#).unwrap();
        page[start..].split('<').nth(1).unwrap().to_string()
    };
    let (_, off) = app.get("/zoeken?q=eenzaam&synoniemen=uit").await;
    assert!(!off.contains("Ook gezocht op"));
    assert!(!off.contains(r#"value="aan" checked"#));
    assert_ne!(count(&page), count(&off));
    // The checkbox ticked sends both values; a link without any searches with synonyms.
    let (_, ticked) = app
        .get("/zoeken?q=eenzaam&synoniemen=uit&synoniemen=aan")
        .await;
    assert_eq!(count(&ticked), count(&page));
    assert!(
        !page.contains("/zoeken/synoniemen\""),
        "no link for the public"
    );

    // The evidence page's search box likewise.
    let (_, evidence) = app
        .get("/indicator/bezoekers-koffie-inloop?q=eenzaam")
        .await;
    assert!(evidence.contains("Ook gezocht op: alleen"), "evidence");
    let (_, evidence_off) = app
        .get("/indicator/bezoekers-koffie-inloop?q=eenzaam&synoniemen=uit")
        .await;
    assert!(!evidence_off.contains("Ook gezocht op"));

    let json = |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap();
    let (status, on) = app.get("/api/v1/stories?q=eenzaam").await;
    assert_eq!(status, StatusCode::OK);
    let on = json(&on);
    assert!(used(&on).contains(&"alleen".to_string()));
    let (_, off) = app.get("/api/v1/stories?q=eenzaam&synoniemen=uit").await;
    let off = json(&off);
    assert!(used(&off).is_empty());
    assert!(total(&on) > total(&off));
    for path in [
        "/api/v1/stories?q=eenzaam&synoniemen=ja",
        "/api/v1/indicators/bezoekers-koffie-inloop/evidence?q=eenzaam&synoniemen=1",
    ] {
        let (status, body) = app.get(path).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{path}: {body}");
    }
    let (status, body) = app
        .get("/api/v1/indicators/bezoekers-koffie-inloop/evidence?q=eenzaam&synoniemen=uit")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(used(&json(&body)["within"]).is_empty());
    let (_, body) = app
        .get("/api/v1/indicators/bezoekers-koffie-inloop/evidence?q=eenzaam")
        .await;
    assert!(used(&json(&body)["within"]).contains(&"alleen".to_string()));
}

#[tokio::test]
async fn analysts_change_the_list_on_its_page() {
    let app = TestApp::demo();
    app.login("buurtwerk").await;
    let (status, _) = app.get("/zoeken/synoniemen").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    app.login("analist").await;
    let (status, page) = app.get("/zoeken/synoniemen").await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("geïsoleerd"), "the list in the box");
    let (_, search) = app.get("/zoeken?q=eenzaam").await;
    assert!(
        search.contains(r#"href="/zoeken/synoniemen""#),
        "a link for analysts"
    );
    // Gathering stories into a round searches with synonyms too.
    let (status, gather) = app
        .get("/rondes/minder-alleen-2025/verzamelen?q=eenzaam")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(gather.contains("Ook gezocht op: alleen"), "round gathering");
    let (_, gather) = app
        .get("/rondes/minder-alleen-2025/verzamelen?q=eenzaam&synoniemen=uit")
        .await;
    assert!(!gather.contains("Ook gezocht op"));
    let version = app.version_on("/zoeken/synoniemen").await;

    // Problems come back at the field, in Dutch, and nothing is stored.
    let wrong = "[[groep]]\nwoorden = [\"eenzaam\", \"alleen\"]\n[[groep]]\nwoorden = [\"alleen\", \"solo\"]\n";
    let (status, _, page) = app
        .post_form(
            "/zoeken/synoniemen",
            &[("inhoud", wrong), ("versie", &version)],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains(
            "regel 4, groep 2, veld woorden, “alleen”: dit woord staat al in groep 1; een woord mag in één groep staan"
        ),
        "{page}"
    );
    assert!(page.contains(r#"aria-invalid="true""#));
    assert_eq!(app.bank.synonyms().unwrap().version.to_string(), version);

    // A good list is saved and searched with at once.
    let list = "# eigen lijst\r\n[[groep]]\r\nwoorden = [\"koffie\", \"bakkie\"]\r\n";
    let (status, headers, _) = app
        .post_form(
            "/zoeken/synoniemen",
            &[("inhoud", list), ("versie", &version)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers[header::LOCATION].to_str().unwrap().to_string();
    let (_, saved) = app.get(&location).await;
    assert!(saved.contains("Er staan nu 1 groepen in"), "{saved}");
    let stored = app.bank.synonyms().unwrap();
    assert_eq!(stored.item, list.replace("\r\n", "\n"));
    let (_, search) = app.get("/zoeken?q=bakkie").await;
    assert!(search.contains("Ook gezocht op: koffie"));
    let (_, search) = app.get("/zoeken?q=eenzaam").await;
    assert!(!search.contains("Ook gezocht op"));

    // A save from the version before that one is refused; both texts are shown.
    let (status, _, page) = app
        .post_form(
            "/zoeken/synoniemen",
            &[
                ("inhoud", "[[groep]]\nwoorden = [\"a\", \"b\"]\n"),
                ("versie", &version),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("Iemand anders heeft de lijst intussen veranderd"));
    assert!(page.contains("bakkie"), "the list as it is now");
    assert_eq!(app.bank.synonyms().unwrap(), stored);

    // The audit log has the change, by whom, and none of the words.
    let entries = app.bank.raw_store().audit_entries(0, 1000).unwrap();
    let analist = Actor::User(verhalenbank::ids::UserName::parse("analist").unwrap());
    let changes: Vec<_> = entries
        .iter()
        .filter(|entry| entry.action == "synonyms.changed")
        .collect();
    assert!(
        changes
            .iter()
            .any(|entry| entry.actor == analist && entry.status == 303)
    );
    assert!(changes.iter().any(|entry| entry.status == 409));
    let logged = format!("{entries:?}");
    assert!(!logged.contains("bakkie"));
}
