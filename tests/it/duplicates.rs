//! Near-duplicates in moderation, on the demo municipality: a provider's story sent again is marked
//! in the queue and shown beside the story it repeats; an exact resend can be merged (the resend is
//! erased, the first story stays), an edited one cannot; different stories are not marked.

use axum::http::StatusCode;
use verhalenbank::index::{FacetField, Scope, SearchRequest};
use verhalenbank::story::{Moderation, Story, StoryId};

use super::web::TestApp;

/// A published story of the demo told through a provider, to send again.
fn a_providers_story(app: &TestApp) -> Story {
    let request = SearchRequest::new("", Scope::Municipality)
        .filter(FacetField::Provider, "buurtwerk")
        .filter(FacetField::Status, "published");
    app.bank
        .all_stories(request)
        .unwrap()
        .into_iter()
        .find(|story| story.text.as_str().split_whitespace().count() > 60)
        .expect("a longer buurtwerk story")
}

fn stored(app: &TestApp, id: StoryId) -> Option<Story> {
    app.bank.visible_story(id, &Scope::Municipality).unwrap()
}

fn resend(app: &TestApp, of: &Story, text: &str) -> Story {
    let mut again = of.clone();
    again.id = StoryId::new_random();
    again.moderation = Moderation::Submitted;
    again.text = verhalenbank::story::Markdown::new(text);
    app.bank.submit(&again, None).unwrap();
    app.index();
    again
}

#[tokio::test]
async fn a_resend_is_marked_compared_and_merged_on_request() {
    let app = TestApp::demo();
    app.login("analist").await;
    let (_, before) = app.get("/moderatie").await;
    assert!(
        !before.contains("badge-alike"),
        "no waiting demo story repeats another"
    );

    let first = a_providers_story(&app);
    let exact = resend(&app, &first, first.text.as_str());
    // Changing one word in ten still reads as the same story.
    let edited_text: String = first
        .text
        .as_str()
        .split(' ')
        .enumerate()
        .map(|(n, word)| if n % 10 == 5 { "anders" } else { word })
        .collect::<Vec<_>>()
        .join(" ");
    let edited = resend(&app, &first, &edited_text);

    let (_, queue) = app.get("/moderatie").await;
    for again in [&exact, &edited] {
        let item = queue
            .split(&format!("href=\"/moderatie/{}\"", again.id))
            .nth(1)
            .expect("the resend waits")
            .split("</li>")
            .next()
            .unwrap();
        assert!(item.contains("Lijkt op"), "{item}");
        assert!(item.contains(&first.title));
    }
    assert!(queue.contains("(100% gelijk)"), "the exact resend");

    // Side by side, with the merge offered only for the exact resend.
    let (_, page) = app.get(&format!("/moderatie/{}", exact.id)).await;
    assert!(page.contains("id=\"lijkt-op\""));
    assert!(page.contains(&format!("href=\"/moderatie/{}\"", first.id)));
    assert!(page.contains("/samenvoegen"));
    let (_, page) = app.get(&format!("/moderatie/{}", edited.id)).await;
    let section = page.split("id=\"lijkt-op\"").nth(1).expect("compared");
    assert!(
        !section.contains("/samenvoegen\""),
        "an edited resend is not merged"
    );

    // Merging the edited one is refused; both stay.
    let first_id = first.id.to_string();
    let (status, headers, _) = app
        .post_form(
            &format!("/moderatie/{}/samenvoegen", edited.id),
            &[("met", &first_id)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers["location"]
            .to_str()
            .unwrap()
            .contains("niet-gelijk")
    );
    assert!(stored(&app, edited.id).is_some());

    // Merging the exact resend erases it and keeps the first story as it was.
    let (status, headers, _) = app
        .post_form(
            &format!("/moderatie/{}/samenvoegen", exact.id),
            &[("met", &first_id)],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers["location"], "/moderatie?samengevoegd=1");
    assert!(stored(&app, exact.id).is_none(), "the resend is gone");
    assert_eq!(stored(&app, first.id), Some(first.clone()));
    let (status, _) = app.get(&format!("/moderatie/{}", exact.id)).await;
    assert_ne!(status, StatusCode::OK);
}
