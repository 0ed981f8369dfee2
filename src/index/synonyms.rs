//! The synonyms list at query time: a searched word or phrase also looks for its synonyms from the
//! bank's `synonyms.toml` ("eenzaam" also finds "alleen" and "geïsoleerd"), weighted below the word
//! itself ([`SYNONYM_BOOST`]) so stories that say what was typed come first.
//!
//! Words are matched after Dutch analysis, so "eenzame" finds what "eenzaam" does and "mantelzorgers"
//! what "mantelzorger" does. A synonym is then searched as a typed Dutch word is: in the Dutch text
//! and title, as a phrase when it has several words, and (for one word) in the compound parts too, so
//! "geldzorgen" also reaches "geldzorgenpot" at the parts' lower weight. The list is Dutch, so the
//! fields of other languages are left out (a typed word is looked up in every language). Synonyms apply to
//! words that must match, never to exclusions (`-alleen` excludes only "alleen").
//!
//! The analysed list is made once per version of the list in the store and kept. Which synonyms a
//! search applied ([`super::SearchResults::synonyms_used`]) depends on the list and the query alone,
//! never on which stories match, so it says nothing about stories the caller may not see.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tantivy::Term;
use tantivy::query::{BooleanQuery, BoostQuery, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;

use super::analysis::{analyse, dutch};
use super::query::Item;
use super::{IndexError, SearchIndex, lock};
use crate::store::Store;
use crate::synonyms::Synonyms;

/// The weight of a match on a synonym, against 1 for the word typed.
pub const SYNONYM_BOOST: f32 = 0.2;

/// One synonym of a word: its text as the list writes it, and whether it is a phrase.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Alternative {
    text: String,
    phrase: bool,
}

/// The list analysed: for each word that finds others (by its analysed form), what it also finds.
#[derive(Debug, Default)]
pub(super) struct Expansions {
    by_key: HashMap<String, Vec<Alternative>>,
}

/// The analysed form a word or phrase is looked up by: its Dutch terms, space-separated.
fn key(text: &str) -> Option<String> {
    let terms = analyse(&mut dutch().analyzer(), text);
    (!terms.is_empty()).then(|| terms.join(" "))
}

impl Expansions {
    fn new(synonyms: &Synonyms) -> Expansions {
        let mut by_key: HashMap<String, Vec<Alternative>> = HashMap::new();
        for (word, also) in synonyms.expansions() {
            let Some(word_key) = key(word) else {
                continue;
            };
            let alternatives = by_key.entry(word_key.clone()).or_default();
            for text in also {
                // Two spellings that analyse alike ("eenzaam", "eenzame") would only find themselves.
                if key(text).as_ref() == Some(&word_key)
                    || alternatives.iter().any(|known| known.text == text)
                {
                    continue;
                }
                alternatives.push(Alternative {
                    text: text.to_string(),
                    phrase: text.contains(char::is_whitespace),
                });
            }
        }
        Expansions { by_key }
    }

    /// The synonyms of a searched word or phrase, in the list's order.
    fn of(&self, item: &Item) -> &[Alternative] {
        if let Item::Prefix(_) = item {
            return &[];
        }
        key(item.text())
            .and_then(|key| self.by_key.get(&key))
            .map_or(&[], Vec::as_slice)
    }
}

/// The analysed list of the last version read.
#[derive(Default)]
pub(super) struct SynonymCache {
    cached: Mutex<Option<(u64, Arc<Expansions>)>>,
}

impl SynonymCache {
    /// The list as the store holds it now, analysed once per version.
    pub(super) fn current(&self, store: &Store) -> Result<Arc<Expansions>, IndexError> {
        let version = store.synonyms_version()?;
        if let Some((cached, expansions)) = &*lock(&self.cached)
            && *cached == version
        {
            return Ok(expansions.clone());
        }
        let (version, expansions) = match store.synonyms()? {
            Some(stored) => {
                // The bank checks the text before storing it, so this always reads.
                let synonyms = Synonyms::from_toml(&stored.item).unwrap_or_else(|problems| {
                    tracing::warn!(
                        problems = problems.len(),
                        "the stored synonyms list does not read; searching without it"
                    );
                    Synonyms::default()
                });
                (stored.version, Expansions::new(&synonyms))
            }
            None => (0, Expansions::default()),
        };
        let expansions = Arc::new(expansions);
        *lock(&self.cached) = Some((version, expansions.clone()));
        Ok(expansions)
    }
}

/// What the synonyms of one query's words add to its search.
#[derive(Default)]
pub(super) struct Applied {
    /// The synonyms looked for, each once, in the order met.
    pub used: Vec<String>,
    /// Their queries without titles or parts, for marking them in snippets.
    pub highlight: Vec<Box<dyn Query>>,
}

