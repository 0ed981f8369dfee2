//! A goals.toml or municipality.toml never panics its loader, and what loads writes back to TOML that
//! loads to the same thing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use verhalenbank::goals::GoalTree;
use verhalenbank::municipality::Municipality;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    if let Ok(tree) = GoalTree::from_toml(text) {
        let written = tree.to_toml();
        let again = GoalTree::from_toml(&written)
            .unwrap_or_else(|error| panic!("a written tree does not load: {error}\n{written}"));
        assert_eq!(again, tree);
    }
    if let Ok(municipality) = Municipality::from_toml(text) {
        let written = municipality.to_toml();
        let again = Municipality::from_toml(&written).unwrap_or_else(|error| {
            panic!("a written municipality does not load: {error}\n{written}")
        });
        assert_eq!(again, municipality);
    }
});
