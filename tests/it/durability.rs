//! A story the store acknowledged is on disk: the process is aborted right after `put_story` returns,
//! without any clean shutdown (and before any index commit), and the story is there when the store is
//! opened again, and findable once the index opens. A server stopped with SIGTERM indexes and flushes
//! everything before it exits.

use std::process::{Command, Stdio};

use verhalenbank::index::{Scope, SearchIndex, SearchRequest};
use verhalenbank::store::Store;
use verhalenbank::testing;

const CHILD_STORE: &str = "VERHALENBANK_TEST_CHILD_STORE";

#[test]
fn an_acknowledged_story_survives_an_abort() {
    let story = testing::story("Bewaard", "Dit verhaal moet er na een crash nog zijn.");
    let temp_root = std::env::var(CHILD_STORE).ok();

    // In the child process: store the story, acknowledge it, and die without cleaning up.
    if let Some(path) = temp_root {
        let store = Store::open(std::path::Path::new(&path)).unwrap();
        store.put_story(&story).unwrap();
        println!("acknowledged {}", story.id);
        std::process::abort();
    }

    let temp = tempfile::tempdir().unwrap();
    let path = temp.path().join("store");
    let output = Command::new(std::env::current_exe().unwrap())
        .args([
            "durability::an_acknowledged_story_survives_an_abort",
            "--exact",
            "--nocapture",
            "--test-threads=1",
        ])
        .env(CHILD_STORE, &path)
        .stderr(Stdio::null())
        .output()
        .unwrap();
    assert!(!output.status.success(), "the child must die by abort");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        stdout.contains(&format!("acknowledged {}", story.id)),
        "{stdout}"
    );

    let store = Store::open(&path).unwrap();
    assert_eq!(store.get_story(story.id).unwrap(), Some(story.clone()));
    assert_eq!(
        store.outbox_after(0, 10).unwrap().len(),
        1,
        "not yet indexed when the process died"
    );

    // The index heals from the outbox when it opens.
    let index = SearchIndex::open(&temp.path().join("index"), &store).unwrap();
    let results = index
        .search(&store, &SearchRequest::new("crash", Scope::Municipality))
        .unwrap();
    assert_eq!(results.hits.len(), 1);
    assert_eq!(results.hits[0].story.id, story.id);
}

use super::support::{Server, http};

#[test]
fn sigterm_indexes_and_flushes_before_the_server_exits() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let server = Server::start(&data, &["--no-demo"], "warn");
    let address = server.address.clone();

    // The public form needs no account or token, so it works on a bank without a municipality.
    let body = "verhaal=Opgeslagen+vlak+voor+de+server+stopt%3A+afsluitproef.&gevoel=positive&toestemming=public";
    let response = http(
        &address,
        &format!(
            "POST /vertel HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(response.starts_with("HTTP/1.1 200"), "{response}");

    server.stop();

    let store = Store::open(&data.join("store")).unwrap();
    assert_eq!(store.story_count(), 1);
    assert!(
        store.outbox_after(0, 10).unwrap().is_empty(),
        "the index took in everything before exit"
    );
}
