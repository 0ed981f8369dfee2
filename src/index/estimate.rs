//! How many stories a query matches, when the caller needs no exact number: counted exactly up to a
//! limit, and estimated beyond it.
//!
//! A search that counts neither facets nor an exact total can take its top hits alone, without
//! visiting every match for counting. Its total is then counted separately without scoring, and only
//! up to [`EXACT_TOTAL_UP_TO`] matches per segment: a segment that holds fewer is counted exactly; in
//! one that holds more, counting stops at the limit and the rest is extrapolated from how far into the
//! segment's documents the limit was reached (documents are numbered in the order stories were
//! indexed, so a word's matches spread over them much as over the whole segment). A total below the
//! limit is therefore always exact; above it the number is "about", rounded to two significant
//! digits and never below what was counted.

use std::sync::atomic::{AtomicUsize, Ordering};

use tantivy::query::{EnableScoring, Query};
use tantivy::{DocSet, Searcher, TERMINATED};

/// Matches counted exactly per segment before the rest is estimated.
pub const EXACT_TOTAL_UP_TO: usize = 1_000;

/// The limit a search index counts exactly up to: [`EXACT_TOTAL_UP_TO`] unless set otherwise (tests
/// set a small one so as not to need a large bank).
pub struct TotalLimit(AtomicUsize);

impl Default for TotalLimit {
    fn default() -> TotalLimit {
        TotalLimit(AtomicUsize::new(EXACT_TOTAL_UP_TO))
    }
}

impl TotalLimit {
    pub fn get(&self) -> usize {
        self.0.load(Ordering::Relaxed).max(1)
    }

    pub fn set(&self, limit: usize) {
        self.0.store(limit.max(1), Ordering::Relaxed);
    }
}

/// A number of matching stories, and whether it was counted exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Total {
    pub count: usize,
    pub exact: bool,
}

/// The stories `query` matches, counted exactly up to `limit` per segment and estimated beyond.
pub fn count_up_to(searcher: &Searcher, query: &dyn Query, limit: usize) -> tantivy::Result<Total> {
    let weight = query.weight(EnableScoring::disabled_from_searcher(searcher))?;
    let mut counted = 0usize;
    let mut estimated = 0f64;
    let mut exact = true;
    for segment in searcher.segment_readers() {
        let mut scorer = weight.scorer(segment, 1.0)?;
        let alive = segment.alive_bitset();
        let mut matches = 0usize;
        let mut doc = scorer.doc();
        while doc != TERMINATED && matches < limit {
            if alive.is_none_or(|alive| alive.is_alive(doc)) {
                matches += 1;
            }
            doc = scorer.advance();
        }
        counted += matches;
        if doc == TERMINATED {
            estimated += matches as f64;
        } else {
            // `matches` were found in the documents before `doc`: the same share of the rest.
            exact = false;
            let seen = f64::from(doc.max(1));
            estimated += matches as f64 * f64::from(segment.max_doc()) / seen;
        }
    }
    if exact {
        return Ok(Total {
            count: counted,
            exact,
        });
    }
    Ok(Total {
        count: two_digits(estimated).max(counted),
        exact,
    })
}

/// A number rounded to two significant digits (12345 → 12000), as "about" numbers are told.
fn two_digits(number: f64) -> usize {
    if number < 100.0 {
        return number.round() as usize;
    }
    let unit = 10f64.powi(number.log10().floor() as i32 - 1);
    ((number / unit).round() * unit) as usize
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn about_numbers_keep_two_digits() {
        assert_eq!(two_digits(42.4), 42);
        assert_eq!(two_digits(1234.0), 1200);
        assert_eq!(two_digits(98765.0), 99000);
        assert_eq!(two_digits(150.0), 150);
    }
}
