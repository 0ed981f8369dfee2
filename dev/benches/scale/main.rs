//! The scale benchmark: Verhalenbank on generated corpora of 100k and 1M stories, side by side with SQLite
//! FTS5 and PostgreSQL full-text search on the same stories and the same 1,000 queries, in one run.
//!
//! `cargo bench -p verhalenbank-dev --bench scale -- --stories 100000,1000000` (see BENCHMARKS.md). Per corpus size it
//! generates the corpus, imports it with the real binary, starts the real server to measure cold start,
//! durable submits over HTTP (8 clients), time until searchable and peak memory, then measures search,
//! the evidence page and the goal overview in process, and the same queries in SQLite and PostgreSQL.
//! It prints a Markdown report with every target marked ✓ or ✗.

// Shared with the reliability benchmark, which uses more of it.
#[allow(dead_code)]
#[path = "../common/client.rs"]
mod client;
mod engines;
mod server;

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use verhalenbank::index::{Scope, SearchIndex, SearchRequest};
use verhalenbank::store::Store;
use verhalenbank::story::render::plain_text;
use verhalenbank_dev::corpus::Material;
use verhalenbank_dev::queries::{self, GeneratedQuery, QueryKind};
use verhalenbank_dev::{Percentiles, millis};

use engines::{Postgres, Sqlite};

struct Options {
    sizes: Vec<usize>,
    seed: u64,
    work: PathBuf,
    rounds: usize,
    submits_per_client: usize,
    postgres: bool,
    /// Only search, on the data folder an earlier run left, and report per kind of query: for profiling.
    search_only: bool,
    /// Only the server and page figures, on the data folder an earlier run left.
    serve_only: bool,
}

impl Options {
    fn parse() -> Options {
        let mut options = Options {
            sizes: vec![100_000],
            seed: 7,
            work: verhalenbank_dev::root().join("target/bench-scale"),
            rounds: 3,
            submits_per_client: 250,
            postgres: true,
            search_only: false,
            serve_only: false,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value = || args.next().unwrap_or_else(|| panic!("{arg} needs a value"));
            match arg.as_str() {
                "--stories" => {
                    options.sizes = value()
                        .split(',')
                        .map(|n| n.replace('_', "").parse().expect("--stories takes numbers"))
                        .collect()
                }
                "--seed" => options.seed = value().parse().expect("--seed takes a number"),
                "--work" => options.work = PathBuf::from(value()),
                "--rounds" => options.rounds = value().parse().expect("--rounds takes a number"),
                "--submits" => {
                    options.submits_per_client = value().parse().expect("--submits takes a number")
                }
                "--no-postgres" => options.postgres = false,
                "--search-only" => options.search_only = true,
                "--serve-only" => options.serve_only = true,
                // cargo bench passes this to every bench target.
                "--bench" => {}
                other => panic!("unknown option {other}"),
            }
        }
        options
    }
}

/// One line of the report: what, the figure, and the target if there is one.
struct Row {
    what: String,
    figure: String,
    target: Option<(String, bool)>,
}

fn row(what: &str, figure: String) -> Row {
    Row {
        what: what.to_string(),
        figure,
        target: None,
    }
}

fn target(what: &str, figure: String, target: &str, met: bool) -> Row {
    Row {
        what: what.to_string(),
        figure,
        target: Some((target.to_string(), met)),
    }
}

