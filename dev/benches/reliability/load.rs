//! The load test: the real server on a generated corpus, 50 clients on loopback sending a steady 200
//! requests per second in all, mixed as people use the bank (search pages, evidence pages, story pages
//! and submissions over the API), for 60 seconds. Latency counts from when a request was due, not from
//! when it was sent, so a server that falls behind cannot hide it. The server's memory is read every
//! second to see whether it grows.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use verhalenbank::store::Store;
use verhalenbank_dev::rng::Rng;
use verhalenbank_dev::{Percentiles, millis};

use crate::client::{
    Running, free_port, letters, make_token, memory, new_agent, on_clients, story_json,
};

/// The kinds of request, with their share of the traffic.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    Search,
    Evidence,
    Story,
    Submit,
}

const MIX: [(Kind, f64); 4] = [
    (Kind::Search, 0.40),
    (Kind::Evidence, 0.25),
    (Kind::Story, 0.25),
    (Kind::Submit, 0.10),
];

pub struct Options {
    pub stories: usize,
    pub seconds: u64,
    pub clients: usize,
    pub rate: f64,
    pub seed: u64,
    /// Searches instead of submissions: the bank keeps its size.
    pub read_only: bool,
}

pub struct Report {
    pub requests: usize,
    pub errors: usize,
    pub first_error: Option<String>,
    pub all: Percentiles,
    pub per_kind: Vec<(Kind, Percentiles)>,
    pub achieved_rate: f64,
    /// Resident memory: the median of the first and of the last quarter of the run, and the peak.
    pub rss_early: u64,
    pub rss_late: u64,
    pub rss_peak: u64,
    /// The same for the server's own (anonymous) memory, without the mapped index and store files
    /// the kernel may page out: where a leak would show.
    pub anon_early: u64,
    pub anon_late: u64,
    /// The CSV with the server's memory second by second.
    pub memory_series: PathBuf,
}

const PASSWORD: &str = "belasting-proef-wachtwoord";

