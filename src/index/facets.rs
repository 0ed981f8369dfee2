//! Counting facet values over the documents a query matches, from the keyword fields' columns.
//!
//! One pass per segment: for each matching document, each counted field's term ordinals are tallied in
//! a vector indexed by ordinal; ordinals become text only once per segment at the end. This is what
//! keeps counts cheap at a hundred thousand stories.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Cardinality, StrColumn};
use tantivy::index::SegmentId;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// A keyword column of one segment, with every value it holds in ordinal order.
pub struct CachedColumn {
    column: StrColumn,
    values: Vec<String>,
}

/// Segments never change, so their keyword columns are opened and their values read once, not on
/// every search: both cost more than counting itself.
#[derive(Default)]
pub struct ColumnCache {
    columns: Mutex<CachedColumns>,
}

/// Per segment and field, its column (`None` when the segment has no such column).
type CachedColumns = HashMap<(SegmentId, &'static str), Option<Arc<CachedColumn>>>;

impl ColumnCache {
    fn column(
        &self,
        segment: &SegmentReader,
        field: &'static str,
    ) -> tantivy::Result<Option<Arc<CachedColumn>>> {
        let key = (segment.segment_id(), field);
        if let Some(cached) = self.lock().get(&key) {
            return Ok(cached.clone());
        }
        let cached = match segment.fast_fields().str(field)? {
            Some(column) => {
                let mut values = Vec::with_capacity(column.num_terms());
                let mut stream = column.dictionary().stream()?;
                while stream.advance() {
                    values.push(String::from_utf8_lossy(stream.key()).into_owned());
                }
                Some(Arc::new(CachedColumn { column, values }))
            }
            None => None,
        };
        self.lock().insert(key, cached.clone());
        Ok(cached)
    }

    /// Forgets the columns of segments that are gone (merged away or deleted).
    pub fn keep_only(&self, live: &[SegmentId]) {
        let live: HashSet<&SegmentId> = live.iter().collect();
        self.lock().retain(|(segment, _), _| live.contains(segment));
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, CachedColumns> {
        self.columns
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Counts the values of the named keyword fields.
pub struct FacetCounter<'a> {
    pub fields: Vec<&'static str>,
    pub cache: &'a ColumnCache,
}

pub struct SegmentFacetCounter {
    columns: Vec<Option<Arc<CachedColumn>>>,
    counts: Vec<Vec<u32>>,
    /// Scratch space for a block's ordinals.
    ords: Vec<Option<u64>>,
}

/// Per field (in the order asked), the count of each value.
pub type FacetTally = Vec<HashMap<String, u32>>;

impl Collector for FacetCounter<'_> {
    type Fruit = FacetTally;
    type Child = SegmentFacetCounter;

    fn for_segment(
        &self,
        _: SegmentOrdinal,
        segment: &SegmentReader,
    ) -> tantivy::Result<SegmentFacetCounter> {
        let mut columns = Vec::with_capacity(self.fields.len());
        let mut counts = Vec::with_capacity(self.fields.len());
        for field in &self.fields {
            let column = self.cache.column(segment, field)?;
            counts.push(vec![0; column.as_ref().map_or(0, |c| c.values.len())]);
            columns.push(column);
        }
        Ok(SegmentFacetCounter {
            columns,
            counts,
            ords: Vec::new(),
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, segments: Vec<FacetTally>) -> tantivy::Result<FacetTally> {
        let mut total: FacetTally = vec![HashMap::new(); self.fields.len()];
        for segment in segments {
            for (field_total, field_counts) in total.iter_mut().zip(segment) {
                for (value, count) in field_counts {
                    *field_total.entry(value).or_default() += count;
                }
            }
        }
        Ok(total)
    }
}

impl SegmentCollector for SegmentFacetCounter {
    type Fruit = FacetTally;

    fn collect(&mut self, doc: DocId, _: Score) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            if let Some(cached) = column {
                for ord in cached.column.term_ords(doc) {
                    counts[ord as usize] += 1;
                }
            }
        }
    }

    /// Without scoring, tantivy hands over matching documents in blocks: a column with at most one
    /// value per document is then read for the whole block at once, which is several times faster.
    fn collect_block(&mut self, docs: &[DocId]) {
        for (column, counts) in self.columns.iter().zip(self.counts.iter_mut()) {
            let Some(cached) = column else {
                continue;
            };
            let column = &cached.column;
            let ords = column.ords();
            if ords.get_cardinality() == Cardinality::Multivalued {
                for doc in docs {
                    for ord in column.term_ords(*doc) {
                        counts[ord as usize] += 1;
                    }
                }
            } else {
                self.ords.clear();
                self.ords.resize(docs.len(), None);
                ords.first_vals(docs, &mut self.ords);
                for ord in self.ords.iter().flatten() {
                    counts[*ord as usize] += 1;
                }
            }
        }
    }

    fn harvest(self) -> FacetTally {
        self.columns
            .iter()
            .zip(self.counts)
            .map(|(column, counts)| {
                let Some(cached) = column else {
                    return HashMap::new();
                };
                counts
                    .into_iter()
                    .zip(&cached.values)
                    .filter(|(count, _)| *count > 0)
                    .map(|(count, value)| (value.clone(), count))
                    .collect::<HashMap<String, u32>>()
            })
            .collect()
    }
}
