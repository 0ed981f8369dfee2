//! Urgent stories first: the demo's `signals.toml` puts a waiting story that holds one of its words
//! at the top of the moderation queue with the words found, the queue says how long each story has
//! waited, a changed list changes what goes first, and the list round-trips through export and import.

use axum::http::StatusCode;
use verhalenbank::bank::SignalsSaved;

use super::support::{repo_root, run, text};
use super::web::TestApp;

/// The moderation queue's list items, each as its HTML.
fn queue_items(html: &str) -> Vec<&str> {
    let list = html
        .split_once("<ul class=\"story-list moderation-list\">")
        .expect("the queue has its list")
        .1;
    let list = list.split_once("</ul>").unwrap().0;
    list.split("<li class=\"story-card").skip(1).collect()
}

#[tokio::test]
async fn a_story_with_a_signal_word_is_first_in_the_queue_with_the_words_shown() {
    let app = TestApp::demo();
    app.login("analist").await;
    let (status, queue) = app.get("/moderatie").await;
    assert_eq!(status, StatusCode::OK);
    let items = queue_items(&queue);
    assert!(items.len() > 2, "{queue}");
    // The demo's letter from the bailiff came in on 2 November; the test's today is 23 November.
    assert!(
        items[0].contains("Brief van de deurwaarder"),
        "{}",
        items[0]
    );
    assert!(items[0].contains(" urgent\""), "{}", items[0]);
    assert!(items[0].contains("Met voorrang"));
    assert!(items[0].contains("Schulden: deurwaarder"), "{}", items[0]);
    assert!(items[0].contains("Wonen: ons huis uit"), "{}", items[0]);
    assert!(items[0].contains("Wacht 21 dagen"), "{}", items[0]);
    assert!(queue.contains("Verhalen met woorden uit de signalenlijst staan bovenaan"));
    // The others wait in their order, unmarked, each saying how long it has waited.
    for item in &items[1..] {
        assert!(!item.contains("Met voorrang"), "{item}");
        assert!(item.contains("Wacht "), "{item}");
    }

    // A resident writes of bailiffs (the plural): the story goes first too, having come in today.
    let (status, _, body) = app
        .post_form(
            "/vertel",
            &[
                ("verhaal", "Gisteren stonden er twee deurwaarders voor de deur. Ik durf de brieven niet meer open te maken en slaap slecht."),
                ("gevoel", "negative"),
                ("toestemming", "internal"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    app.index();
    let (_, queue) = app.get("/moderatie").await;
    let items = queue_items(&queue);
    let urgent: Vec<&&str> = items
        .iter()
        .filter(|item| item.contains("Met voorrang"))
        .collect();
    assert_eq!(urgent.len(), 2, "{queue}");
    assert!(
        items[0].contains("Brief van de deurwaarder"),
        "longest waiting first"
    );
    assert!(items[1].contains("twee deurwaarders"), "{}", items[1]);
    assert!(items[1].contains("Schulden: deurwaarder"));
    assert!(items[1].contains("Vandaag binnengekomen"), "{}", items[1]);

    // Other tabs are in their own order, without marks.
    let (_, published) = app.get("/moderatie?status=published").await;
    assert!(!published.contains("Met voorrang"));
}

#[tokio::test]
async fn editing_the_list_changes_what_is_matched() {
    let app = TestApp::demo();
    app.login("analist").await;
    let list = app.bank.signals().unwrap();
    assert!(list.item.contains("deurwaarder"));

    let changed = "[[signaal]]\nonderwerp = \"Zorg\"\nwoorden = [\"taalcafé\", \"niet tillen\"]\n";
    let saved = app.bank.replace_signals(changed, list.version).unwrap();
    assert!(
        matches!(saved, SignalsSaved::Saved { words: 2, .. }),
        "{saved:?}"
    );
    // A change made from the list as it was before is refused, and a list with problems too.
    assert!(matches!(
        app.bank.replace_signals("", list.version).unwrap(),
        SignalsSaved::Changed(_)
    ));
    assert!(matches!(
        app.bank
            .replace_signals("[[signaal]]\nwoorden = [\"x\"]\n", list.version + 1)
            .unwrap(),
        SignalsSaved::Invalid(_)
    ));

    let (_, queue) = app.get("/moderatie").await;
    let items = queue_items(&queue);
    assert!(!queue.contains("Schulden: deurwaarder"), "{queue}");
    let urgent: Vec<&&str> = items
        .iter()
        .filter(|item| item.contains("Met voorrang"))
        .collect();
    // Two stories of the language café (its plural and accent too) and the carer who may not lift.
    assert_eq!(urgent.len(), 3, "{queue}");
    for item in &urgent {
        assert!(
            item.contains("Zorg: taalcafé") || item.contains("Zorg: niet tillen"),
            "{item}"
        );
    }
    assert!(items[0].contains("Met voorrang"));

    // An empty list marks nothing: the queue is in waiting order.
    let version = app.bank.signals().unwrap().version;
    app.bank.replace_signals("", version).unwrap();
    let (_, queue) = app.get("/moderatie").await;
    assert!(!queue.contains("Met voorrang"));
}

#[test]
fn the_list_round_trips_and_a_list_with_problems_says_where() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let sample = repo_root().join("stories-sample");
    let output = run(&data, &["import", sample.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    assert!(
        text(&output).contains("imported the urgent-signal list ("),
        "{}",
        text(&output)
    );
    let out = temp.path().join("export");
    let output = run(
        &data,
        &[
            "export",
            "--format",
            "markdown",
            "--out",
            out.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{}", text(&output));
    let original = std::fs::read(sample.join("signals.toml")).unwrap();
    assert_eq!(std::fs::read(out.join("signals.toml")).unwrap(), original);
    // The day a story was received goes with it.
    let exported = std::fs::read_to_string(
        out.join("stories")
            .read_dir()
            .unwrap()
            .map(|entry| entry.unwrap().path())
            .find(|path| path.to_string_lossy().contains("brief-van-de-deurwaarder"))
            .expect("the story is exported"),
    )
    .unwrap();
    assert!(exported.contains("received = 2026-11-02"), "{exported}");

    let folder = temp.path().join("in");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(
        folder.join("signals.toml"),
        "[[signaal]]\nonderwerp = \"Geld\"\nwoorden = [\"deurwaarder\"]\n\n[[signaal]]\nwoorden = [\"beslag\"]\n",
    )
    .unwrap();
    let output = run(
        &temp.path().join("other"),
        &["import", folder.to_str().unwrap()],
    );
    assert!(!output.status.success());
    assert!(
        text(&output).contains("signals.toml:5: field onderwerp: signal 2: expected onderwerp"),
        "{}",
        text(&output)
    );
}
