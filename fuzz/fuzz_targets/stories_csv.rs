//! A stories CSV never panics the importer; every line it refuses comes with a message.
#![no_main]

use libfuzzer_sys::fuzz_target;
use verhalenbank::import::read_stories;
use verhalenbank::testing;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let catalog = testing::shared_catalog();
    let (_, errors) = read_stories(text, catalog);
    assert!(errors.iter().all(|error| !error.to_string().is_empty()));
});
