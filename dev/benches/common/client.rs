//! Driving the real server from outside, shared by the scale and reliability benchmarks: start `serve`
//! on a data folder, make an API token with the binary, submit and search over the JSON API, read the
//! server's memory from /proc.

use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

/// An HTTP client that reports every status as an answer (not an error) and gives up after 60 s.
pub fn new_agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(60)))
        .build()
        .into()
}

/// Makes an API token for `provider` with the binary (the server must not be running).
pub fn make_token(binary: &Path, data: &Path, provider: &str) -> anyhow::Result<String> {
    let output = Command::new(binary)
        .arg("--data-dir")
        .arg(data)
        .args(["token", "add", "--provider", provider])
        .env("RUST_LOG", "warn")
        .output()?;
    anyhow::ensure!(
        output.status.success(),
        "token add failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout)
        .split_whitespace()
        .find(|word| word.starts_with("vbk_"))
        .map(str::to_string)
        .ok_or_else(|| anyhow::anyhow!("token add printed no token"))
}

/// How many stories a search over the API finds.
pub fn found(agent: &ureq::Agent, base: &str, token: &str, query: &str) -> anyhow::Result<u64> {
    Ok(search(agent, base, token, query)?.0)
}

/// A search over the API: how many stories it finds, and the ids of the first page.
pub fn search(
    agent: &ureq::Agent,
    base: &str,
    token: &str,
    query: &str,
) -> anyhow::Result<(u64, Vec<String>)> {
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
    let ids = body["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|hit| hit["story"]["id"].as_str().map(str::to_string))
        .collect();
    Ok((body["total"].as_u64().unwrap_or(0), ids))
}

/// Whether the API has the story with `id` (200), or not (404).
pub fn has_story(agent: &ureq::Agent, base: &str, token: &str, id: &str) -> anyhow::Result<bool> {
    let response = agent
        .get(&format!("{base}/api/v1/stories/{id}"))
        .header("Authorization", &format!("Bearer {token}"))
        .call()?;
    match response.status().as_u16() {
        200 => Ok(true),
        404 => Ok(false),
        other => anyhow::bail!("story lookup answered {other}"),
    }
}

/// A story as a provider's system submits it: professional, internal, in Molenwijk, with `marker`
/// (one word) in its text so a search can find exactly this story.
pub fn story_json(n: usize, marker: &str) -> String {
    serde_json::json!({
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
    .to_string()
}

/// Submits one story over the API; returns its id when the server acknowledged it (201), `None` for
/// any other answer, and an error when the connection failed.
pub fn submit(
    agent: &ureq::Agent,
    base: &str,
    token: &str,
    body: &str,
) -> anyhow::Result<Option<String>> {
    let mut response = agent
        .post(&format!("{base}/api/v1/stories"))
        .header("Authorization", &format!("Bearer {token}"))
        .header("Content-Type", "application/json")
        .send(body)?;
    let text = response.body_mut().read_to_string()?;
    if response.status() != 201 {
        return Ok(None);
    }
    let body: serde_json::Value = serde_json::from_str(&text)?;
    Ok(body["id"].as_str().map(str::to_string))
}

/// A running `serve`; stopped with SIGTERM when dropped.
pub struct Running(Option<Child>);

impl Running {
    /// Starts `verhalenbank --data-dir DATA serve --bind 127.0.0.1:PORT args...` in the repository root.
    pub fn start(binary: &Path, data: &Path, port: u16, args: &[&str]) -> anyhow::Result<Running> {
        let child = Command::new(binary)
            .arg("--data-dir")
            .arg(data)
            .args(["serve", "--bind", &format!("127.0.0.1:{port}")])
            .args(args)
            .current_dir(verhalenbank_dev::root())
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()?;
        Ok(Running(Some(child)))
    }

    pub fn pid(&self) -> u32 {
        self.0.as_ref().map_or(0, Child::id)
    }

    /// Kills the server with SIGKILL: no shutdown, no flush.
    pub fn kill(mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(mut child) = self.0.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let _ = child.wait();
        }
    }
}

/// A free loopback port.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?
        .local_addr()?
        .port())
}

/// A memory figure of process `pid` from /proc/PID/status in bytes: `VmHWM` (peak) or `VmRSS` (now).
pub fn memory(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find(|line| line.starts_with(field))
                .and_then(|line| line.split_whitespace().nth(1))
                .and_then(|kb| kb.parse::<u64>().ok())
        })
        .map_or(0, |kb| kb * 1024)
}

/// A number written in letters, so a marker is one word for every analyser.
pub fn letters(mut n: usize) -> String {
    let mut out = String::new();
    loop {
        out.push((b'a' + (n % 26) as u8) as char);
        n /= 26;
        if n == 0 {
            return out;
        }
    }
}

/// Runs `work` for each of `clients` clients on its own thread; the first error wins.
pub fn on_clients<T: Send>(
    clients: usize,
    work: impl Fn(usize) -> anyhow::Result<T> + Sync,
) -> anyhow::Result<Vec<T>> {
    std::thread::scope(|scope| {
        let work = &work;
        let handles: Vec<_> = (0..clients)
            .map(|client| scope.spawn(move || work(client)))
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a client panicked"))
            .collect()
    })
}
