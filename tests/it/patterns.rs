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

/// How many stories the search page finds for a query string, as it says above its results.
async fn search_total(app: &TestApp, query: &str) -> u64 {
    let (status, page) = app.get(&format!("/zoeken?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}");
    let heading = page
        .split("<h2 id=\"resultaten\">")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .unwrap_or_else(|| panic!("a result count for {query}"));
    heading.replace('.', "").parse().unwrap()
}

/// Every count in the tables of a page that links to the search page, with its link made plain:
/// (query string after `/zoeken?`, count).
fn counted_links(page: &str) -> Vec<(String, u64)> {
    let link = regex::Regex::new(r#"<td[^>]*><a href="/zoeken\?([^"]*)">(\d+)</a></td>"#).unwrap();
    link.captures_iter(page)
        .map(|found| {
            (
                found[1].replace("&#38;", "&").replace("&amp;", "&"),
                found[2].parse().unwrap(),
            )
        })
        .collect()
}

#[tokio::test]
async fn the_pattern_page_counts_what_the_search_finds() {
    let app = TestApp::demo();
    let (status, page) = app.get("/patronen").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<svg class=\"chart stacked\""),
        "bars per group"
    );
    assert!(
        page.contains("<svg class=\"chart scatter\""),
        "two sliders as points"
    );
    assert!(
        page.matches("<table class=\"data matrix patterns\">")
            .count()
            >= 3
    );
    assert!(
        page.contains("Chi-kwadraattoets: X² = ") && page.contains("Cramér"),
        "the test's figures"
    );
    assert!(
        page.contains("door toeval ontstaan (p &#60; 0,001)")
            || page.contains("door toeval ontstaan (p = 0,"),
        "the p-value explained in words"
    );

    // Each number opens exactly the stories it counts: the search (here its API, which reads the same
    // query string) finds as many.
    let links = counted_links(&page);
    assert!(links.len() > 30, "{}", links.len());
    for (query, count) in &links {
        assert_eq!(search_total(&app, query).await, *count, "{query}");
    }

    // Two choice questions crossed, and a question by teller role, as chosen in the forms.
    let (_, crossed) = app
        .get("/patronen?vraag=gevoel&groep=teller&rij=wie-hielp&kolom=gevoel")
        .await;
    assert!(crossed.contains("Wie maakte het meeste verschil? (rijen) en Welk woord past het best bij uw verhaal? (kolommen)"));
    assert!(crossed.contains("<option value=\"teller\" selected>"));
    for (query, count) in counted_links(&crossed) {
        assert_eq!(search_total(&app, &query).await, count, "{query}");
    }
}

#[tokio::test]
async fn public_patterns_leave_out_small_groups_that_staff_see() {
    let app = TestApp::demo();
    // Per provider, the public page shows no group of fewer than five answering stories.
    let row_totals = |page: &str| -> Vec<(String, u64)> {
        let row = regex::Regex::new(
            r#"<tr><th scope="row">([^<]+)</th>.*?<td class="total">(?:<a href="[^"]*">)?(\d+)"#,
        )
        .unwrap();
        let table = page.split("<tbody>").nth(1).unwrap_or("");
        let table = table.split("</tbody>").next().unwrap_or("");
        row.captures_iter(table)
            .map(|found| (found[1].to_string(), found[2].parse().unwrap()))
            .collect()
    };
    let (_, public) = app.get("/patronen?vraag=gevoel&groep=provider").await;
    let shown = row_totals(&public);
    assert!(!shown.is_empty());
    for (group, total) in &shown {
        assert!(*total >= 5, "{group} has {total} stories on a public page");
    }
    // The public page counts only what the public may see: published stories with public consent.
    let counted = |page: &str| -> u64 {
        page.split("Geteld: ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .unwrap()
            .replace('.', "")
            .parse()
            .unwrap()
    };
    let public_count = counted(&public);
    assert_eq!(public_count, search_total(&app, "").await);
    app.login("analist").await;
    let (_, staff) = app.get("/patronen?vraag=gevoel&groep=provider").await;
    let all = row_totals(&staff);
    assert!(
        all.len() > shown.len(),
        "staff see every provider: {all:?} against {shown:?}"
    );
    assert!(
        counted(&staff) > public_count,
        "internal and unpublished stories count for staff only"
    );
    assert!(
        public.contains("staat daarom niet in de tabel")
            || public.contains("staan daarom niet in de tabel"),
        "the public page says groups were left out"
    );
    assert!(!staff.contains("daarom niet in de tabel"));
}

#[tokio::test]
async fn a_rounds_analysis_shows_the_patterns_of_its_stories() {
    let app = TestApp::demo();
    app.login("analist").await;
    let (_, page) = app.get("/rondes/minder-alleen-2025").await;
    let section = page
        .split("id=\"patronen\"")
        .nth(1)
        .expect("a patterns section")
        .split("id=\"betekenisvol\"")
        .next()
        .unwrap();
    assert!(section.contains("href=\"/patronen?round=minder-alleen-2025\""));
    let links = counted_links(section);
    assert!(!links.is_empty());
    for (query, count) in links {
        assert!(query.starts_with("round=minder-alleen-2025&"), "{query}");
        assert_eq!(search_total(&app, &query).await, count, "{query}");
    }
    // The pattern page for the round counts only its stories.
    let (_, round) = app.get("/patronen?round=minder-alleen-2025").await;
    assert!(
        round.contains("Geteld: 15 verhalen."),
        "the round's 15 stories"
    );
}
