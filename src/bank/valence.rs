//! The valence suggested for a story a provider enters without one: the bank's model
//! ([`crate::valence`]) learned from the stories residents told themselves (the valence they gave is
//! their own), kept while the index stands still and learned again at most once a minute after it
//! moved. Nothing of a suggestion is stored or logged.

use std::sync::Arc;
use std::time::{Duration, Instant};

use super::Bank;
use super::rounds::WordCounter;
use crate::index::{FacetField, Scope, SearchRequest, SortOrder};
use crate::story::{Coded, Moderation, TellerRole};
use crate::valence::{ValenceGuess, ValenceModel, Word};

/// The newest stories told by residents the model learns from, at most: enough words for a sure
/// suggestion, few enough that learning again stays a short pause in a large bank.
pub const LEARN_FROM_AT_MOST: usize = 5_000;

/// How long a model is kept after the index moved before it is learned again.
const KEPT_FOR: Duration = Duration::from_secs(60);

/// A model with the index position and time it was learned at.
pub(super) struct LearnedModel {
    seq: u64,
    at: Instant,
    model: Arc<ValenceModel>,
}

/// A story's words as the model counts them: Dutch stems, stop words left out.
pub fn story_words(title: &str, text: &str) -> Vec<Word> {
    words_of(&mut WordCounter::new(), title, text)
}

fn words_of(counter: &mut WordCounter, title: &str, text: &str) -> Vec<Word> {
    counter
        .words(&format!("{title}\n{text}"))
        .into_iter()
        .map(|(stem, written)| Word { stem, written })
        .collect()
}

impl Bank {
    /// The valence residents' own stories suggest for a story with `title` and `text`, when the
    /// model is sure enough ([`crate::valence::SURE_ENOUGH`]).
    pub fn suggest_valence(&self, title: &str, text: &str) -> anyhow::Result<Option<ValenceGuess>> {
        let model = self.valence_model()?;
        Ok(model.suggest(&story_words(title, text)))
    }

    /// The model as it stands, learned again when the index moved and the last one is older than
    /// [`KEPT_FOR`].
    fn valence_model(&self) -> anyhow::Result<Arc<ValenceModel>> {
        let seq = self.index.indexed_seq();
        if let Some(learned) = self
            .valence
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
            && (learned.seq == seq || learned.at.elapsed() < KEPT_FOR)
        {
            return Ok(learned.model.clone());
        }
        let model = Arc::new(self.learn_valence(LEARN_FROM_AT_MOST)?);
        *self.valence.lock().unwrap_or_else(|p| p.into_inner()) = Some(LearnedModel {
            seq,
            at: Instant::now(),
            model: model.clone(),
        });
        Ok(model)
    }

    /// A model learned from the newest `most` stories residents told themselves (rejected ones
    /// left out).
    pub fn learn_valence(&self, most: usize) -> anyhow::Result<ValenceModel> {
        let mut request = SearchRequest::new("", Scope::Municipality)
            .filter(FacetField::Teller, TellerRole::Resident.code());
        request.sort = SortOrder::Newest;
        request.snippets = false;
        request.facets = Some(Vec::new());
        request.per_page = most.max(1);
        let stories = self.index.search_up_to(&self.store, &request, most)?.hits;
        let mut counter = WordCounter::new();
        let examples: Vec<_> = stories
            .iter()
            .filter(|hit| !matches!(hit.story.moderation, Moderation::Rejected(_)))
            .map(|hit| {
                let story = &hit.story;
                (
                    story.valence,
                    words_of(&mut counter, &story.title, story.text.as_str()),
                )
            })
            .collect();
        Ok(ValenceModel::learn(
            examples
                .iter()
                .map(|(valence, words)| (*valence, words.as_slice())),
        ))
    }
}
