//! The tantivy search index: derived from the store, never the source of truth.
//!
//! The index is fed only through the store's outbox. [`SearchIndex::catch_up`] takes the outbox entries
//! after the last indexed sequence number, applies them (delete the story's document, add it again if the
//! story still exists), and commits with the new sequence number in the commit payload, together with the
//! schema version and a fingerprint of what documents are derived with. On opening, the payload says where
//! to resume, so a crash between a store write and an index commit heals itself. The index is rebuilt from
//! the store when it is new, of another schema version, older than what the outbox still holds, or when a
//! change to the goal tree or the municipality alters derived fields (documents carry the goals of their
//! subgoals and the stadsdeel of their wijk). Renaming, adding or retiring items only refreshes the
//! context.
//!
//! One writer lives for the life of the index, behind a mutex; the background [`indexer::Indexer`] and the
//! command line both drive it through `catch_up`. Readers reload after every commit, and waiters on
//! [`SearchIndex::wait_until_indexed`] are woken, so "searchable after submit" is a signal, not a sleep.

mod aggregates;
pub mod analysis;
mod compound;
mod document;
pub mod dutch;
mod estimate;
mod expand;
mod facets;
pub mod indexer;
mod inspect;
mod likeness;
pub mod query;
pub mod schema;
pub mod search;
mod signals;
mod statistics;
mod synonyms;
mod vocabulary;

pub use expand::{Expanded, ExpansionKind};
pub use schema::FacetField;
pub use search::{FacetCount, Hit, Scope, SearchRequest, SearchResults, SortOrder};
pub use signals::SignalMatch;
pub use synonyms::SYNONYM_BOOST;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use tantivy::schema::IndexRecordOption;
use tantivy::schema::Schema;
use tantivy::{
    DocSet, Index, IndexReader, IndexWriter, ReloadPolicy, TERMINATED, TantivyDocument, Term,
};

use crate::language::LanguageDetector;
use crate::store::{OutboxOp, Store, StoreError};
use crate::story::StoryId;
use document::DocumentContext;
use schema::{Fields, SCHEMA_VERSION, build_schema};

/// While there is work, the writer commits at least this often.
const COMMIT_INTERVAL: Duration = Duration::from_millis(500);
/// Outbox entries read per step.
const OUTBOX_BATCH: usize = 1_000;
/// Memory for the writer's in-memory segment before it is written out.
const WRITER_MEMORY: usize = 64 * 1024 * 1024;

#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    #[error("search index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("erased stories could not be merged out of the search index: it stayed busy merging")]
    Purge,
    #[error("search index folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// What a commit records about itself.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct CommitPayload {
    schema: u32,
    /// Every outbox entry up to and including this one is in the index.
    seq: u64,
    /// The [`DocumentContext::fingerprint`] of what the documents were derived with.
    fingerprint: u64,
}

struct Writer {
    writer: IndexWriter<TantivyDocument>,
    /// What the last commit holds.
    committed: CommitPayload,
    /// The context documents are derived with, and the store's settings version it was read at.
    context: Arc<DocumentContext>,
    context_version: u64,
}