/// Targets per size: (import/s, search p50, search p99, evidence p99, rss MB); 100k and 1M.
fn targets(size: usize) -> (f64, f64, f64, f64, f64) {
    if size >= 1_000_000 {
        (2000.0, 5.0, 30.0, 10.0, 600.0)
    } else {
        (3000.0, 3.0, 10.0, 5.0, 250.0)
    }
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

fn main() -> anyhow::Result<()> {
    let options = Options::parse();
    std::fs::create_dir_all(&options.work)?;
    let binary = verhalenbank_dev::product_binary()?;
    let sample = verhalenbank_dev::root().join("stories-sample");
    let material = Material::load(&sample)?;
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    let memory = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|m| {
            m.lines()
                .find(|l| l.starts_with("MemTotal"))
                .and_then(|l| l.split_whitespace().nth(1).map(str::to_string))
        })
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(0.0, |kb| kb / 1024.0 / 1024.0);
    println!("# Scale benchmark\n");
    println!(
        "machine: {cores} cores, {memory:.0} GiB memory; seed {}; {} rounds of the query set\n",
        options.seed, options.rounds
    );
    if options.serve_only {
        for &size in &options.sizes {
            serve_only(&options, size, &binary, &material)?;
        }
        return Ok(());
    }
    if options.search_only {
        for &size in &options.sizes {
            search_only(&options, size, &material)?;
        }
        return Ok(());
    }
    let postgres = if options.postgres {
        match Postgres::start() {
            Ok(pg) => Some(pg),
            Err(error) => {
                println!("PostgreSQL could not be started, so it is left out: {error:#}\n");
                None
            }
        }
    } else {
        println!("PostgreSQL left out (--no-postgres)\n");
        None
    };
    for &size in &options.sizes {
        run_size(&options, size, &binary, &material, postgres.as_ref())?;
    }
    Ok(())
}

