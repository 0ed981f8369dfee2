//! Narrative evaluation rounds through the real router on the demo municipality: the finished demo
//! round's analysis (matrices whose cells open their stories, themes, significant stories,
//! synthesis) and its feedback page; then a new round from start to feedback: gathering stories from
//! the bank and through the round's own form.

use axum::http::{StatusCode, header};
use verhalenbank::ids::RoundId;
use verhalenbank::index::{FacetField, Scope, SearchRequest};

use super::web::TestApp;

#[tokio::test]
async fn the_demo_round_shows_its_patterns_and_the_stories_behind_them() {
    let app = TestApp::demo();
    app.login("analist").await;
    let (status, list) = app.get("/rondes").await;
    assert_eq!(status, StatusCode::OK);
    assert!(list.contains("Minder alleen in Veenstede") && list.contains("Afgerond"));

    let (status, page) = app.get("/rondes/minder-alleen-2025").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Verhalen in de ronde</dt><dd>15</dd>"),
        "15 stories gathered"
    );
    // The subgoal × tag matrix counts six stories about a stronger network tagged koffie-inloop.
    let cell = "/rondes/minder-alleen-2025?subdoel=sterker-netwerk&#38;tag=koffie-inloop#cel";
    assert!(
        page.contains(&format!("<a href=\"{cell}\">6</a>")),
        "matrix cell"
    );
    assert!(page.contains("De kern"), "the synthesis is rendered");
    assert!(
        page.contains("Waarom:"),
        "significant stories carry their reason"
    );

    // Opening the cell lists exactly those six stories.
    let (_, opened) = app
        .get("/rondes/minder-alleen-2025?subdoel=sterker-netwerk&tag=koffie-inloop")
        .await;
    let listed = opened
        .split("id=\"cel\"")
        .nth(1)
        .expect("the cell's stories")
        .split("</ul>")
        .next()
        .unwrap()
        .matches("class=\"story-card")
        .count();
    assert_eq!(listed, 6);

    // The valence × area matrix: Veenstede-Noord has two mixed stories.
    let (_, noord) = app
        .get("/rondes/minder-alleen-2025?gebied=noord&gevoel=mixed")
        .await;
    assert!(
        noord.contains("Verhalen bij Veenstede-Noord · Gemengd (2)"),
        "{noord}"
    );

    // The stories are grouped into themes (tests/it/round_themes.rs looks at them closely).
    assert!(page.contains("id=\"themas\"") && page.contains("class=\"theme-list\""));
}

#[tokio::test]
async fn participants_see_the_feedback_and_only_the_stories_they_may_see() {
    let app = TestApp::demo();
    let (status, body) = app.get("/r/mnd25r").await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains("Wat we vonden") && body.contains("Wat er gaat veranderen"));
    // Three of the four significant stories were told with public consent; the internal one stays out.
    assert!(body.contains("Weer onder de mensen"));
    assert!(body.contains("Weduwnaar en weer aan het koken"));
    assert!(!body.contains("Ik ga er wel heen, maar ik blijf alleen"));
    assert!(
        !body.contains("<textarea"),
        "a finished round takes no stories"
    );
}

#[tokio::test]
async fn a_new_round_gathers_stories_from_the_bank_and_its_form() {
    let app = TestApp::demo();
    app.login("analist").await;
    let (status, _, body) = app.post_form("/rondes", &[("titel", "Grip op geld")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("Kies ten minste één subdoel"));

    let (status, headers, _) = app
        .post_form(
            "/rondes",
            &[
                ("titel", "Grip op geld"),
                ("vraag", "Wat hielp u uit de schulden?"),
                ("van", "2024-01-01"),
                ("tot", "2026-12-31"),
                ("subdoel", "grip-op-geld"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers[header::LOCATION].to_str().unwrap();
    assert!(
        location.starts_with("/rondes/grip-op-geld-2024"),
        "{location}"
    );
    let id = RoundId::parse("grip-op-geld-2024").unwrap();
    let round = app.bank.raw_store().round(&id).unwrap().unwrap();

    // Gather: the candidates are stories about the subgoal in the period that are in no round yet.
    let (_, gather) = app.get("/rondes/grip-op-geld-2024/verzamelen").await;
    let candidates: Vec<String> = gather
        .match_indices("name=\"verhaal\" value=\"")
        .map(|(at, found)| gather[at + found.len()..at + found.len() + 36].to_string())
        .collect();
    assert!(candidates.len() >= 3, "{} candidates", candidates.len());
    let chosen: Vec<(&str, &str)> = candidates[..3]
        .iter()
        .map(|c| ("verhaal", c.as_str()))
        .collect();
    let (status, _, _) = app
        .post_form("/rondes/grip-op-geld-2024/verzamelen", &chosen)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    app.index();
    let count = |app: &TestApp| {
        let request = SearchRequest::new("", Scope::Municipality)
            .filter(FacetField::Round, "grip-op-geld-2024");
        app.bank.search(&request).unwrap().total
    };
    assert_eq!(count(&app), 3);
    let (_, again) = app.get("/rondes/grip-op-geld-2024/verzamelen").await;
    assert!(
        !again.contains(&candidates[0]),
        "a gathered story is no candidate any more"
    );

    // While preparing, the short link takes no stories; while collecting, it does.
    let short = format!("/r/{}", round.code);
    let (_, preparing) = app.get(&short).await;
    assert!(preparing.contains("begint binnenkort") && !preparing.contains("<textarea"));
    let version = app.version_on("/rondes/grip-op-geld-2024").await;
    app.post_form(
        "/rondes/grip-op-geld-2024/fase",
        &[("versie", &version), ("fase", "collect")],
    )
    .await;
    let (status, _, done) = app
        .post_form(
            &short,
            &[
                ("verhaal", "Door de vrijwilliger van de thuisadministratie heb ik weer overzicht over mijn post."),
                ("gevoel", "positive"),
                ("toestemming", "public"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{done}");
    app.index();
    assert_eq!(count(&app), 4);

    // A significant story must be in the round and have a reason.
    let version = app.version_on("/rondes/grip-op-geld-2024").await;
    let (status, _, _) = app
        .post_form(
            "/rondes/grip-op-geld-2024/betekenisvol",
            &[
                ("versie", &version),
                ("verhaal", candidates[0].as_str()),
                ("waarom", "Laat zien wat werkt."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let round = app.bank.raw_store().round(&id).unwrap().unwrap();
    assert_eq!(round.significant.len(), 1);
    assert_eq!(round.significant[0].story.to_string(), candidates[0]);

    // Synthesis and feedback; once analysing, the participants read the feedback.
    let version = app.version_on("/rondes/grip-op-geld-2024").await;
    app.post_form(
        "/rondes/grip-op-geld-2024/teksten",
        &[
            ("versie", &version),
            ("synthese", "Overzicht helpt."),
            ("terugkoppeling", "Dank u wel. Overzicht helpt."),
        ],
    )
    .await;
    let version = app.version_on("/rondes/grip-op-geld-2024").await;
    app.post_form(
        "/rondes/grip-op-geld-2024/fase",
        &[("versie", &version), ("fase", "analyse")],
    )
    .await;
    let (_, feedback) = app.get(&short).await;
    assert!(feedback.contains("Dank u wel. Overzicht helpt.") && feedback.contains("4 verhalen"));
}
