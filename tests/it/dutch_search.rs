//! Dutch search as a reader types it, through the real binary on the demo municipality: plurals
//! after a vowel, verb forms (regular and strong) and compounds find the stories that use another
//! form of the word, and a compound's part ranks below the word itself, and stop words
//! are dropped from a query's words.

use std::collections::BTreeSet;
use std::path::Path;

use super::support::{repo_root, run, text};

/// The titles `verhalenbank search QUERY --no-synonyms` finds, best first (all of them, on one page).
fn titles(data: &Path, query: &str) -> Vec<String> {
    // Word forms as such: without the synonyms list, which would add other words.
    let output = run(
        data,
        &[
            "search",
            query,
            "--per-page",
            "100",
            "--json",
            "--no-synonyms",
        ],
    );
    assert!(output.status.success(), "{query}: {}", text(&output));
    let results: serde_json::Value =
        serde_json::from_slice(&output.stdout).expect("search prints JSON");
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["story"]["title"].as_str().expect("a title").to_string())
        .collect()
}

fn set(titles: &[String]) -> BTreeSet<&str> {
    titles.iter().map(String::as_str).collect()
}

#[test]
fn dutch_word_forms_and_compounds_find_each_other() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path();
    let sample = repo_root().join("stories-sample");
    let output = run(data, &["import", sample.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));

    // Plurals after a vowel meet their singular.
    let situaties = titles(data, "situaties");
    assert!(
        situaties.contains(&"Wachttijd schuldhulp: wat we hebben afgesproken".to_string()),
        "situaties: {situaties:?}"
    );
    assert_eq!(set(&titles(data, "bankjes")), set(&titles(data, "bankje")));
    assert_eq!(titles(data, "bankje").len(), 3);
    let maatjes = titles(data, "maatjes");
    assert_eq!(set(&maatjes), set(&titles(data, "maatje")));
    assert!(
        maatjes.contains(&"Vijf maanden wachten op een maatje".to_string()),
        "maatjes: {maatjes:?}"
    );

    // Verb forms meet their infinitive, strong verbs through the shipped table.
    let bereiken = titles(data, "bereiken");
    assert!(!bereiken.is_empty());
    assert_eq!(set(&titles(data, "bereikte")), set(&bereiken));
    assert_eq!(set(&titles(data, "bereikt")), set(&bereiken));
    let voelen = titles(data, "voelen");
    assert!(voelen.len() >= 10, "voelen: {voelen:?}");
    assert_eq!(set(&titles(data, "voelde")), set(&voelen));
    let helpen = titles(data, "helpen");
    assert!(helpen.len() >= 15, "helpen: {helpen:?}");
    assert_eq!(set(&titles(data, "hielp")), set(&helpen));
    assert_eq!(set(&titles(data, "geholpen")), set(&helpen));

    // Compounds are found through their parts.
    let mantelzorg = titles(data, "mantelzorg");
    for title in [
        "Dag van de Mantelzorg: 180 mantelzorgers in het zonnetje",
        "De dagbesteding van mijn zoon is beëindigd",
        "Van boer naar chauffeur",
        "Ik zie mantelzorgers te laat",
    ] {
        assert!(
            mantelzorg.contains(&title.to_string()),
            "mantelzorg: {title}"
        );
    }
    assert!(titles(data, "sessie").contains(&"Eerste vertelsessie in Veenstede-Noord".to_string()));
    let buurtwerk = titles(data, "buurtwerk");
    assert_eq!(buurtwerk.len(), 6, "buurtwerk: {buurtwerk:?}");
    assert_eq!(set(&titles(data, "buurtwerker")), set(&buurtwerk));

    // "buurt" finds the stories that only say "buurthuis" or "buurtmaaltijd", after every story
    // that says "buurt" itself.
    let buurt = titles(data, "buurt");
    let compound_only = [
        "Kerstdiner in het buurthuis",
        "Van nul naar vijf namen",
        "Een bankje bij de supermarkt",
        "Via de koffie naar de buurtmaaltijd",
        "Wachttijd schuldhulp: wat we hebben afgesproken",
        "Wat de bezoekersaantallen niet laten zien",
    ];
    let first_compound = buurt
        .iter()
        .position(|title| compound_only.contains(&title.as_str()))
        .expect("buurt finds the stories with buurthuis");
    for title in compound_only {
        assert!(buurt.contains(&title.to_string()), "buurt: {title}");
    }
    assert!(
        buurt[first_compound..]
            .iter()
            .all(|title| compound_only.contains(&title.as_str())),
        "a story that says buurt ranks below one that only has a compound: {buurt:?}"
    );

    // Stop words are dropped from the words, not from phrases: the natural phrasing finds what its
    // content words find.
    let eenzame_ouderen = titles(data, "eenzame ouderen");
    assert!(!eenzame_ouderen.is_empty());
    assert_eq!(
        set(&titles(data, "de eenzame ouderen in de wijk")),
        set(&titles(data, "eenzame ouderen wijk"))
    );
    assert_eq!(
        set(&titles(data, "de eenzame ouderen")),
        set(&eenzame_ouderen)
    );
    assert!(!titles(data, "hulp bij de post").is_empty());
}
