//! The running bank: the store, the search index and its indexer, the settings read from the store, and
//! the changes made to stories (submitting, moderating, erasing, the teller's consent and withdrawal).
//! The web layer and the command line call into this; it is the one place that combines store and
//! index, so both show the same numbers. What pages read lives beside it, one module per read model:
//! `overview`, `evidence`, `board`; `demo` loads the demo municipality.

mod accounts;
pub mod api;
pub mod backups;
mod board;
pub mod closeness;
mod demo;
mod error;
mod evidence;
mod likeness;
mod media;
pub mod operations;
mod overview;
mod questions;
pub mod report;
pub mod rounds;
pub mod session_figures;
mod sessions;
mod signal_list;
mod synonyms;
mod valence;
pub use valence::story_words;

pub use crate::settings::Settings;
pub use board::{AgendaItem, SessionBoard};
pub use demo::DEMO_PASSWORD;
pub use error::BankError;
pub use evidence::{EvidencePage, Within};
pub use likeness::{Merged, SubgoalSuggestion, Suggested, Suggestions, TagSuggestion};
pub use overview::{Balance, GoalOverview, IndicatorOverview, Overview, SubgoalOverview};
pub use questions::{Answered, QuestionsSaved};
pub use signal_list::SignalsSaved;
pub use synonyms::SynonymsSaved;

/// The most stories [`Bank::all_stories`] returns at once.
pub const MAX_ALL_STORIES: usize = 100_000;

use std::sync::{Arc, Mutex, RwLock};

use anyhow::Context;
use jiff::civil::Date;

use crate::config::Config;
use crate::evidence::Measurement;
use crate::goals::{EditError, GoalTree};
use crate::ids::{RoundId, SessionId};
use crate::index::indexer::Indexer;
use crate::index::{FacetField, Scope, SearchIndex, SearchRequest, SearchResults};
use crate::store::{ErasureReason, Store, StoreError, Update, Versioned};
use crate::story::receipt::ReceiptCode;
use crate::story::{Coded, Consent, Story, StoryId};

/// Why the bank did not make a change it was asked to make; nothing was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Refused {
    /// The story was erased meanwhile, and an erased story never comes back.
    #[error("the story was erased")]
    Erased,
    /// Someone else changed it after the version the change was made from.
    #[error("it was changed meanwhile")]
    Changed,
    /// There is no such record.
    #[error("there is no such record")]
    Missing,
}

impl Refused {
    /// A checked update's outcome as a change: done, or refused.
    fn of_update(update: Update) -> Change<u64> {
        match update {
            Update::Done { version } => Ok(version),
            Update::Missing => Err(Refused::Missing),
            Update::Stale => Err(Refused::Changed),
        }
    }
}

/// The outcome of a change: done (with what it gives back), or refused and nothing written.
pub type Change<T> = Result<T, Refused>;

/// The core's one door. Its store and index stay private: every page, command and API route goes
/// through its methods, and every change is one call that reads and writes as one step.
pub struct Bank {
    store: Arc<Store>,
    index: Arc<SearchIndex>,
    settings: RwLock<Arc<Settings>>,
    indexer: Mutex<Option<Indexer>>,
    /// The years for the period filter, with the index position and figures they were read at.
    years: Mutex<Option<YearsCache>>,
    /// Held while the goal tree is read, changed and written, so two edits cannot undo each other.
    tree_edits: Mutex<()>,
    /// Where backups go, when they are on.
    backups: RwLock<Option<backups::BackupPlan>>,
    /// Held while a backup is written into the backup folder, one at a time.
    backup_running: Mutex<()>,
    /// The valence model for stories entered without one, with where the index stood.
    valence: Mutex<Option<valence::LearnedModel>>,
}

/// The index position and figures the years were read at, and the years.
type YearsCache = (u64, Arc<Vec<Measurement>>, Vec<i16>);

/// Opens the store, explaining the one failure operators meet: another process has the folder open.
pub fn open_store(config: &Config) -> anyhow::Result<Store> {
    let path = config.store_path();
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating the data folder {}", config.data_dir.display()))?;
    Store::open(&path).map_err(|error| {
        if error.to_string().contains("could not acquire lock") {
            anyhow::anyhow!(
                "the data folder {} is in use by another Verhalenbank process (is the server running?); stop it first, or use the web pages or the API",
                config.data_dir.display()
            )
        } else if let Some(why) = error.unwritable() {
            anyhow::anyhow!(
                "Verhalenbank cannot write in the data folder {} ({why}); it writes there even to read. \
                 Give the account that runs it write access and free space, or choose another folder with --data-dir",
                config.data_dir.display()
            )
        } else {
            anyhow::Error::new(error).context(format!("opening the store in {}", path.display()))
        }
    })
}

