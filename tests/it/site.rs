//! What every page has, through the real router on the demo municipality: the site's icon (also at
//! `/favicon.ico`, where browsers look for it on their own) and a description in the visitor's language.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use super::web::TestApp;

/// The content of the page's `<meta name="description">`, once.
fn description(html: &str) -> String {
    let marker = "<meta name=\"description\" content=\"";
    assert_eq!(html.matches(marker).count(), 1, "one description");
    let start = html.find(marker).unwrap() + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

#[tokio::test]
async fn the_icon_is_served_like_the_other_assets() {
    let app = TestApp::demo();
    for path in ["/static/favicon.svg", "/favicon.ico"] {
        let (status, headers, body) = app
            .send(Request::get(path).body(Body::empty()).unwrap())
            .await;
        assert_eq!(status, StatusCode::OK, "{path}");
        assert_eq!(headers[header::CONTENT_TYPE], "image/svg+xml", "{path}");
        assert_eq!(
            headers[header::CACHE_CONTROL],
            "public, max-age=3600",
            "{path}"
        );
        assert!(
            body.starts_with("<svg") && body.contains("</svg>"),
            "{path}"
        );
    }
    let (_, home) = app.get("/").await;
    assert!(home.contains(r#"<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">"#));
}

#[tokio::test]
async fn every_page_describes_itself_in_the_visitors_language() {
    let app = TestApp::demo();
    let (_, home) = app.get("/").await;
    assert!(description(&home).starts_with("Doelen en resultaten van Gemeente Veenstede"));
    let (_, _, english) = app
        .send(
            Request::get("/")
                .header(header::ACCEPT_LANGUAGE, "en")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(description(&english).starts_with("Goals and results of Gemeente Veenstede"));
    let (_, evidence) = app.get("/indicator/bezoekers-koffie-inloop").await;
    assert!(
        description(&evidence).starts_with("Aantal unieke bezoekers van de koffie-inloop"),
        "an indicator's page names it"
    );
    let (status, missing) = app.get("/bestaat-niet").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(!description(&missing).is_empty());
    for path in [
        "/zoeken",
        "/vertel",
        "/mijn-verhaal",
        "/s/nrd26m",
        "/inloggen",
    ] {
        let (_, page) = app.get(path).await;
        assert!(description(&page).len() > 40, "{path}");
    }
}

#[tokio::test]
async fn the_home_page_totals_are_not_a_paragraph_holding_a_block() {
    let app = TestApp::demo();
    let (_, home) = app.get("/").await;
    let start = home.find("class=\"totals\"").expect("the totals");
    let element = &home[..start];
    assert!(
        element.ends_with("<div "),
        "the totals hold the balance bar, a block, so they are a div"
    );
}