pub fn run(binary: &Path, work: &Path, options: &Options) -> anyhow::Result<Report> {
    let corpus = work.join("corpus");
    let data = work.join("data");
    // The imported corpus is kept between runs of the same size: generating and importing 100k
    // stories takes minutes and is measured by the scale benchmark.
    let ready_marker = work.join("imported");
    if !ready_marker.exists() {
        let _ = std::fs::remove_dir_all(work);
        std::fs::create_dir_all(work)?;
        eprintln!(
            "[load] generating and importing {} stories",
            options.stories
        );
        verhalenbank_dev::corpus::generate(
            &verhalenbank_dev::root().join("stories-sample"),
            &corpus,
            options.stories,
            options.seed,
            &indicatif::ProgressBar::hidden(),
        )?;
        run_binary(
            binary,
            &[
                "--data-dir",
                &data.to_string_lossy(),
                "import",
                &corpus.to_string_lossy(),
            ],
            None,
        )?;
        run_binary(
            binary,
            &[
                "--data-dir",
                &data.to_string_lossy(),
                "user",
                "add",
                "belasting",
                "--role",
                "analyst",
                "--password-stdin",
            ],
            Some(PASSWORD),
        )?;
        let _ = std::fs::remove_dir_all(&corpus);
        std::fs::write(&ready_marker, "")?;
    }
    let token = make_token(binary, &data, "buurtwerk")?;

    // What the clients ask for: stories and indicators that exist, words from the stories.
    let (story_ids, indicators, words) = {
        let store = Store::open(&data.join("store"))?;
        let step = (store.story_count() / 2_000).max(1);
        let mut ids = Vec::new();
        let mut words = Vec::new();
        for (n, story) in store.stories().enumerate() {
            if n % step != 0 {
                continue;
            }
            let story = story?;
            ids.push(story.id.to_string());
            words.extend(
                story
                    .title
                    .split(|c: char| !c.is_alphabetic())
                    .filter(|word| word.chars().count() >= 4)
                    .map(str::to_lowercase),
            );
        }
        let tree = store.goal_tree()?.unwrap_or_default();
        let indicators: Vec<String> = tree.indicators.iter().map(|i| i.id.to_string()).collect();
        (ids, indicators, words)
    };
    anyhow::ensure!(
        !story_ids.is_empty() && !indicators.is_empty() && !words.is_empty(),
        "the corpus has no stories, indicators or words to ask for"
    );

    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let server = Running::start(binary, &data, port, &["--no-demo"])?;
    let agent = new_agent();
    let started = Instant::now();
    while agent.get(&format!("{base}/inloggen")).call().is_err() {
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(300),
            "the server did not start"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let cookie = login(&base)?;

    let pid = server.pid();
    let total = (options.rate * options.seconds as f64) as usize;
    let clients = options.clients;
    let interval = Duration::from_secs_f64(1.0 / options.rate);
    let sampler_stop = std::sync::atomic::AtomicBool::new(false);
    let (results, rss, span) = std::thread::scope(|scope| {
        let sampler = scope.spawn(|| {
            let mut samples = Vec::new();
            while !sampler_stop.load(std::sync::atomic::Ordering::Relaxed) {
                samples.push((memory(pid, "VmRSS:"), memory(pid, "RssAnon:")));
                std::thread::sleep(Duration::from_secs(1));
            }
            samples
        });
        let start = Instant::now() + Duration::from_millis(200);
        let results = on_clients(clients, |client| {
            let agent = new_agent();
            let mut rng = Rng::new(options.seed ^ ((client as u64 + 1) * 0x1000_0001));
            let mut samples = Vec::new();
            let mut errors = Vec::new();
            for k in (client..total).step_by(clients) {
                let due = start + interval * k as u32;
                if let Some(wait) = due.checked_duration_since(Instant::now()) {
                    std::thread::sleep(wait);
                }
                let kind = match pick(&mut rng) {
                    Kind::Submit if options.read_only => Kind::Search,
                    kind => kind,
                };
                let outcome = match kind {
                    Kind::Search => {
                        let mut query = rng.pick(&words).clone();
                        if rng.chance(0.3) {
                            query = format!("{query} {}", rng.pick(&words));
                        }
                        get(&agent, &format!("{base}/zoeken"), &[("q", &query)], &cookie)
                    }
                    Kind::Evidence => get(
                        &agent,
                        &format!("{base}/indicator/{}", rng.pick(&indicators)),
                        &[],
                        &cookie,
                    ),
                    Kind::Story => get(
                        &agent,
                        &format!("{base}/verhaal/{}", rng.pick(&story_ids)),
                        &[],
                        &cookie,
                    ),
                    Kind::Submit => {
                        let marker = format!("lastmerk{}q", letters(k));
                        match crate::client::submit(&agent, &base, &token, &story_json(k, &marker))
                        {
                            Ok(Some(_)) => Ok(()),
                            Ok(None) => Err("a submit was not acknowledged".to_string()),
                            Err(error) => Err(error.to_string()),
                        }
                    }
                };
                samples.push((kind, due.elapsed()));
                if let Err(error) = outcome {
                    errors.push(format!("{kind:?}: {error}"));
                }
            }
            Ok((samples, errors))
        });
        let span = start.elapsed();
        sampler_stop.store(true, std::sync::atomic::Ordering::Relaxed);
        (results, sampler.join().expect("the sampler ran"), span)
    });
    let results = results?;
    let rss_peak = memory(pid, "VmHWM:");
    drop(server);

    let mut all = Vec::new();
    let mut errors = Vec::new();
    for (samples, client_errors) in results {
        all.extend(samples);
        errors.extend(client_errors);
    }
    let achieved_rate = all.len() as f64 / span.as_secs_f64();
    let per_kind = MIX
        .iter()
        .map(|(kind, _)| {
            let of_kind = all
                .iter()
                .filter(|(k, _)| k == kind)
                .map(|(_, d)| *d)
                .collect();
            (*kind, Percentiles::of(of_kind))
        })
        .collect();
    let memory_series = work.join("memory.csv");
    write_memory_series(&memory_series, &rss)?;
    let quarter = (rss.len() / 4).max(1);
    Ok(Report {
        requests: all.len(),
        errors: errors.len(),
        first_error: errors.first().cloned(),
        all: Percentiles::of(all.into_iter().map(|(_, d)| d).collect()),
        per_kind,
        achieved_rate,
        rss_early: median(rss[..quarter.min(rss.len())].iter().map(|s| s.0)),
        rss_late: median(rss[rss.len().saturating_sub(quarter)..].iter().map(|s| s.0)),
        rss_peak,
        anon_early: median(rss[..quarter.min(rss.len())].iter().map(|s| s.1)),
        anon_late: median(rss[rss.len().saturating_sub(quarter)..].iter().map(|s| s.1)),
        memory_series,
    })
}

/// The server's memory second by second, for a chart or a closer look at how it grows.
fn write_memory_series(path: &Path, samples: &[(u64, u64)]) -> anyhow::Result<()> {
    let mut csv = String::from("second,rss_bytes,rss_anon_bytes\n");
    for (second, (rss, anon)) in samples.iter().enumerate() {
        csv.push_str(&format!("{second},{rss},{anon}\n"));
    }
    std::fs::write(path, csv)?;
    Ok(())
}

fn median(samples: impl Iterator<Item = u64>) -> u64 {
    let mut sorted: Vec<u64> = samples.collect();
    sorted.sort_unstable();
    sorted.get(sorted.len() / 2).copied().unwrap_or(0)
}

fn pick(rng: &mut Rng) -> Kind {
    let mut draw = rng.unit();
    for (kind, share) in MIX {
        if draw < share {
            return kind;
        }
        draw -= share;
    }
    Kind::Search
}

/// A page as a logged-in analyst asks for it; any answer but 200 is an error.
fn get(agent: &ureq::Agent, url: &str, query: &[(&str, &str)], cookie: &str) -> Result<(), String> {
    let mut request = agent.get(url).header("Cookie", cookie);
    for (key, value) in query {
        request = request.query(*key, *value);
    }
    let mut response = request.call().map_err(|error| error.to_string())?;
    let _ = response
        .body_mut()
        .read_to_vec()
        .map_err(|error| error.to_string())?;
    match response.status().as_u16() {
        200 => Ok(()),
        other => Err(format!("{url} answered {other}")),
    }
}

/// Logs in as the load test's analyst; returns the session cookie as `name=value`.
fn login(base: &str) -> anyhow::Result<String> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .max_redirects(0)
        .build()
        .into();
    let response = agent
        .post(&format!("{base}/inloggen"))
        .send_form([("naam", "belasting"), ("wachtwoord", PASSWORD)])?;
    anyhow::ensure!(
        response.status() == 303,
        "logging in answered {}",
        response.status()
    );
    let cookie = response
        .headers()
        .get("set-cookie")
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .ok_or_else(|| anyhow::anyhow!("logging in set no cookie"))?;
    Ok(cookie.to_string())
}

