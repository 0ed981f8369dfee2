//! A story the store acknowledged is on disk: the process is aborted right after `put_story` returns,
//! without any clean shutdown, and the story is there when the store is opened again.

use std::process::{Command, Stdio};

use verhalenbank::store::Store;
use verhalenbank::testing;

const CHILD_STORE: &str = "VERHALENBANK_TEST_CHILD_STORE";

#[test]
fn an_acknowledged_story_survives_an_abort() {
    let story = testing::story("Bewaard", "Dit verhaal moet er na een crash nog zijn.");

    // In the child process: store the story, acknowledge it, and die without cleaning up.
    if let Ok(path) = std::env::var(CHILD_STORE) {
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
    assert_eq!(store.get_story(story.id).unwrap(), Some(story));
    assert_eq!(store.outbox_after(0, 10).unwrap().len(), 1);
}
