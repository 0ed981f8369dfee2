//! The background indexer: one thread that keeps the search index up to date with the store's outbox
//! for as long as the server runs.
//!
//! It sleeps until the store signals a new outbox entry (or half a second passes), then catches up.
//! Under a stream of submissions it lets them gather for [`COMMIT_SPACING`] after a commit, so the index
//! commits a few times a second instead of once per story. Stopping it catches up one last time, so a
//! graceful shutdown leaves the index complete.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::SearchIndex;
use crate::store::Store;

/// The least time between two commits while stories keep coming. A commit writes and syncs a new
/// segment: one per submission made the index compete with the submissions' own syncs for the disk
/// and the cores. A story still becomes searchable well within the second the product promises.
const COMMIT_SPACING: Duration = Duration::from_millis(100);

pub struct Indexer {
    stop: Arc<AtomicBool>,
    store: Arc<Store>,
    thread: Option<JoinHandle<()>>,
}

impl Indexer {
    pub fn start(store: Arc<Store>, index: Arc<SearchIndex>) -> Indexer {
        let stop = Arc::new(AtomicBool::new(false));
        let thread = {
            let (stop, store) = (stop.clone(), store.clone());
            std::thread::Builder::new()
                .name("indexer".to_string())
                .spawn(move || {
                    while !stop.load(Ordering::SeqCst) {
                        match index.catch_up(&store) {
                            Ok(seq) => {
                                let caught_up = Instant::now();
                                if store.wait_for_outbox_after(seq, Duration::from_millis(500))
                                    && let Some(rest) =
                                        COMMIT_SPACING.checked_sub(caught_up.elapsed())
                                {
                                    std::thread::sleep(rest);
                                }
                            }
                            Err(error) => {
                                tracing::error!(%error, "indexing failed; retrying");
                                std::thread::sleep(Duration::from_secs(1));
                            }
                        }
                    }
                    if let Err(error) = index.catch_up(&store) {
                        tracing::error!(%error, "final indexing before shutdown failed");
                    }
                })
                .expect("the indexer thread starts")
        };
        Indexer {
            stop,
            store,
            thread: Some(thread),
        }
    }

    /// Stops the thread after a last catch-up.
    pub fn stop(mut self) {
        self.shutdown();
    }

    fn shutdown(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        self.store.wake_outbox_waiters();
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for Indexer {
    fn drop(&mut self) {
        self.shutdown();
    }
}
