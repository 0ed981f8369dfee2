//! Retrieval quality on the demo municipality: the searches people type, with the stories they expect,
//! measured as precision@10 and recall@10.
//!
//! The cases live in `tests/it/retrieval.toml`: a query, its kind (see [`KINDS`]), optional `FIELD=VALUE`
//! filters, the COMPLETE list of relevant story titles, titles that must not be returned at all, and
//! optionally a `known_gap`: the reason for a miss that is understood. The demo stories in
//! `stories-sample/` are imported into a temporary store and searched with the municipality scope, which
//! sees every status, through [`search_request`], the request the search page makes.
//!
//! Per case, over the first page of ten hits:
//! - precision@10 = |relevant ∩ top10| / |top10| (1.0 when both are empty, 0.0 when only top10 is);
//! - recall@10 = |relevant ∩ top10| / min(10, |relevant|) (1.0 when nothing is relevant).
//!
//! The test fails when an asserted case misses a relevant story that fits in the top ten, when it
//! returns a `must_not` story on any page, or when the mean precision@10 of the asserted cases drops
//! below 0.9. Cases of a kind in [`PENDING_KINDS`] (what search does not offer yet) and cases with a
//! `known_gap` are measured and reported, not asserted. Run it with
//! `cargo test --test it retrieval -- --nocapture` to see every case and the table per kind;
//! `RETRIEVAL_SUMMARY=path` also writes that table as Markdown.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use indicatif::ProgressBar;
use serde::Deserialize;
use verhalenbank::import::import_paths;
use verhalenbank::index::{FacetField, Scope, SearchIndex, SearchRequest};
use verhalenbank::store::Store;

use super::support::repo_root;

/// The kinds a case may have, in the order the summary lists them.
const KINDS: [&str; 17] = [
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
    // Words from a story's title.
    "title",
    // Natural phrasing with stop words ("hoe helpen buren elkaar").
    "natural",
    // Misspelled words ("eenzaamhied").
    "typo",
    // A word whose relevant stories use another word for it ("alleen" for "eenzaam").
    "synonym",
    // A word with a star ("buurt*").
    "prefix",
    // A word that a story has as a tag but not in its text.
    "tag",
];

/// Kinds that search does not offer yet: measured and reported, not asserted. A kind leaves this list
/// when search learns it.
const PENDING_KINDS: [&str; 3] = ["natural", "synonym", "tag"];

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
    /// Why a relevant story is missed or a wrong one returned, when that is understood and accepted for
    /// now: the case is reported, not asserted.
    #[serde(default)]
    known_gap: Option<String>,
}

impl Case {
    fn label(&self) -> String {
        if self.facets.is_empty() {
            self.query.clone()
        } else {
            format!("{} [{}]", self.query, self.facets.join(", "))
        }
    }

