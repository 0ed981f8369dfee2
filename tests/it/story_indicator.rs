//! A story may name the indicator it speaks to, in every way stories come in (the resident form, the
//! provider form, the API, story files and spreadsheets), and an indicator's evidence page shows the
//! stories closest to it first: those naming it, then those about the activity it counts, then those
//! with its words, and says so.

use axum::http::StatusCode;
use verhalenbank::ids::{ActivityId, IndicatorId, SubgoalId};
use verhalenbank::story::StoryId;

use super::web::TestApp;

const REACH: &str = "/indicator/bezoekers-koffie-inloop";

/// The stories the evidence page shows in its told column, in order.
fn shown(page: &str) -> Vec<StoryId> {
    let told = page
        .split("id=\"vertellen\"")
        .nth(1)
        .expect("a told column");
    let told = told.split("class=\"search-within\"").next().unwrap();
    told.split("href=\"/verhaal/")
        .skip(1)
        .filter_map(|part| StoryId::parse(part.split('"').next()?).ok())
        .fold(Vec::new(), |mut ids, id| {
            if !ids.contains(&id) {
                ids.push(id);
            }
            ids
        })
}

#[tokio::test]
async fn the_koffie_inloop_reach_page_opens_with_a_story_about_the_koffie_inloop() {
    let app = TestApp::demo();
    let (status, page) = app.get(REACH).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(
        "Eerst verhalen over deze indicator, daarna verhalen over Koffie-inloop in het buurthuis"
    ));
    let ids = shown(&page);
    assert!(ids.len() >= 3, "{ids:?}");
    let koffie = ActivityId::parse("koffie-inloop").unwrap();
    let reach = IndicatorId::parse("bezoekers-koffie-inloop").unwrap();
    let first = app.bank.raw_store().get_story(ids[0]).unwrap().unwrap();
    assert!(
        first.indicator.as_ref() == Some(&reach) || first.activity.as_ref() == Some(&koffie),
        "opens with {:?} ({:?})",
        first.title,
        first.activity
    );
    assert_ne!(
        first.activity.as_ref().map(|a| a.as_str()),
        Some("huisbezoek-75plus"),
        "not a home visit"
    );
}

#[tokio::test]
async fn a_story_named_for_an_indicator_comes_first_on_its_page() {
    let app = TestApp::demo();
    app.login("buurtwerk").await;
    let fields = [
        ("titel", "Nieuwe gezichten aan tafel"),
        (
            "verhaal",
            "Elke dinsdag zie ik nieuwe gezichten aan de lange tafel. Iemand nam haar zus mee.",
        ),
        ("datum", "2026-11-20"),
        ("rol", "professional"),
        ("gevoel", "mixed"),
        ("toestemming", "public"),
        ("aanbieder", "buurtwerk"),
        ("activiteit", "buurtmaaltijd"),
        ("gebied", "de-hoven"),
        ("indicator", "bezoekers-koffie-inloop"),
        ("tags", ""),
    ];
    let (status, _, body) = app.post_form("/aanbieder/verhaal", &fields).await;
    assert!(
        status.is_success() || status.is_redirection(),
        "{status} {body}"
    );
    let story = app
        .bank
        .raw_store()
        .stories()
        .map(Result::unwrap)
        .find(|s| s.title == "Nieuwe gezichten aan tafel")
        .expect("stored");
    assert_eq!(
        story.indicator.as_ref().map(|i| i.as_str()),
        Some("bezoekers-koffie-inloop")
    );
    assert!(
        story
            .subgoals
            .contains(&SubgoalId::parse("sterker-netwerk").unwrap()),
        "the indicator's subgoal comes with it"
    );
    // Published by a moderator, it leads the indicator's page.
    let mut published = story.clone();
    published.moderation = verhalenbank::story::Moderation::Published;
    app.bank.raw_store().put_stories(&[published]).unwrap();
    app.index();
    app.logout_locally();
    let (_, page) = app.get(REACH).await;
    let ids = shown(&page);
    let at = ids
        .iter()
        .position(|id| *id == story.id)
        .expect("the named story is shown");
    let reach = IndicatorId::parse("bezoekers-koffie-inloop").unwrap();
    for id in &ids[..at] {
        let before = app.bank.raw_store().get_story(*id).unwrap().unwrap();
        assert_eq!(
            before.indicator.as_ref(),
            Some(&reach),
            "only stories naming the indicator come before it: {}",
            before.title
        );
    }
}