impl SearchIndex {
    /// The alternatives the synonyms of `group`'s items add, each searched as a typed word is and
    /// weighted [`SYNONYM_BOOST`]. A synonym that is itself one of the query's words (`typed`) is left
    /// out, as it is looked for anyway.
    pub(super) fn synonym_queries(
        &self,
        group: &[Item],
        typed: &[Item],
        expansions: &Expansions,
        applied: &mut Applied,
    ) -> Vec<Box<dyn Query>> {
        let typed: Vec<String> = typed.iter().filter_map(|item| key(item.text())).collect();
        let mut queries: Vec<Box<dyn Query>> = Vec::new();
        for alternative in group.iter().flat_map(|item| expansions.of(item)) {
            if key(&alternative.text).is_some_and(|key| typed.contains(&key)) {
                continue;
            }
            let item = if alternative.phrase {
                Item::Phrase(alternative.text.clone())
            } else {
                Item::Word(alternative.text.clone())
            };
            let found: Vec<Box<dyn Query>> = self
                .dutch_query(&item, true)
                .into_iter()
                .chain(self.part_queries(&item))
                .collect();
            if found.is_empty() {
                continue;
            }
            queries.push(Box::new(BoostQuery::new(
                Box::new(BooleanQuery::union(found)),
                SYNONYM_BOOST,
            )));
            applied.highlight.extend(self.dutch_query(&item, false));
            if !applied.used.contains(&alternative.text) {
                applied.used.push(alternative.text.clone());
            }
        }
        queries
    }

