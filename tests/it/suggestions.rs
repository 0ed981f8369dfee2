//! Suggestions on the demo municipality, in moderation and on the provider form: a story is offered
//! the subgoals and tags of the stories most like it and a valence, with why, and accepting one
//! stores exactly that and nothing else — no decision is taken with it.

use axum::http::StatusCode;
use verhalenbank::index::{FacetField, Scope, SearchRequest};
use verhalenbank::story::{Coded, Moderation, Story, StoryId, TellerRole};

use super::web::TestApp;

/// Presses a story's moderation page's button for the suggested `subgoal`, with the story's own
/// details in the form and the fields `more`.
async fn accept_suggestion(
    app: &TestApp,
    story: &Story,
    subgoal: &str,
    more: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, String) {
    press(app, story, "voorstel", subgoal, more).await
}

/// Presses the moderation page's button `button` with `value`, with the story's own details in
/// the form and the fields `more`.
async fn press(
    app: &TestApp,
    story: &Story,
    button: &str,
    value: &str,
    more: &[(&str, &str)],
) -> (StatusCode, axum::http::HeaderMap, String) {
    let path = format!("/moderatie/{}", story.id);
    let version = app.version_on(&path).await;
    let date = story.date.to_string();
    let mut fields = vec![
        ("versie", version.as_str()),
        ("titel", story.title.as_str()),
        ("datum", &date),
        ("verhaal", story.text.as_str()),
        ("rol", story.teller.code()),
        ("gevoel", story.valence.code()),
        ("toestemming", story.consent.code()),
    ];
    fields.extend_from_slice(more);
    fields.push((button, value));
    app.post_form(&path, &fields).await
}

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
    let subgoal_id = subgoal.to_string();
    let (status, headers, body) =
        accept_suggestion(&app, &story, &subgoal_id, &[("besluit", "publish")]).await;
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

/// The value of the first button named `name` on `page`.
fn button_value(page: &str, name: &str) -> Option<String> {
    let at = page.find(&format!("name=\"{name}\" value=\""))?;
    let rest = &page[at + name.len() + 15..];
    Some(rest[..rest.find('"')?].to_string())
}

fn stored_count(app: &TestApp) -> usize {
    app.bank.raw_store().stories().count()
}

