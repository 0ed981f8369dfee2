//! Subgoal suggestions in moderation, on the demo municipality: a story without links is offered the
//! subgoals of the stories most like it, with why, and accepting one stores exactly that subgoal and
//! nothing else — no decision is taken with it.

use axum::http::StatusCode;
use verhalenbank::index::{FacetField, Scope, SearchRequest};
use verhalenbank::story::{Coded, Moderation, StoryId, TellerRole};

use super::web::TestApp;

#[tokio::test]
async fn a_suggested_subgoal_is_explained_and_added_with_one_button() {
    let app = TestApp::demo();
    let request =
        SearchRequest::new("", Scope::Municipality).filter(FacetField::Status, "published");
    let like = app
        .bank
        .all_stories(request)
        .unwrap()
        .into_iter()
        .find(|s| s.subgoals.len() == 1 && s.text.as_str().split_whitespace().count() > 60)
        .expect("a longer demo story with one subgoal");
    let subgoal = like.subgoals[0].clone();

    let mut story = like.clone();
    story.id = StoryId::new_random();
    story.title = "Zonder koppeling".to_string();
    story.subgoals = Vec::new();
    story.tags = Vec::new();
    story.provider = None;
    story.activity = None;
    story.indicator = None;
    story.teller = TellerRole::Resident;
    story.moderation = Moderation::Submitted;
    app.bank.submit(&story, None).unwrap();
    app.index();

    app.login("analist").await;
    let path = format!("/moderatie/{}", story.id);
    let (_, page) = app.get(&path).await;
    assert!(page.contains("Voorgestelde subdoelen"), "{page}");
    assert!(page.contains(&format!("name=\"voorstel\" value=\"{subgoal}\"")));
    assert!(page.contains("bij dit subdoel"), "the reason");
    assert!(
        page.contains(&like.title),
        "the reason names the story it is like"
    );

    // Accepting it, even with "publish" chosen in the form, only adds the subgoal.
    let version = app.version_on(&path).await;
    let date = story.date.to_string();
    let subgoal_id = subgoal.to_string();
    let (status, headers, body) = app
        .post_form(
            &path,
            &[
                ("versie", &version),
                ("titel", story.title.as_str()),
                ("datum", &date),
                ("verhaal", story.text.as_str()),
                ("rol", story.teller.code()),
                ("gevoel", story.valence.code()),
                ("toestemming", story.consent.code()),
                ("besluit", "publish"),
                ("voorstel", &subgoal_id),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(headers["location"], format!("{path}#subdoel"));
    let stored = app
        .bank
        .visible_story(story.id, &Scope::Municipality)
        .unwrap()
        .unwrap();
    assert_eq!(stored.subgoals, vec![subgoal]);
    assert_eq!(
        stored.moderation,
        Moderation::Submitted,
        "no decision taken"
    );
    assert_eq!(stored.title, story.title);
    assert_eq!(stored.text, story.text);

    // Once linked, the subgoal is no longer suggested.
    let (_, page) = app.get(&path).await;
    assert!(!page.contains(&format!("name=\"voorstel\" value=\"{subgoal_id}\"")));
}
