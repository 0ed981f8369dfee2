//! The urgent-signal list (`signals.toml`) matched against the stories waiting for moderation, with
//! the Dutch analysis of search: a word of the list is looked for as a searched Dutch word is (a term,
//! or a phrase when it analyses to several, in the Dutch title and text), so "deurwaarders" and
//! "deurwaarder" meet and "uit huis gezet" matches only those words in that order.
//!
//! Nothing is stored of a match: the moderation queue asks again each time it is shown, so a change to
//! the list changes what is marked at once, and an erased story leaves nothing behind. One query per
//! word of the list, each limited to the submitted stories, costs a few term look-ups however long
//! the queue is. The list is Dutch, so a story told in another language is matched only through the
//! Dutch translation staff add to it in its tags or text. Nothing of a match is logged.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::query::Item;
use super::schema::FacetField;
use super::search::story_id_at;
use super::{IndexError, SearchIndex, lock};
use crate::signals::Signals;
use crate::store::Store;
use crate::story::StoryId;

/// One word of the list found in a story, with the subject it signals.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SignalMatch {
    /// The word or phrase as the list writes it.
    pub word: String,
    pub subject: String,
}

/// The checked list of the last version read.
#[derive(Default)]
pub(super) struct SignalCache {
    cached: Mutex<Option<(u64, Arc<Signals>)>>,
}

impl SignalCache {
    /// The list as the store holds it now, read once per version.
    fn current(&self, store: &Store) -> Result<Arc<Signals>, IndexError> {
        let version = store.signals_version()?;
        if let Some((cached, signals)) = &*lock(&self.cached)
            && *cached == version
        {
            return Ok(signals.clone());
        }
        let (version, signals) = match store.signals()? {
            // The bank and the import check the text before storing it, so this always reads.
            Some(stored) => (
                stored.version,
                Signals::from_toml(&stored.item).unwrap_or_else(|problems| {
                    tracing::warn!(
                        problems = problems.len(),
                        "the stored signal list does not read; the queue is in waiting order"
                    );
                    Signals::default()
                }),
            ),
            None => (0, Signals::default()),
        };
        let signals = Arc::new(signals);
        *lock(&self.cached) = Some((version, signals.clone()));
        Ok(signals)
    }
}

impl SearchIndex {
    /// The stories waiting for moderation that hold a word of the bank's signal list, each with
    /// the words found in it in the list's order.
    pub fn signals_waiting(
        &self,
        store: &Store,
    ) -> Result<HashMap<StoryId, Vec<SignalMatch>>, IndexError> {
        let signals = self.signals.current(store)?;
        let mut found: HashMap<StoryId, Vec<SignalMatch>> = HashMap::new();
        if signals.signals.is_empty() {
            return Ok(found);
        }
        let searcher = self.reader.searcher();
        let submitted = TermQuery::new(
            self.term(FacetField::Status, "submitted"),
            IndexRecordOption::Basic,
        );
        for (word, subject) in signals.words() {
            let item = if word.contains(' ') {
                Item::Phrase(word.to_string())
            } else {
                Item::Word(word.to_string())
            };
            let Some(query) = self.dutch_query(&item, true) else {
                continue;
            };
            let query = BooleanQuery::intersection(vec![Box::new(submitted.clone()), query]);
            let mut addresses: Vec<_> = searcher
                .search(&query, &DocSetCollector)?
                .into_iter()
                .collect();
            addresses.sort();
            for address in addresses {
                let Some(id) = story_id_at(&searcher, address) else {
                    continue;
                };
                let words = found.entry(id).or_default();
                if !words.iter().any(|known| known.word == word) {
                    words.push(SignalMatch {
                        word: word.to_string(),
                        subject: subject.to_string(),
                    });
                }
            }
        }
        Ok(found)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::{Moderation, Story};
    use crate::testing;

    const LIST: &str = "[[signaal]]\nonderwerp = \"Schulden\"\nwoorden = [\"deurwaarder\"]\n\
                        [[signaal]]\nonderwerp = \"Wonen\"\nwoorden = [\"uit huis gezet\"]\n";

    fn submitted(title: &str, text: &str) -> Story {
        let mut story = testing::story(title, text);
        story.moderation = Moderation::Submitted;
        story
    }

    #[test]
    fn words_match_after_dutch_analysis_phrases_in_order_and_only_while_waiting() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store")).unwrap();
        store.set_municipality(&testing::municipality()).unwrap();
        store.set_goal_tree(&testing::goal_tree()).unwrap();
        let plural = submitted("Brieven", "Er kwamen twee deurwaarders aan de deur.");
        let phrase = submitted("Weg", "Vorig jaar zijn we uit huis gezet, met de kinderen.");
        let apart = submitted("Huis", "Het huis is gezet op een rij, wij gaan er uit.");
        let mut published = testing::story("Gepubliceerd", "De deurwaarder kwam langs.");
        published.moderation = Moderation::Published;
        store
            .put_stories(&[plural.clone(), phrase.clone(), apart.clone(), published])
            .unwrap();
        store.set_signals(LIST).unwrap();
        let index = SearchIndex::open(&dir.path().join("index"), &store).unwrap();

        let found = index.signals_waiting(&store).unwrap();
        let words = |id: StoryId| -> Vec<String> {
            found
                .get(&id)
                .map(|m| {
                    m.iter()
                        .map(|m| format!("{}: {}", m.subject, m.word))
                        .collect()
                })
                .unwrap_or_default()
        };
        assert_eq!(words(plural.id), vec!["Schulden: deurwaarder"]);
        assert_eq!(words(phrase.id), vec!["Wonen: uit huis gezet"]);
        assert_eq!(
            found.len(),
            2,
            "neither scattered words nor a published story count"
        );

        // A changed list is read at once.
        store
            .set_signals("[[signaal]]\nonderwerp = \"Wonen\"\nwoorden = [\"huis\"]\n")
            .unwrap();
        let found = index.signals_waiting(&store).unwrap();
        assert!(!found.contains_key(&plural.id));
        assert!(found.contains_key(&apart.id) && found.contains_key(&phrase.id));
    }
}
