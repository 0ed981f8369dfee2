//! The background indexer: one thread that keeps the search index up to date with the store's outbox
//! for as long as the server runs.
//!
//! It sleeps until the store signals a new outbox entry (or half a second passes), then catches up.
//! Stopping it catches up one last time, so a graceful shutdown leaves the index complete.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;
use std::time::Duration;

use super::SearchIndex;
use crate::store::Store;

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
                                store.wait_for_outbox_after(seq, Duration::from_millis(500));
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
