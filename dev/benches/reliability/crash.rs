//! The crash test: the real server, 8 concurrent submitters over the HTTP API, SIGKILL at a random
//! moment, restart, and check that every acknowledged story is in the store and found by search within
//! 5 seconds of the restart. Some kills land while the server is still starting (opening the store,
//! healing the index from the outbox), so recovery itself is crashed too.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use verhalenbank::index::{Scope, SearchIndex, SearchRequest};
use verhalenbank::store::Store;
use verhalenbank::story::StoryId;
use verhalenbank_dev::rng::Rng;
use verhalenbank_dev::{Percentiles, millis};

use crate::client::{
    Running, free_port, has_story, letters, make_token, new_agent, on_clients, search, story_json,
    submit,
};

const SUBMITTERS: usize = 8;
/// Every acknowledged story must be found this soon after the server is started again.
const RECOVERY_LIMIT: Duration = Duration::from_secs(5);

/// One acknowledged story: its id and the one word only it contains.
#[derive(Clone)]
struct Acked {
    id: String,
    marker: String,
}

/// The word only story `n` of `client` in `cycle` contains. It ends in `q`, which no Dutch suffix
/// rule strips, so no two markers stem to the same word.
fn marker(cycle: usize, client: usize, n: usize) -> String {
    format!(
        "crashmerk{}q",
        letters(cycle * 1_000_000 + client * 100_000 + n)
    )
}

pub struct Report {
    pub acknowledged: usize,
    pub lost: usize,
    pub unfindable: usize,
    pub kills_while_starting: usize,
    pub kills_while_submitting: usize,
    pub unacknowledged_but_stored: usize,
    pub ready: Percentiles,
    pub recovered: Percentiles,
}