fn run_size(
    options: &Options,
    size: usize,
    binary: &Path,
    material: &Material,
    postgres: Option<&Postgres>,
) -> anyhow::Result<()> {
    let work = options.work.join(format!("{size}"));
    let corpus = work.join("corpus");
    let data = work.join("data");
    let _ = std::fs::remove_dir_all(&work);
    std::fs::create_dir_all(&work)?;
    eprintln!("[{size}] generating the corpus");
    let started = Instant::now();
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let generated = material.write(
        &corpus,
        size,
        options.seed,
        threads,
        &indicatif::ProgressBar::hidden(),
    )?;
    let generation = started.elapsed();

    eprintln!("[{size}] importing with the binary");
    let started = Instant::now();
    let status = std::process::Command::new(binary)
        .arg("--data-dir")
        .arg(&data)
        .arg("import")
        .arg(&corpus)
        .env("RUST_LOG", "warn")
        .stdout(std::process::Stdio::null())
        .status()?;
    anyhow::ensure!(status.success(), "import failed");
    let import = started.elapsed();
    let disk = folder_bytes(&data);
    // Figures go to stderr as they are measured, so a long run that is cut short still tells something.
    eprintln!(
        "[{size}] import {:.0} stories/s, {:.0} MB on disk",
        size as f64 / import.as_secs_f64(),
        disk as f64 / 1e6
    );

    // The query set: 1,000 queries from the words of the corpus's stories.
    let sampled: Vec<_> = (0..size.min(20_000))
        .map(|n| {
            material
                .story(options.seed, n * (size / size.min(20_000)))
                .0
        })
        .collect();
    let queries = queries::generate(&sampled, 1000, options.seed);
    drop(sampled);
    let texts: Vec<String> = queries.iter().map(|q| q.text.clone()).collect();

    eprintln!("[{size}] server: cold start, submits, memory");
    let served = server::measure(binary, &data, options.submits_per_client, &texts)?;
    eprintln!(
        "[{size}] submit p50 {} p99 {}, searchable max {}, cold start {:.2} s, peak RSS {:.0} MB",
        millis(served.ack.p50),
        millis(served.ack.p99),
        millis(served.searchable.max),
        served.cold_start.as_secs_f64(),
        served.peak_rss as f64 / 1024.0 / 1024.0
    );

    eprintln!("[{size}] pages in process");
    let pages = verhalenbank_dev::pages::page_bench(&data, 200)?;
    for (path, p) in &pages {
        eprintln!(
            "[{size}] {path}: p50 {} p99 {}",
            millis(p.p50),
            millis(p.p99)
        );
    }

    eprintln!("[{size}] query set");
    let store = Store::open(&data.join("store"))?;
    let index = SearchIndex::open(&data.join("index"), &store)?;
    let inflected: HashSet<String> = queries
        .iter()
        .filter(|q| q.kind == QueryKind::Inflected)
        .map(|q| q.word.clone())
        .collect();

    eprintln!("[{size}] loading SQLite");
    let mut sqlite_load = Duration::ZERO;
    let mut truth: HashMap<String, HashSet<String>> = HashMap::new();
    let sqlite_path = work.join("sqlite.db");
    let mut sqlite = Sqlite::create(&sqlite_path)?;
    let mut pg_loader = match postgres {
        Some(pg) => Some(pg.loader()?),
        None => None,
    };
    let mut pg_load = Duration::ZERO;
    for n in 0..size {
        let story = material.story(options.seed, n).0;
        let plain = plain_text(&story.text);
        for word in plain
            .split(|c: char| !c.is_alphanumeric())
            .map(str::to_lowercase)
        {
            if inflected.contains(&word) {
                truth.entry(word).or_default().insert(story.id.to_string());
            }
        }
        let started = Instant::now();
        sqlite.add(&story, &plain)?;
        sqlite_load += started.elapsed();
        if let Some(loader) = pg_loader.as_mut() {
            let started = Instant::now();
            loader.add(&story, &plain)?;
            pg_load += started.elapsed();
        }
    }
    let started = Instant::now();
    sqlite.finish()?;
    sqlite_load += started.elapsed();
    let sqlite_bytes = std::fs::metadata(&sqlite_path).map_or(0, |m| m.len());
    let mut pg = match (postgres, pg_loader) {
        (Some(pg), Some(loader)) => {
            eprintln!("[{size}] indexing in PostgreSQL");
            let started = Instant::now();
            loader.finish()?;
            pg_load += started.elapsed();
            Some(pg.searcher()?)
        }
        _ => None,
    };

    eprintln!("[{size}] searching, side by side");
    let side = |facets: bool,
                sqlite: &mut Sqlite,
                pg: &mut Option<engines::PgSearcher>|
     -> anyhow::Result<SideBySide> {
        let mut ours = Vec::new();
        let mut theirs_sqlite = Vec::new();
        let mut theirs_pg = Vec::new();
        // Verhalenbank runs the query set `rounds` times, the others once (at 1M stories one round
        // of theirs takes many minutes); the rounds alternate, so all share the machine's state.
        for round in 0..options.rounds {
            for query in &queries {
                let request = request_for(query);
                let request = if facets { request } else { no_facets(request) };
                let started = Instant::now();
                std::hint::black_box(index.search(&store, &request)?);
                ours.push(started.elapsed());
            }
            if round > 0 {
                continue;
            }
            for query in &queries {
                let started = Instant::now();
                std::hint::black_box(sqlite.search(query, facets)?);
                theirs_sqlite.push(started.elapsed());
            }
            if let Some(pg) = pg.as_mut() {
                for query in &queries {
                    let started = Instant::now();
                    std::hint::black_box(pg.search(query, facets)?);
                    theirs_pg.push(started.elapsed());
                }
            }
        }
        Ok((
            Percentiles::of(ours),
            Percentiles::of(theirs_sqlite),
            (!theirs_pg.is_empty()).then(|| Percentiles::of(theirs_pg)),
        ))
    };
    let (ours, sqlite_p, pg_p) = side(true, &mut sqlite, &mut pg)?;
    // What a search without facets asks (an API call with `facets=none`): the top 10 with
    // snippets; Verhalenbank also counts the total up to its limit, the others count nothing.
    let (ours_top, sqlite_top, pg_top) = side(false, &mut sqlite, &mut pg)?;
    eprintln!(
        "[{size}] search p50/p99: ours {}/{}, SQLite {}/{} (loaded in {:.0} s){}",
        millis(ours.p50),
        millis(ours.p99),
        millis(sqlite_p.p50),
        millis(sqlite_p.p99),
        sqlite_load.as_secs_f64(),
        pg_p.as_ref().map_or(String::new(), |p| format!(
            ", PostgreSQL {}/{} (loaded in {:.0} s)",
            millis(p.p50),
            millis(p.p99),
            pg_load.as_secs_f64()
        ))
    );

    eprintln!("[{size}] recall on the inflection cases");
    let mut recall = Recall::default();
    for query in queries.iter().filter(|q| q.kind == QueryKind::Inflected) {
        let Some(expected) = truth.get(&query.word) else {
            continue;
        };
        // Very common words are left out: fetching every match of them says nothing about stemming.
        if expected.len() > 5_000 {
            continue;
        }
        let mut request = SearchRequest::new(&query.text, Scope::Municipality);
        request.snippets = false;
        request.facets = Some(Vec::new());
        request.per_page = 50_000;
        let found: HashSet<String> = index
            .search_up_to(&store, &request, 50_000)?
            .hits
            .into_iter()
            .map(|hit| hit.story.id.to_string())
            .collect();
        recall.add(Engine::Ours, expected, &found);
        recall.add(Engine::Sqlite, expected, &sqlite.matching(&query.text)?);
        if let Some(pg) = pg.as_mut() {
            recall.add(Engine::Postgres, expected, &pg.matching(&query.text)?);
        }
    }

    // The report.
    let (import_target, p50_target, p99_target, evidence_target, rss_target) = targets(size);
    let import_rate = size as f64 / import.as_secs_f64();
    let raw = generated.text_bytes as f64;
    let mut rows = vec![
        row(
            "corpus",
            format!(
                "{} stories, {:.0} MB of text, generated in {:.1} s",
                generated.stories,
                raw / 1e6,
                generation.as_secs_f64()
            ),
        ),
        target(
            "bulk import (parse, detect language, store durably, index)",
            format!("{import_rate:.0} stories/s ({:.1} s)", import.as_secs_f64()),
            &format!("≥{import_target:.0}/s"),
            import_rate >= import_target,
        ),
        target(
            "submit over HTTP, acknowledged durably, 8 clients: p50",
            millis(served.ack.p50),
            "≤2 ms",
            ms(served.ack.p50) <= 2.0,
        ),
        target(
            "submit, p99",
            format!("{} ({} submits)", millis(served.ack.p99), served.ack.count),
            "≤10 ms",
            ms(served.ack.p99) <= 10.0,
        ),
        target(
            "searchable after acknowledgement: p50 / max",
            format!(
                "{} / {} ({} checked)",
                millis(served.searchable.p50),
                millis(served.searchable.max),
                served.searchable.count
            ),
            "≤1 s",
            served.searchable.max <= Duration::from_secs(1),
        ),
        target(
            "search, top 10 with snippets and facet counts: p50",
            millis(ours.p50),
            &format!("≤{p50_target} ms"),
            ms(ours.p50) <= p50_target,
        ),
        target(
            "search p99",
            format!("{} ({} searches)", millis(ours.p99), ours.count),
            &format!("≤{p99_target} ms"),
            ms(ours.p99) <= p99_target,
        ),
    ];
    for (path, p) in &pages {
        let name = if path == "/" {
            "goal overview"
        } else if path.starts_with("/indicator") {
            "evidence page"
        } else {
            "search page"
        };
        let figure = format!("p50 {}  p99 {}", millis(p.p50), millis(p.p99));
        if name == "evidence page" {
            rows.push(target(
                &format!("{name} ({path}), server time"),
                figure,
                &format!("p99 ≤{evidence_target} ms"),
                ms(p.p99) <= evidence_target,
            ));
        } else {
            rows.push(row(&format!("{name} ({path}), server time"), figure));
        }
    }
    let rss = served.peak_rss as f64 / 1024.0 / 1024.0;
    rows.push(target(
        "server peak RSS",
        format!("{rss:.0} MB"),
        &format!("≤{rss_target:.0} MB"),
        rss <= rss_target,
    ));
    rows.push(target(
        "size on disk (store + index) against raw text",
        format!(
            "{:.0} MB = {:.2}× {:.0} MB",
            disk as f64 / 1e6,
            disk as f64 / raw,
            raw / 1e6
        ),
        "≤3×",
        disk as f64 <= 3.0 * raw,
    ));
    rows.push(row(
        "search over HTTP, 8 clients, the query set once: p50 / p99",
        format!(
            "{} / {}",
            millis(served.http_search.p50),
            millis(served.http_search.p99)
        ),
    ));
    rows.push(row(
        "cold start until the first search answers",
        format!("{:.2} s", served.cold_start.as_secs_f64()),
    ));
    rows.push(row(
        "SQLite FTS5: load and index",
        format!(
            "{:.1} s, {:.0} MB on disk",
            sqlite_load.as_secs_f64(),
            sqlite_bytes as f64 / 1e6
        ),
    ));
    rows.push(ratio_row("SQLite FTS5", &ours, &sqlite_p));
    if let Some(pg_p) = &pg_p {
        rows.push(row(
            "PostgreSQL: load and index",
            format!("{:.1} s", pg_load.as_secs_f64()),
        ));
        rows.push(ratio_row("PostgreSQL", &ours, pg_p));
    }
    rows.push(row(
        "search, top 10 with snippets, no facets: p50 / p99",
        format!("{} / {}", millis(ours_top.p50), millis(ours_top.p99)),
    ));
    rows.push(ratio_row("SQLite FTS5, no facets", &ours_top, &sqlite_top));
    if let Some(pg_top) = &pg_top {
        rows.push(ratio_row("PostgreSQL, no facets", &ours_top, pg_top));
    }
    rows.push(row("recall on the inflection cases", recall.describe()));

    println!("## {size} stories\n");
    println!("| measured | figure | target | |");
    println!("| --- | --- | --- | --- |");
    for row in rows {
        let (target, mark) = match row.target {
            Some((target, met)) => (target, if met { "✓" } else { "✗" }),
            None => (String::new(), ""),
        };
        println!("| {} | {} | {} | {} |", row.what, row.figure, target, mark);
    }
    println!();
    drop(index);
    drop(store);
    let _ = std::fs::remove_dir_all(&corpus);
    Ok(())
}