    /// A synonym in the Dutch text (and title, weighted double): a term, or a phrase when it
    /// analyses to several. The list is Dutch, so other languages' fields are left out; looking a
    /// Dutch word up in them would cost time and find only false friends.
    pub(super) fn dutch_query(&self, item: &Item, titles: bool) -> Option<Box<dyn Query>> {
        let terms = analyse(&mut dutch().analyzer(), item.text());
        if terms.is_empty() {
            return None;
        }
        let (title_field, text_field) = self.fields.text_fields(dutch());
        let mut fields = vec![(text_field, 1.0)];
        if titles {
            fields.push((title_field, 2.0));
        }
        let queries: Vec<Box<dyn Query>> = fields
            .into_iter()
            .map(|(field, boost)| {
                let field_terms: Vec<Term> = terms
                    .iter()
                    .map(|term| Term::from_field_text(field, term))
                    .collect();
                let query: Box<dyn Query> = match field_terms.as_slice() {
                    [term] => Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
                    _ => Box::new(PhraseQuery::new(field_terms)),
                };
                if boost == 1.0 {
                    query
                } else {
                    Box::new(BoostQuery::new(query, boost))
                }
            })
            .collect();
        Some(Box::new(BooleanQuery::union(queries)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::ProviderId;
    use crate::index::{Scope, SearchRequest, SearchResults};
    use crate::story::{Moderation, Story};
    use crate::testing;

    const LIST: &str = "[[groep]]\nwoorden = [\"eenzaam\", \"alleen\"]\n\
                        [[groep]]\nwoord = \"mantelzorger\"\nook = [\"zorgt voor\"]\n";

    /// A store with `stories` and the list above, and its index.
    fn bank(stories: &[Story]) -> (tempfile::TempDir, Store, SearchIndex) {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store")).unwrap();
        store.set_municipality(&testing::municipality()).unwrap();
        store.set_goal_tree(&testing::goal_tree()).unwrap();
        store.put_stories(stories).unwrap();
        store.set_synonyms(LIST).unwrap();
        let index = SearchIndex::open(&dir.path().join("index"), &store).unwrap();
        (dir, store, index)
    }

    fn search(
        store: &Store,
        index: &SearchIndex,
        text: &str,
        scope: Scope,
        on: bool,
    ) -> SearchResults {
        let mut request = SearchRequest::new(text, scope);
        request.synonyms = on;
        index.search(store, &request).unwrap()
    }

    fn titles(results: &SearchResults) -> Vec<&str> {
        results
            .hits
            .iter()
            .map(|hit| hit.story.title.as_str())
            .collect()
    }

    fn visible() -> Vec<Story> {
        let mut stories = vec![
            testing::story(
                "Woord",
                "Sinds de verhuizing voel ik me eenzaam in de flat.",
            ),
            testing::story(
                "Synoniem",
                "Ik ben alleen. Alleen op zondag, alleen op maandag, alleen in de flat.",
            ),
            testing::story("Zin", "Mijn buurvrouw zorgt voor haar man, elke dag."),
            testing::story("Anders", "De koffie in het buurthuis is goed."),
        ];
        for story in &mut stories {
            story.provider = Some(ProviderId::parse("buurtwerk").unwrap());
        }
        stories
    }

    #[test]
    fn no_word_of_the_demo_list_meets_a_stop_word() {
        // "gêne" folds and stems to what "geen" does, and would find nearly every story.
        let stop: Vec<String> = crate::index::query::STOP_WORDS
            .iter()
            .filter_map(|word| key(word))
            .collect();
        let list = Synonyms::from_toml(include_str!("../../stories-sample/synonyms.toml")).unwrap();
        for (word, also) in list.expansions() {
            for single in std::iter::once(word).chain(also) {
                if single.contains(char::is_whitespace) {
                    continue;
                }
                let analysed = key(single).unwrap();
                assert!(
                    !stop.contains(&analysed),
                    "{single} meets a stop word as {analysed}"
                );
            }
        }
    }

    #[test]
    fn synonyms_are_found_below_the_word_and_only_when_asked() {
        let (_dir, store, index) = bank(&visible());
        let on = search(&store, &index, "eenzaam", Scope::Municipality, true);
        assert_eq!(titles(&on), ["Woord", "Synoniem"], "the word itself first");
        assert_eq!(on.synonyms_used, ["alleen"]);
        assert!(
            on.hits[1].snippet.as_str().contains("<mark>alleen</mark>"),
            "{}",
            on.hits[1].snippet.as_str()
        );
        let off = search(&store, &index, "eenzaam", Scope::Municipality, false);
        assert_eq!(titles(&off), ["Woord"]);
        assert!(off.synonyms_used.is_empty());

        // One-way, and a phrase: the carer's word finds "zorgt voor", not the other way round.
        let carer = search(&store, &index, "mantelzorgers", Scope::Municipality, true);
        assert_eq!(titles(&carer), ["Zin"]);
        assert_eq!(carer.synonyms_used, ["zorgt voor"]);
        let back = search(&store, &index, "\"zorgt voor\"", Scope::Municipality, true);
        assert!(back.synonyms_used.is_empty());

        // Excluding a word excludes only that word; typing both words names no synonym.
        let excluded = search(&store, &index, "flat -alleen", Scope::Municipality, true);
        assert_eq!(titles(&excluded), ["Woord"]);
        let both = search(
            &store,
            &index,
            "eenzaam OR alleen",
            Scope::Municipality,
            true,
        );
        assert!(both.synonyms_used.is_empty());

        // A new version of the list is used at once.
        store.set_synonyms("").unwrap();
        let emptied = search(&store, &index, "eenzaam", Scope::Municipality, true);
        assert_eq!(titles(&emptied), ["Woord"]);
        assert!(emptied.synonyms_used.is_empty());
    }

    #[test]
    fn synonyms_say_nothing_of_stories_the_caller_may_not_see() {
        let mut hidden = testing::story("Verborgen", "Ik voel me zo alleen sinds de winter.");
        hidden.moderation = Moderation::Submitted;
        hidden.provider = Some(ProviderId::parse("welzijn").unwrap());
        let mut with = visible();
        with.push(hidden);
        let (_a, with_store, with_index) = bank(&with);
        let (_b, without_store, without_index) = bank(&visible());
        for scope in [
            Scope::Provider(ProviderId::parse("buurtwerk").unwrap()),
            Scope::Public,
        ] {
            for query in ["eenzaam", "alleen", "eenzaam flat", "mantelzorger"] {
                let answer = |store: &Store, index: &SearchIndex| {
                    serde_json::to_string(&search(store, index, query, scope.clone(), true))
                        .unwrap()
                };
                assert_eq!(
                    answer(&with_store, &with_index),
                    answer(&without_store, &without_index),
                    "{scope:?} searching {query}"
                );
            }
        }
    }

    fn expansions(text: &str) -> Expansions {
        Expansions::new(&Synonyms::from_toml(text).unwrap())
    }

    fn of(expansions: &Expansions, item: Item) -> Vec<(String, bool)> {
        expansions
            .of(&item)
            .iter()
            .map(|a| (a.text.clone(), a.phrase))
            .collect()
    }

    #[test]
    fn words_meet_their_synonyms_after_analysis() {
        let list = expansions(
            "[[groep]]\nwoorden = [\"eenzaam\", \"alleen\", \"geïsoleerd\"]\n\
             [[groep]]\nwoord = \"mantelzorger\"\nook = [\"zorgt voor\"]\n",
        );
        let word = |text: &str| Item::Word(text.to_string());
        assert_eq!(
            of(&list, word("Eenzame")),
            vec![
                ("alleen".to_string(), false),
                ("geïsoleerd".to_string(), false)
            ]
        );
        assert_eq!(
            of(&list, word("mantelzorgers")),
            vec![("zorgt voor".to_string(), true)]
        );
        assert!(
            of(&list, Item::Phrase("zorgt voor".to_string())).is_empty(),
            "one-way"
        );
        assert!(of(&list, word("buurt")).is_empty());
    }
}
