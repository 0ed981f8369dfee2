//! The running bank: the store, the search index and its indexer, the settings read from the store, and
//! the questions pages and the API ask of them (the goal overview, an indicator's evidence, submitting a
//! story). The web layer and the command line call into this; it is the one place that combines store
//! and index, so both show the same numbers.

mod accounts;
pub mod api;
pub mod backups;
pub mod closeness;
mod error;
mod likeness;
mod media;
pub mod operations;
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
pub use error::BankError;
pub use likeness::{Merged, SubgoalSuggestion, Suggested, Suggestions, TagSuggestion};
pub use questions::{Answered, QuestionsSaved};
pub use signal_list::SignalsSaved;
pub use synonyms::SynonymsSaved;

/// The password of the demo's accounts.
pub const DEMO_PASSWORD: &str = "demo-verhalenbank";

/// The most stories [`Bank::all_stories`] returns at once.
pub const MAX_ALL_STORIES: usize = 100_000;

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, RwLock};

use anyhow::Context;
use jiff::civil::Date;
use serde::Serialize;

use crate::config::Config;
use crate::evidence::statements::{ScoreFigures, score_figures};
use crate::evidence::{
    CountedEvidence, EvidenceFilter, Measurement, Signal, ToldSummary, counted_evidence, signals,
};
use crate::goals::{EditError, Goal, GoalTree, Indicator, ItemKind, Statement, Subgoal, Theme};
use crate::ids::IndicatorId;
use crate::ids::{RoundId, SessionId};
use crate::index::indexer::Indexer;
use crate::index::{
    FacetCount, FacetField, Hit, Scope, SearchIndex, SearchRequest, SearchResults, SortOrder,
};
use crate::sessions::{Action, Interpretation, Session};
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

/// A search within an indicator's stories on its evidence page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Within {
    /// What was typed, in the query language.
    pub text: String,
    /// Whether words also find their synonyms.
    pub synonyms: bool,
}

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

/// Stories and their valence balance.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Balance {
    pub count: u32,
    pub positive: u32,
    pub negative: u32,
    pub mixed: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorOverview {
    pub indicator: Indicator,
    pub counted: CountedEvidence,
    pub signals: Vec<Signal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubgoalOverview {
    pub subgoal: Subgoal,
    pub stories: Balance,
    pub indicators: Vec<IndicatorOverview>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalOverview {
    pub goal: Goal,
    pub theme: Option<Theme>,
    /// The stories of the goal's subgoals, each story once.
    pub stories: Balance,
    pub subgoals: Vec<SubgoalOverview>,
}

/// The whole goal tree with each indicator's latest figure next to its stories.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub goals: Vec<GoalOverview>,
    pub stories: Balance,
}

/// Counted and told evidence for one indicator, side by side.
#[derive(Debug, Clone, Serialize)]
pub struct EvidencePage {
    pub goal: Goal,
    pub subgoal: Subgoal,
    pub indicator: Indicator,
    pub statement: Option<Statement>,
    /// Answers to the indicator's statement from the stories, per quarter.
    pub scores: Option<ScoreFigures>,
    pub counted: CountedEvidence,
    pub told: ToldSummary,
    /// A handful of stories, closest to the indicator first ([`closeness`]), then for a mix of
    /// valence, area and teller.
    pub excerpts: Vec<(closeness::Closeness, Hit)>,
    /// The activities the indicator counts, whose stories come after those naming it.
    pub activities: Vec<crate::municipality::Activity>,
    /// Results of a search within this indicator's stories, when one was asked.
    pub within: Option<SearchResults>,
    pub signals: Vec<Signal>,
}

/// One indicator on a session's agenda: its figures for the session's area and its stories there.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaItem {
    pub indicator: Indicator,
    pub counted: CountedEvidence,
    pub stories: Balance,
}

/// What a session's board and report show.
#[derive(Debug, Clone, Serialize)]
pub struct SessionBoard {
    pub session: Session,
    /// The session's date once it has passed: the agenda's figures and story counts are as they stood
    /// on that day ([`session_figures`]).
    pub as_of: Option<Date>,
    pub agenda: Vec<AgendaItem>,
    /// Stories told in the session that may be shown to the room (public consent), newest first.
    pub stories: Vec<Hit>,
    /// All stories told in the session, including those only for internal use.
    pub told: usize,
}

