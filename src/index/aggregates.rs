//! What a search without words counts in one segment, kept per segment: its total and its facet
//! tallies, so that the goal overview and the evidence pages, which ask the same filter-only searches
//! on every view, add up a few kept tallies instead of counting every story of a subgoal or of the
//! bank each time.
//!
//! A tantivy segment never changes except that documents in it get deleted, and deletions only grow.
//! So what a query counts in a segment is known for good once it is known for the segment's id and
//! number of deleted documents: an edit or erasure deletes the story's old document and changes that
//! number, and a merge makes a new segment. The query is part of the key as tantivy writes it out
//! (`Debug`: every term, bound and clause), with the fields counted, so two searches share a tally
//! only when they run the same query and count the same fields. An indicator filter is in the query
//! as the subgoals it resolves to, so a change to the goal tree that moves an indicator changes the
//! key as well.
//!
//! [`Kept`] wraps a collector: for each segment it hands back the kept answer, or collects the segment
//! as the collector would and keeps the answer. Adding up the segments' answers is the wrapped
//! collector's own, so the results are those of a search that went over every document. Searches
//! that weigh words are not kept, nor are the found stories themselves (only counts): a page of
//! stories is still looked for on every search.
//!
//! Memory is bounded: each segment keeps at most [`KEYS_PER_SEGMENT`] answers, the least recently
//! used going first, and segments that are gone are forgotten ([`AggregateCache::keep_only`]).

use std::any::Any;
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::index::SegmentId;
use tantivy::query::Weight;
use tantivy::{DocId, SegmentOrdinal, SegmentReader};

/// Answers kept per segment at most; beyond, the least recently used is dropped.
pub const KEYS_PER_SEGMENT: usize = 1024;

/// The state of a segment an answer holds for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct SegmentState {
    segment: SegmentId,
    deleted: DocId,
}

/// One kept answer.
struct Entry {
    fruit: Arc<dyn Any + Send + Sync>,
    /// When it was last used, in [`Answers::clock`] ticks.
    used: u64,
}

#[derive(Default)]
struct Answers {
    /// Per segment state, per query and collector, the answer.
    by_segment: HashMap<SegmentState, HashMap<String, Entry>>,
    clock: u64,
}

/// The kept per-segment answers of searches without words.
#[derive(Default)]
pub struct AggregateCache {
    answers: Mutex<Answers>,
}

impl AggregateCache {
    fn lock(&self) -> MutexGuard<'_, Answers> {
        self.answers
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn get<F: Clone + 'static>(&self, state: SegmentState, key: &str) -> Option<F> {
        let mut answers = self.lock();
        answers.clock += 1;
        let now = answers.clock;
        let entry = answers.by_segment.get_mut(&state)?.get_mut(key)?;
        entry.used = now;
        entry.fruit.downcast_ref::<F>().cloned()
    }

    fn put<F: Send + Sync + 'static>(&self, state: SegmentState, key: &str, fruit: F) {
        let mut answers = self.lock();
        answers.clock += 1;
        let used = answers.clock;
        // The answers for the same segment with fewer deletions are out of date.
        answers
            .by_segment
            .retain(|kept, _| kept.segment != state.segment || kept.deleted == state.deleted);
        let kept = answers.by_segment.entry(state).or_default();
        if kept.len() >= KEYS_PER_SEGMENT
            && !kept.contains_key(key)
            && let Some(oldest) = kept
                .iter()
                .min_by_key(|(_, entry)| entry.used)
                .map(|(key, _)| key.clone())
        {
            kept.remove(&oldest);
        }
        kept.insert(
            key.to_string(),
            Entry {
                fruit: Arc::new(fruit),
                used,
            },
        );
    }

    /// Forgets the answers of segments that are gone (merged away or deleted).
    pub fn keep_only(&self, live: &[SegmentId]) {
        let live: HashSet<&SegmentId> = live.iter().collect();
        self.lock()
            .by_segment
            .retain(|state, _| live.contains(&state.segment));
    }
}

/// A collector whose per-segment answers are kept in an [`AggregateCache`] under `key`, which must
/// name the query and everything the collector is asked for; without a key it collects as `inner`.
pub struct Kept<'a, C> {
    pub inner: C,
    pub cache: &'a AggregateCache,
    pub key: Option<String>,
}

impl<C> Collector for Kept<'_, C>
where
    C: Collector,
    <C::Child as SegmentCollector>::Fruit: Clone + Send + Sync,
{
    type Fruit = C::Fruit;
    type Child = C::Child;

    fn for_segment(
        &self,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<C::Child> {
        self.inner.for_segment(segment_ord, segment)
    }

    fn requires_scoring(&self) -> bool {
        self.inner.requires_scoring()
    }

    fn merge_fruits(
        &self,
        segments: Vec<<C::Child as SegmentCollector>::Fruit>,
    ) -> tantivy::Result<C::Fruit> {
        self.inner.merge_fruits(segments)
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment_ord: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<<C::Child as SegmentCollector>::Fruit> {
        let Some(key) = &self.key else {
            return self.inner.collect_segment(weight, segment_ord, segment);
        };
        let state = SegmentState {
            segment: segment.segment_id(),
            deleted: segment.num_deleted_docs(),
        };
        if let Some(fruit) = self.cache.get(state, key) {
            return Ok(fruit);
        }
        let fruit = self.inner.collect_segment(weight, segment_ord, segment)?;
        self.cache.put(state, key, fruit.clone());
        Ok(fruit)
    }
}
