//! A story file (front matter and Markdown body) never panics the parser, and a story it accepts
//! survives the round trip through `story_to_file`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use verhalenbank::story::file::story_to_file;
use verhalenbank::story::front_matter::parse_story_file;
use verhalenbank::testing;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let catalog = testing::shared_catalog();
    if let Ok(story) = parse_story_file(text, catalog) {
        let written = story_to_file(&story);
        let again = parse_story_file(&written, catalog).unwrap_or_else(|errors| {
            panic!("a written story does not parse again: {errors:?}\n{written}")
        });
        assert_eq!(again, story, "the round trip changed the story:\n{written}");
    }
});
