//! What one item of a query is searched as, and how the results say it was widened.
//!
//! - A word: itself in every analysed language's title and text ([`SearchIndex::item_query`]), in
//!   the story's tags (weighted [`TAG_BOOST`]) and as a part of Dutch compounds (`compound.rs`).
//!   When no story the caller may see holds it, its nearest words that they do hold become the
//!   "did you mean" suggestion, and a lenient search also looks for up to [`TYPO_WORDS`] of them,
//!   each as a word: a typo finds what was meant. In a hyphenated word each part is corrected on
//!   its own ("kofie-inloop" → "koffie-inloop"). A word the caller's stories hold is never widened
//!   this way.
//! - A phrase: itself, in title, text and tags.
//! - `buurt*`: the words of the caller's stories that begin with "buurt" (the [`PREFIX_WORDS`] most
//!   frequent), each as a word in title, text and tags, and the compounds "buurt" is part of
//!   ("wijkbuurt"), as the word itself finds them. With fewer than [`MIN_PREFIX`] letters before the star it is read as the
//!   plain word, and the results say so.
//!
//! Exclusions (`-woord`, `-buurt*`) remove the stories whose title or text says the word (or a word
//! with the prefix); never for a tag, a compound's part or a near word alone: an exclusion takes out
//! what a story says, and a tag is a reader's summary of it.
//!
//! The search loop calls [`SearchIndex::expand`] once per item of a required group and adds the
//! alternatives to the group; every source of alternatives adds to the item's [`Expansion`].
//! Everything here is counted over the caller's scope ([`ScopedStatistics`]), so no suggestion,
//! widened word or order depends on a story the caller may not see.

use serde::Serialize;
use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, EmptyQuery, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::analysis::{analyse, dutch, words_analyzer};
use super::query::Item;
use super::statistics::ScopedStatistics;
use super::vocabulary::max_distance;
use super::{IndexError, SearchIndex};

type BoxQuery = Box<dyn Query>;

/// The weight of a match in a story's tags, against 1 for its text, 2 for its title and 0.05 for a
/// compound's part: a story tagged with the word is found, after the stories that say it. Measured
/// on the retrieval fixture (`tests/it/retrieval.rs`, judged by what stories say): at 0.3 and 0.1
/// stories found by a tag alone pushed stories that say the word out of the first ten in four and
/// three cases; at 0.04 in none where the tag was not the word itself.
pub const TAG_BOOST: f32 = 0.04;
/// Near words an unknown word is searched as, at most.
pub const TYPO_WORDS: usize = 3;
/// Words `buurt*` stands for, at most (the most frequent).
pub const PREFIX_WORDS: usize = 24;
/// Letters needed before a `*`.
pub const MIN_PREFIX: usize = 3;

/// How a word of the query was widened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ExpansionKind {
    /// No story the caller may see holds the word; its nearest words were searched instead.
    Typo,
    /// `word*`: the words that begin with it.
    Prefix,
    /// `wo*` with too few letters before the star: searched as the word itself.
    ShortPrefix,
}

/// A word of the query and what it was searched as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct Expanded {
    /// The word as typed (without the star).
    pub word: String,
    pub kind: ExpansionKind,
    /// The words searched for it (none for a short prefix).
    pub words: Vec<String>,
}

/// What one item of a query becomes.
#[derive(Default)]
pub(super) struct Expansion {
    /// Its alternatives: a story that matches any of them matches the item.
    pub queries: Vec<BoxQuery>,
    /// The queries whose words are marked in snippets.
    pub highlight: Vec<BoxQuery>,
    /// How the item was widened, for the results to say.
    pub expanded: Option<Expanded>,
    /// The word as typed and the nearest word the caller's stories hold, when they hold no story
    /// with the word itself.
    pub correction: Option<(String, String)>,
}

/// A word as the vocabulary holds it (lowercase, diacritics folded), when it is one word.
fn folded(text: &str) -> Option<String> {
    match analyse(&mut words_analyzer(), text).as_slice() {
        [word] => Some(word.clone()),
        _ => None,
    }
}