pub fn open_index(config: &Config, store: &Store) -> anyhow::Result<SearchIndex> {
    let path = config.index_path();
    SearchIndex::open(&path, store)
        .with_context(|| format!("opening the search index in {}", path.display()))
}

impl Bank {
    /// Opens store and index in the data folder and brings the index up to date.
    pub fn open(config: &Config) -> anyhow::Result<Bank> {
        let store = Arc::new(open_store(config)?);
        let index = Arc::new(open_index(config, &store)?);
        Bank::from_parts(store, index)
    }

    pub fn from_parts(store: Arc<Store>, index: Arc<SearchIndex>) -> anyhow::Result<Bank> {
        let settings = RwLock::new(Arc::new(read_settings(&store)?));
        Ok(Bank {
            store,
            index,
            settings,
            indexer: Mutex::new(None),
            years: Mutex::new(None),
            tree_edits: Mutex::new(()),
            backups: RwLock::new(None),
            backup_running: Mutex::new(()),
            valence: Mutex::new(None),
        })
    }

    /// The store itself, for what works on it below the pages: tests and benchmarks that check what
    /// is on disk, and commands that repair or rebuild. The web layer never uses it (a test checks).
    pub fn raw_store(&self) -> &Arc<Store> {
        &self.store
    }

    /// The search index itself, for tests and benchmarks that check what it holds; never the web layer.
    pub fn raw_index(&self) -> &Arc<SearchIndex> {
        &self.index
    }

    /// Brings the search index up to date with the store now, instead of waiting for the indexer.
    pub fn catch_up_index(&self) -> anyhow::Result<()> {
        self.index.catch_up(&self.store)?;
        Ok(())
    }

    /// Starts the background indexer that makes every store write searchable.
    pub fn start_indexer(&self) {
        let mut indexer = self.indexer.lock().unwrap_or_else(|p| p.into_inner());
        if indexer.is_none() {
            *indexer = Some(Indexer::start(self.store.clone(), self.index.clone()));
        }
    }

    /// Stops the indexer after a last catch-up and flushes the store.
    pub fn shutdown(&self) -> anyhow::Result<()> {
        if let Some(indexer) = self
            .indexer
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .take()
        {
            indexer.stop();
        }
        self.index.catch_up(&self.store)?;
        self.store.flush()?;
        Ok(())
    }

    /// The sessions and rounds a story may name, for reading stories that come in.
    pub fn linkable_ids(&self) -> anyhow::Result<(Vec<SessionId>, Vec<RoundId>)> {
        Ok((
            self.store.sessions()?.into_iter().map(|s| s.id).collect(),
            self.store.rounds()?.into_iter().map(|r| r.id).collect(),
        ))
    }

    /// Every story a search request finds, in its order, up to [`MAX_ALL_STORIES`]; its page is ignored.
    /// For downloads and for the stories of an evaluation round.
    pub fn all_stories(&self, mut request: SearchRequest) -> anyhow::Result<Vec<Story>> {
        request.page = 1;
        request.snippets = false;
        request.facets = Some(Vec::new());
        // Counting first keeps the collector as small as the result.
        request.per_page = 1;
        let total = self.index.search(&self.store, &request)?.total;
        request.per_page = total.clamp(1, MAX_ALL_STORIES);
        Ok(self
            .index
            .search_up_to(&self.store, &request, MAX_ALL_STORIES)?
            .hits
            .into_iter()
            .map(|hit| hit.story)
            .collect())
    }

    /// Changes the goal tree with `edit` and stores it (flushed), then brings the index's view up to date
    /// (a rebuild only when a subgoal moved to another goal). A refused edit changes nothing.
    pub fn edit_goal_tree<T>(
        &self,
        edit: impl FnOnce(&mut GoalTree) -> Result<T, EditError>,
    ) -> anyhow::Result<Result<T, EditError>> {
        let _edits = self.tree_edits.lock().unwrap_or_else(|p| p.into_inner());
        let mut tree = self.store.goal_tree()?.unwrap_or_default();
        let outcome = match edit(&mut tree) {
            Ok(outcome) => outcome,
            Err(error) => return Ok(Err(error)),
        };
        // The edit checks what it changes; reading the text back checks the whole tree once more.
        GoalTree::from_toml(&tree.to_toml()).context("the edited goal tree does not check out")?;
        self.store.set_goal_tree(&tree)?;
        self.index.catch_up(&self.store)?;
        Ok(Ok(outcome))
    }

