//! The bank is a closed facade: the web layer reaches the store and the search index only through
//! `Bank`'s methods, never its parts. Read from the source, as a layering rule is best kept by a test.

use super::support::{read_tree, repo_root};

#[test]
fn the_web_layer_never_reaches_the_store_or_the_index() {
    let web = repo_root().join("src/web");
    let forbidden = ["bank.store", "bank.index", "raw_store", "raw_index"];
    let mut found = Vec::new();
    for (path, bytes) in read_tree(&web) {
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let text = String::from_utf8(bytes).unwrap();
        // Calls are often split over lines (`bank\n    .store`), so whitespace is left out first.
        let joined: String = text.split_whitespace().collect();
        for needle in forbidden {
            if joined.contains(needle) {
                found.push(format!("src/web/{} uses {needle}", path.display()));
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}