fn run_binary(binary: &Path, args: &[&str], stdin: Option<&str>) -> anyhow::Result<()> {
    use std::io::Write;
    let mut child = Command::new(binary)
        .args(args)
        .env("RUST_LOG", "warn")
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::null())
        .spawn()?;
    if let Some(text) = stdin {
        writeln!(child.stdin.take().expect("stdin is piped"), "{text}")?;
    }
    drop(child.stdin.take());
    let status = child.wait()?;
    anyhow::ensure!(status.success(), "verhalenbank {} failed", args.join(" "));
    Ok(())
}

/// The report's figures as text, for the terminal and RELIABILITY.md.
pub fn describe(report: &Report) -> String {
    let mut out = format!(
        "{} requests ({:.0}/s), {} errors; all: p50 {} p99 {} max {}\n",
        report.requests,
        report.achieved_rate,
        report.errors,
        millis(report.all.p50),
        millis(report.all.p99),
        millis(report.all.max)
    );
    for (kind, p) in &report.per_kind {
        out += &format!(
            "  {kind:?}: {} requests, p50 {} p99 {}\n",
            p.count,
            millis(p.p50),
            millis(p.p99)
        );
    }
    out += &format!(
        "server memory (RSS): {:.0} MB in the first quarter, {:.0} MB in the last, peak {:.0} MB\n",
        report.rss_early as f64 / 1e6,
        report.rss_late as f64 / 1e6,
        report.rss_peak as f64 / 1e6
    );
    out += &format!(
        "server's own memory (RssAnon, without mapped files): {:.0} MB in the first quarter, {:.0} MB in the last\n",
        report.anon_early as f64 / 1e6,
        report.anon_late as f64 / 1e6
    );
    if let Some(error) = &report.first_error {
        out += &format!("first error: {error}\n");
    }
    out
}