#[tokio::test]
async fn a_resident_may_name_the_indicator_their_story_speaks_to() {
    let app = TestApp::demo();
    let (_, form) = app.get("/vertel").await;
    assert!(form.contains("<select id=\"indicator\" name=\"indicator\""));
    assert!(form.contains("value=\"bezoekers-koffie-inloop\""));
    let (status, _, body) = app
        .post_form(
            "/vertel",
            &[
                (
                    "verhaal",
                    "Door de koffie-inloop ken ik nu drie mensen uit mijn straat.",
                ),
                ("gevoel", "positive"),
                ("toestemming", "public"),
                ("indicator", "bezoekers-koffie-inloop"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let story = app
        .bank
        .raw_store()
        .stories()
        .map(Result::unwrap)
        .find(|s| s.text.as_str().contains("drie mensen uit mijn straat"))
        .unwrap();
    assert_eq!(
        story.indicator.as_ref().map(|i| i.as_str()),
        Some("bezoekers-koffie-inloop")
    );
    assert_eq!(
        story.subgoals,
        [SubgoalId::parse("sterker-netwerk").unwrap()]
    );

    let (status, _, _) = app
        .post_form(
            "/vertel",
            &[
                (
                    "verhaal",
                    "Een verhaal met een indicator die niet bestaat hier.",
                ),
                ("gevoel", "positive"),
                ("toestemming", "public"),
                ("indicator", "bestaat-niet"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_api_takes_the_indicator_as_one_of_the_banks_ids() {
    let app = TestApp::demo();
    let (_, doc) = app.get("/api/v1/openapi.json").await;
    let doc: serde_json::Value = serde_json::from_str(&doc).unwrap();
    let values = doc["components"]["schemas"]["NewStory"]["properties"]["indicator"]["enum"]
        .as_array()
        .unwrap()
        .clone();
    assert!(values.contains(&serde_json::json!("bezoekers-koffie-inloop")));
    assert!(values.contains(&serde_json::Value::Null));

    let token = app.make_token("buurtwerk");
    app.use_token(Some(&token));
    let story = |indicator: &str| {
        serde_json::json!({
            "title": "Koffie en een praatje",
            "teller": "resident",
            "valence": "positive",
            "consent": "public",
            "text": "Bij de koffie-inloop maakte ik een praatje met de buurman.",
            "indicator": indicator,
            "translation": "Niet nodig, maar mag.",
        })
    };
    let (status, _, body) = app
        .post_json("/api/v1/stories", &story("bezoekers-koffie-inloop"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    let id = StoryId::parse(created["id"].as_str().unwrap()).unwrap();
    let stored = app.bank.raw_store().get_story(id).unwrap().unwrap();
    assert_eq!(
        stored.indicator.as_ref().map(|i| i.as_str()),
        Some("bezoekers-koffie-inloop")
    );
    assert_eq!(
        stored.subgoals,
        [SubgoalId::parse("sterker-netwerk").unwrap()]
    );
    let (_, read) = app.get(&format!("/api/v1/stories/{id}")).await;
    assert!(
        read.contains("\"indicator\":\"bezoekers-koffie-inloop\""),
        "{read}"
    );

    let (status, _, body) = app
        .post_json("/api/v1/stories", &story("bestaat-niet"))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body.contains("indicator"), "{body}");
}

#[tokio::test]
async fn staff_write_a_translation_that_the_report_shows_beside_the_quote() {
    let app = TestApp::demo();
    let (_, page) = app.get("/verantwoording?jaar=2025").await;
    let turkish = page
        .split("<figure class=\"report-quote")
        .find(|quote| quote.contains("<blockquote lang=\"tr\""))
        .expect("a Turkish quote")
        .to_string();
    let id = StoryId::parse(
        turkish
            .split("href=\"/verhaal/")
            .nth(1)
            .unwrap()
            .split('"')
            .next()
            .unwrap(),
    )
    .unwrap();
    let mut story = app.bank.raw_store().get_story(id).unwrap().unwrap();
    story.translation = Some("Ik <b>ging</b> met mijn buurvrouw naar de koffie.".to_string());
    app.bank.raw_store().put_stories(&[story]).unwrap();
    app.index();
    let (_, page) = app.get("/verantwoording?jaar=2025").await;
    assert!(page.contains("Vertaling door de gemeente:"));
    assert!(
        page.contains("Ik &#60;b&#62;ging&#60;/b&#62; met mijn buurvrouw naar de koffie.")
            || page.contains("Ik &lt;b&gt;ging&lt;/b&gt; met mijn buurvrouw naar de koffie."),
        "escaped"
    );
    let (_, markdown) = app.get("/verantwoording.md?jaar=2025").await;
    assert!(
        markdown.contains("> Vertaling door de gemeente: Ik \\<b\\>ging"),
        "{markdown}"
    );
}
