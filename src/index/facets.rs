//! Counting facet values over the documents a query matches, from the keyword fields' columns.
//!
//! One pass per segment: for each matching document, each counted field's term ordinals are tallied in
//! a vector indexed by ordinal; ordinals become text only once per segment at the end. This is what
//! keeps counts cheap at a hundred thousand stories.

use std::collections::HashMap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::StrColumn;
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

/// Counts the values of the named keyword fields.
pub struct FacetCounter {
    pub fields: Vec<String>,
}

pub struct SegmentFacetCounter {
    columns: Vec<Option<StrColumn>>,
    counts: Vec<Vec<u32>>,
}

/// Per field (in the order asked), the count of each value.
pub type FacetTally = Vec<HashMap<String, u32>>;

impl Collector for FacetCounter {
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
            let column = segment.fast_fields().str(field)?;
            counts.push(vec![
                0;
                column.as_ref().map_or(0, |column| column.num_terms())
            ]);
            columns.push(column);
        }
        Ok(SegmentFacetCounter { columns, counts })
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
            if let Some(column) = column {
                for ord in column.term_ords(doc) {
                    counts[ord as usize] += 1;
                }
            }
        }
    }

    fn harvest(self) -> FacetTally {
        self.columns
            .iter()
            .zip(self.counts)
            .map(|(column, counts)| {
                let mut values = HashMap::new();
                let Some(column) = column else {
                    return values;
                };
                // One pass through the dictionary for every value counted: looking ordinals up one by
                // one would decompress a dictionary block for each.
                let (ords, counted): (Vec<u64>, Vec<u32>) = counts
                    .into_iter()
                    .enumerate()
                    .filter(|(_, count)| *count > 0)
                    .map(|(ord, count)| (ord as u64, count))
                    .unzip();
                let mut counted = counted.into_iter();
                let _ = column.dictionary().sorted_ords_to_term_cb(&ords, |bytes| {
                    if let Some(count) = counted.next() {
                        values.insert(String::from_utf8_lossy(bytes).into_owned(), count);
                    }
                });
                values
            })
            .collect()
    }
}
