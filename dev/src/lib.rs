//! Verhalenbank's dev tooling, kept out of the product: the seeded query set (`queries`), the
//! in-process page timer (`pages`), the search measurement behind `vb-dev bench` (here), and what the benchmarks in `benches/` share: where
//! the repository is ([`root`]) and the product's release binary ([`product_binary`]).
//!
//! Speed is measured here, never in unit tests, because machines are shared and noisy. The report gives
//! percentiles over many repetitions, and every figure says what it measured.

pub mod pages;
pub mod queries;

/// The corpus generator and its seeded random numbers live in the product (`verhalenbank gen-corpus`).
pub use verhalenbank::corpus::{self, rng};

mod product;

pub use product::{product_binary, root};

use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::Context;
use indicatif::ProgressBar;

use verhalenbank::import::import_paths;
use verhalenbank::index::{Scope, SearchIndex, SearchRequest};
use verhalenbank::store::Store;

/// Percentiles of a set of durations.
#[derive(Debug, Clone, Copy)]
pub struct Percentiles {
    pub p50: Duration,
    pub p99: Duration,
    pub max: Duration,
    pub count: usize,
}

impl Percentiles {
    pub fn of(mut samples: Vec<Duration>) -> Percentiles {
        samples.sort_unstable();
        let at = |fraction: f64| {
            if samples.is_empty() {
                return Duration::ZERO;
            }
            let index =
                ((samples.len() as f64 * fraction).ceil() as usize).clamp(1, samples.len()) - 1;
            samples[index]
        };
        Percentiles {
            p50: at(0.50),
            p99: at(0.99),
            max: at(1.0),
            count: samples.len(),
        }
    }
}

pub fn millis(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

/// Import, indexing and search figures for a corpus folder.
pub struct SearchBenchReport {
    pub stories: usize,
    pub import: Duration,
    pub index_rebuilds: Vec<Duration>,
    /// Per scope searched in (municipality, public, one provider), its label and times.
    pub search: Vec<(String, Percentiles)>,
    pub queries: usize,
}

impl SearchBenchReport {
    pub fn print(&self) {
        let per_second =
            |count: usize, duration: Duration| count as f64 / duration.as_secs_f64().max(1e-9);
        let best_rebuild = self
            .index_rebuilds
            .iter()
            .min()
            .copied()
            .unwrap_or_default();
        println!("corpus: {} stories", self.stories);
        println!(
            "import (parse, store durably, index): {:.1} s = {:.0} stories/s",
            self.import.as_secs_f64(),
            per_second(self.stories, self.import)
        );
        println!(
            "index rebuild from the store (best of {}): {:.2} s = {:.0} stories/s",
            self.index_rebuilds.len(),
            best_rebuild.as_secs_f64(),
            per_second(self.stories, best_rebuild)
        );
        for (scope, search) in &self.search {
            println!(
                "search as {scope} (top 10, snippets, facet counts), {} runs of {} queries: p50 {}  p99 {}  max {}",
                search.count,
                self.queries,
                millis(search.p50),
                millis(search.p99),
                millis(search.max)
            );
        }
    }
}

/// Imports `corpus` into a fresh data folder under `work`, rebuilds the index `rebuilds` times and runs
/// the generated query set `rounds` times.
pub fn search_bench(
    corpus: &Path,
    work: &Path,
    rebuilds: usize,
    rounds: usize,
    seed: u64,
) -> anyhow::Result<SearchBenchReport> {
    let store = Store::open(&work.join("store")).context("opening the bench store")?;
    let started = Instant::now();
    let report = import_paths(&store, &[corpus.to_path_buf()], &ProgressBar::hidden())?;
    anyhow::ensure!(report.stories > 0, "no stories in {}", corpus.display());
    let index = SearchIndex::open(&work.join("index"), &store)?;
    index.catch_up(&store)?;
    let import = started.elapsed();

    let mut index_rebuilds = Vec::new();
    for _ in 0..rebuilds {
        let started = Instant::now();
        index.rebuild(&store)?;
        index_rebuilds.push(started.elapsed());
    }

    let stories: Vec<_> = store.stories().collect::<Result<_, _>>()?;
    let queries = queries::generate(&stories, 200, seed);
    // What a search costs depends on who searches: the public and a provider see part of the bank, and
    // their relevance statistics are taken over that part.
    let mut scopes = vec![
        ("the municipality".to_string(), Scope::Municipality),
        ("the public".to_string(), Scope::Public),
    ];
    if let Some(provider) = stories.iter().find_map(|story| story.provider.clone()) {
        scopes.push((format!("provider {provider}"), Scope::Provider(provider)));
    }
    let mut search = Vec::with_capacity(scopes.len());
    for (label, scope) in scopes {
        let mut samples = Vec::with_capacity(queries.len() * rounds);
        for _ in 0..rounds {
            for query in &queries {
                let mut request = SearchRequest::new(&query.text, scope.clone());
                for (field, value) in &query.filters {
                    request = request.filter(*field, value);
                }
                let started = Instant::now();
                let results = index.search(&store, &request)?;
                samples.push(started.elapsed());
                std::hint::black_box(results);
            }
        }
        search.push((label, Percentiles::of(samples)));
    }
    Ok(SearchBenchReport {
        stories: report.stories,
        import,
        index_rebuilds,
        search,
        queries: queries.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_pick_the_right_samples() {
        let samples: Vec<Duration> = (1..=100).map(Duration::from_millis).collect();
        let p = Percentiles::of(samples);
        assert_eq!(
            (p.p50, p.p99, p.max),
            (
                Duration::from_millis(50),
                Duration::from_millis(99),
                Duration::from_millis(100)
            )
        );
        assert_eq!(Percentiles::of(vec![]).p50, Duration::ZERO);
    }
}