#[tokio::test]
async fn the_provider_form_suggests_a_valence_and_subgoals_and_stores_only_what_is_chosen() {
    let app = TestApp::demo();
    // A story like the demo's own stories residents told themselves, entered by provider staff.
    let like = app
        .bank
        .all_stories(SearchRequest::new("", Scope::Municipality))
        .unwrap()
        .into_iter()
        .find(|s| {
            s.teller == TellerRole::Resident
                && !s.subgoals.is_empty()
                && s.text.as_str().split_whitespace().count() > 80
        })
        .expect("a longer story told by a resident");
    let before = stored_count(&app);
    app.login("buurtwerk").await;
    let (_, page) = app.get("/aanbieder/verhaal").await;
    assert!(
        page.contains("name=\"stap\" value=\"voorstellen\""),
        "{page}"
    );
    assert!(
        !page.contains("kies-gevoel"),
        "nothing suggested before anything is written"
    );

    let title = "Een verhaal zonder gevoel gekozen";
    let text = like.text.as_str();
    let mut fields = vec![
        ("titel", title),
        ("verhaal", text),
        ("datum", "2026-11-20"),
        ("rol", "professional"),
        ("toestemming", "internal"),
        ("aanbieder", "buurtwerk"),
    ];
    let mut asked = fields.clone();
    asked.push(("stap", "voorstellen"));
    let (status, _, page) = app.post_form("/aanbieder/verhaal", &asked).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    let valence = button_value(&page, "kies-gevoel").expect("a valence suggested");
    let subgoal = button_value(&page, "kies-subdoel").expect("a subgoal suggested");
    assert!(
        page.contains("bewoners die zelf vertelden"),
        "the valence's reason: {page}"
    );
    assert!(page.contains("bij dit subdoel"), "the subgoal's reason");
    for code in ["positive", "negative", "mixed"] {
        assert!(
            !page.contains(&format!("name=\"gevoel\" value=\"{code}\" checked")),
            "no valence is chosen for the person"
        );
    }
    assert!(
        !page.contains(&format!("value=\"{subgoal}\" checked")),
        "no subgoal is ticked for the person"
    );
    assert_eq!(stored_count(&app), before, "asking stores nothing");

    // Choosing the suggested valence brings the form back with it chosen, and nothing stored.
    let mut chosen = fields.clone();
    chosen.push(("kies-gevoel", &valence));
    let (status, _, page) = app.post_form("/aanbieder/verhaal", &chosen).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains(&format!("name=\"gevoel\" value=\"{valence}\" checked")));
    assert!(
        !page.contains("name=\"kies-gevoel\""),
        "a chosen valence is no longer suggested"
    );
    assert!(page.contains(title), "what was written stays");
    // Ticking the suggested subgoal likewise.
    fields.push(("gevoel", &valence));
    let mut ticked = fields.clone();
    ticked.push(("kies-subdoel", &subgoal));
    let (_, _, page) = app.post_form("/aanbieder/verhaal", &ticked).await;
    assert!(page.contains(&format!("name=\"subdoel\" value=\"{subgoal}\" checked")));
    assert!(!page.contains(&format!("name=\"kies-subdoel\" value=\"{subgoal}\"")));
    assert_eq!(stored_count(&app), before, "choosing stores nothing");

    // Sent, the story holds exactly what the person chose.
    fields.push(("subdoel", &subgoal));
    let (status, _, body) = app.post_form("/aanbieder/verhaal", &fields).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let story = app
        .bank
        .raw_store()
        .stories()
        .map(Result::unwrap)
        .find(|s| s.title == title)
        .expect("stored once sent");
    assert_eq!(story.valence.code(), valence);
    assert_eq!(
        story
            .subgoals
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
        vec![subgoal]
    );
    assert_eq!(story.moderation, Moderation::Submitted);
}

#[tokio::test]
async fn a_story_sent_without_a_valence_comes_back_with_the_suggestion() {
    let app = TestApp::demo();
    let like = app
        .bank
        .all_stories(SearchRequest::new("", Scope::Municipality))
        .unwrap()
        .into_iter()
        .find(|s| {
            s.teller == TellerRole::Resident && s.text.as_str().split_whitespace().count() > 80
        })
        .expect("a longer story told by a resident");
    app.login("buurtwerk").await;
    let fields = [
        ("titel", "Zonder gevoel verstuurd"),
        ("verhaal", like.text.as_str()),
        ("datum", "2026-11-20"),
        ("rol", "professional"),
        ("toestemming", "internal"),
    ];
    let (status, _, page) = app.post_form("/aanbieder/verhaal", &fields).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("name=\"kies-gevoel\""), "{page}");
    assert!(
        !app.bank
            .raw_store()
            .stories()
            .map(Result::unwrap)
            .any(|s| s.title == "Zonder gevoel verstuurd"),
        "not stored without a valence"
    );
}

