//! The index's own vocabulary, as the caller may see it: the words of the stories in their scope, as
//! written (the `words` field: lowercase, diacritics folded, not stemmed), for "did you mean"
//! suggestions and for the words `buurt*` stands for.
//!
//! The term dictionaries hold the words of every document, hidden and deleted ones included, so they
//! only propose candidates: a word counts when a document of the caller's scope holds it, counted
//! with the same scoped statistics relevance uses. A word that only a story the caller may not see
//! holds is never suggested, never widens a prefix and never changes the order of the others; each
//! list is ordered by what the scope holds alone.

use std::collections::BTreeSet;

use tantivy::Term;
use tantivy::query::FuzzyTermQuery;

use super::statistics::ScopedStatistics;
use super::{IndexError, SearchIndex};

/// How far a misspelt word may be from the word meant, by its length in letters: none up to four
/// letters (too many short words are one letter apart), one for five and six, two from seven on. A
/// swap of two neighbouring letters ("hied" for "heid") counts as one.
pub fn max_distance(word: &str) -> u8 {
    match word.chars().count() {
        0..=4 => 0,
        5..=6 => 1,
        _ => 2,
    }
}

impl SearchIndex {
    /// How many documents of the scope hold `word` (lowercase, folded) as written.
    pub(super) fn word_count(
        &self,
        statistics: &ScopedStatistics,
        word: &str,
    ) -> Result<u64, IndexError> {
        Ok(statistics.visible_doc_freq(&Term::from_field_text(self.fields.words, word))?)
    }

    /// The words of the scope nearest to `word` (lowercase, folded), at most `most`: within
    /// [`max_distance`], the nearest first, then those more stories hold, then alphabetically. The
    /// word itself is left out.
    pub(super) fn nearest_words(
        &self,
        statistics: &ScopedStatistics,
        word: &str,
        most: usize,
    ) -> Result<Vec<String>, IndexError> {
        let distance = max_distance(word);
        if distance == 0 || most == 0 {
            return Ok(Vec::new());
        }
        let automaton = FuzzyTermQuery::new(
            Term::from_field_text(self.fields.words, word),
            distance,
            true,
        )
        .automaton()?;
        let mut candidates = BTreeSet::new();
        for segment in statistics.searcher().segment_readers() {
            let inverted = segment.inverted_index(self.fields.words)?;
            let mut stream = inverted
                .terms()
                .search(&automaton)
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while let Some((key, _)) = stream.next() {
                if let Ok(candidate) = std::str::from_utf8(key)
                    && candidate != word
                {
                    candidates.insert(candidate.to_string());
                }
            }
        }
        let mut ranked = Vec::new();
        for candidate in candidates {
            let count = self.word_count(statistics, &candidate)?;
            if count > 0 {
                ranked.push((edit_distance(word, &candidate), count, candidate));
            }
        }
        ranked.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
        Ok(ranked
            .into_iter()
            .take(most)
            .map(|(_, _, word)| word)
            .collect())
    }

    /// The words of the scope that begin with `prefix` (lowercase, folded), at most `most`: those
    /// more stories hold first, then alphabetically.
    pub(super) fn words_beginning_with(
        &self,
        statistics: &ScopedStatistics,
        prefix: &str,
        most: usize,
    ) -> Result<Vec<String>, IndexError> {
        let mut candidates = BTreeSet::new();
        for segment in statistics.searcher().segment_readers() {
            let inverted = segment.inverted_index(self.fields.words)?;
            let mut stream = inverted
                .terms()
                .range()
                .ge(prefix.as_bytes())
                .into_stream()
                .map_err(tantivy::TantivyError::from)?;
            while let Some((key, _)) = stream.next() {
                if !key.starts_with(prefix.as_bytes()) {
                    break;
                }
                if let Ok(word) = std::str::from_utf8(key) {
                    candidates.insert(word.to_string());
                }
            }
        }
        let mut ranked = Vec::new();
        for candidate in candidates {
            let count = self.word_count(statistics, &candidate)?;
            if count > 0 {
                ranked.push((count, candidate));
            }
        }
        ranked.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        Ok(ranked
            .into_iter()
            .take(most)
            .map(|(_, word)| word)
            .collect())
    }
}

/// The number of letters to insert, delete, change or swap with their neighbour to make `a` into `b`
/// (optimal string alignment), as the automaton counts.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut rows = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in rows.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in rows[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (rows[i - 1][j] + 1)
                .min(rows[i][j - 1] + 1)
                .min(rows[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(rows[i - 2][j - 2] + 1);
            }
            rows[i][j] = best;
        }
    }
    rows[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_count_a_swap_as_one() {
        let cases = [
            ("eenzaamhied", "eenzaamheid", 1),
            ("mantelzorgr", "mantelzorger", 1),
            ("mantelzorgr", "mantelzorgers", 2),
            ("buurt", "buurt", 0),
            ("", "abc", 3),
            ("cafe", "café", 1),
        ];
        for (a, b, want) in cases {
            assert_eq!(edit_distance(a, b), want, "{a} {b}");
        }
    }

    #[test]
    fn longer_words_may_be_further_off() {
        assert_eq!(max_distance("wijk"), 0);
        assert_eq!(max_distance("buurt"), 1);
        assert_eq!(max_distance("schuld"), 1);
        assert_eq!(max_distance("eenzaam"), 2);
    }
}
