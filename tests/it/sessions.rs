//! Storytelling sessions show the right figures, through the real router on the demo municipality: the
//! agenda links of a session page name its area by id and lead to that area's figures, an area that
//! does not exist is said so rather than widened to the whole municipality, and a past session's report
//! shows the figures as they stood on its date, so that figures and stories added later leave its text
//! unchanged.

use axum::http::StatusCode;
use verhalenbank::evidence::{Measurement, Period};
use verhalenbank::ids::{AreaId, IndicatorId, SubgoalId};

use super::web::TestApp;

/// The demo's past session: Veenstede-Noord on 10 March 2026 (the test app's today is 23 November 2026).
const PAST: &str = "/sessies/noord-2026-03";

/// Every `href` on a page that starts with `prefix`, with `&amp;` read back as `&`.
fn links(html: &str, prefix: &str) -> Vec<String> {
    html.split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|href| href.starts_with(prefix))
        .map(|href| href.replace("&amp;", "&"))
        .collect()
}

/// The agenda table of a session report, where its figures are.
fn agenda_table(report: &str) -> &str {
    let start = report
        .find("<table class=\"data\">")
        .expect("an agenda table");
    let end = start + report[start..].find("</table>").expect("the table ends");
    &report[start..end]
}

fn figure(indicator: &str, period: &str, area: Option<&str>, value: f64) -> Measurement {
    Measurement {
        indicator: IndicatorId::parse(indicator).unwrap(),
        period: period.parse::<Period>().unwrap(),
        area: area.map(|a| AreaId::parse(a).unwrap()),
        value,
        numerator: None,
        denominator: None,
        source: None,
    }
}

#[tokio::test]
async fn agenda_links_carry_the_area_id_and_open_that_areas_figures() {
    let app = TestApp::demo();
    app.login("begeleider").await;
    let (status, page) = app.get(PAST).await;
    assert_eq!(status, StatusCode::OK);
    let start = page.find("<h2>Op de agenda</h2>").expect("an agenda");
    let end = start
        + page[start..]
            .find("id=\"duiding\"")
            .expect("then the interpretation");
    let agenda = links(&page[start..end], "/indicator/");
    assert_eq!(agenda.len(), 3, "one link per agenda item: {agenda:?}");
    for href in &agenda {
        assert!(href.ends_with("?gebied=noord"), "the area's id: {href}");
    }
    let (_, report) = app.get(&format!("{PAST}/verslag")).await;
    assert_eq!(
        links(agenda_table(&report), "/indicator/"),
        agenda,
        "the report links the same way"
    );

    // The coffee mornings' link shows Veenstede-Noord's own figures, not the whole municipality's
    // (451 in 2026-Q3), and the area is chosen in the filter.
    let href = agenda
        .iter()
        .find(|href| href.starts_with("/indicator/bezoekers-koffie-inloop?"))
        .unwrap();
    let (status, evidence) = app.get(href).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        evidence.contains("<strong>188 personen</strong>")
            && !evidence.contains("<strong>451 personen</strong>"),
        "Veenstede-Noord's latest figure"
    );
    assert!(evidence.contains("<option value=\"noord\" selected>"));
    assert!(!evidence.contains("notice-problem"));
}

#[tokio::test]
async fn an_area_that_does_not_exist_is_said_so_not_widened() {
    let app = TestApp::demo();
    // The link sessions used to make, with the area's name instead of its id.
    for path in [
        "/indicator/bezoekers-koffie-inloop?gebied=Veenstede-Noord",
        "/indicator/bezoekers-koffie-inloop?gebied=atlantis",
        "/?gebied=Veenstede-Noord",
    ] {
        let (status, page) = app.get(path).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            page.contains("kennen we niet") && page.contains("hele gemeente"),
            "a notice on {path}"
        );
        assert!(
            page.contains("role=\"alert\""),
            "the notice is announced: {path}"
        );
    }
    let (status, page) = app.get("/?periode=vorig-jaar").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(page.contains("kunnen we niet lezen"));
    // The empty choice of the select is the whole municipality, asked for on purpose.
    let (status, page) = app.get("/?gebied=&periode=").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!page.contains("notice-problem"));

    // Downloads and the API refuse rather than widen.
    let (status, _) = app
        .get("/indicator/bezoekers-koffie-inloop/export.csv?gebied=atlantis")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, body) = app
        .get("/api/v1/indicators/bezoekers-koffie-inloop/evidence?gebied=atlantis")
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body.contains("area or period"), "{body}");
    let (status, _) = app
        .get("/api/v1/indicators/bezoekers-koffie-inloop/evidence?gebied=noord")
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn a_past_sessions_report_shows_the_figures_of_its_date_and_stays_the_same() {
    let app = TestApp::demo();
    app.login("begeleider").await;
    let (status, before) = app.get(&format!("{PAST}/verslag")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        before.contains(
            "Cijfers zoals ze waren op de datum van de sessie (10 maart 2026); latere cijfers staan er niet in."
        ),
        "the report says which date its figures are from"
    );
    let table = agenda_table(&before);
    // Veenstede-Noord's coffee mornings: 2026-Q1 began before 10 March; Q2 (184) and Q3 (188) after.
    assert!(table.contains("180"), "{table}");
    assert!(!table.contains("184") && !table.contains("188"), "{table}");
    let (_, board) = app.get(&format!("{PAST}/bord")).await;
    assert!(board.contains("Cijfers zoals ze waren op de datum van de sessie"));
    assert!(board.contains("<strong>180 personen</strong>") && !board.contains("188 personen"));

    // A year on: new figures for later periods and a story told after the session.
    app.bank
        .raw_store()
        .put_measurements(&[
            figure("bezoekers-koffie-inloop", "2026-Q4", Some("noord"), 777.0),
            figure("bezoekers-koffie-inloop", "2027-Q1", None, 778.0),
            figure("ervaren-meer-mensen-kennen", "2026-04", Some("noord"), 77.7),
        ])
        .unwrap();
    let mut later = verhalenbank::testing::story(
        "Later verteld",
        "Na de sessie ben ik ook naar de koffie-inloop gegaan.",
    );
    later.date = jiff::civil::date(2026, 6, 1);
    later.area = Some(AreaId::parse("noord").unwrap());
    later.subgoals = vec![SubgoalId::parse("sterker-netwerk").unwrap()];
    app.bank.submit(&later, None).unwrap();
    app.index();
    let (_, evidence) = app
        .get("/indicator/bezoekers-koffie-inloop?gebied=noord")
        .await;
    assert!(
        evidence.contains("<strong>777 personen</strong>"),
        "the later figure is in the bank"
    );
    let (_, found) = app.get("/zoeken?q=%22Later+verteld%22").await;
    assert!(
        found.contains("Later verteld"),
        "the later story is in the bank"
    );

    let (_, after) = app.get(&format!("{PAST}/verslag")).await;
    assert_eq!(before, after, "the report reads the same");
}

#[tokio::test]
async fn a_coming_session_shows_the_figures_of_today() {
    let app = TestApp::demo();
    app.login("begeleider").await;
    let (status, report) = app.get("/sessies/zuid-2026-12/verslag").await;
    assert_eq!(status, StatusCode::OK);
    assert!(!report.contains("Cijfers zoals ze waren"));
}