#[tokio::test]
async fn published_stories_without_a_subgoal_are_listed_for_linking() {
    let app = TestApp::demo();
    let like = app
        .bank
        .all_stories(
            SearchRequest::new("", Scope::Municipality).filter(FacetField::Status, "published"),
        )
        .unwrap()
        .into_iter()
        .find(|s| s.subgoals.len() == 1 && s.text.as_str().split_whitespace().count() > 60)
        .expect("a longer published story with one subgoal");
    let unlinked_before = app
        .bank
        .all_stories(
            SearchRequest::new("", Scope::Municipality).filter(FacetField::Status, "published"),
        )
        .unwrap()
        .iter()
        .filter(|s| s.subgoals.is_empty())
        .count();
    // As an import brings it: published, with no link.
    let mut story = like.clone();
    story.id = StoryId::new_random();
    story.title = "Ingelezen zonder koppeling".to_string();
    story.subgoals = Vec::new();
    story.indicator = None;
    story.moderation = Moderation::Published;
    app.bank.submit(&story, None).unwrap();
    app.index();

    app.login("analist").await;
    let (_, page) = app.get("/moderatie?status=unlinked").await;
    assert!(page.contains("Zonder subdoel"), "{page}");
    assert!(
        page.contains(&format!("({})", unlinked_before + 1)),
        "the tab counts them"
    );
    assert!(page.contains(&format!("/moderatie/{}", story.id)));
    assert!(
        !page.contains(&format!("/moderatie/{}\"", like.id)),
        "a linked story is not listed"
    );
    // Its page suggests the subgoal; accepted, the story is linked and leaves the list.
    let path = format!("/moderatie/{}", story.id);
    let (_, page) = app.get(&path).await;
    let subgoal = button_value(&page, "voorstel").expect("a subgoal suggested");
    let (status, _, body) = accept_suggestion(&app, &story, &subgoal, &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let stored = app
        .bank
        .visible_story(story.id, &Scope::Municipality)
        .unwrap()
        .unwrap();
    assert_eq!(
        stored
            .subgoals
            .iter()
            .map(|s| s.to_string())
            .collect::<Vec<_>>(),
        vec![subgoal]
    );
    assert_eq!(stored.moderation, Moderation::Published, "still published");
    app.index();
    let (_, page) = app.get("/moderatie?status=unlinked").await;
    assert!(!page.contains(&format!("/moderatie/{}", story.id)));
}

#[tokio::test]
async fn provider_staff_are_never_shown_a_story_they_may_not_read_in_a_suggestion() {
    let app = TestApp::demo();
    let like = app
        .bank
        .all_stories(SearchRequest::new("", Scope::Municipality))
        .unwrap()
        .into_iter()
        .find(|s| !s.subgoals.is_empty() && s.text.as_str().split_whitespace().count() > 80)
        .expect("a longer linked story");
    // Another provider's internal story, the same as the one typed in.
    let mut hidden = like.clone();
    hidden.id = StoryId::new_random();
    hidden.title = "Alleen voor Welzijn en de gemeente".to_string();
    hidden.provider = Some(verhalenbank::ids::ProviderId::parse("welzijn").unwrap());
    hidden.consent = verhalenbank::story::Consent::Internal;
    hidden.moderation = Moderation::Published;
    app.bank.submit(&hidden, None).unwrap();
    app.index();
    let fields = [
        ("titel", "Een verhaal"),
        ("verhaal", like.text.as_str()),
        ("stap", "voorstellen"),
    ];
    // The municipality may read it, so its suggestion names it...
    app.login("analist").await;
    let (_, _, page) = app.post_form("/aanbieder/verhaal", &fields).await;
    assert!(page.contains(&hidden.title), "{page}");
    // ...another provider's staff may not: it neither votes nor is named.
    app.login("buurtwerk").await;
    let (status, _, page) = app.post_form("/aanbieder/verhaal", &fields).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("name=\"kies-subdoel\""),
        "still suggestions: {page}"
    );
    assert!(!page.contains(&hidden.title), "{page}");
}

/// A copy of a longer demo story whose tags the stories most like it share, with its tags and links
/// left out, and the tag suggested for it.
fn untagged_copy(app: &TestApp, title: &str) -> (Story, String) {
    for like in app
        .bank
        .all_stories(SearchRequest::new("", Scope::Municipality))
        .unwrap()
        .into_iter()
        .filter(|s| !s.tags.is_empty() && s.text.as_str().split_whitespace().count() > 60)
    {
        let mut story = like.clone();
        story.id = StoryId::new_random();
        story.title = title.to_string();
        story.tags = Vec::new();
        story.subgoals = Vec::new();
        story.indicator = None;
        story.moderation = Moderation::Submitted;
        let suggested = app.bank.suggest_links(&story).unwrap();
        if let Some(tag) = suggested.tags.iter().find(|t| like.tags.contains(&t.item)) {
            return (story, tag.item.clone());
        }
    }
    panic!("no demo story's tags are shared by the stories most like it");
}