/// How many representative excerpts an evidence page shows per valence.
const EXCERPTS_PER_VALENCE: usize = 2;

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

    /// Imports the demo municipality when the store is empty. Returns whether it did.
    pub fn load_demo_if_empty(&self, sample: &Path) -> anyhow::Result<bool> {
        if !self.store.is_empty() {
            return Ok(false);
        }
        let report = crate::import::import_paths(
            &self.store,
            &[sample.to_path_buf()],
            &indicatif::ProgressBar::hidden(),
        )?;
        anyhow::ensure!(
            report.is_success(),
            "the demo data in {} has {} problems",
            sample.display(),
            report.errors.len()
        );
        self.index.catch_up(&self.store)?;
        self.add_demo_accounts()?;
        Ok(true)
    }

    /// The demo's accounts, one per role, all with the password [`DEMO_PASSWORD`] (documented in the
    /// README). Only a demo gets them; a data folder started without the demo has no accounts at all.
    fn add_demo_accounts(&self) -> anyhow::Result<()> {
        use crate::accounts::{Role, RoleKind, User};
        use crate::ids::{ProviderId, UserName};
        let today = jiff::Zoned::now().date();
        for (name, display, role, provider) in [
            ("beheerder", "Demo beheerder", RoleKind::Admin, None),
            ("analist", "Demo analist", RoleKind::Analyst, None),
            (
                "begeleider",
                "Demo gespreksbegeleider",
                RoleKind::Facilitator,
                None,
            ),
            (
                "buurtwerk",
                "Demo Stichting Buurtwerk",
                RoleKind::Provider,
                Some("buurtwerk"),
            ),
            (
                "welzijn",
                "Demo Stichting Welzijn",
                RoleKind::Provider,
                Some("welzijn"),
            ),
        ] {
            let provider = provider.map(ProviderId::parse).transpose()?;
            let user = User::new(
                UserName::parse(name)?,
                display,
                Role::new(role, provider)?,
                DEMO_PASSWORD,
                today,
            )?;
            self.store.put_user(&user)?;
        }
        Ok(())
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

    /// A session with its agenda's evidence for its area and the stories told in it; `scope` decides
    /// which of those stories are listed (the count includes all).
    pub fn session_board(
        &self,
        id: &SessionId,
        scope: &Scope,
        today: Date,
    ) -> anyhow::Result<Option<SessionBoard>> {
        let Some(session) = self.store.session(id)? else {
            return Ok(None);
        };
        let settings = self.settings()?;
        let area_order = settings.municipality.area_ids();
        let filter = EvidenceFilter {
            area: Some(session.area.clone()),
            period: None,
        };
        // The agenda shows the evidence as it stood on the session's date, so a report printed a year
        // later says what the room saw.
        let judged_on = session_figures::judged_on(session.date, today);
        let measurements = self.store.measurements_shared()?;
        let mut agenda = Vec::new();
        for indicator in session
            .indicators
            .iter()
            .filter_map(|id| settings.goals.indicator(id))
        {
            let figures =
                session_figures::figures_standing_on(&measurements, &indicator.id, session.date);
            let counted = counted_evidence(indicator, &figures, &filter, &area_order, judged_on);
            let mut request = self
                .filtered(&Scope::Public, &filter)
                .filter(FacetField::Subgoal, indicator.subgoal.as_str());
            request.to = Some(session.date);
            request.facets = Some(vec![FacetField::Valence]);
            let results = self.index.search(&self.store, &request)?;
            let mut stories = Balance::default();
            for count in results
                .facets
                .get(&FacetField::Valence)
                .into_iter()
                .flatten()
            {
                add_valence(&mut stories, &count.value, count.count);
            }
            agenda.push(AgendaItem {
                indicator: indicator.clone(),
                counted,
                stories,
            });
        }
        let mut all = SearchRequest::new("", Scope::Municipality)
            .filter(FacetField::Session, session.id.as_str());
        all.facets = Some(Vec::new());
        all.snippets = false;
        all.per_page = 1;
        let told = self.index.search(&self.store, &all)?.total;
        let mut shown =
            SearchRequest::new("", scope.clone()).filter(FacetField::Session, session.id.as_str());
        shown.sort = SortOrder::Newest;
        shown.per_page = crate::index::search::MAX_PER_PAGE;
        shown.facets = Some(Vec::new());
        let stories = self.index.search(&self.store, &shown)?.hits;
        Ok(Some(SessionBoard {
            as_of: session_figures::is_past(session.date, today).then_some(session.date),
            session,
            agenda,
            stories,
            told,
        }))
    }

    /// Every session, the latest date first.
    pub fn sessions(&self) -> anyhow::Result<Vec<Session>> {
        let mut sessions = self.store.sessions()?;
        sessions.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
        Ok(sessions)
    }

    /// Interpretations of an indicator, newest first; with `query`, only those whose text holds every
    /// word of it (Dutch inflections and diacritics folded, as in story search).
    pub fn interpretations_for(
        &self,
        indicator: &IndicatorId,
        query: Option<&str>,
    ) -> anyhow::Result<Vec<Interpretation>> {
        let words = query.map(|query| {
            crate::index::analysis::analyse(&mut crate::index::analysis::dutch().analyzer(), query)
        });
        Ok(self
            .store
            .interpretations()?
            .into_iter()
            .filter(|interpretation| &interpretation.indicator == indicator)
            .filter(|interpretation| match &words {
                None => true,
                Some(words) => {
                    let terms = crate::index::analysis::analyse(
                        &mut crate::index::analysis::dutch().analyzer(),
                        &interpretation.text(),
                    );
                    words.iter().all(|word| terms.contains(word))
                }
            })
            .collect())
    }

    /// Actions about an indicator: open ones first (by due date), then the finished ones.
    pub fn actions_for(&self, indicator: &IndicatorId) -> anyhow::Result<Vec<Action>> {
        let mut actions: Vec<Action> = self
            .store
            .actions()?
            .into_iter()
            .filter(|action| action.indicator.as_ref() == Some(indicator))
            .collect();
        actions.sort_by_key(|action| (!action.is_open(), action.due));
        Ok(actions)
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

    fn measurements_of(&self, indicator: &IndicatorId) -> anyhow::Result<Vec<Measurement>> {
        // Only this indicator's figures are cloned out of the shared list.
        Ok(self
            .store
            .measurements_shared()?
            .iter()
            .filter(|m| &m.indicator == indicator)
            .cloned()
            .collect())
    }

    /// A search request limited to the filter's area and period.
    fn filtered(&self, scope: &Scope, filter: &EvidenceFilter) -> SearchRequest {
        let mut request = SearchRequest::new("", scope.clone());
        if let Some(area) = &filter.area {
            request = request.filter(FacetField::Area, area.as_str());
        }
        if let Some(period) = filter.period {
            request.from = Some(period.first_day());
            request.to = Some(period.last_day());
        }
        request.per_page = 1;
        request
    }

    /// The goal overview: the tree as it is now, without retired items.
    pub fn overview(
        &self,
        filter: &EvidenceFilter,
        scope: &Scope,
        today: Date,
    ) -> anyhow::Result<Overview> {
        let settings = self.settings()?;
        let tree = &settings.goals;
        self.overview_of(filter, scope, today, &|kind, id| {
            tree.retired_itself(kind, id).is_none()
        })
    }

    /// The goal overview of the items `keep` says to show.
    fn overview_of(
        &self,
        filter: &EvidenceFilter,
        scope: &Scope,
        today: Date,
        keep: &dyn Fn(ItemKind, &str) -> bool,
    ) -> anyhow::Result<Overview> {
        let settings = self.settings()?;
        let measurements = self.store.measurements_shared()?;
        let area_order = settings.municipality.area_ids();
        let top_areas = settings.municipality.top_area_ids();

        // Stories per subgoal and per goal, by valence: one count per valence.
        let mut balances: HashMap<String, Balance> = HashMap::new();
        let mut goal_balances: HashMap<String, Balance> = HashMap::new();
        let mut total = Balance::default();
        for valence in ["positive", "negative", "mixed"] {
            let mut request = self
                .filtered(scope, filter)
                .filter(FacetField::Valence, valence);
            request.facets = Some(vec![FacetField::Subgoal, FacetField::Goal]);
            let results = self.index.search(&self.store, &request)?;
            add_valence(&mut total, valence, results.total as u32);
            for count in results.facets.get(&FacetField::Goal).into_iter().flatten() {
                add_valence(
                    goal_balances.entry(count.value.clone()).or_default(),
                    valence,
                    count.count,
                );
            }
            for count in results
                .facets
                .get(&FacetField::Subgoal)
                .into_iter()
                .flatten()
            {
                add_valence(
                    balances.entry(count.value.clone()).or_default(),
                    valence,
                    count.count,
                );
            }
        }

        let goals = settings
            .goals
            .goals
            .iter()
            .filter(|goal| keep(ItemKind::Goal, goal.id.as_str()))
            .map(|goal| GoalOverview {
                goal: goal.clone(),
                stories: goal_balances
                    .get(goal.id.as_str())
                    .copied()
                    .unwrap_or_default(),
                theme: goal
                    .theme
                    .as_ref()
                    .and_then(|id| settings.goals.theme(id))
                    .cloned(),
                subgoals: settings
                    .goals
                    .subgoals_of(&goal.id)
                    .filter(|subgoal| keep(ItemKind::Subgoal, subgoal.id.as_str()))
                    .map(|subgoal| {
                        let stories = balances
                            .get(subgoal.id.as_str())
                            .copied()
                            .unwrap_or_default();
                        let told = ToldSummary {
                            count: stories.count,
                            positive: stories.positive,
                            negative: stories.negative,
                            mixed: stories.mixed,
                            ..Default::default()
                        };
                        SubgoalOverview {
                            subgoal: subgoal.clone(),
                            stories,
                            indicators: settings
                                .goals
                                .indicators_of(&subgoal.id)
                                .filter(|indicator| {
                                    keep(ItemKind::Indicator, indicator.id.as_str())
                                })
                                .map(|indicator| {
                                    let counted = counted_evidence(
                                        indicator,
                                        &measurements,
                                        filter,
                                        &area_order,
                                        today,
                                    );
                                    // Per-area signals need story counts per area; the evidence page has them.
                                    let signals = signals(&counted, &told, &top_areas)
                                        .into_iter()
                                        .filter(|signal| {
                                            !matches!(
                                                signal,
                                                Signal::FiguresWithoutStories { .. }
                                                    | Signal::StoriesWithoutFigures { .. }
                                            )
                                        })
                                        .collect();
                                    IndicatorOverview {
                                        indicator: indicator.clone(),
                                        counted,
                                        signals,
                                    }
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect();
        Ok(Overview {
            goals,
            stories: total,
        })
    }

    /// The evidence page of one indicator; `None` when there is no such indicator.
    pub fn evidence(
        &self,
        indicator: &IndicatorId,
        filter: &EvidenceFilter,
        scope: &Scope,
        within: Option<&Within>,
        today: Date,
    ) -> anyhow::Result<Option<EvidencePage>> {
        let settings = self.settings()?;
        let goals = &settings.goals;
        let Some(indicator) = goals.indicator(indicator).cloned() else {
            return Ok(None);
        };
        let subgoal = goals
            .subgoal(&indicator.subgoal)
            .cloned()
            .context("indicator without subgoal")?;
        let goal = goals
            .goal(&subgoal.goal)
            .cloned()
            .context("subgoal without goal")?;
        let statement = indicator
            .statement
            .as_ref()
            .and_then(|id| goals.statement(id))
            .cloned();

        let area_order = settings.municipality.area_ids();
        let top_areas = settings.municipality.top_area_ids();
        let base = self
            .filtered(scope, filter)
            .filter(FacetField::Subgoal, subgoal.id.as_str());
        let results = self.index.search(&self.store, &base)?;
        let facet = |field: FacetField| -> Vec<(String, u32)> {
            results
                .facets
                .get(&field)
                .into_iter()
                .flatten()
                .map(|FacetCount { value, count, .. }| (value.clone(), *count))
                .collect()
        };
        let valence = facet(FacetField::Valence);
        let of = |name: &str| {
            valence
                .iter()
                .find(|(value, _)| value == name)
                .map_or(0, |(_, count)| *count)
        };
        let mut top_tags = facet(FacetField::Tag);
        top_tags.truncate(8);
        let told = ToldSummary {
            count: results.total as u32,
            positive: of("positive"),
            negative: of("negative"),
            mixed: of("mixed"),
            by_area: facet(FacetField::Area),
            by_teller: facet(FacetField::Teller),
            top_tags,
        };
        // Experienced effect from the scores stories carry; they are the figures when none were imported.
        let scores = statement
            .as_ref()
            .and_then(|statement| score_figures(statement, &facet(FacetField::Score)));
        let mut figures = self.measurements_of(&indicator.id)?;
        if figures.is_empty()
            && let Some(scores) = &scores
        {
            figures = scores.as_measurements(&indicator);
        }
        let counted = counted_evidence(&indicator, &figures, filter, &area_order, today);

        let highlight = told
            .top_tags
            .iter()
            .take(4)
            .map(|(tag, _)| tag.clone())
            .collect::<Vec<_>>()
            .join(" OR ");
        // Per valence the stories closest to this indicator: naming it, about its activities, with
        // its words, then the subgoal's newest.
        let activities: Vec<crate::municipality::Activity> =
            closeness::activities_of(&settings.municipality, &indicator)
                .into_iter()
                .cloned()
                .collect();
        let words = closeness::words_query(&indicator, &activities.iter().collect::<Vec<_>>());
        let mut per_valence = Vec::new();
        for valence in ["positive", "negative", "mixed"] {
            let mut request = base.clone().filter(FacetField::Valence, valence);
            request.sort = SortOrder::Newest;
            request.per_page = 12;
            request.facets = Some(Vec::new());
            request.snippets = false;
            let mut tiers = vec![(
                closeness::Closeness::Named,
                request
                    .clone()
                    .filter(FacetField::About, indicator.id.as_str()),
            )];
            if !activities.is_empty() {
                let about_activity = activities.iter().fold(request.clone(), |request, a| {
                    request.filter(FacetField::Activity, a.id.as_str())
                });
                tiers.push((closeness::Closeness::Activity, about_activity));
            }
            if !words.is_empty() {
                let mut with_words = request.clone();
                with_words.text = words.clone();
                with_words.sort = SortOrder::Relevance;
                tiers.push((closeness::Closeness::Words, with_words));
            }
            tiers.push((closeness::Closeness::Subgoal, request));
            let mut candidates = Vec::new();
            for (tier, request) in tiers {
                for hit in self.index.search(&self.store, &request)?.hits {
                    candidates.push((tier, hit));
                }
            }
            let picked = closeness::pick(candidates, EXCERPTS_PER_VALENCE);
            let (tiers, mut hits): (Vec<_>, Vec<_>) = picked.into_iter().unzip();
            // Snippets only for the stories shown, around the indicator's recurring topics.
            self.index.highlight(&mut hits, &highlight, &base.scope)?;
            per_valence.push(tiers.into_iter().zip(hits).collect::<Vec<_>>());
        }
        let mut excerpts = Vec::new();
        for round in 0..EXCERPTS_PER_VALENCE {
            for hits in &per_valence {
                if let Some(hit) = hits.get(round) {
                    excerpts.push(hit.clone());
                }
            }
        }
        // Closest first across the valences; within a tier the mix of valences stays.
        excerpts.sort_by_key(|(closeness, _)| *closeness);

        let within = match within.filter(|within| !within.text.trim().is_empty()) {
            Some(within) => {
                let mut request = base.clone();
                request.text = within.text.trim().to_string();
                request.synonyms = within.synonyms;
                request.per_page = 20;
                request.lenient = true;
                Some(self.index.search(&self.store, &request)?)
            }
            None => None,
        };
        let signals = signals(&counted, &told, &top_areas);
        Ok(Some(EvidencePage {
            goal,
            subgoal,
            indicator,
            statement,
            scores,
            counted,
            told,
            excerpts,
            activities,
            within,
            signals,
        }))
    }
}

fn add_valence(balance: &mut Balance, valence: &str, count: u32) {
    balance.count += count;
    match valence {
        "positive" => balance.positive += count,
        "negative" => balance.negative += count,
        _ => balance.mixed += count,
    }
}

fn read_settings(store: &Store) -> anyhow::Result<Settings> {
    Ok(Settings {
        version: store.settings_version()?,
        municipality: store.municipality()?.unwrap_or_default(),
        goals: store.goal_tree()?.unwrap_or_default(),
    })
}