    /// Whether the test fails on this case's misses.
    fn asserted(&self) -> bool {
        !PENDING_KINDS.contains(&self.kind.as_str()) && self.known_gap.is_none()
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

/// The request the search page makes for what a person typed, before filters and paging: the one
/// place where the cases take the page's search behaviour (lenient: typos searched as the word
/// meant, and too few stories with every word widened to those with the most).
fn search_request(text: &str, scope: Scope) -> SearchRequest {
    let mut request = SearchRequest::new(text, scope);
    request.lenient = true;
    request.synonyms = true;
    request
}

fn request(case: &Case, page: usize, per_page: usize) -> SearchRequest {
    let mut request = search_request(&case.query, Scope::Municipality);
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

/// Mean measures of the cases of one kind.
struct KindSummary {
    kind: &'static str,
    cases: usize,
    precision: f64,
    recall: f64,
    /// Cases that do not meet the bar (missing or forbidden stories), asserted or not.
    short: usize,
    pending: bool,
}

fn summarise(cases: &[&Case], outcomes: &[Outcome]) -> Vec<KindSummary> {
    KINDS
        .iter()
        .filter_map(|&kind| {
            let of_kind: Vec<&Outcome> = cases
                .iter()
                .zip(outcomes)
                .filter(|(case, _)| case.kind == kind)
                .map(|(_, outcome)| outcome)
                .collect();
            if of_kind.is_empty() {
                return None;
            }
            let precisions: Vec<f64> = of_kind.iter().map(|o| o.precision).collect();
            let recalls: Vec<f64> = of_kind.iter().map(|o| o.recall).collect();
            Some(KindSummary {
                kind,
                cases: of_kind.len(),
                precision: mean(&precisions),
                recall: mean(&recalls),
                short: of_kind.iter().filter(|o| !o.ok()).count(),
                pending: PENDING_KINDS.contains(&kind),
            })
        })
        .collect()
}

/// The table per kind as Markdown, for BENCHMARKS.md.
fn markdown(summary: &[KindSummary], outcomes: &[Outcome]) -> String {
    let mut text = String::from(
        "| kind | cases | P@10 | R@10 | cases short |\n| --- | --- | --- | --- | --- |\n",
    );
    for row in summary {
        text.push_str(&format!(
            "| {}{} | {} | {:.3} | {:.3} | {} |\n",
            row.kind,
            if row.pending { " (pending)" } else { "" },
            row.cases,
            row.precision,
            row.recall,
            row.short
        ));
    }
    let precisions: Vec<f64> = outcomes.iter().map(|o| o.precision).collect();
    let recalls: Vec<f64> = outcomes.iter().map(|o| o.recall).collect();
    text.push_str(&format!(
        "| overall | {} | {:.3} | {:.3} | {} |\n",
        outcomes.len(),
        mean(&precisions),
        mean(&recalls),
        outcomes.iter().filter(|o| !o.ok()).count()
    ));
    text
}

impl Outcome {
    /// Every relevant story that fits is in the top ten and no forbidden one is returned.
    fn ok(&self) -> bool {
        self.missing.is_empty() && self.forbidden.is_empty()
    }

    fn report(&self, case: &Case) -> String {
        let mut lines = vec![format!(
            "{} ({}): P@10 {:.2}, R@10 {:.2}",
            case.label(),
            case.kind,
            self.precision,
            self.recall
        )];
        if !self.missing.is_empty() {
            lines.push(format!("    missing from the top 10: {:?}", self.missing));
        }
        if !self.extra.is_empty() {
            lines.push(format!("    not relevant in the top 10: {:?}", self.extra));
        }
        if !self.forbidden.is_empty() {
            lines.push(format!(
                "    returned but must not be: {:?}",
                self.forbidden
            ));
        }
        lines.join("\n")
    }
}

#[test]
fn retrieval_quality_on_the_demo_municipality() {
    let fixture = read_fixture();
    let temp = tempfile::tempdir().unwrap();
    let (store, index) = import_demo(temp.path());
    check_titles(&fixture, &store);

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
    let cases: Vec<&Case> = fixture.cases.iter().collect();
    let mut outcomes = Vec::new();
    for case in &cases {
        let top = top_titles(&index, &store, case);
        let all = all_titles(&index, &store, case);
        let outcome = measure(case, &top, &all);
        let mark = match (outcome.ok(), case.asserted(), &case.known_gap) {
            (true, _, Some(_)) => "  known gap closed: drop its known_gap".to_string(),
            (true, _, None) => String::new(),
            (false, true, _) => "  FAIL".to_string(),
            (false, false, Some(reason)) => format!("  known gap: {reason}"),
            (false, false, None) => "  short (pending kind)".to_string(),
        };
        println!(
            "{:<width$}  {:<10}  {:>5.2}  {:>5.2}{mark}",
            case.label(),
            case.kind,
            outcome.precision,
            outcome.recall,
        );
        if !outcome.missing.is_empty() {
            println!("{:<width$}    missing: {:?}", "", outcome.missing);
        }
        if !outcome.extra.is_empty() {
            println!("{:<width$}    not relevant: {:?}", "", outcome.extra);
        }
        if !outcome.forbidden.is_empty() {
            println!("{:<width$}    forbidden: {:?}", "", outcome.forbidden);
        }
        outcomes.push(outcome);
    }

    let summary = summarise(&cases, &outcomes);
    println!();
    println!(
        "{:<20}  {:>5}  {:>5}  {:>5}  {:>5}",
        "kind", "cases", "P@10", "R@10", "short"
    );
    for row in &summary {
        println!(
            "{:<20}  {:>5}  {:>5.3}  {:>5.3}  {:>5}",
            format!(
                "{}{}",
                row.kind,
                if row.pending { " (pending)" } else { "" }
            ),
            row.cases,
            row.precision,
            row.recall,
            row.short
        );
    }
    let all_precisions: Vec<f64> = outcomes.iter().map(|o| o.precision).collect();
    let all_recalls: Vec<f64> = outcomes.iter().map(|o| o.recall).collect();
    println!(
        "{:<20}  {:>5}  {:>5.3}  {:>5.3}  {:>5}",
        "overall",
        outcomes.len(),
        mean(&all_precisions),
        mean(&all_recalls),
        outcomes.iter().filter(|o| !o.ok()).count()
    );
    if let Some(path) = std::env::var_os("RETRIEVAL_SUMMARY") {
        std::fs::write(&path, markdown(&summary, &outcomes)).unwrap_or_else(|error| {
            panic!("{} cannot be written: {error}", Path::new(&path).display())
        });
    }

    // Only the asserted cases count towards the verdict.
    let asserted: Vec<(&Case, &Outcome)> = cases
        .iter()
        .copied()
        .zip(&outcomes)
        .filter(|(case, _)| case.asserted())
        .collect();
    let failures: Vec<String> = asserted
        .iter()
        .filter(|(_, outcome)| !outcome.ok())
        .map(|(case, outcome)| outcome.report(case))
        .collect();
    let precisions: Vec<f64> = asserted.iter().map(|(_, o)| o.precision).collect();
    let mean_precision = mean(&precisions);
    // Cases whose top ten holds stories nobody asked for, for the message when precision falls short.
    let imprecise: Vec<String> = asserted
        .iter()
        .filter(|(_, outcome)| outcome.precision < 1.0)
        .map(|(case, outcome)| format!("{} ({:.2})", case.label(), outcome.precision))
        .collect();
    let mut problems = Vec::new();
    if !failures.is_empty() {
        problems.push(format!(
            "{} of {} asserted cases miss relevant stories or return forbidden ones:\n{}",
            failures.len(),
            asserted.len(),
            failures.join("\n")
        ));
    }
    if mean_precision < MIN_MEAN_PRECISION {
        problems.push(format!(
            "mean precision@10 of the asserted cases is {mean_precision:.3}, below \
             {MIN_MEAN_PRECISION}; cases with stories that are not relevant: {}",
            imprecise.join(", ")
        ));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n\n"));
}
