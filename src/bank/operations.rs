//! What the people who run the bank ask of it, apart from its content: whether it is ready to serve
//! (for a load balancer), and the figures a monitoring system scrapes. Counts and sequence numbers
//! only, never anything of a story.

use super::Bank;
use crate::index::{FacetField, Scope, SearchRequest};

/// The most outbox entries the index may be behind for the bank to call itself ready: more means
/// searches miss recent stories noticeably (a rebuild, or an indexer that stopped).
pub const READY_INDEX_LAG: u64 = 1_000;

/// The bank's state for monitoring, read in one call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationsFigures {
    /// Stories per moderation status code (`submitted`, `published`, `rejected`), as the index counts
    /// them.
    pub stories_by_status: Vec<(String, u64)>,
    /// Entries in the outbox: changes not yet taken in for good by the index.
    pub outbox_depth: u64,
    /// How many changes on disk the index has not applied yet.
    pub index_lag: u64,
    /// Stories erased, ever (the erasure ledger's length).
    pub erased: u64,
}

/// Whether the bank can serve, and if not, why (in words for an operator).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Readiness {
    Ready,
    NotReady(String),
}

impl Bank {
    /// How far the search index is behind the store, in changes.
    pub fn index_lag(&self) -> u64 {
        self.store
            .durable_outbox_seq()
            .saturating_sub(self.index.indexed_seq())
    }

    /// Whether the store answers and the search index is at most [`READY_INDEX_LAG`] changes behind.
    pub fn readiness(&self) -> Readiness {
        if let Err(error) = self.store.last_outbox_seq() {
            return Readiness::NotReady(format!("the store does not answer: {error}"));
        }
        let lag = self.index_lag();
        if lag > READY_INDEX_LAG {
            return Readiness::NotReady(format!(
                "the search index is {lag} changes behind the store (at most {READY_INDEX_LAG})"
            ));
        }
        Readiness::Ready
    }

    /// The figures for `/metrics`.
    pub fn operations_figures(&self) -> anyhow::Result<OperationsFigures> {
        let mut request = SearchRequest::new("", Scope::Municipality);
        request.per_page = 1;
        let results = self.index.search(&self.store, &request)?;
        let stories_by_status = results
            .facets
            .get(&FacetField::Status)
            .map(|counts| {
                counts
                    .iter()
                    .map(|count| (count.value.clone(), count.count as u64))
                    .collect()
            })
            .unwrap_or_default();
        Ok(OperationsFigures {
            stories_by_status,
            outbox_depth: self.store.outbox_len() as u64,
            index_lag: self.index_lag(),
            erased: self.store.erasure_count() as u64,
        })
    }
}