#[tokio::test]
async fn a_suggested_tag_is_explained_and_added_with_one_button() {
    let app = TestApp::demo();
    let (story, tag) = untagged_copy(&app, "Zonder onderwerpen");
    app.bank.submit(&story, None).unwrap();
    app.index();

    app.login("analist").await;
    let path = format!("/moderatie/{}", story.id);
    let (_, page) = app.get(&path).await;
    assert!(page.contains("Voorgestelde onderwerpen"), "{page}");
    assert!(page.contains(&format!("name=\"voorstel-onderwerp\" value=\"{tag}\"")));
    assert!(page.contains("verhalen die hierop lijken"), "the reason");

    // Accepting it, with "publish" chosen and a tag typed, adds exactly that tag to what was typed.
    let (status, headers, body) = press(
        &app,
        &story,
        "voorstel-onderwerp",
        &tag,
        &[("besluit", "publish"), ("tags", "eigen woord")],
    )
    .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    assert_eq!(headers["location"], format!("{path}#onderwerpen"));
    let stored = app
        .bank
        .visible_story(story.id, &Scope::Municipality)
        .unwrap()
        .unwrap();
    assert_eq!(stored.tags, vec!["eigen woord".to_string(), tag.clone()]);
    assert!(stored.subgoals.is_empty(), "no subgoal comes with it");
    assert_eq!(
        stored.moderation,
        Moderation::Submitted,
        "no decision taken"
    );

    // Once there, the tag is no longer suggested.
    let (_, page) = app.get(&path).await;
    assert!(!page.contains(&format!("name=\"voorstel-onderwerp\" value=\"{tag}\"")));
}

#[tokio::test]
async fn the_provider_form_suggests_tags_and_adds_one_to_what_was_typed() {
    let app = TestApp::demo();
    let (like, tag) = untagged_copy(&app, "Een verhaal met onderwerpen");
    let before = stored_count(&app);
    app.login("buurtwerk").await;
    let mut fields = vec![
        ("titel", like.title.as_str()),
        ("verhaal", like.text.as_str()),
        ("datum", "2026-11-20"),
        ("rol", "professional"),
        ("gevoel", "positive"),
        ("toestemming", "internal"),
        ("aanbieder", "buurtwerk"),
        ("tags", "Eigen  Woord,"),
    ];
    let mut asked = fields.clone();
    asked.push(("stap", "voorstellen"));
    let (status, _, page) = app.post_form("/aanbieder/verhaal", &asked).await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert!(
        page.contains(&format!("name=\"kies-onderwerp\" value=\"{tag}\"")),
        "{page}"
    );
    assert!(page.contains("verhalen die hierop lijken"), "the reason");

    // Adding it brings the form back with the tag after what was typed, and nothing stored.
    let mut added = fields.clone();
    added.push(("kies-onderwerp", &tag));
    let (status, _, page) = app.post_form("/aanbieder/verhaal", &added).await;
    assert_eq!(status, StatusCode::OK);
    let typed = format!("Eigen  Woord, {tag}");
    assert!(
        page.contains(&format!("name=\"tags\" type=\"text\" value=\"{typed}\"")),
        "{page}"
    );
    assert!(
        !page.contains(&format!("name=\"kies-onderwerp\" value=\"{tag}\"")),
        "an added tag is no longer suggested"
    );
    assert_eq!(stored_count(&app), before, "adding stores nothing");

    // Sent, the story holds what was typed and the tag chosen, and nothing else.
    fields.retain(|(name, _)| *name != "tags");
    fields.push(("tags", &typed));
    let (status, _, body) = app.post_form("/aanbieder/verhaal", &fields).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let story = app
        .bank
        .raw_store()
        .stories()
        .map(Result::unwrap)
        .find(|s| s.title == like.title)
        .expect("stored once sent");
    assert_eq!(story.tags, vec!["eigen woord".to_string(), tag]);
    assert!(
        story.subgoals.is_empty(),
        "no subgoal ticked for the person"
    );
}
