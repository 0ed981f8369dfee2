//! Dutch search as a reader types it, through the real binary on the demo municipality: plurals
//! after a vowel, verb forms (regular and strong) and compounds find the stories that use another
//! form of the word, and a compound's part ranks below the word itself, and stop words
//! are dropped from a query's words; natural phrasing falls back to the stories with the most
//! words, typos are suggested and searched as the word meant, tags are text and `buurt*` finds
//! the words that begin so.

use std::collections::BTreeSet;
use std::path::Path;

use super::support::{repo_root, run, text};

/// What `verhalenbank search QUERY --no-synonyms` answers (all hits, on one page), as JSON: word
/// forms as such, without the synonyms list, which would add other words.
fn search(data: &Path, query: &str, extra: &[&str]) -> serde_json::Value {
    let mut args = vec![
        "search",
        query,
        "--per-page",
        "100",
        "--json",
        "--no-synonyms",
    ];
    args.extend(extra);
    let output = run(data, &args);
    assert!(output.status.success(), "{query}: {}", text(&output));
    serde_json::from_slice(&output.stdout).expect("search prints JSON")
}

/// The titles `verhalenbank search QUERY --no-synonyms` finds, best first (all of them, on one page).
fn titles(data: &Path, query: &str) -> Vec<String> {
    hit_titles(&search(data, query, &[]))
}

fn hit_titles(results: &serde_json::Value) -> Vec<String> {
    results["hits"]
        .as_array()
        .expect("hits")
        .iter()
        .map(|hit| hit["story"]["title"].as_str().expect("a title").to_string())
        .collect()
}

/// A data folder with the demo municipality imported.
fn demo() -> tempfile::TempDir {
    let temp = tempfile::tempdir().unwrap();
    let sample = repo_root().join("stories-sample");
    let output = run(temp.path(), &["import", sample.to_str().unwrap()]);
    assert!(output.status.success(), "{}", text(&output));
    temp
}

fn set(titles: &[String]) -> BTreeSet<&str> {
    titles.iter().map(String::as_str).collect()
}

#[test]
fn dutch_word_forms_and_compounds_find_each_other() {
    let temp = demo();
    let data = temp.path();

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

    // "buurt" finds the stories that only say "buurthuis" or "buurtmaaltijd" (in their text or a
    // tag) or only have the tag "buurt", after every story that says "buurt" itself.
    let buurt = titles(data, "buurt");
    let compound_only = [
        "Kerstdiner in het buurthuis",
        "Van nul naar vijf namen",
        "Een bankje bij de supermarkt",
        "Via de koffie naar de buurtmaaltijd",
        "Wachttijd schuldhulp: wat we hebben afgesproken",
        "Wat de bezoekersaantallen niet laten zien",
        "Komşularımla tanıştım",
        "De eerste keer koffie",
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

#[test]
fn natural_phrasing_typos_tags_and_prefixes_find_what_a_reader_means() {
    let temp = demo();
    let data = temp.path();

    // Natural phrasing: no story has every word, so the stories with the most words come, and the
    // answer says so; with --exact nothing is found.
    let natural = search(data, "de eenzame ouderen in de wijk", &[]);
    assert!(natural["total"].as_u64().unwrap() >= 1, "{natural}");
    assert_eq!(natural["relaxed"], true);
    assert_eq!(natural["all_words"], 0);
    assert_eq!(
        search(data, "de eenzame ouderen in de wijk", &["--exact"])["total"],
        0
    );
    let post = search(data, "hulp bij de post", &[]);
    assert!(post["total"].as_u64().unwrap() >= 1, "{post}");
    // The stories with every word come first.
    let exact = hit_titles(&search(data, "hulp post", &["--exact"]));
    assert_eq!(post["all_words"], exact.len());
    assert_eq!(set(&hit_titles(&post)[..exact.len()]), set(&exact));

    // Typos: suggested, and searched as the nearest words the stories hold.
    let typo = search(data, "eenzaamhied", &[]);
    assert_eq!(typo["suggestion"], "eenzaamheid");
    assert_eq!(typo["expanded"][0]["kind"], "typo");
    assert_eq!(set(&hit_titles(&typo)), set(&titles(data, "eenzaamheid")));
    let exact = search(data, "eenzaamhied", &["--exact"]);
    assert_eq!(exact["total"], 0);
    assert_eq!(exact["suggestion"], "eenzaamheid");
    let typo = search(data, "mantelzorgr", &[]);
    assert_eq!(typo["suggestion"], "mantelzorger");
    let found = hit_titles(&typo);
    assert!(
        found.contains(&"Mantelzorger naast mijn studie".to_string()),
        "{found:?}"
    );
    // A word the stories hold is never widened.
    let known = search(data, "mantelzorger", &[]);
    assert!(known["suggestion"].is_null() && known["expanded"] == serde_json::json!([]));

    // Tags are text: every story tagged eenzaamheid is found, also those that never say it.
    let tagged = titles(data, "tag:eenzaamheid");
    assert!(tagged.len() >= 3, "{tagged:?}");
    let eenzaamheid = titles(data, "eenzaamheid");
    for title in &tagged {
        assert!(eenzaamheid.contains(title), "eenzaamheid misses {title}");
    }

    // A star finds the words that begin so, a compound included, and marks them.
    let prefix = search(data, "buurt*", &[]);
    let words: Vec<&str> = prefix["expanded"][0]["words"]
        .as_array()
        .unwrap()
        .iter()
        .map(|word| word.as_str().unwrap())
        .collect();
    assert!(
        words.contains(&"buurthuis") && words.contains(&"buurtmaaltijd") && words.len() <= 24,
        "{words:?}"
    );
    let buurt_star = hit_titles(&prefix);
    assert!(
        buurt_star.contains(&"Kerstdiner in het buurthuis".to_string()),
        "{buurt_star:?}"
    );
    assert!(prefix["hits"].as_array().unwrap().iter().any(|hit| {
        hit["snippet"]
            .as_str()
            .unwrap()
            .contains("<mark>buurthuis</mark>")
    }));
    let without = titles(data, "koffie -buurt*");
    assert!(!without.is_empty() && !without.contains(&"Kerstdiner in het buurthuis".to_string()));
    let short = search(data, "bu*", &[]);
    assert_eq!(short["expanded"][0]["kind"], "short_prefix");
}
