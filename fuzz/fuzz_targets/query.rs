//! Whatever people type in the search box parses, and searching with it over a small real index (sled
//! and tantivy on a temporary folder) answers without error.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use verhalenbank::index::query::parse_query;
use verhalenbank::index::{Scope, SearchIndex, SearchRequest};
use verhalenbank::store::Store;
use verhalenbank::testing;

struct Bank {
    _folder: tempfile::TempDir,
    store: Store,
    index: SearchIndex,
}

fn bank() -> &'static Bank {
    static BANK: OnceLock<Bank> = OnceLock::new();
    BANK.get_or_init(|| {
        let folder = tempfile::tempdir().expect("a temporary folder");
        let store = Store::open(&folder.path().join("store")).expect("the store opens");
        for (title, text) in [
            (
                "Koffie",
                "Elke dinsdag drinken de buren samen koffie in het buurthuis.",
            ),
            (
                "Huiswerk",
                "De kinderen krijgen hulp bij hun huiswerk; ouders helpen mee.",
            ),
            (
                "Eenzaam",
                "Sinds de verhuizing kende ze niemand. Nu gaat ze naar de inloop.",
            ),
        ] {
            store
                .put_story(&testing::story(title, text))
                .expect("stored");
        }
        let index =
            SearchIndex::open(&folder.path().join("index"), &store).expect("the index opens");
        Bank {
            _folder: folder,
            store,
            index,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let _ = parse_query(&text);
    let bank = bank();
    bank.index
        .search(&bank.store, &SearchRequest::new(&text, Scope::Municipality))
        .expect("every query answers");
});
