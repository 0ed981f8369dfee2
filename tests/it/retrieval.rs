//! Retrieval quality on the demo municipality: the searches people type, with the stories they expect,
//! measured as precision@10 and recall@10.
//!
//! The cases live in `tests/it/retrieval.toml`: a query, its kind (inflection, plural, verb, compound,
//! diacritics, phrase, exclusion, or, facet, language, plain), optional `FIELD=VALUE` filters, the COMPLETE list of relevant
//! story titles and titles that must not be returned at all. The demo stories in `stories-sample/` are
//! imported into a temporary store and searched with the municipality scope, which sees every status.
//!
//! Per case, over the first page of ten hits:
//! - precision@10 = |relevant ∩ top10| / |top10| (1.0 when both are empty, 0.0 when only top10 is);
//! - recall@10 = |relevant ∩ top10| / min(10, |relevant|) (1.0 when nothing is relevant).
//!
//! The test fails when a case misses a relevant story that fits in the top ten, when a `must_not` story
//! is returned on any page, or when the mean precision@10 drops below 0.9. Run it with
//! `cargo test --test it retrieval -- --nocapture` to see the table.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use indicatif::ProgressBar;
use serde::Deserialize;
use verhalenbank::import::import_paths;
use verhalenbank::index::{FacetField, Scope, SearchIndex, SearchRequest};
use verhalenbank::store::Store;

use super::support::repo_root;

/// The kinds a case may have, in the order the summary lists them.
const KINDS: [&str; 11] = [
    "inflection",
    "plural",
    "verb",
    "compound",
    "diacritics",
    "phrase",
    "exclusion",
    "or",
    "facet",
    "language",
    "plain",
];

/// The lowest mean precision@10 over all cases that passes.
const MIN_MEAN_PRECISION: f64 = 0.9;

/// Hits per page, the depth both measures are taken at.
const TOP: usize = 10;

/// Page size when collecting every hit for the `must_not` check (the engine's maximum page size; the
/// loop below follows `total`, so a smaller maximum would only mean more pages).
const ALL_PER_PAGE: usize = 100;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Fixture {
    #[serde(rename = "case")]
    cases: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    query: String,
    kind: String,
    #[serde(default)]
    facets: Vec<String>,
    relevant: Vec<String>,
    #[serde(default)]
    must_not: Vec<String>,
}

impl Case {
    fn label(&self) -> String {
        if self.facets.is_empty() {
            self.query.clone()
        } else {
            format!("{} [{}]", self.query, self.facets.join(", "))
        }
    }
}

/// What one case measured.
struct Outcome {
    precision: f64,
    recall: f64,
    /// Relevant stories that should have been in the top ten and were not.
    missing: Vec<String>,
    /// Stories in the top ten that are not relevant.
    extra: Vec<String>,
    /// `must_not` stories that were returned, on any page.
    forbidden: Vec<String>,
}

fn read_fixture() -> Fixture {
    let path = repo_root().join("tests/it/retrieval.toml");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("{} cannot be read: {error}", path.display()));
    toml::from_str(&text).unwrap_or_else(|error| panic!("{} is not valid: {error}", path.display()))
}

fn request(case: &Case, page: usize, per_page: usize) -> SearchRequest {
    let mut request = SearchRequest::new(&case.query, Scope::Municipality);
    request.page = page;
    request.per_page = per_page;
    for facet in &case.facets {
        let (field, value) = facet
            .split_once('=')
            .unwrap_or_else(|| panic!("{}: facet {facet:?} is not FIELD=VALUE", case.query));
        let field = FacetField::parse(field)
            .unwrap_or_else(|| panic!("{}: facet {facet:?} names no known field", case.query));
        request = request.filter(field, value);
    }
    request
}