impl SearchIndex {
    /// What `item`, one of the words of a required group, is searched as; `lenient` lets an unknown
    /// word be searched as its near words.
    pub(super) fn expand(
        &self,
        item: &Item,
        statistics: &ScopedStatistics,
        lenient: bool,
    ) -> Result<Expansion, IndexError> {
        match item {
            Item::Phrase(_) => Ok(Expansion {
                queries: self.text_queries(item),
                highlight: self.item_query(item, false).into_iter().collect(),
                ..Expansion::default()
            }),
            Item::Word(word) => self.expand_word(word, statistics, lenient),
            Item::Prefix(prefix) => match folded(prefix) {
                Some(start) if start.chars().count() >= MIN_PREFIX => {
                    let words = self.words_beginning_with(statistics, &start, PREFIX_WORDS)?;
                    // The compounds the word is part of ("huisbezoek" for "bezoek*"), and the
                    // words that begin with it.
                    let parts = self.part_queries(&Item::Word(prefix.clone()));
                    let mut expansion = Expansion {
                        queries: parts.iter().map(|query| query.box_clone()).collect(),
                        highlight: parts,
                        ..Expansion::default()
                    };
                    for word in &words {
                        let item = Item::Word(word.clone());
                        expansion.queries.extend(self.text_queries(&item));
                        expansion.highlight.extend(self.item_query(&item, false));
                    }
                    if expansion.queries.is_empty() {
                        // No word of the caller's stories begins so: the item finds nothing.
                        expansion.queries.push(Box::new(EmptyQuery));
                    }
                    expansion.expanded = Some(Expanded {
                        word: prefix.clone(),
                        kind: ExpansionKind::Prefix,
                        words,
                    });
                    Ok(expansion)
                }
                _ => {
                    let mut expansion = self.expand_word(prefix, statistics, lenient)?;
                    expansion.expanded = Some(Expanded {
                        word: prefix.clone(),
                        kind: ExpansionKind::ShortPrefix,
                        words: Vec::new(),
                    });
                    Ok(expansion)
                }
            },
        }
    }

    fn expand_word(
        &self,
        word: &str,
        statistics: &ScopedStatistics,
        lenient: bool,
    ) -> Result<Expansion, IndexError> {
        let mut expansion = self.plain_word(word);
        let near = self.near_spellings(word, &expansion.queries, statistics)?;
        let Some(nearest) = near.first() else {
            return Ok(expansion);
        };
        expansion.correction = Some((word.to_string(), nearest.clone()));
        if lenient {
            for near_word in &near {
                let found = self.plain_word(near_word);
                expansion.queries.extend(found.queries);
                expansion.highlight.extend(found.highlight);
            }
            expansion.expanded = Some(Expanded {
                word: word.to_string(),
                kind: ExpansionKind::Typo,
                words: near,
            });
        }
        Ok(expansion)
    }

    /// A word as itself: in title, text and tags, and as a part of compounds.
    fn plain_word(&self, word: &str) -> Expansion {
        let item = Item::Word(word.to_string());
        let parts = self.part_queries(&item);
        Expansion {
            queries: self
                .text_queries(&item)
                .into_iter()
                .chain(parts.iter().map(|query| query.box_clone()))
                .collect(),
            highlight: self
                .item_query(&item, false)
                .into_iter()
                .chain(parts)
                .collect(),
            ..Expansion::default()
        }
    }

    /// What `word` may have meant when no story of the scope holds it (`queries` are what it is
    /// searched as): the nearest words they do hold, nearest first, at most [`TYPO_WORDS`]. In a
    /// word of several ("kofie-inloop") each one they do not hold is replaced by its nearest.
    /// Empty when the stories hold the word or nothing is near enough.
    fn near_spellings(
        &self,
        word: &str,
        queries: &[BoxQuery],
        statistics: &ScopedStatistics,
    ) -> Result<Vec<String>, IndexError> {
        let written = analyse(&mut words_analyzer(), word);
        if let [written] = written.as_slice() {
            if max_distance(written) == 0 || self.is_known(queries, written, statistics)? {
                return Ok(Vec::new());
            }
            return self.nearest_words(statistics, written, TYPO_WORDS);
        }
        let mut changed = false;
        let mut corrected = Vec::with_capacity(written.len());
        for part in &written {
            let known = max_distance(part) == 0
                || self.is_known(
                    &self.text_queries(&Item::Word(part.clone())),
                    part,
                    statistics,
                )?;
            let nearest = if known {
                None
            } else {
                self.nearest_words(statistics, part, 1)?.pop()
            };
            changed |= nearest.is_some();
            corrected.push(nearest.unwrap_or_else(|| part.clone()));
        }
        Ok(if changed {
            vec![corrected.join("-")]
        } else {
            Vec::new()
        })
    }