/// The query set `rounds` times on an earlier run's data folder, with percentiles per kind of query.
fn search_only(options: &Options, size: usize, material: &Material) -> anyhow::Result<()> {
    let data = options.work.join(format!("{size}")).join("data");
    let store = Store::open(&data.join("store"))?;
    let index = SearchIndex::open(&data.join("index"), &store)?;
    let queries = query_set(material, size, options.seed);
    for (variant, asks) in SEARCH_VARIANTS {
        let mut by_kind: std::collections::BTreeMap<String, Vec<Duration>> = Default::default();
        let mut estimated = 0;
        for _ in 0..options.rounds {
            for query in &queries {
                let request = asks(request_for(query));
                let started = Instant::now();
                let results = std::hint::black_box(index.search(&store, &request)?);
                let elapsed = started.elapsed();
                estimated += usize::from(!results.total_exact);
                let kind = format!(
                    "{:?}{}",
                    query.kind,
                    if query.filters.is_empty() {
                        ""
                    } else {
                        " + filter"
                    }
                );
                by_kind.entry(kind).or_default().push(elapsed);
            }
        }
        let all: Vec<Duration> = by_kind.values().flatten().copied().collect();
        let all = Percentiles::of(all);
        println!(
            "{variant}: all: p50 {} p99 {} ({estimated} of {} totals estimated)",
            millis(all.p50),
            millis(all.p99),
            all.count
        );
        for (kind, samples) in by_kind {
            let p = Percentiles::of(samples);
            println!(
                "{variant}: {kind}: {} searches, p50 {} p99 {}",
                p.count,
                millis(p.p50),
                millis(p.p99)
            );
        }
    }
    Ok(())
}