/// The titles of the first page of ten hits, best first.
fn top_titles(index: &SearchIndex, store: &Store, case: &Case) -> Vec<String> {
    let results = index
        .search(store, &request(case, 1, TOP))
        .unwrap_or_else(|error| panic!("{}: search failed: {error}", case.query));
    results
        .hits
        .into_iter()
        .map(|hit| hit.story.title)
        .collect()
}

/// The titles of every hit, over all pages.
fn all_titles(index: &SearchIndex, store: &Store, case: &Case) -> BTreeSet<String> {
    let mut titles = BTreeSet::new();
    let mut seen = 0;
    for page in 1.. {
        let results = index
            .search(store, &request(case, page, ALL_PER_PAGE))
            .unwrap_or_else(|error| panic!("{}: search failed: {error}", case.query));
        if results.hits.is_empty() {
            break;
        }
        seen += results.hits.len();
        titles.extend(results.hits.into_iter().map(|hit| hit.story.title));
        if seen >= results.total {
            break;
        }
    }
    titles
}

fn measure(case: &Case, top: &[String], all: &BTreeSet<String>) -> Outcome {
    let relevant: BTreeSet<&str> = case.relevant.iter().map(String::as_str).collect();
    let found = top
        .iter()
        .filter(|title| relevant.contains(title.as_str()))
        .count();
    let precision = match (top.is_empty(), relevant.is_empty()) {
        (true, true) => 1.0,
        (true, false) => 0.0,
        (false, _) => found as f64 / top.len() as f64,
    };
    let wanted = relevant.len().min(TOP);
    let recall = if relevant.is_empty() {
        1.0
    } else {
        found as f64 / wanted as f64
    };
    // When more than ten stories are relevant, any ten of them make a perfect page: only name the
    // missing ones when the page has room for them.
    let missing = if found < wanted {
        case.relevant
            .iter()
            .filter(|title| !top.contains(title))
            .cloned()
            .collect()
    } else {
        Vec::new()
    };
    let extra = top
        .iter()
        .filter(|title| !relevant.contains(title.as_str()))
        .cloned()
        .collect();
    let forbidden = case
        .must_not
        .iter()
        .filter(|title| all.contains(*title))
        .cloned()
        .collect();
    Outcome {
        precision,
        recall,
        missing,
        extra,
        forbidden,
    }
}

fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        0.0
    } else {
        values.iter().sum::<f64>() / values.len() as f64
    }
}

/// Every title the fixture names must be a story of the demo data, or a typo would pass unnoticed.
fn check_titles(fixture: &Fixture, store: &Store) {
    let titles: BTreeSet<String> = store
        .stories()
        .map(|story| story.expect("a stored story reads").title)
        .collect();
    let mut unknown = Vec::new();
    for case in &fixture.cases {
        assert!(
            KINDS.contains(&case.kind.as_str()),
            "{}: unknown kind {:?}",
            case.query,
            case.kind
        );
        for title in case.relevant.iter().chain(&case.must_not) {
            if !titles.contains(title) {
                unknown.push(format!("{}: {title:?}", case.query));
            }
        }
        if let Some(both) = case
            .relevant
            .iter()
            .find(|title| case.must_not.contains(title))
        {
            panic!("{}: {both:?} is both relevant and must_not", case.query);
        }
    }
    assert!(
        unknown.is_empty(),
        "the fixture names stories that are not in stories-sample:\n  {}",
        unknown.join("\n  ")
    );
}

fn import_demo(data: &Path) -> (Store, SearchIndex) {
    let store = Store::open(&data.join("store")).expect("the store opens");
    let sample: PathBuf = repo_root().join("stories-sample");
    let report = import_paths(&store, &[sample], &ProgressBar::hidden()).expect("the import runs");
    assert!(
        report.is_success(),
        "the demo data imports cleanly: {:?}",
        report.errors
    );
    let index = SearchIndex::open(&data.join("index"), &store).expect("the index opens");
    (store, index)
}

