//! The real server, measured from outside: cold start until the first search answers, durable submits
//! through the HTTP API from 8 concurrent clients, the time until each checked story is searchable, the
//! query set over HTTP, and the server's peak resident memory (VmHWM).

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use verhalenbank::bench::Percentiles;

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

fn new_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// Makes an API token for `provider` with the binary.
fn make_token(binary: &Path, data: &Path, provider: &str) -> anyhow::Result<String> {
    let output = Command::new(binary)
        .arg("--data-dir")
        .arg(data)
        .args(["token", "add", "--provider", provider])
        .env("RUST_LOG", "warn")
        .output()?;
    anyhow::ensure!(output.status.success(), "token add failed");
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .find(|word| word.starts_with("vbk_"))
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("token add printed no token"))
}

/// How many stories a search over the API finds.
fn found(agent: &ureq::Agent, base: &str, token: &str, query: &str) -> anyhow::Result<u64> {
    let mut response = agent
        .get(&format!("{base}/api/v1/stories"))
        .query("q", query)
        .header("Authorization", &format!("Bearer {token}"))
        .call()?;
    anyhow::ensure!(
        response.status() == 200,
        "search answered {}",
        response.status()
    );
    let body: serde_json::Value = serde_json::from_str(&response.body_mut().read_to_string()?)?;
    Ok(body["total"].as_u64().unwrap_or(0))
}

struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.0.id().to_string()])
            .status();
        let _ = self.0.wait();
    }
}

fn peak_rss(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with("VmHWM:"))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// Starts `serve` on `data`, measures, and stops it with SIGTERM.
pub fn measure(
    binary: &Path,
    data: &Path,
    per_client: usize,
    queries: &[String],
) -> anyhow::Result<Served> {
    let token = make_token(binary, data, "buurtwerk")?;
    let port = std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let started = Instant::now();
    let child = Command::new(binary)
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--no-demo", "--bind", &format!("127.0.0.1:{port}")])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null())
        .spawn()?;
    let server = Running(child);
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

    let submitted = on_clients(|client| submit(&base, &token, client, per_client))?;
    let mut acks = Vec::new();
    let mut searchable = Vec::new();
    for (a, s) in submitted {
        acks.extend(a);
        searchable.extend(s);
    }

    // The query set over HTTP, from the same 8 clients: real search traffic for the memory figure.
    let searched = on_clients(|client| {
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
    let peak_rss = peak_rss(server.0.id());
    drop(server);
    Ok(Served {
        cold_start,
        ack: Percentiles::of(acks),
        searchable: Percentiles::of(searchable),
        http_search: Percentiles::of(http_search),
        peak_rss,
    })
}

/// Runs `work` for each of the [`CLIENTS`] clients on its own thread; the first error wins.
fn on_clients<T: Send>(work: impl Fn(usize) -> anyhow::Result<T> + Sync) -> anyhow::Result<Vec<T>> {
    std::thread::scope(|scope| {
        let work = &work;
        let handles: Vec<_> = (0..CLIENTS)
            .map(|client| scope.spawn(move || work(client)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a client panicked"))
            .collect()
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
        let body = serde_json::json!({
            "title": format!("Een middag in de buurtkamer {n}"),
            "teller": "professional",
            "valence": "positive",
            "consent": "internal",
            "area": "molenwijk",
            "subgoals": ["sterker-netwerk"],
            "text": format!(
                "Vanmiddag kwamen er twaalf bewoners naar de buurtkamer. Een van hen vertelde dat ze \
                 sinds de verhuizing niemand meer kende in de straat. Nu drinkt ze elke week koffie \
                 met haar buren. ({marker})"
            ),
        })
        .to_string();
        let started = Instant::now();
        let mut response = agent
            .post(&format!("{base}/api/v1/stories"))
            .header("Authorization", &format!("Bearer {token}"))
            .header("Content-Type", "application/json")
            .send(body.as_str())?;
        let _ = response.body_mut().read_to_string()?;
        let acknowledged = started.elapsed();
        anyhow::ensure!(
            response.status() == 201,
            "a submit answered {}",
            response.status()
        );
        acks.push(acknowledged);
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

/// A number written in letters, so the marker is one word for every analyser.
fn letters(mut n: usize) -> String {
    let mut out = String::new();
    loop {
        out.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return out;
        }
    }
}