    /// Whether a story of the scope holds the word: as written, or any term its `queries` look for.
    fn is_known(
        &self,
        queries: &[BoxQuery],
        written: &str,
        statistics: &ScopedStatistics,
    ) -> Result<bool, IndexError> {
        if statistics.visible_any(&Term::from_field_text(self.fields.words, written))? {
            return Ok(true);
        }
        let mut terms: Vec<Term> = Vec::new();
        for query in queries {
            query.query_terms(&mut |term, _| terms.push(term.clone()));
        }
        for term in &terms {
            if statistics.visible_any(term)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// An item in title, text and tags.
    fn text_queries(&self, item: &Item) -> Vec<BoxQuery> {
        self.item_query(item, true)
            .into_iter()
            .chain(self.tag_query(item))
            .collect()
    }

    /// An item in the story's tags, analysed as Dutch, weighted [`TAG_BOOST`].
    fn tag_query(&self, item: &Item) -> Option<BoxQuery> {
        let terms: Vec<Term> = analyse(&mut dutch().analyzer(), item.text())
            .iter()
            .map(|term| Term::from_field_text(self.fields.tags, term))
            .collect();
        let query: BoxQuery = match terms.as_slice() {
            [] => return None,
            [term] => Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
            _ => Box::new(PhraseQuery::new(terms)),
        };
        Some(Box::new(BoostQuery::new(query, TAG_BOOST)))
    }

    /// What an excluded item takes out: the stories whose title or text says it; for `buurt*`, any of
    /// the words of the scope that begin with it.
    pub(super) fn exclusion(
        &self,
        item: &Item,
        statistics: &ScopedStatistics,
    ) -> Result<Option<BoxQuery>, IndexError> {
        if let Item::Prefix(prefix) = item
            && let Some(start) = folded(prefix).filter(|s| s.chars().count() >= MIN_PREFIX)
        {
            let words = self.words_beginning_with(statistics, &start, PREFIX_WORDS)?;
            let queries: Vec<BoxQuery> = words
                .iter()
                .chain([prefix])
                .filter_map(|word| self.item_query(&Item::Word(word.clone()), true))
                .collect();
            return Ok((!queries.is_empty()).then(|| Box::new(BooleanQuery::union(queries)) as _));
        }
        let item = match item {
            Item::Prefix(word) => Item::Word(word.clone()),
            other => other.clone(),
        };
        Ok(self.item_query(&item, true))
    }
}

/// `text` with each word typed replaced by its correction: the query "did you mean" links to.
pub(super) fn corrected(text: &str, corrections: &[(String, String)]) -> Option<String> {
    if corrections.is_empty() {
        return None;
    }
    let mut text = text.to_string();
    for (typed, nearest) in corrections {
        let found = text.match_indices(typed.as_str()).find(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + typed.len()..].chars().next();
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
        });
        if let Some((at, _)) = found {
            text.replace_range(at..at + typed.len(), nearest);
        }
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corrections_replace_whole_words_only() {
        let corrections = vec![("eenzaamhied".to_string(), "eenzaamheid".to_string())];
        assert_eq!(
            corrected("eenzaamhied -\"eenzaamhied\" wijk", &corrections).as_deref(),
            Some("eenzaamheid -\"eenzaamhied\" wijk")
        );
        let corrections = vec![("zorg".to_string(), "zorgen".to_string())];
        assert_eq!(
            corrected("mantelzorg zorg", &corrections).as_deref(),
            Some("mantelzorg zorgen")
        );
        assert_eq!(corrected("buurt", &[]), None);
    }
}
