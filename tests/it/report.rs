//! The yearly accountability report on the demo municipality: through the router (the printable page and
//! its Markdown download) and through the binary (`report`). Quotes come only from stories whose teller
//! allowed public use; items retired after the year still count for it.

use axum::http::{StatusCode, header};
use verhalenbank::index::{Scope, SearchRequest};
use verhalenbank::story::{Consent, StoryId};

use super::support::{repo_root, run, text};
use super::web::TestApp;

/// The story ids the report quotes, from its "read the whole story" links inside quotes.
fn quoted(html: &str) -> Vec<StoryId> {
    html.split("class=\"report-quote")
        .skip(1)
        .filter_map(|part| {
            let link = part.split("href=\"/verhaal/").nth(1)?;
            StoryId::parse(link.split('"').next()?).ok()
        })
        .collect()
}

#[tokio::test]
async fn the_demo_report_for_2025_sets_figures_stories_and_interpretations_side_by_side() {
    let app = TestApp::demo();
    let (status, page) = app.get("/verantwoording").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Verantwoording 2025 – Gemeente Veenstede"),
        "the last full year"
    );
    assert_eq!(
        page.matches("class=\"report-goal\"").count(),
        4,
        "every goal"
    );
    assert!(page.contains("In één oogopslag"));
    assert!(page.contains("<svg"), "charts are drawn on the server");
    // The 2025 interpretation of the visitors figure in Noord, with the actions agreed in its session.
    assert!(page.contains("Duiding van 10 maart 2026"));
    assert!(page.contains("Telefoonketen voor bewoners die niet meer naar buiten kunnen"));

    // Quotes: only published stories told with public consent, and there are internal ones to leave out.
    let ids = quoted(&page);
    assert!(ids.len() >= 8, "quotes per subgoal: {}", ids.len());
    for id in &ids {
        let story = app.bank.raw_store().get_story(*id).unwrap().unwrap();
        assert_eq!(story.consent, Consent::Public, "{}", story.title);
        assert!(story.is_published(), "{}", story.title);
    }
    let mut internal = SearchRequest::new("year:2025 consent:internal", Scope::Municipality);
    internal.per_page = 1;
    let internal = app.bank.search(&internal).unwrap();
    assert!(internal.total > 0, "the demo has internal stories in 2025");
}

#[tokio::test]
async fn one_goal_in_one_area_and_its_markdown() {
    let app = TestApp::demo();
    let query = "jaar=2025&gebied=noord&doel=meedoen";
    let (status, page) = app.get(&format!("/verantwoording?{query}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(page.matches("class=\"report-goal\"").count(), 1);
    assert!(page.contains("Veenstede-Noord · Inwoners doen mee in de samenleving"));
    assert!(page.contains(&format!(
        "href=\"/verantwoording.md?{}\"",
        query.replace('&', "&#38;")
    )));

    let (status, headers, markdown) = app
        .send(
            axum::http::Request::get(format!("/verantwoording.md?{query}"))
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "text/markdown; charset=utf-8"
    );
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"verantwoording-2025-noord-meedoen.md\""
    );
    assert!(markdown.starts_with("# Verantwoording 2025 – Gemeente Veenstede\n"));
    assert!(markdown.contains("\n## Meedoen: Inwoners doen mee in de samenleving\n"));
    assert!(
        markdown.contains("\n#### Aantal unieke bezoekers van de koffie-inloop per kwartaal\n")
    );
    assert!(
        markdown.contains("| 2025 K4 | 176 personen |"),
        "{markdown}"
    );
    assert!(markdown.contains("\n> "), "quotes as block quotes");
    assert!(!markdown.contains("## Jong"), "other goals are left out");
}

#[tokio::test]
async fn an_item_retired_after_the_year_still_counts_for_it() {
    let app = TestApp::demo();
    app.login("analist").await;
    let (status, _, _) = app
        .post_form(
            "/doelenboom/indicator/bezoekers-koffie-inloop/status",
            &[("actie", "vervallen")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, report_2025) = app.get("/verantwoording?jaar=2025").await;
    assert!(report_2025.contains("Aantal unieke bezoekers van de koffie-inloop per kwartaal"));
    assert!(report_2025.contains("Vervallen sinds 23 november 2026"));
    let (_, report_2027) = app.get("/verantwoording?jaar=2027").await;
    assert!(!report_2027.contains("Aantal unieke bezoekers van de koffie-inloop per kwartaal"));
}

#[test]
fn the_report_command_writes_markdown() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let sample = repo_root().join("stories-sample");
    let output = run(&data, &["import", sample.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    let file = temp.path().join("verslag.md");
    let output = run(
        &data,
        &[
            "report",
            "--year",
            "2025",
            "--goal",
            "grip-op-bestaan",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    let markdown = std::fs::read_to_string(&file).unwrap();
    assert!(
        markdown.contains("## Werk en inkomen: Inwoners hebben grip op geld en een zinvolle dag")
    );

    let output = run(
        &data,
        &["report", "--year", "2025", "--goal", "bestaat-niet"],
    );
    assert!(!output.status.success());
    assert!(text(&output).contains("--goal bestaat-niet: expected a goal id from goals.toml"));
}
