//! The query side of Dutch compound splitting: a searched word also finds the compounds it is part
//! of ("buurt" finds "buurthuis"), and a compound or agent noun that nobody wrote also finds its base
//! ("buurtwerker" finds "buurtwerk"), both weighted below the word itself so stories that say the
//! word come first.

use tantivy::Term;
use tantivy::query::{BoostQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::SearchIndex;
use super::analysis::{ANALYSED_LANGUAGES, analyse, dutch};
use super::query::Item;

/// The weight of a match on a compound's part, against 1 for the word itself: low enough that a
/// story saying the word itself once outranks one that only has it in compounds, whatever their
/// lengths (BM25 gives a single term at most about 2.2 times its idf).
pub const PART_BOOST: f32 = 0.05;

impl SearchIndex {
    /// The extra alternatives for one searched word: the Dutch parts field, and the word's base in
    /// the Dutch text. Phrases get none.
    pub(super) fn part_queries(&self, item: &Item) -> Vec<Box<dyn Query>> {
        let Item::Word(text) = item else {
            return Vec::new();
        };
        let dutch = dutch();
        let terms = analyse(&mut dutch.analyzer(), text);
        let [term] = terms.as_slice() else {
            return Vec::new();
        };
        let boosted = |field, term: &str| -> Box<dyn Query> {
            Box::new(BoostQuery::new(
                Box::new(TermQuery::new(
                    Term::from_field_text(field, term),
                    IndexRecordOption::WithFreqs,
                )),
                PART_BOOST,
            ))
        };
        let mut queries = vec![boosted(self.fields.parts, term)];
        // The word as written, lowercase and folded, for the word list.
        let other = ANALYSED_LANGUAGES.last().expect("the list ends with other");
        if let [word] = analyse(&mut other.analyzer(), text).as_slice()
            && let Some(base) = super::dutch::agent_base(word)
            && let [base] = analyse(&mut dutch.analyzer(), base).as_slice()
            && base != term
        {
            let (_, text_field) = self.fields.text_fields(dutch);
            queries.push(boosted(text_field, base));
            queries.push(boosted(self.fields.parts, base));
        }
        queries
    }
}
