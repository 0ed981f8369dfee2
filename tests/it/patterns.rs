//! Patterns in the tellers' answers: answers as search filters on the search page and in the API,
//! and the pattern page `/patronen`, which counts only the stories its visitor may see.

use axum::http::StatusCode;

use super::web::TestApp;

/// The total the API reports for a query string.
async fn api_total(app: &TestApp, query: &str) -> (StatusCode, u64) {
    let (status, body) = app.get(&format!("/api/v1/stories?{query}")).await;
    let total = serde_json::from_str::<serde_json::Value>(&body)
        .ok()
        .and_then(|json| json["total"].as_u64())
        .unwrap_or(0);
    (status, total)
}

#[tokio::test]
async fn answers_filter_the_search_page_and_the_api() {
    let app = TestApp::demo();
    let (status, page) = app.get("/zoeken").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Hoe voelde u zich in dit verhaal?"),
        "a facet per question"
    );
    assert!(
        page.contains("name=\"answer\" value=\"gevoel=opgelucht\""),
        "options as filters"
    );
    assert!(
        page.contains("name=\"answer\" value=\"alleen-of-samen=81-100\""),
        "slider bands as filters"
    );

    let (status, all) = api_total(&app, "").await;
    assert_eq!(status, StatusCode::OK);
    let (_, relieved) = api_total(&app, "answer=gevoel%3Dopgelucht").await;
    let (_, together) = api_total(&app, "answer=alleen-of-samen%3D81-100").await;
    let (_, both) = api_total(
        &app,
        "answer=gevoel%3Dopgelucht&answer=alleen-of-samen%3D81-100",
    )
    .await;
    let (_, either) = api_total(&app, "answer=gevoel%3Dopgelucht&answer=gevoel%3Dblij").await;
    assert!(
        relieved > 0 && together > 0 && relieved < all,
        "{relieved} {together} {all}"
    );
    assert!(
        both <= relieved.min(together),
        "different questions must all match"
    );
    assert!(either > relieved, "one question's values are alternatives");

    // The page finds what the API finds, and names the chosen answer.
    let (_, page) = app.get("/zoeken?answer=gevoel%3Dopgelucht").await;
    assert!(page.contains(&format!("{relieved} verhal")), "{relieved}");
    assert!(
        page.contains("Welk woord past het best bij uw verhaal?: Opgelucht"),
        "the chosen filter in words"
    );

    // The API knows the filter's values and refuses others.
    let (status, _) = api_total(&app, "answer=gevoel%3Dbestaat-niet").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (_, document) = app.get("/api/v1/openapi.json").await;
    let document: serde_json::Value = serde_json::from_str(&document).unwrap();
    let parameter = document["paths"]["/api/v1/stories"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "answer")
        .unwrap()
        .clone();
    let values = parameter["schema"]["enum"].as_array().unwrap();
    assert!(values.contains(&serde_json::json!("gevoel=opgelucht")));
    assert!(values.contains(&serde_json::json!("alleen-of-samen=weet-niet")));
}