/// Verhalenbank's, SQLite's and (when it runs) PostgreSQL's search times on the same queries.
type SideBySide = (Percentiles, Percentiles, Option<Percentiles>);

/// What a search asks besides its words, side by side in `--search-only`: every facet counted (the
/// API's default and the engines' comparison), the facets the search page shows, and none (an API
/// call with `facets=none`: the top hits alone, the total exact up to a limit), and none with an
/// exact total (how a search without facets ran before the top hits could be taken alone).
type Asks = fn(SearchRequest) -> SearchRequest;
const SEARCH_VARIANTS: [(&str, Asks); 4] = [
    ("all facets", |request| request),
    ("search page facets", search_page_facets),
    ("no facets", no_facets),
    ("no facets, exact total", |request| SearchRequest {
        exact_total: true,
        ..no_facets(request)
    }),
];

/// The facets the search page counts (its `SHOWN` and the answers to questions).
fn search_page_facets(mut request: SearchRequest) -> SearchRequest {
    use verhalenbank::index::FacetField;
    use verhalenbank::present::views::SEARCH_PAGE_FACETS;
    request.facets = Some(
        SEARCH_PAGE_FACETS
            .into_iter()
            .chain([FacetField::Answer])
            .collect(),
    );
    request
}

fn no_facets(mut request: SearchRequest) -> SearchRequest {
    request.facets = Some(Vec::new());
    request.exact_total = false;
    request
}