    /// The current municipality and goal tree, re-read when they changed in the store.
    pub fn settings(&self) -> anyhow::Result<Arc<Settings>> {
        let version = self.store.settings_version()?;
        let current = self
            .settings
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone();
        if current.version == version {
            return Ok(current);
        }
        let fresh = Arc::new(read_settings(&self.store)?);
        *self.settings.write().unwrap_or_else(|p| p.into_inner()) = fresh.clone();
        Ok(fresh)
    }

    /// Stores a story durably (flushed before this returns) with the hash of its receipt code, and
    /// returns the outbox sequence number to wait on for it to be searchable.
    pub fn submit(&self, story: &Story, receipt: Option<&ReceiptCode>) -> anyhow::Result<u64> {
        let seq = match receipt {
            Some(code) => self.store.put_story_with_receipt(story, &code.hash())?,
            None => self.store.put_story(story)?,
        };
        tracing::info!(story = %story.id, "story stored");
        Ok(seq)
    }

    /// A story as it is now, for staff to check and change; refused when it was erased, so a form
    /// sent for an erased story can say so instead of "not found".
    /// With its version, which the change names when it is saved.
    pub fn story_to_change(&self, id: StoryId) -> anyhow::Result<Change<Option<Versioned<Story>>>> {
        if self.store.is_erased(id)? {
            return Ok(Err(Refused::Erased));
        }
        Ok(Ok(self.store.get_story_versioned(id)?))
    }

    /// Stores a story a moderator checked and corrected (and perhaps redacted) from what they read at
    /// version `read_at`; returns the outbox sequence number. Refused when the story was erased after
    /// the moderator read it, or changed by someone else (its teller's consent, another moderator):
    /// their change is kept, not overwritten.
    pub fn save_moderated(&self, story: &Story, read_at: u64) -> anyhow::Result<Change<u64>> {
        match self.store.put_story_checked(story, read_at) {
            Ok(seq) => {
                tracing::info!(story = %story.id, "story moderated");
                Ok(Ok(seq))
            }
            Err(StoreError::Erased(_)) => Ok(Err(Refused::Erased)),
            Err(StoreError::Changed(_)) => Ok(Err(Refused::Changed)),
            Err(error) => Err(error.into()),
        }
    }

    /// Erases a story for good, from the store and the search index: when this returns, no file in
    /// the data folder holds its words, and the erasure ledger holds its id, `date` and `reason`.
    /// Returns whether there was such a story.
    pub fn erase(&self, id: StoryId, date: Date, reason: ErasureReason) -> anyhow::Result<bool> {
        self.forget_in_round_themes(id)?;
        let existed = self.store.erase_story(id, date, reason)?;
        // Taking the writer waits for the indexer if it is applying the erasure right now, and
        // applies it here otherwise, so the purge is done either way.
        self.index.catch_up(&self.store)?;
        if existed {
            tracing::info!(story = %id, reason = reason.code(), "story erased");
        }
        // Beside the backups, so restoring one made before now leaves this story out.
        if let Err(error) = self.write_erasure_ledger() {
            tracing::error!(error = %format!("{error:#}"), "the erasure ledger could not be written beside the backups");
        }

        Ok(existed)
    }

    /// The story a receipt code belongs to.
    pub fn story_by_receipt(&self, code: &ReceiptCode) -> anyhow::Result<Option<Story>> {
        Ok(self.store.story_by_receipt(&code.hash())?)
    }

    /// The teller changes their consent with their receipt code; the change is dated `today`.
    /// Returns the story as it is now, or `None` when the code belongs to no story.
    pub fn change_consent(
        &self,
        code: &ReceiptCode,
        consent: Consent,
        today: Date,
    ) -> anyhow::Result<Option<Story>> {
        let changed = self.change_by_receipt(code, |story| {
            if story.consent == consent {
                return Err(());
            }
            story.consent = consent;
            story.consent_date = Some(today);
            Ok(())
        })?;
        Ok(changed.map(|(story, written)| {
            if written.is_ok() {
                tracing::info!(story = %story.id, consent = consent.code(), "consent changed by the teller");
            }
            story
        }))
    }