pub fn run(binary: &Path, work: &Path, cycles: usize, seed: u64) -> anyhow::Result<Report> {
    let _ = std::fs::remove_dir_all(work);
    std::fs::create_dir_all(work)?;
    let data = work.join("data");

    // The first start loads the demo municipality and stories into the empty folder.
    let port = free_port()?;
    let server = Running::start(binary, &data, port, &[])?;
    wait_until_answering(
        &format!("http://127.0.0.1:{port}"),
        Duration::from_secs(120),
    )?;
    drop(server);
    let token = make_token(binary, &data, "buurtwerk")?;

    let mut rng = Rng::new(seed);
    let mut all: Vec<Acked> = Vec::new();
    // Acknowledged but not yet seen again after a restart.
    let mut unchecked: Vec<Acked> = Vec::new();
    let mut ready = Vec::new();
    let mut recovered = Vec::new();
    let mut kills_while_starting = 0;
    let mut unfindable = 0;
    for cycle in 0..=cycles {
        let port = free_port()?;
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        let server = Running::start(binary, &data, port, &["--no-demo"])?;
        let last = cycle == cycles;
        if !last && rng.chance(0.2) {
            // Killed while opening the store and healing the index.
            std::thread::sleep(Duration::from_millis(rng.below(300) as u64));
            server.kill();
            kills_while_starting += 1;
            eprintln!("[crash] cycle {cycle}: killed while starting");
            continue;
        }
        wait_until_answering(&base, RECOVERY_LIMIT)?;
        ready.push(started.elapsed());
        let missing = verify(&base, &token, &unchecked, started + RECOVERY_LIMIT)?;
        recovered.push(started.elapsed());
        unfindable += missing.len();
        for acked in &missing {
            eprintln!(
                "[crash] cycle {cycle}: acknowledged story {} not found in time",
                acked.id
            );
        }
        unchecked.clear();
        if last {
            drop(server);
            break;
        }

        let stop = AtomicBool::new(false);
        let acked = Mutex::new(Vec::new());
        let delay = Duration::from_millis(rng.below(1_500) as u64);
        std::thread::scope(|scope| {
            for client in 0..SUBMITTERS {
                let (base, token, stop, acked) = (&base, &token, &stop, &acked);
                scope.spawn(move || {
                    let agent = new_agent();
                    let mut n = 0;
                    while !stop.load(Ordering::Relaxed) {
                        let marker = marker(cycle, client, n);
                        // A refusal or a connection the kill cut off is not an acknowledgement.
                        if let Ok(Some(id)) = submit(&agent, base, token, &story_json(n, &marker)) {
                            acked.lock().unwrap().push(Acked { id, marker });
                        }
                        n += 1;
                    }
                });
            }
            // The kill comes at a random moment after the first acknowledgement, so every cycle
            // has stories at stake.
            let waiting = Instant::now();
            while acked.lock().unwrap().is_empty() && waiting.elapsed() < Duration::from_secs(30) {
                std::thread::sleep(Duration::from_millis(1));
            }
            std::thread::sleep(delay);
            server.kill();
            stop.store(true, Ordering::Relaxed);
        });
        let acked = acked.into_inner().unwrap();
        eprintln!(
            "[crash] cycle {cycle}: {} acknowledged, killed {} ms after the first; up again in {}",
            acked.len(),
            delay.as_millis(),
            millis(*ready.last().expect("a start was timed"))
        );
        all.extend(acked.iter().cloned());
        unchecked.extend(acked);
    }

    // The server stopped cleanly; the store and index are read directly for the full count.
    let store = Store::open(&data.join("store"))?;
    let index = SearchIndex::open(&data.join("index"), &store)?;
    let mut lost = 0;
    for acked in &all {
        let id = StoryId::parse(&acked.id)?;
        if store.get_story(id)?.is_none() {
            lost += 1;
            eprintln!(
                "[crash] acknowledged story {} is not in the store",
                acked.id
            );
            continue;
        }
        let results = index.search(
            &store,
            &SearchRequest::new(&acked.marker, Scope::Municipality),
        )?;
        if !results.hits.iter().any(|hit| hit.story.id == id) {
            unfindable += 1;
            eprintln!(
                "[crash] acknowledged story {} is not in the index",
                acked.id
            );
        }
    }
    let stored_markers = store
        .stories()
        .filter_map(Result::ok)
        .filter(|story| story.text.as_str().contains("crashmerk"))
        .count();
    Ok(Report {
        acknowledged: all.len(),
        lost,
        unfindable,
        kills_while_starting,
        kills_while_submitting: cycles - kills_while_starting,
        unacknowledged_but_stored: stored_markers.saturating_sub(all.len()),
        ready: Percentiles::of(ready),
        recovered: Percentiles::of(recovered),
    })
}

/// Waits until the server answers its goal overview.
fn wait_until_answering(base: &str, limit: Duration) -> anyhow::Result<()> {
    let agent = new_agent();
    let started = Instant::now();
    loop {
        if let Ok(response) = agent.get(&format!("{base}/")).call()
            && response.status() == 200
        {
            return Ok(());
        }
        anyhow::ensure!(
            started.elapsed() < limit,
            "the server did not answer within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Checks, on 8 clients, that every story in `stories` is in the store and found by its marker; retries
/// until `deadline` (the index may still be catching up) and returns the stories still missing then.
fn verify(
    base: &str,
    token: &str,
    stories: &[Acked],
    deadline: Instant,
) -> anyhow::Result<Vec<Acked>> {
    let missing = on_clients(SUBMITTERS, |client| {
        let agent = new_agent();
        let mut missing = Vec::new();
        for acked in stories.iter().skip(client).step_by(SUBMITTERS) {
            loop {
                let stored = has_story(&agent, base, token, &acked.id)?;
                let found = stored
                    && search(&agent, base, token, &acked.marker)?
                        .1
                        .contains(&acked.id);
                if found {
                    break;
                }
                if Instant::now() > deadline {
                    missing.push(acked.clone());
                    break;
                }
                std::thread::sleep(Duration::from_millis(10));
            }
        }
        Ok(missing)
    })?;
    Ok(missing.into_iter().flatten().collect())
}
