//! Two people changing the same thing: every change names the version it was made from, and a change
//! made from a version that is no longer current is refused with 409 and a page that says so, so the
//! first change is kept instead of silently overwritten.

use axum::http::StatusCode;
use verhalenbank::ids::{RoundId, SessionId};
use verhalenbank::story::{Coded, Consent};

use super::erasure::tell;
use super::web::TestApp;

const CHANGED_NL: &str = "Iemand anders heeft dit intussen veranderd";
const CHANGED_EN: &str = "Someone else changed this in the meantime";

#[tokio::test]
async fn the_second_of_two_round_edits_gets_409_and_the_first_is_kept() {
    let app = TestApp::demo();
    app.login("analist").await;
    let page = "/rondes/minder-alleen-2025";
    // Two analysts open the round's page.
    let first = app.version_on(page).await;
    let second = app.version_on(page).await;
    assert_eq!(first, second);

    let (status, _, _) = app
        .post_form(
            &format!("{page}/teksten"),
            &[
                ("versie", &first),
                ("synthese", "Buren helpen elkaar."),
                ("terugkoppeling", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    let (status, _, body) = app
        .post_form(
            &format!("{page}/teksten"),
            &[
                ("versie", &second),
                ("synthese", "Iets heel anders."),
                ("terugkoppeling", ""),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(
        body.contains(CHANGED_NL) && body.contains(CHANGED_EN),
        "{body}"
    );
    let (status, _, _) = app
        .post_form(
            &format!("{page}/fase"),
            &[("versie", &second), ("fase", "collect")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let id = RoundId::parse("minder-alleen-2025").unwrap();
    let round = app.bank.round(&id).unwrap().unwrap();
    assert_eq!(round.synthesis.as_deref(), Some("Buren helpen elkaar."));
    assert_ne!(round.phase.code(), "collect");

    // Reading the page again gives the new version, and a change from it is stored.
    let fresh = app.version_on(page).await;
    assert_ne!(fresh, first);
    let (status, _, _) = app
        .post_form(
            &format!("{page}/fase"),
            &[("versie", &fresh), ("fase", "collect")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.bank.round(&id).unwrap().unwrap().phase.code(),
        "collect"
    );
}

#[tokio::test]
async fn the_second_of_two_session_edits_gets_409_and_the_first_is_kept() {
    let app = TestApp::demo();
    app.login("begeleider").await;
    let page = "/sessies/noord-2026-03";
    let first = app.version_on(page).await;
    let second = app.version_on(page).await;

    let (status, _, _) = app
        .post_form(
            &format!("{page}/gehoord"),
            &[("versie", &first), ("gehoord", "De leesclub helpt.")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, body) = app
        .post_form(
            &format!("{page}/gehoord"),
            &[("versie", &second), ("gehoord", "Iets anders.")],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains(CHANGED_NL), "{body}");

    let id = SessionId::parse("noord-2026-03").unwrap();
    let session = app.bank.session(&id).unwrap().unwrap();
    assert_eq!(session.heard.as_deref(), Some("De leesclub helpt."));

    // A form without the version it was made from is not understood, rather than trusted.
    let (status, _, _) = app
        .post_form(&format!("{page}/gehoord"), &[("gehoord", "Zonder versie.")])
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn a_consent_change_while_a_moderator_reads_is_not_undone_by_their_save() {
    let app = TestApp::demo();
    let text = "Het taalcafé hielp mij met de brieven van de gemeente.";
    let code = tell(&app, text, "").await;
    let receipt = verhalenbank::story::receipt::ReceiptCode::parse(&code).unwrap();
    let id = app.bank.story_by_receipt(&receipt).unwrap().unwrap().id;

    // The moderator opens the story; meanwhile its teller makes it internal only.
    app.login("analist").await;
    let version = app.version_on(&format!("/moderatie/{id}")).await;
    app.logout_locally();
    let (status, _, body) = app
        .post_form(
            "/mijn-verhaal/toestemming",
            &[("code", &code), ("toestemming", "internal")],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");

    // The moderator's save still says "public": it is refused, and the teller's choice stands.
    app.login("analist").await;
    let (status, _, body) = app
        .post_form(
            &format!("/moderatie/{id}"),
            &[
                ("versie", &version),
                ("titel", "Taalcafé"),
                ("datum", "2026-11-20"),
                ("verhaal", text),
                ("rol", "resident"),
                ("gevoel", "mixed"),
                ("toestemming", "public"),
                ("subdoel", "sterker-netwerk"),
                ("gebied", "de-hoven"),
                ("besluit", "publish"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains(CHANGED_NL), "{body}");
    let story = app.bank.story_by_receipt(&receipt).unwrap().unwrap();
    assert_eq!(story.consent, Consent::Internal);
    assert!(!story.is_published());
}

#[tokio::test]
async fn the_second_of_two_action_updates_gets_409_and_the_first_is_kept() {
    let app = TestApp::demo();
    app.login("begeleider").await;
    let action = app
        .bank
        .actions()
        .unwrap()
        .into_iter()
        .find(|a| a.is_open())
        .unwrap();
    let version = app.bank.action_versions().unwrap()[&action.id].to_string();
    let update = |outcome: &'static str| {
        vec![
            ("versie", version.clone()),
            ("stand", "in_progress".to_string()),
            ("uitkomst", outcome.to_string()),
        ]
    };
    let path = format!("/acties/{}", action.id);
    let first = update("Eerste uitkomst.");
    let pairs: Vec<(&str, &str)> = first.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = app.post_form(&path, &pairs).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let second = update("Tweede uitkomst.");
    let pairs: Vec<(&str, &str)> = second.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, body) = app.post_form(&path, &pairs).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    let stored = app
        .bank
        .actions()
        .unwrap()
        .into_iter()
        .find(|a| a.id == action.id)
        .unwrap();
    assert_eq!(stored.outcome.as_deref(), Some("Eerste uitkomst."));
}