/// Cold start, submits, searchable, HTTP searches, peak memory and page server times on an earlier
/// run's data folder.
fn serve_only(
    options: &Options,
    size: usize,
    binary: &Path,
    material: &Material,
) -> anyhow::Result<()> {
    let data = options.work.join(format!("{size}")).join("data");
    println!("disk: {:.0} MB", folder_bytes(&data) as f64 / 1e6);
    let texts: Vec<String> = query_set(material, size, options.seed)
        .into_iter()
        .map(|q| q.text)
        .collect();
    let served = server::measure(binary, &data, options.submits_per_client, &texts)?;
    println!(
        "cold start {:.2} s; submit p50 {} p99 {} ({}); searchable p50 {} max {} ({}); HTTP search p50 {} p99 {}; peak RSS {:.0} MB",
        served.cold_start.as_secs_f64(),
        millis(served.ack.p50),
        millis(served.ack.p99),
        served.ack.count,
        millis(served.searchable.p50),
        millis(served.searchable.max),
        served.searchable.count,
        millis(served.http_search.p50),
        millis(served.http_search.p99),
        served.peak_rss as f64 / 1024.0 / 1024.0
    );
    for (path, p) in verhalenbank_dev::pages::page_bench(&data, 200)? {
        println!("{path}: p50 {} p99 {}", millis(p.p50), millis(p.p99));
    }
    Ok(())
}

/// The query set: 1,000 queries from the words of (up to 20,000 of) the corpus's stories.
fn query_set(material: &Material, size: usize, seed: u64) -> Vec<GeneratedQuery> {
    let step = size / size.min(20_000);
    let sampled: Vec<_> = (0..size.min(20_000))
        .map(|n| material.story(seed, n * step).0)
        .collect();
    queries::generate(&sampled, 1000, seed)
}

fn ratio_row(name: &str, ours: &Percentiles, theirs: &Percentiles) -> Row {
    let p50 = ms(theirs.p50) / ms(ours.p50).max(1e-6);
    let p99 = ms(theirs.p99) / ms(ours.p99).max(1e-6);
    target(
        &format!("{name}: same queries, p50 / p99 (times slower than Verhalenbank)"),
        format!(
            "{} / {} ({p50:.1}× / {p99:.1}×)",
            millis(theirs.p50),
            millis(theirs.p99)
        ),
        "≥5× at both",
        p50 >= 5.0 && p99 >= 5.0,
    )
}

fn request_for(query: &GeneratedQuery) -> SearchRequest {
    let mut request = SearchRequest::new(&query.text, Scope::Municipality);
    for (field, value) in &query.filters {
        request = request.filter(*field, value);
    }
    request
}

#[derive(Clone, Copy, PartialEq, Eq, Hash)]
enum Engine {
    Ours,
    Sqlite,
    Postgres,
}

/// Found against expected, summed over the inflection cases.
#[derive(Default)]
struct Recall {
    found: HashMap<Engine, (usize, usize)>,
    cases: usize,
}

impl Recall {
    fn add(&mut self, engine: Engine, expected: &HashSet<String>, found: &HashSet<String>) {
        if engine == Engine::Ours {
            self.cases += 1;
        }
        let entry = self.found.entry(engine).or_default();
        entry.0 += expected.iter().filter(|id| found.contains(*id)).count();
        entry.1 += expected.len();
    }

    fn describe(&self) -> String {
        let of = |engine: Engine| {
            self.found
                .get(&engine)
                .map_or("–".to_string(), |(hit, all)| {
                    format!("{:.3}", *hit as f64 / (*all).max(1) as f64)
                })
        };
        format!(
            "Verhalenbank {}, SQLite FTS5 {}, PostgreSQL {} (over {} queries: stories holding the uninflected word, found by its inflected form)",
            of(Engine::Ours),
            of(Engine::Sqlite),
            of(Engine::Postgres),
            self.cases
        )
    }
}

/// Bytes of every file under `folder`.
fn folder_bytes(folder: &Path) -> u64 {
    walkdir::WalkDir::new(folder)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|entry| entry.file_type().is_file())
        .filter_map(|entry| entry.metadata().ok())
        .map(|metadata| metadata.len())
        .sum()
}