    /// Reads the story a receipt code belongs to, lets `change` edit it and writes it back, as one
    /// step: a write by someone else in between makes it read again, so their change is kept.
    /// `change` returns `Ok(())` to have the edited story written, or `Err(why)` (before editing) to
    /// leave the story as it is. Returns the story as it is now with `Ok(())` when it was written or
    /// the reason it was left alone; `None` when the code belongs to no story (also when it is erased
    /// in the meantime).
    pub(crate) fn change_by_receipt<T>(
        &self,
        code: &ReceiptCode,
        mut change: impl FnMut(&mut Story) -> Result<(), T>,
    ) -> anyhow::Result<Option<(Story, Result<(), T>)>> {
        loop {
            let Some(found) = self.store.story_by_receipt(&code.hash())? else {
                return Ok(None);
            };
            let Some(Versioned {
                item: mut story,
                version,
            }) = self.store.get_story_versioned(found.id)?
            else {
                return Ok(None);
            };
            if let Err(why) = change(&mut story) {
                return Ok(Some((story, Err(why))));
            }
            match self.store.put_story_checked(&story, version) {
                Ok(_) => return Ok(Some((story, Ok(())))),
                Err(StoreError::Changed(_)) => continue,
                Err(StoreError::Erased(_)) => return Ok(None),
                Err(error) => return Err(error.into()),
            }
        }
    }

    /// The teller withdraws their story with their receipt code: it is erased. Returns the id of
    /// the story erased, or `None` when the code belongs to no story.
    pub fn withdraw(&self, code: &ReceiptCode, today: Date) -> anyhow::Result<Option<StoryId>> {
        let Some(story) = self.store.story_by_receipt(&code.hash())? else {
            return Ok(None);
        };
        let erased = self.erase(story.id, today, ErasureReason::WithdrawnByTeller)?;
        Ok(erased.then_some(story.id))
    }

    /// The years that have figures or stories, oldest first, for the period filter. Kept until the
    /// index or the figures change.
    pub fn years(&self) -> anyhow::Result<Vec<i16>> {
        let measurements = self.store.measurements_shared()?;
        let seq = self.index.indexed_seq();
        let mut cache = self.years.lock().unwrap_or_else(|p| p.into_inner());
        if let Some((cached_seq, cached_measurements, years)) = cache.as_ref()
            && *cached_seq == seq
            && Arc::ptr_eq(cached_measurements, &measurements)
        {
            return Ok(years.clone());
        }
        let mut years: Vec<i16> = measurements.iter().map(|m| m.period.year()).collect();
        let mut request = SearchRequest::new("", Scope::Municipality);
        request.facets = Some(vec![FacetField::Year]);
        request.snippets = false;
        let results = self.index.search(&self.store, &request)?;
        years.extend(
            results
                .facets
                .get(&FacetField::Year)
                .into_iter()
                .flatten()
                .filter_map(|count| count.value.parse::<i16>().ok()),
        );
        years.sort_unstable();
        years.dedup();
        *cache = Some((seq, measurements, years.clone()));
        Ok(years)
    }

    /// Waits until the index has taken in the outbox up to `seq`, or `timeout` passes, so a page
    /// loaded next shows the story just stored. Whether it was taken in in time.
    #[must_use = "a timeout means the story is not searchable yet"]
    pub fn wait_until_indexed(&self, seq: u64, timeout: std::time::Duration) -> bool {
        self.index.wait_until_indexed(seq, timeout)
    }

    /// Searches the stories `request.scope` may see.
    pub fn search(&self, request: &SearchRequest) -> anyhow::Result<SearchResults> {
        Ok(self.index.search(&self.store, request)?)
    }

    /// Sets up to how many matches per index segment a search that counts no facets counts its
    /// total exactly; beyond, the total is estimated (1,000 unless set).
    pub fn set_exact_total_up_to(&self, limit: usize) {
        self.index.set_exact_total_up_to(limit);
    }

    /// The provider an API token acts for, if the token is known and not revoked.
    pub fn token(
        &self,
        hash: &crate::tokens::TokenHash,
    ) -> anyhow::Result<Option<crate::tokens::TokenInfo>> {
        Ok(self.store.token(hash)?)
    }

    /// Every figure in the bank.
    pub fn measurements(&self) -> anyhow::Result<Arc<Vec<Measurement>>> {
        Ok(self.store.measurements_shared()?)
    }

    /// A story if `scope` may see it: the same rule the search index applies inside its queries.
    pub fn visible_story(
        &self,
        id: crate::story::StoryId,
        scope: &Scope,
    ) -> anyhow::Result<Option<Story>> {
        let story = self.store.get_story(id)?;
        Ok(story.filter(|story| scope.may_see(story)))
    }

    /// The language a story is in: as given, or detected from its text.
    pub fn language_of(&self, story: &Story, settings: &Settings) -> crate::language::Language {
        let plain = crate::story::render::plain_text(&story.text);
        story.language_or_detect(
            &plain,
            &crate::language::LanguageDetector::default(),
            &settings.municipality.default_language,
        )
    }
}

fn read_settings(store: &Store) -> anyhow::Result<Settings> {
    Ok(Settings {
        version: store.settings_version()?,
        municipality: store.municipality()?.unwrap_or_default(),
        goals: store.goal_tree()?.unwrap_or_default(),
    })
}