/// The search index of one data folder.
pub struct SearchIndex {
    fields: Fields,
    reader: IndexReader,
    writer: Mutex<Writer>,
    /// The last committed outbox sequence number, to wake waiters.
    indexed: (Mutex<u64>, Condvar),
    /// The context searches resolve goals, indicators and areas with; replaced on rebuild.
    context: Mutex<Arc<DocumentContext>>,
    /// Segments' keyword columns for facet counting, opened once per segment.
    columns: facets::ColumnCache,
    /// Per segment, what searches without words found there ([`aggregates`]).
    aggregates: aggregates::AggregateCache,
    /// Per segment and scope, what relevance statistics are taken over.
    statistics: statistics::StatisticsCache,
    /// The bank's synonyms list, analysed once per version.
    synonyms: synonyms::SynonymCache,
    /// The bank's urgent-signal list, read once per version.
    signals: signals::SignalCache,
    /// Up to how many matches per segment a search that needs no exact total counts exactly.
    total_limit: estimate::TotalLimit,
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn load_context(store: &Store) -> Result<DocumentContext, StoreError> {
    Ok(DocumentContext {
        goals: store.goal_tree()?.unwrap_or_default(),
        municipality: store.municipality()?.unwrap_or_default(),
        detector: LanguageDetector::default(),
    })
}

/// Opens the index in `path`, or creates a fresh one when there is none or it cannot be used.
fn open_or_create(path: &Path, schema: &Schema) -> Result<(Index, bool), IndexError> {
    let io = |source| IndexError::Io {
        path: path.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(path).map_err(io)?;
    if path.join("meta.json").exists() {
        match Index::open_in_dir(path) {
            Ok(index) => {
                let payload = read_payload(&index);
                if index.schema() == *schema && payload.is_some_and(|p| p.schema == SCHEMA_VERSION)
                {
                    return Ok((index, false));
                }
                tracing::info!("search index is of another version; rebuilding it from the store");
            }
            Err(error) => {
                tracing::warn!(%error, "search index cannot be opened; rebuilding it from the store")
            }
        }
        std::fs::remove_dir_all(path).map_err(io)?;
        std::fs::create_dir_all(path).map_err(io)?;
    }
    Ok((Index::create_in_dir(path, schema.clone())?, true))
}

fn read_payload(index: &Index) -> Option<CommitPayload> {
    let metas = index.load_metas().ok()?;
    serde_json::from_str(metas.payload.as_deref()?).ok()
}

impl SearchIndex {
    /// Opens the index in `path` and brings it up to date with the store.
    pub fn open(path: &Path, store: &Store) -> Result<SearchIndex, IndexError> {
        let (schema, fields) = build_schema();
        let (index, created) = open_or_create(path, &schema)?;
        analysis::register_analyzers(&index);
        let writer = index.writer_with_num_threads(1, WRITER_MEMORY)?;
        let reader = index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .try_into()?;
        let committed = if created {
            CommitPayload::default()
        } else {
            read_payload(&index).unwrap_or_default()
        };
        let context_version = store.settings_version()?;
        let context = Arc::new(load_context(store)?);
        let fingerprint = context.fingerprint();
        let search_index = SearchIndex {
            fields,
            reader,
            writer: Mutex::new(Writer {
                writer,
                committed,
                context: context.clone(),
                context_version,
            }),
            indexed: (Mutex::new(committed.seq), Condvar::new()),
            context: Mutex::new(context),
            columns: facets::ColumnCache::default(),
            aggregates: aggregates::AggregateCache::default(),
            statistics: statistics::StatisticsCache::default(),
            synonyms: synonyms::SynonymCache::default(),
            signals: signals::SignalCache::default(),
            total_limit: estimate::TotalLimit::default(),
        };
        let needs_rebuild = created
            || committed.seq < store.outbox_pruned_through()?
            || committed.fingerprint != fingerprint;
        if needs_rebuild {
            search_index.rebuild(store)?;
        } else {
            search_index.catch_up(store)?;
            // An erasure whose purge a crash interrupted is finished now.
            let erased: Vec<StoryId> = store.erasures()?.into_iter().map(|e| e.story).collect();
            if !erased.is_empty() {
                let mut writer = lock(&search_index.writer);
                search_index.purge(&mut writer, &erased)?;
            }
        }
        Ok(search_index)
    }

    /// Sets up to how many matches per segment a search that counts no facets counts its total
    /// exactly (beyond, the total is estimated; [`estimate::EXACT_TOTAL_UP_TO`] by default).
    pub fn set_exact_total_up_to(&self, limit: usize) {
        self.total_limit.set(limit);
    }

    /// The outbox sequence number everything up to which is searchable.
    pub fn indexed_seq(&self) -> u64 {
        *lock(&self.indexed.0)
    }

    /// Waits until everything up to outbox entry `seq` is searchable, or `timeout` passes.
    #[must_use = "a timeout means the story is not searchable yet"]
    pub fn wait_until_indexed(&self, seq: u64, timeout: Duration) -> bool {
        let (indexed, signal) = &self.indexed;
        let guard = lock(indexed);
        let (guard, _) = signal
            .wait_timeout_while(guard, timeout, |indexed| *indexed < seq)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard >= seq
    }

    /// Applies every outbox entry not yet in the index, committing at least every [`COMMIT_INTERVAL`].
    /// Returns the sequence number the index is now at.
    pub fn catch_up(&self, store: &Store) -> Result<u64, IndexError> {
        let mut writer = lock(&self.writer);
        let version = store.settings_version()?;
        if version != writer.context_version {
            // The goal tree or municipality changed: documents need rebuilding only when they would be
            // derived differently; otherwise the new context (names, indicators' subgoals) is enough,
            // committed with its fingerprint so reopening does not rebuild either.
            let context = Arc::new(load_context(store)?);
            if !writer.context.derives_same_as(&context) {
                drop(writer);
                return self.rebuild(store);
            }
            writer.context_version = version;
            writer.context = context.clone();
            *lock(&self.context) = context.clone();
            if context.fingerprint() != writer.committed.fingerprint {
                writer.committed.fingerprint = context.fingerprint();
                let seq = writer.committed.seq;
                self.commit(&mut writer, store, seq)?;
            }
        }
        let mut applied = writer.committed.seq;
        let mut since_commit = Instant::now();
        let mut erased = Vec::new();
        loop {
            let entries = store.outbox_after(applied, OUTBOX_BATCH)?;
            if entries.is_empty() {
                break;
            }
            for (seq, entry) in entries {
                writer.writer.delete_term(Term::from_field_text(
                    self.fields.id,
                    &entry.story.to_string(),
                ));
                match entry.op {
                    OutboxOp::Upsert => {
                        if let Some(story) = store.get_story(entry.story)? {
                            let document = writer.context.document(&self.fields, &story);
                            writer.writer.add_document(document)?;
                        }
                    }
                    OutboxOp::Erase => erased.push(entry.story),
                }
                applied = seq;
            }
            if since_commit.elapsed() >= COMMIT_INTERVAL {
                self.commit(&mut writer, store, applied)?;
                since_commit = Instant::now();
            }
        }
        if applied > writer.committed.seq {
            self.commit(&mut writer, store, applied)?;
        }
        if !erased.is_empty() {
            self.purge(&mut writer, &erased)?;
        }
        Ok(applied)
    }

    /// Makes sure no file of the index still holds the words of the erased stories `ids`. A deleted
    /// document only gets a mark in its segment's delete list; its terms stay in the segment's
    /// files until the segment is merged. So every segment that holds a deleted document with one
    /// of the ids is merged, which writes it anew without the deleted documents, and the files of
    /// the old segments are removed.
    fn purge(&self, writer: &mut Writer, ids: &[StoryId]) -> Result<(), IndexError> {
        let started = Instant::now();
        let terms: Vec<Term> = ids
            .iter()
            .map(|id| Term::from_field_text(self.fields.id, &id.to_string()))
            .collect();
        let mut tries = 0;
        loop {
            self.reader.reload()?;
            let searcher = self.reader.searcher();
            let mut holding = Vec::new();
            for segment in searcher.segment_readers() {
                if self.holds_deleted(segment, &terms)? {
                    holding.push(segment.segment_id());
                }
            }
            if holding.is_empty() {
                break;
            }
            // A segment the background merge policy is merging already cannot be merged again;
            // that merge keeps the deleted documents' ids, so wait for it and look again.
            if writer.writer.merge(&holding).wait().is_err() {
                tries += 1;
                if tries > 200 {
                    return Err(IndexError::Purge);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        }
        writer.writer.garbage_collect_files().wait()?;
        self.reader.reload()?;
        tracing::info!(
            stories = ids.len(),
            millis = started.elapsed().as_millis() as u64,
            "erased stories purged from the search index"
        );
        Ok(())
    }

    /// Whether `segment` holds a deleted document with one of the id `terms`. Only a deleted one
    /// counts: a story imported again under the same id is a live document and stays.
    fn holds_deleted(
        &self,
        segment: &tantivy::SegmentReader,
        terms: &[Term],
    ) -> Result<bool, IndexError> {
        if segment.num_deleted_docs() == 0 {
            return Ok(false);
        }
        let dictionary = segment.inverted_index(self.fields.id)?;
        for term in terms {
            let postings = dictionary
                .read_postings(term, IndexRecordOption::Basic)
                .map_err(tantivy::TantivyError::from)?;
            if let Some(mut postings) = postings {
                let mut doc = postings.doc();
                while doc != TERMINATED {
                    if segment.is_deleted(doc) {
                        return Ok(true);
                    }
                    doc = postings.advance();
                }
            }
        }
        Ok(false)
    }

    /// Rebuilds the whole index from the store.
    pub fn rebuild(&self, store: &Store) -> Result<u64, IndexError> {
        let mut writer = lock(&self.writer);
        // Read the outbox position and settings first: whatever is written while the stories are read
        // is in the outbox after this position, and is applied again by the next catch-up.
        let seq = store.last_outbox_seq()?;
        let version = store.settings_version()?;
        let context = Arc::new(load_context(store)?);
        writer.context = context.clone();
        writer.context_version = version;
        *lock(&self.context) = context.clone();
        writer.committed.fingerprint = context.fingerprint();
        writer.writer.delete_all_documents()?;
        for story in store.stories() {
            let story = story?;
            writer
                .writer
                .add_document(context.document(&self.fields, &story))?;
        }
        self.commit(&mut writer, store, seq)?;
        tracing::info!(
            stories = store.story_count(),
            "search index rebuilt from the store"
        );
        Ok(seq)
    }

    fn commit(&self, writer: &mut Writer, store: &Store, seq: u64) -> Result<(), IndexError> {
        let payload = CommitPayload {
            schema: SCHEMA_VERSION,
            seq,
            fingerprint: writer.committed.fingerprint,
        };
        let mut prepared = writer.writer.prepare_commit()?;
        prepared.set_payload(&serde_json::to_string(&payload).expect("payload serialises"));
        prepared.commit()?;
        writer.committed = payload;
        self.reader.reload()?;
        store.prune_outbox(seq)?;
        let (indexed, signal) = &self.indexed;
        *lock(indexed) = seq;
        signal.notify_all();
        Ok(())
    }

    /// Number of stories in the index (any state).
    pub fn document_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    fn context(&self) -> Arc<DocumentContext> {
        lock(&self.context).clone()
    }
}

#[cfg(test)]
mod tests;
