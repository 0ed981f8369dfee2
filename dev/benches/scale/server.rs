//! The real server, measured from outside: cold start until the first search answers, durable submits
//! through the HTTP API from 8 concurrent clients, the time until each checked story is searchable, the
//! query set over HTTP, and the server's peak resident memory (VmHWM).

use std::path::Path;
use std::time::{Duration, Instant};

use verhalenbank_dev::Percentiles;

use crate::client::{
    Running, found, free_port, letters, make_token, memory, new_agent, on_clients,
};

pub struct Served {
    pub cold_start: Duration,
    pub ack: Percentiles,
    pub searchable: Percentiles,
    pub http_search: Percentiles,
    pub peak_rss: u64,
}

const CLIENTS: usize = 8;
/// Every this many submits, the client waits until its story is found.
const CHECK_EVERY: usize = 10;

/// Starts `serve` on `data`, measures, and stops it with SIGTERM.
pub fn measure(
    binary: &Path,
    data: &Path,
    per_client: usize,
    queries: &[String],
) -> anyhow::Result<Served> {
    let token = make_token(binary, data, "buurtwerk")?;
    let port = free_port()?;
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let server = Running::start(binary, data, port, &["--no-demo"])?;
    let agent = new_agent();
    loop {
        if let Ok(total) = found(&agent, &base, &token, "buurt") {
            anyhow::ensure!(total > 0, "the first search found nothing");
            break;
        }
        anyhow::ensure!(
            started.elapsed() < Duration::from_secs(600),
            "the server did not answer within 10 minutes"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    let cold_start = started.elapsed();

    let submitted = on_clients(CLIENTS, |client| submit(&base, &token, client, per_client))?;
    let mut acks = Vec::new();
    let mut searchable = Vec::new();
    for (a, s) in submitted {
        acks.extend(a);
        searchable.extend(s);
    }

    // The query set over HTTP, from the same 8 clients: real search traffic for the memory figure.
    let searched = on_clients(CLIENTS, |client| {
        let agent = new_agent();
        let mut samples = Vec::new();
        for query in queries.iter().skip(client).step_by(CLIENTS) {
            let started = Instant::now();
            found(&agent, &base, &token, query)?;
            samples.push(started.elapsed());
        }
        Ok(samples)
    })?;
    let http_search: Vec<Duration> = searched.into_iter().flatten().collect();
    let peak_rss = memory(server.pid(), "VmHWM:");
    drop(server);
    Ok(Served {
        cold_start,
        ack: Percentiles::of(acks),
        searchable: Percentiles::of(searchable),
        http_search: Percentiles::of(http_search),
        peak_rss,
    })
}

/// One client: `count` submits; every [`CHECK_EVERY`]th it waits until its story is found.
fn submit(
    base: &str,
    token: &str,
    client: usize,
    count: usize,
) -> anyhow::Result<(Vec<Duration>, Vec<Duration>)> {
    let agent = new_agent();
    let mut acks = Vec::with_capacity(count);
    let mut searchable = Vec::new();
    for n in 0..count {
        let marker = format!("bankmerk{}", letters(client * 100_000 + n));
        let body = crate::client::story_json(n, &marker);
        let started = Instant::now();
        let acknowledged = crate::client::submit(&agent, base, token, &body)?;
        let took = started.elapsed();
        anyhow::ensure!(acknowledged.is_some(), "a submit was not acknowledged");
        acks.push(took);
        if n % CHECK_EVERY == 0 {
            let acked_at = Instant::now();
            while found(&agent, base, token, &marker)? == 0 {
                anyhow::ensure!(
                    acked_at.elapsed() < Duration::from_secs(30),
                    "a submitted story was not searchable after 30 s"
                );
                std::thread::sleep(Duration::from_millis(1));
            }
            searchable.push(acked_at.elapsed());
        }
    }
    Ok((acks, searchable))
}
