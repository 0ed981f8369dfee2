//! A search counts only the facets its caller asks for: the API's `facets` parameter and the command
//! line's `--facets` name them (every one by default), the answer says which were counted, an unknown
//! name is refused with the names accepted, and a search that counts none says whether its total is
//! exact: it is below the index's limit, and estimated above it.

use axum::http::StatusCode;

use super::support::{repo_root, run, text};
use super::web::TestApp;

/// A word many demo stories hold.
const WORD: &str = "buurt";

async fn stories(app: &TestApp, query: &str) -> serde_json::Value {
    let (status, body) = app.get(&format!("/api/v1/stories?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    serde_json::from_str(&body).unwrap()
}

fn keys(value: &serde_json::Value) -> Vec<String> {
    value.as_object().unwrap().keys().cloned().collect()
}

/// The names in a list, in alphabetical order.
fn names(value: &serde_json::Value) -> Vec<String> {
    let mut names: Vec<String> = value
        .as_array()
        .unwrap()
        .iter()
        .map(|name| name.as_str().unwrap().to_string())
        .collect();
    names.sort();
    names
}

/// The hits' scores in order (stories that score the same may come in either order).
fn scores(results: &serde_json::Value) -> Vec<f64> {
    let scores: Vec<f64> = results["hits"]
        .as_array()
        .unwrap()
        .iter()
        .map(|hit| hit["score"].as_f64().unwrap())
        .collect();
    assert!(!scores.is_empty());
    scores
}

#[tokio::test]
async fn the_api_counts_the_facets_asked_for_and_says_which() {
    let app = TestApp::demo();
    let all = stories(&app, &format!("q={WORD}")).await;
    assert!(all["total_exact"].as_bool().unwrap());
    let counted = names(&all["facets_counted"]);
    assert!(counted.contains(&"area".to_string()) && counted.contains(&"tag".to_string()));
    assert_eq!(keys(&all["facets"]), counted);
    assert_eq!(
        stories(&app, &format!("q={WORD}&facets=all")).await["facets_counted"],
        all["facets_counted"]
    );

    let two = stories(&app, &format!("q={WORD}&facets=valence,area")).await;
    assert_eq!(names(&two["facets_counted"]), ["area", "valence"]);
    assert_eq!(keys(&two["facets"]), ["area", "valence"]);
    assert_eq!(two["facets"]["valence"], all["facets"]["valence"]);
    assert_eq!(two["total"], all["total"]);
    assert!(two["total_exact"].as_bool().unwrap());

    for none in ["none", ""] {
        let bare = stories(&app, &format!("q={WORD}&facets={none}")).await;
        assert_eq!(bare["facets"], serde_json::json!({}), "facets={none}");
        assert_eq!(bare["facets_counted"], serde_json::json!([]));
        assert_eq!(bare["total"], all["total"]);
        assert!(bare["total_exact"].as_bool().unwrap());
        assert_eq!(scores(&bare), scores(&all), "the same page of hits");
    }
}

#[tokio::test]
async fn an_unknown_facet_is_refused_with_the_names_accepted() {
    let app = TestApp::demo();
    let (status, body) = app
        .get(&format!("/api/v1/stories?q={WORD}&facets=area,kleur"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body.contains("kleur"), "{body}");
    assert!(
        body.contains("all, none") && body.contains("valence") && body.contains("area"),
        "{body}"
    );
}

#[tokio::test]
async fn without_facets_the_total_is_exact_below_the_limit_and_estimated_above() {
    let app = TestApp::demo();
    let exact = stories(&app, &format!("q={WORD}&facets=area")).await;
    let total = exact["total"].as_u64().unwrap();
    assert!(total >= 10, "enough stories say {WORD}: {total}");

    app.bank.set_exact_total_up_to(total as usize + 1);
    let below = stories(&app, &format!("q={WORD}&facets=none")).await;
    assert_eq!(below["total"], total);
    assert!(below["total_exact"].as_bool().unwrap());

    app.bank.set_exact_total_up_to(2);
    let above = stories(&app, &format!("q={WORD}&facets=none")).await;
    assert!(!above["total_exact"].as_bool().unwrap(), "{above}");
    assert!(above["total"].as_u64().unwrap() >= 2);
    assert_eq!(scores(&above), scores(&below), "the same page of hits");
    // Counting facets still counts every match exactly, whatever the limit.
    let counted = stories(&app, &format!("q={WORD}&facets=area")).await;
    assert_eq!(counted["total"], total);
    assert!(counted["total_exact"].as_bool().unwrap());
    // Ordered by date every match is visited anyway, so the total stays exact.
    let newest = stories(&app, &format!("q={WORD}&facets=none&sorteer=nieuw")).await;
    assert_eq!(newest["total"], total);
    assert!(newest["total_exact"].as_bool().unwrap());
}

#[test]
fn the_command_line_counts_the_facets_asked_for() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let sample = repo_root().join("stories-sample");
    let output = run(&data, &["import", sample.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));

    let json = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec!["search", WORD, "--json"];
        args.extend(extra);
        let output = run(&data, &args);
        assert!(output.status.success(), "{extra:?}: {}", text(&output));
        serde_json::from_slice(&output.stdout).unwrap()
    };
    let all = json(&[]);
    assert!(names(&all["facets_counted"]).contains(&"provider".to_string()));
    let two = json(&["--facets", "tag,teller"]);
    assert_eq!(names(&two["facets_counted"]), ["tag", "teller"]);
    assert_eq!(keys(&two["facets"]), ["tag", "teller"]);
    let none = json(&["--facets", "none"]);
    assert_eq!(none["facets"], serde_json::json!({}));
    assert_eq!(none["total"], all["total"]);
    assert_eq!(none["total_exact"], true);

    let output = run(&data, &["search", WORD, "--facets", "kleur"]);
    assert!(!output.status.success());
    assert!(
        text(&output).contains("\"kleur\" is not a facet"),
        "{}",
        text(&output)
    );
}