#[test]
fn retrieval_quality_on_the_demo_municipality() {
    let fixture = read_fixture();
    let temp = tempfile::tempdir().unwrap();
    let (store, index) = import_demo(temp.path());
    check_titles(&fixture, &store);

    let mut by_kind: BTreeMap<&str, (Vec<f64>, Vec<f64>)> = BTreeMap::new();
    let mut precisions = Vec::new();
    let mut recalls = Vec::new();
    let mut failures = Vec::new();

    let width = fixture
        .cases
        .iter()
        .map(|case| case.label().chars().count())
        .max()
        .unwrap_or(5)
        .clamp(5, 60);
    println!();
    println!(
        "{:<width$}  {:<10}  {:>5}  {:>5}",
        "query", "kind", "P@10", "R@10"
    );
    println!("{}", "-".repeat(width + 27));
    for case in &fixture.cases {
        let top = top_titles(&index, &store, case);
        let all = all_titles(&index, &store, case);
        let outcome = measure(case, &top, &all);
        let ok = outcome.missing.is_empty() && outcome.forbidden.is_empty();
        println!(
            "{:<width$}  {:<10}  {:>5.2}  {:>5.2}{}",
            case.label(),
            case.kind,
            outcome.precision,
            outcome.recall,
            if ok { "" } else { "  FAIL" }
        );
        if !outcome.extra.is_empty() {
            println!("{:<width$}    not relevant: {:?}", "", outcome.extra);
        }
        let entry = by_kind.entry(case.kind.as_str()).or_default();
        entry.0.push(outcome.precision);
        entry.1.push(outcome.recall);
        precisions.push(outcome.precision);
        recalls.push(outcome.recall);
        if !ok {
            let mut lines = vec![format!(
                "{} ({}): P@10 {:.2}, R@10 {:.2}",
                case.label(),
                case.kind,
                outcome.precision,
                outcome.recall
            )];
            if !outcome.missing.is_empty() {
                lines.push(format!(
                    "    missing from the top 10: {:?}",
                    outcome.missing
                ));
            }
            if !outcome.extra.is_empty() {
                lines.push(format!(
                    "    not relevant in the top 10: {:?}",
                    outcome.extra
                ));
            }
            if !outcome.forbidden.is_empty() {
                lines.push(format!(
                    "    returned but must not be: {:?}",
                    outcome.forbidden
                ));
            }
            failures.push(lines.join("\n"));
        }
    }

    let mean_precision = mean(&precisions);
    let mean_recall = mean(&recalls);
    println!();
    println!(
        "{:<10}  {:>5}  {:>5}  {:>5}",
        "kind", "cases", "P@10", "R@10"
    );
    for kind in KINDS {
        if let Some((p, r)) = by_kind.get(kind) {
            println!(
                "{:<10}  {:>5}  {:>5.3}  {:>5.3}",
                kind,
                p.len(),
                mean(p),
                mean(r)
            );
        }
    }
    println!(
        "{:<10}  {:>5}  {:>5.3}  {:>5.3}",
        "overall",
        precisions.len(),
        mean_precision,
        mean_recall
    );

    // Cases whose top ten holds stories nobody asked for, for the message when precision falls short.
    let imprecise: Vec<String> = fixture
        .cases
        .iter()
        .zip(&precisions)
        .filter(|(_, precision)| **precision < 1.0)
        .map(|(case, precision)| format!("{} ({precision:.2})", case.label()))
        .collect();
    let mut problems = Vec::new();
    if !failures.is_empty() {
        problems.push(format!(
            "{} of {} cases miss relevant stories or return forbidden ones:\n{}",
            failures.len(),
            fixture.cases.len(),
            failures.join("\n")
        ));
    }
    if mean_precision < MIN_MEAN_PRECISION {
        problems.push(format!(
            "mean precision@10 is {mean_precision:.3}, below {MIN_MEAN_PRECISION}; cases with \
             stories that are not relevant: {}",
            imprecise.join(", ")
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
