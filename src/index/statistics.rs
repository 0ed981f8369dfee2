//! Relevance statistics over what the searcher may see, so that no score, order or snippet depends on
//! a story outside the caller's scope.
//!
//! BM25 weighs a word by how many documents hold it and a document's length against the average
//! length. tantivy takes both over the whole index, hidden stories and deleted documents included, so
//! a provider could learn that some story it may not see holds a word by comparing the scores of two
//! of its own stories that differ in that word. Here they are taken over the documents of the caller's
//! scope that are alive: the number of documents, each text field's number of tokens (summed from the
//! documents' field norms, the same lengths BM25 reads per document) and, per word, the number of
//! documents that hold it.
//!
//! Segments never change apart from their deletions, so per segment, deletion state and scope the
//! visible documents and their token counts are worked out once and kept; a word's document count is a
//! walk over its postings against those visible documents, remembered for the rest of the search.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

use tantivy::index::SegmentId;
use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{BitSet, DocId, DocSet, Opstamp, Searcher, SegmentReader, TERMINATED, Term};

use super::search::Scope;

/// What one segment holds for one scope.
struct SegmentStatistics {
    /// The segment's documents the scope sees, deleted ones left out.
    visible: BitSet,
    documents: u64,
    /// Per text field, the visible documents' lengths added up.
    tokens: HashMap<Field, u64>,
}

/// A segment with its deletions as of one reader, and a scope.
type Key = (SegmentId, Option<Opstamp>, Scope);

/// The per-segment statistics of every scope searched lately.
#[derive(Default)]
pub struct StatisticsCache {
    segments: Mutex<HashMap<Key, Arc<SegmentStatistics>>>,
}

impl StatisticsCache {
    /// The statistics of `scope` in `searcher`'s segments. `clause` is the query that selects the
    /// scope's documents (`None`: every document); `text_fields` are the fields whose lengths count.
    pub fn scoped<'a>(
        &self,
        searcher: &'a Searcher,
        scope: &Scope,
        clause: Option<&dyn Query>,
        text_fields: &[Field],
    ) -> tantivy::Result<ScopedStatistics<'a>> {
        let mut weight: Option<Box<dyn Weight>> = None;
        let mut segments = Vec::with_capacity(searcher.segment_readers().len());
        for reader in searcher.segment_readers() {
            let key = (reader.segment_id(), reader.delete_opstamp(), scope.clone());
            if let Some(cached) = self.lock().get(&key) {
                segments.push(cached.clone());
                continue;
            }
            let weight = match (&weight, clause) {
                (Some(weight), _) => Some(weight.as_ref()),
                (None, Some(clause)) => {
                    weight = Some(clause.weight(EnableScoring::disabled_from_searcher(searcher))?);
                    weight.as_deref()
                }
                (None, None) => None,
            };
            let computed = Arc::new(segment_statistics(reader, weight, text_fields)?);
            self.lock().insert(key, computed.clone());
            segments.push(computed);
        }
        Ok(ScopedStatistics {
            searcher,
            segments,
            doc_freqs: Mutex::new(HashMap::new()),
        })
    }

    /// Forgets the statistics of segments that are gone (merged away or deleted).
    pub fn keep_only(&self, live: &[SegmentId]) {
        let live: HashSet<&SegmentId> = live.iter().collect();
        self.lock()
            .retain(|(segment, ..), _| live.contains(segment));
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<Key, Arc<SegmentStatistics>>> {
        self.segments
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Collects the documents `scope` (a weight, or every document when `None`) matches in `reader` and
/// adds up their lengths.
fn segment_statistics(
    reader: &SegmentReader,
    scope: Option<&dyn Weight>,
    text_fields: &[Field],
) -> tantivy::Result<SegmentStatistics> {
    let mut docs: Vec<DocId> = Vec::new();
    match scope {
        Some(weight) => weight.for_each_no_score(reader, &mut |block| {
            docs.extend(block.iter().filter(|doc| !reader.is_deleted(**doc)));
        })?,
        None => docs.extend(reader.doc_ids_alive()),
    }
    let mut visible = BitSet::with_max_value(reader.max_doc());
    for doc in &docs {
        visible.insert(*doc);
    }
    let mut tokens = HashMap::with_capacity(text_fields.len());
    for field in text_fields {
        let norms = reader.get_fieldnorms_reader(*field)?;
        let sum: u64 = docs
            .iter()
            .map(|doc| u64::from(norms.fieldnorm(*doc)))
            .sum();
        tokens.insert(*field, sum);
    }
    Ok(SegmentStatistics {
        visible,
        documents: docs.len() as u64,
        tokens,
    })
}

/// BM25 statistics over one scope's documents in one searcher's segments.
pub struct ScopedStatistics<'a> {
    searcher: &'a Searcher,
    /// In the order of the searcher's segments.
    segments: Vec<Arc<SegmentStatistics>>,
    /// Document counts of the words asked for so far: a search asks for a word more than once (text
    /// and snippets, several clauses).
    doc_freqs: Mutex<HashMap<Term, u64>>,
}

impl ScopedStatistics<'_> {
    /// The searcher these statistics are taken in.
    pub fn searcher(&self) -> &Searcher {
        self.searcher
    }

    /// How many documents of the scope hold `term`.
    pub fn visible_doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        let mut known = self
            .doc_freqs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = known.get(term) {
            return Ok(*count);
        }
        let count = self.count_visible(term, u64::MAX)?;
        known.insert(term.clone(), count);
        Ok(count)
    }

    /// Whether any document of the scope holds `term`: stops at the first, so a frequent word costs
    /// no more than a rare one.
    pub fn visible_any(&self, term: &Term) -> tantivy::Result<bool> {
        if let Some(count) = self
            .doc_freqs
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(term)
        {
            return Ok(*count > 0);
        }
        Ok(self.count_visible(term, 1)? > 0)
    }

    /// How many documents of the scope hold `term`, counting no further than `limit`.
    fn count_visible(&self, term: &Term, limit: u64) -> tantivy::Result<u64> {
        let mut count = 0;
        for (reader, segment) in self.searcher.segment_readers().iter().zip(&self.segments) {
            if segment.documents == 0 {
                continue;
            }
            let inverted = reader.inverted_index(term.field())?;
            let Some(mut postings) = inverted.read_postings(term, IndexRecordOption::Basic)? else {
                continue;
            };
            let mut doc = postings.doc();
            while doc != TERMINATED {
                if segment.visible.contains(doc) {
                    count += 1;
                    if count >= limit {
                        return Ok(count);
                    }
                }
                doc = postings.advance();
            }
        }
        Ok(count)
    }
}

impl Bm25StatisticsProvider for ScopedStatistics<'_> {
    fn total_num_tokens(&self, field: Field) -> tantivy::Result<u64> {
        Ok(self
            .segments
            .iter()
            .map(|segment| segment.tokens.get(&field).copied().unwrap_or(0))
            .sum())
    }

    fn total_num_docs(&self) -> tantivy::Result<u64> {
        Ok(self.segments.iter().map(|segment| segment.documents).sum())
    }

    fn doc_freq(&self, term: &Term) -> tantivy::Result<u64> {
        self.visible_doc_freq(term)
    }
}
