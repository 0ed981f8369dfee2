//! The sled store: the single source of truth for stories, figures, the goal tree and the municipality.
//!
//! Key layout (one sled tree per subject):
//! - `meta`: `format_version` → u32 big-endian. Opening refuses a newer or unknown format.
//! - `stories`: story id (16 bytes) → [`records::StoryRecord`] as JSON, compressed into one zstd
//!   frame since format 3 ([`compression`]; plain JSON records of earlier formats still read).
//! - `outbox`: sequence number (u64 big-endian) → [`records::OutboxRecord`]: what the index must catch up on.
//! - `measurements`: `indicator \0 period \0 area` → [`records::MeasurementRecord`].
//! - `settings`: `municipality`, `goal_tree` → their TOML file text in a versioned record; `synonyms`,
//!   `questions` → the `synonyms.toml` and `questions.toml` texts, each stamped with a version of its
//!   own (see `synonyms`).
//! - `receipts`: `h:` + SHA-256 of a receipt code → story id, and `s:` + story id → that hash, so a
//!   resident finds their story by code and erasing the story removes the code too.
//! - `sessions`, `interpretations`, `actions`: id → their `sessions.toml` entry as a versioned record.
//! - `rounds`: round id → its `rounds.toml` entry as a versioned record.
//! - `users`: user name → the account as a versioned record, with the password only as its hash.
//! - `logins`: login session id → the session's record (who is logged in, until when).
//! - `erasures`: story id → the date and reason it was erased, nothing else (see [`erasures`]).
//! - `audit`: sequence number → who did what to which story or setting, by id (see `audit`).
//! - `tokens`: SHA-256 of an API token → the provider it acts for (see `tokens`).
//! - `idempotency`: the API's idempotency keys, a day long (see `idempotency`).
//!
//! The other records are small and stay plain JSON (`media` its own bytes behind a JSON header). Every
//! reader of a JSON record takes a compressed one as well as a plain one (`decode`, `version_of`), so
//! which records are compressed is the writer's choice alone.
//!
//! Invariants: every story write adds an outbox entry in the same transaction, so the search index can
//! never miss a change; every write is flushed to disk before the call returns, so whatever the store
//! acknowledged survives a crash; writes that touch the outbox are serialised, so outbox sequence
//! numbers are committed in order and "everything up to N is indexed" means what it says; erasing a
//! story rewrites the whole database ([`compaction`]), so its words are in no file afterwards.

mod audit;
pub mod backup;
mod compaction;
mod compression;
mod erasures;
pub mod idempotency;
mod media;
mod records;
mod rounds;
mod sessions;
mod synonyms;
mod tokens;
mod users;

pub use crate::story::erasure::{Erasure, ErasureReason};
pub use records::{OutboxEntry, OutboxOp};

use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex, MutexGuard, RwLock};
use std::time::Duration;

use sled::Transactional;
use sled::transaction::TransactionalTree;
use sled::transaction::{ConflictableTransactionError, TransactionError};

use crate::evidence::Measurement;
use crate::goals::GoalTree;
use crate::municipality::Municipality;
use crate::story::receipt::ReceiptHash;
use crate::story::{Story, StoryId};
use records::{
    MeasurementRecord, OutboxRecord, StoryRecord, TomlDocumentRecord, encode_story, version_of,
};

/// The on-disk format this build writes and reads. Format 2 added the answers to the questions about
/// the story to story records; a build that reads only format 1 would drop them when it rewrites a
/// story, so it must refuse a format-2 store. Format 3 stores story records compressed, which a
/// build of format 2 cannot read. Opening an older store migrates it ([`migrate`]).
pub const FORMAT_VERSION: u32 = 3;

const FORMAT_VERSION_KEY: &[u8] = b"format_version";
const SETTINGS_VERSION_KEY: &[u8] = b"settings_version";
const PRUNED_THROUGH_KEY: &[u8] = b"outbox_pruned_through";
const MUNICIPALITY_KEY: &[u8] = b"municipality";
const GOAL_TREE_KEY: &[u8] = b"goal_tree";
/// Set while an erased story's bytes may still be in the database's log: the next open rewrites it.
const ERASURE_PENDING_KEY: &[u8] = b"erasure_pending";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store error: {0}")]
    Sled(#[from] sled::Error),
    #[error(
        "the data in this folder was written by a newer Verhalenbank (format {found}, this version reads up to {supported}); upgrade Verhalenbank to open it"
    )]
    NewerFormat { found: u32, supported: u32 },
    #[error(
        "this folder holds data that is not a Verhalenbank store (no format version); refusing to open it"
    )]
    UnknownFormat,
    #[error("store folder {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("damaged record ({what}): {detail}")]
    Corrupt { what: String, detail: String },
    /// The story is in the erasure ledger: once erased, no write may bring it back.
    #[error("story {0} was erased and cannot be stored again")]
    Erased(StoryId),
    /// The story was written by someone else after the version the change was made from.
    #[error("story {0} was changed meanwhile")]
    Changed(StoryId),
}

/// A record as read, with its version: how many times it has been written (0 for records written
/// before versions existed). A change made from it names that version.
#[derive(Debug, Clone, PartialEq)]
pub struct Versioned<T> {
    pub item: T,
    pub version: u64,
}

/// What a change checked against the version it was made from did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Update {
    /// Stored; the record is now at this version.
    Done { version: u64 },
    /// There is no such record.
    Missing,
    /// Someone else wrote it after the version the change was made from; nothing was stored.
    Stale,
}

impl StoreError {
    /// The kind of the file system error underneath, if it is one.
    fn io_kind(&self) -> Option<std::io::ErrorKind> {
        match self {
            StoreError::Sled(sled::Error::Io(io)) => Some(io.kind()),
            StoreError::Io { source, .. } => Some(source.kind()),
            _ => None,
        }
    }

    /// Whether the store cannot be written: no permission, a read-only file system or a full disk.
    /// The reason, in words, if so.
    pub fn unwritable(&self) -> Option<&'static str> {
        use std::io::ErrorKind;
        match self.io_kind()? {
            ErrorKind::PermissionDenied => Some("permission denied"),
            ErrorKind::ReadOnlyFilesystem => Some("the file system is read-only"),
            ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge => {
                Some("the disk is full")
            }
            _ => None,
        }
    }
}

impl From<TransactionError<StoreError>> for StoreError {
    fn from(error: TransactionError<StoreError>) -> Self {
        match error {
            TransactionError::Abort(error) => error,
            TransactionError::Storage(error) => error.into(),
        }
    }
}

/// The durable store. Cheap to share behind an `Arc`; all methods take `&self`.
pub struct Store {
    /// The folder the sled database lives in.
    path: PathBuf,
    /// The open database. Replaced as a whole by [`Store::compact`], which holds the write lock; every
    /// other method holds a read lock for the duration of each operation, so no write can land in a
    /// database that is being copied.
    trees: parking_lot::RwLock<Trees>,
    /// The figures as last read; emptied by every write of figures.
    measurements_cache: RwLock<Option<Arc<Vec<Measurement>>>>,
    /// Serialises writes that add outbox entries, so sequence numbers commit in order; holds the last
    /// sequence number handed out (committed to sled, perhaps not yet flushed).
    outbox_writer: Mutex<u64>,
    /// The last outbox sequence number flushed to disk, to wake whoever waits for new entries. The
    /// indexer reads no further than this, so the index never holds a change a crash could undo.
    outbox_written: (Mutex<u64>, Condvar),
    /// Held while the database is rewritten, and counts erasures, so that erasures close together
    /// share one rewrite: (erasures made, erasures the last rewrite covered).
    compaction: Mutex<(u64, u64)>,
}

/// The database and its trees, one per subject.
struct Trees {
    db: sled::Db,
    meta: sled::Tree,
    stories: sled::Tree,
    outbox: sled::Tree,
    measurements: sled::Tree,
    settings: sled::Tree,
    receipts: sled::Tree,
    sessions: sled::Tree,
    interpretations: sled::Tree,
    actions: sled::Tree,
    rounds: sled::Tree,
    users: sled::Tree,
    logins: sled::Tree,
    erasures: sled::Tree,
    audit: sled::Tree,
    tokens: sled::Tree,
    idempotency: sled::Tree,
    media: sled::Tree,
}

impl Trees {
    fn open(db: sled::Db) -> Result<Trees, StoreError> {
        Ok(Trees {
            meta: db.open_tree("meta")?,
            stories: db.open_tree("stories")?,
            outbox: db.open_tree("outbox")?,
            measurements: db.open_tree("measurements")?,
            settings: db.open_tree("settings")?,
            receipts: db.open_tree("receipts")?,
            sessions: db.open_tree("sessions")?,
            interpretations: db.open_tree("interpretations")?,
            actions: db.open_tree("actions")?,
            rounds: db.open_tree("rounds")?,
            users: db.open_tree("users")?,
            logins: db.open_tree("logins")?,
            erasures: db.open_tree("erasures")?,
            audit: db.open_tree("audit")?,
            tokens: db.open_tree("tokens")?,
            idempotency: db.open_tree("idempotency")?,
            media: db.open_tree("media")?,
            db,
        })
    }
}

/// Brings a store of an older format up to [`FORMAT_VERSION`], durably.
///
/// 1 → 2: story records gained an optional `answers` field, which records of format 1 lack and read
/// as no answers; nothing needs rewriting.
///
/// 2 → 3: story records are stored compressed ([`compression`]). The database is rewritten
/// ([`compaction`]): the copy holds every story record compressed and the new format number, and
/// takes the old database's place only once it is complete and on disk. A crash before that leaves
/// the old database untouched at its old format, so the next open migrates again; a crash after it
/// finds the migrated copy ([`compaction::recover`]). Plain records read as before meanwhile, so
/// nothing depends on the rewrite having run.
fn migrate(store: &Store, found: u32) -> Result<(), StoreError> {
    tracing::info!(
        from = found,
        to = FORMAT_VERSION,
        "migrating the store to a newer format"
    );
    store.compact()
}

/// The format number written in the store; for tests and diagnostics.
pub fn format_of(store: &Store) -> Result<Option<u32>, StoreError> {
    Ok(store
        .t()
        .meta
        .get(FORMAT_VERSION_KEY)?
        .and_then(|bytes| <[u8; 4]>::try_from(bytes.as_ref()).ok())
        .map(u32::from_be_bytes))
}

impl Store {
    /// Opens (or creates) the store in `path`, checking its format version. A rewrite that a crash
    /// interrupted is finished or undone first, and one that erasures still wait for is run.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        compaction::recover(path)?;
        let db = open_sled(path)?;
        let meta = db.open_tree("meta")?;
        // The format of a store that must be migrated once it is open.
        let older = match meta.get(FORMAT_VERSION_KEY)? {
            Some(bytes) => {
                let found = u32::from_be_bytes(
                    bytes
                        .as_ref()
                        .try_into()
                        .map_err(|_| StoreError::UnknownFormat)?,
                );
                if found > FORMAT_VERSION {
                    return Err(StoreError::NewerFormat {
                        found,
                        supported: FORMAT_VERSION,
                    });
                }
                if found == 0 {
                    return Err(StoreError::UnknownFormat);
                }
                (found < FORMAT_VERSION).then_some(found)
            }
            None => {
                let has_data = db.tree_names().iter().any(|name| {
                    name.as_ref() != b"meta"
                        && name.as_ref() != b"__sled__default"
                        && db.open_tree(name).is_ok_and(|tree| !tree.is_empty())
                }) || !db.is_empty();
                if has_data {
                    return Err(StoreError::UnknownFormat);
                }
                meta.insert(FORMAT_VERSION_KEY, &FORMAT_VERSION.to_be_bytes())?;
                db.flush()?;
                None
            }
        };
        let store = Store {
            path: path.to_path_buf(),
            trees: parking_lot::RwLock::new(Trees::open(db)?),
            measurements_cache: RwLock::new(None),
            outbox_writer: Mutex::new(0),
            outbox_written: (Mutex::new(0), Condvar::new()),
            compaction: Mutex::new((0, 0)),
        };
        // Sequence numbers continue after the highest one ever handed out, even when the outbox has
        // been pruned empty or the database rewritten.
        let last = store.last_outbox_seq()?.max(store.outbox_pruned_through()?);
        *lock(&store.outbox_writer) = last;
        *lock(&store.outbox_written.0) = last;
        if let Some(found) = older {
            // The rewrite also covers an erasure still pending.
            migrate(&store, found)?;
        } else if store.t().meta.contains_key(ERASURE_PENDING_KEY)? {
            store.compact()?;
        }
        Ok(store)
    }

    /// The open trees, for one operation. Recursive, so an operation may call another.
    fn t(&self) -> parking_lot::RwLockReadGuard<'_, Trees> {
        self.trees.read_recursive()
    }

    /// Writes everything to disk. Every write method already does this before it returns.
    pub fn flush(&self) -> Result<(), StoreError> {
        self.t().db.flush()?;
        Ok(())
    }

    /// Stores a story (new or changed) with its outbox entry, durably. Returns the outbox sequence number.
    pub fn put_story(&self, story: &Story) -> Result<u64, StoreError> {
        self.put_stories(std::slice::from_ref(story))
    }

    /// Stores many stories in one transaction with one flush; returns the last outbox sequence number.
    /// Refuses the whole batch with [`StoreError::Erased`] when one of them was erased: the check is
    /// made inside the transaction, so an erasure that lands between reading and writing a story
    /// still wins.
    pub fn put_stories(&self, stories: &[Story]) -> Result<u64, StoreError> {
        let records: Vec<(StoryId, StoryRecord)> = stories
            .iter()
            .map(|story| (story.id, StoryRecord::from_story(story)))
            .collect();
        let ops: Vec<OutboxEntry> = stories
            .iter()
            .map(|story| OutboxEntry {
                story: story.id,
                op: OutboxOp::Upsert,
            })
            .collect();
        self.write_with_outbox(&ops, |trees| {
            for (id, record) in &records {
                trees.write_story(*id, record, None)?;
            }
            Ok(())
        })
    }

    /// Stores the stories that were never erased and leaves out those that were, for imports of files
    /// made before an erasure. Returns the last outbox sequence number and how many were left out.
    pub fn put_stories_except_erased(&self, stories: &[Story]) -> Result<(u64, usize), StoreError> {
        let mut kept: Vec<Story> = Vec::with_capacity(stories.len());
        for story in stories {
            if !self.is_erased(story.id)? {
                kept.push(story.clone());
            }
        }
        // An erasure that lands after the check above makes the write refuse the batch; the batch
        // is then tried again without that story.
        loop {
            if kept.is_empty() {
                return Ok((self.last_outbox_seq()?, stories.len()));
            }
            match self.put_stories(&kept) {
                Ok(seq) => return Ok((seq, stories.len() - kept.len())),
                Err(StoreError::Erased(id)) => kept.retain(|story| story.id != id),
                Err(error) => return Err(error),
            }
        }
    }

    /// Stores a changed story only if it is still at version `read_at`, the version the change was
    /// made from; refused with [`StoreError::Changed`] when someone else wrote it since (or it is
    /// gone), and with [`StoreError::Erased`] when it was erased. Check and write are one transaction.
    pub fn put_story_checked(&self, story: &Story, read_at: u64) -> Result<u64, StoreError> {
        let record = StoryRecord::from_story(story);
        let entry = OutboxEntry {
            story: story.id,
            op: OutboxOp::Upsert,
        };
        self.write_with_outbox(&[entry], |trees| {
            trees.write_story(story.id, &record, Some(read_at))
        })
    }

    /// A story with its version, for a change that must not overwrite someone else's.
    pub fn get_story_versioned(&self, id: StoryId) -> Result<Option<Versioned<Story>>, StoreError> {
        let Some(bytes) = self.t().stories.get(id.as_bytes())? else {
            return Ok(None);
        };
        Ok(Some(Versioned {
            item: decode::<StoryRecord>(&bytes, "story")?.into_story()?,
            version: version_of(&bytes),
        }))
    }

    /// Stores a story told through a form, with the hash of the receipt code its teller got, durably.
    pub fn put_story_with_receipt(
        &self,
        story: &Story,
        receipt: &ReceiptHash,
    ) -> Result<u64, StoreError> {
        self.put_story_with_receipt_and_media(story, receipt, &crate::media::StoryMedia::default())
    }

    /// Stores a story told through a form with its photos and recording, in one transaction, durably.
    pub fn put_story_with_receipt_and_media(
        &self,
        story: &Story,
        receipt: &ReceiptHash,
        media: &crate::media::StoryMedia,
    ) -> Result<u64, StoreError> {
        let record = StoryRecord::from_story(story);
        let entry = OutboxEntry {
            story: story.id,
            op: OutboxOp::Upsert,
        };
        self.write_with_outbox(&[entry], |trees| {
            trees.write_story(story.id, &record, None)?;
            trees
                .receipts
                .insert(receipt_hash_key(&receipt.0), story.id.as_bytes().as_slice())?;
            trees
                .receipts
                .insert(receipt_story_key(story.id), receipt.0.as_slice())?;
            media::write(trees.media, story.id, media)?;
            Ok(())
        })
    }

    /// How many stories have a receipt code.
    pub fn receipt_count(&self) -> usize {
        self.t().receipts.scan_prefix(b"s:").count()
    }

    /// The story a receipt code belongs to.
    pub fn story_by_receipt(&self, receipt: &ReceiptHash) -> Result<Option<Story>, StoreError> {
        let Some(id) = self.t().receipts.get(receipt_hash_key(&receipt.0))? else {
            return Ok(None);
        };
        let bytes: [u8; 16] = id.as_ref().try_into().map_err(|_| StoreError::Corrupt {
            what: "receipt".to_string(),
            detail: "story id of the wrong length".to_string(),
        })?;
        self.get_story(StoryId::from_bytes(bytes))
    }

    /// Erases a story for good: the record, its receipt code and its statement scores leave the
    /// store, an outbox entry takes it out of the index, and the erasure ledger keeps only the id,
    /// the date and `reason`. The database is then rewritten ([`Store::compact`]) so that no file
    /// still holds the story's words. Returns whether the story existed.
    pub fn erase_story(
        &self,
        id: StoryId,
        date: jiff::civil::Date,
        reason: ErasureReason,
    ) -> Result<bool, StoreError> {
        let existed = self.t().stories.contains_key(id.as_bytes())?;
        if !existed {
            return Ok(false);
        }
        let entry = OutboxEntry {
            story: id,
            op: OutboxOp::Erase,
        };
        let receipt = self.t().receipts.get(receipt_story_key(id))?;
        let media = self.media_keys(id)?;
        let ledger = encode(&erasures::ErasureRecord::new(date, reason));
        self.write_with_outbox(&[entry], |trees| {
            trees.stories.remove(id.as_bytes().as_slice())?;
            if let Some(hash) = &receipt {
                trees.receipts.remove(receipt_hash_key(hash))?;
                trees.receipts.remove(receipt_story_key(id))?;
            }
            for key in &media {
                trees.media.remove(key)?;
            }
            trees
                .erasures
                .insert(id.as_bytes().as_slice(), ledger.as_slice())?;
            trees.meta.insert(ERASURE_PENDING_KEY, &[1u8])?;
            Ok(())
        })?;
        let erasure = {
            let mut counts = lock(&self.compaction);
            counts.0 += 1;
            counts.0
        };
        self.compact_covering(erasure)?;
        Ok(true)
    }

    /// Runs `change` on the story trees and appends `entries` to the outbox in one transaction, then
    /// flushes. Returns the sequence number of the last entry.
    fn write_with_outbox(
        &self,
        entries: &[OutboxEntry],
        change: impl Fn(&StoryTrees<'_>) -> Result<(), ConflictableTransactionError<StoreError>>,
    ) -> Result<u64, StoreError> {
        let last = {
            let mut assigned = lock(&self.outbox_writer);
            let mut numbered = Vec::with_capacity(entries.len());
            // Sequence numbers start at 1, so 0 can mean "nothing indexed yet". Writers are serialised
            // here, so the next number is the last one handed out plus one.
            let first = *assigned + 1;
            for (seq, entry) in (first..).zip(entries) {
                numbered.push((seq, encode(&OutboxRecord::from_entry(*entry))));
            }
            let t = self.t();
            (
                &t.stories,
                &t.outbox,
                &t.receipts,
                &t.erasures,
                &t.meta,
                &t.idempotency,
                &t.media,
            )
                .transaction(
                    |(stories, outbox, receipts, erasures, meta, idempotency, media)| {
                        change(&StoryTrees {
                            stories,
                            receipts,
                            erasures,
                            meta,
                            idempotency,
                            media,
                        })?;
                        for (seq, bytes) in &numbered {
                            outbox.insert(&seq.to_be_bytes(), bytes.as_slice())?;
                        }
                        Ok(())
                    },
                )?;
            let last = numbered.last().map_or(first - 1, |(seq, _)| *seq);
            *assigned = last;
            last
        };
        // Flushed after the writer lock is let go: sled makes everything written so far stable, and
        // writers that arrive meanwhile wait for that same fsync instead of each queueing their own
        // (group commit). Nobody hears of the write before it is on disk.
        self.t().db.flush()?;
        let (written, signal) = &self.outbox_written;
        {
            let mut written = lock(written);
            *written = (*written).max(last);
        }
        signal.notify_all();
        Ok(last)
    }

    /// Waits until the outbox holds an entry after `seq`, or `timeout` passes. Returns whether there is one.
    pub fn wait_for_outbox_after(&self, seq: u64, timeout: Duration) -> bool {
        let (written, signal) = &self.outbox_written;
        let guard = lock(written);
        let (guard, _) = signal
            .wait_timeout_while(guard, timeout, |last| *last <= seq)
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        *guard > seq
    }

    /// Wakes everyone waiting in [`Store::wait_for_outbox_after`], for example to let them see a shutdown.
    pub fn wake_outbox_waiters(&self) {
        self.outbox_written.1.notify_all();
    }

    pub fn get_story(&self, id: StoryId) -> Result<Option<Story>, StoreError> {
        self.t()
            .stories
            .get(id.as_bytes())?
            .map(|bytes| decode::<StoryRecord>(&bytes, "story")?.into_story())
            .transpose()
    }

    /// Every story, in id order.
    pub fn stories(&self) -> impl Iterator<Item = Result<Story, StoreError>> + '_ {
        self.t().stories.iter().map(|item| {
            let (_, bytes) = item?;
            decode::<StoryRecord>(&bytes, "story")?.into_story()
        })
    }

    pub fn story_count(&self) -> usize {
        self.t().stories.len()
    }

    /// Outbox entries with a sequence number above `after`, oldest first, at most `limit`.
    pub fn outbox_after(
        &self,
        after: u64,
        limit: usize,
    ) -> Result<Vec<(u64, OutboxEntry)>, StoreError> {
        // Only what is on disk: an entry a crash could still undo must not reach the index.
        let durable = *lock(&self.outbox_written.0);
        if after >= durable {
            return Ok(Vec::new());
        }
        self.t()
            .outbox
            .range(after.saturating_add(1).to_be_bytes()..=durable.to_be_bytes())
            .take(limit)
            .map(|item| {
                let (key, bytes) = item?;
                let seq = u64::from_be_bytes(key.as_ref().try_into().map_err(|_| {
                    StoreError::Corrupt {
                        what: "outbox key".to_string(),
                        detail: format!("{} bytes", key.len()),
                    }
                })?);
                Ok((
                    seq,
                    decode::<OutboxRecord>(&bytes, "outbox entry")?.into_entry()?,
                ))
            })
            .collect()
    }

    /// The highest outbox sequence number written, or 0 when the outbox is empty.
    pub fn last_outbox_seq(&self) -> Result<u64, StoreError> {
        Ok(self
            .t()
            .outbox
            .last()?
            .and_then(|(key, _)| key.as_ref().try_into().ok().map(u64::from_be_bytes))
            .unwrap_or(0))
    }

    /// How many entries the outbox holds: changes the index has not yet taken in for good.
    pub fn outbox_len(&self) -> usize {
        self.t().outbox.len()
    }

    /// The last outbox sequence number flushed to disk: how far the index can catch up.
    pub fn durable_outbox_seq(&self) -> u64 {
        *lock(&self.outbox_written.0)
    }

    /// Drops outbox entries up to and including `through`, once the index has durably taken them in.
    /// The index calls it with every commit, so the outbox holds only what the index has yet to
    /// take in.
    pub fn prune_outbox(&self, through: u64) -> Result<(), StoreError> {
        // The mark first: were the entries gone and the mark not (a crash between the two), the
        // next open would hand out their sequence numbers again, which the index believes it has.
        let pruned = self.outbox_pruned_through()?.max(through);
        self.t()
            .meta
            .insert(PRUNED_THROUGH_KEY, &pruned.to_be_bytes())?;
        let end = through.saturating_add(1).to_be_bytes();
        let keys: Vec<sled::IVec> = self
            .t()
            .outbox
            .range(..end)
            .keys()
            .collect::<Result<_, _>>()?;
        let mut batch = sled::Batch::default();
        for key in keys {
            batch.remove(key);
        }
        self.t().outbox.apply_batch(batch)?;
        Ok(())
    }

    /// The highest sequence number pruned from the outbox: an index that has not taken in everything up
    /// to here can no longer catch up from the outbox and must be rebuilt.
    pub fn outbox_pruned_through(&self) -> Result<u64, StoreError> {
        self.meta_u64(PRUNED_THROUGH_KEY)
    }

    /// A number that changes whenever the municipality or the goal tree changes, so derived data
    /// (such as an index that counts stories per goal and stadsdeel) knows to refresh.
    pub fn settings_version(&self) -> Result<u64, StoreError> {
        self.meta_u64(SETTINGS_VERSION_KEY)
    }

    fn meta_u64(&self, key: &[u8]) -> Result<u64, StoreError> {
        Ok(self
            .t()
            .meta
            .get(key)?
            .and_then(|bytes| bytes.as_ref().try_into().ok().map(u64::from_be_bytes))
            .unwrap_or(0))
    }

    pub fn municipality(&self) -> Result<Option<Municipality>, StoreError> {
        self.toml_document(MUNICIPALITY_KEY, "municipality", Municipality::from_toml)
    }

    pub fn set_municipality(&self, municipality: &Municipality) -> Result<(), StoreError> {
        self.set_toml_document(MUNICIPALITY_KEY, municipality.to_toml())
    }

    pub fn goal_tree(&self) -> Result<Option<GoalTree>, StoreError> {
        self.toml_document(GOAL_TREE_KEY, "goal tree", GoalTree::from_toml)
    }

    pub fn set_goal_tree(&self, tree: &GoalTree) -> Result<(), StoreError> {
        self.set_toml_document(GOAL_TREE_KEY, tree.to_toml())
    }

    fn toml_document<T>(
        &self,
        key: &[u8],
        what: &str,
        parse: impl Fn(&str) -> Result<T, crate::source::LineError>,
    ) -> Result<Option<T>, StoreError> {
        let Some(bytes) = self.t().settings.get(key)? else {
            return Ok(None);
        };
        let TomlDocumentRecord::V1 { toml } = decode(&bytes, what)?;
        parse(&toml).map(Some).map_err(|error| StoreError::Corrupt {
            what: what.to_string(),
            detail: error.to_string(),
        })
    }

    fn set_toml_document(&self, key: &[u8], toml: String) -> Result<(), StoreError> {
        let record = encode(&TomlDocumentRecord::V1 { toml });
        if self.t().settings.get(key)?.as_deref() == Some(record.as_slice()) {
            return Ok(());
        }
        let version = self.settings_version()? + 1;
        (&self.t().settings, &self.t().meta).transaction(|(settings, meta)| {
            settings.insert(key, record.as_slice())?;
            meta.insert(SETTINGS_VERSION_KEY, &version.to_be_bytes())?;
            Ok::<(), ConflictableTransactionError<StoreError>>(())
        })?;
        self.t().db.flush()?;
        Ok(())
    }

    /// Stores figures; a figure for the same indicator, period and area replaces the old one.
    pub fn put_measurements(&self, measurements: &[Measurement]) -> Result<(), StoreError> {
        let mut batch = sled::Batch::default();
        for measurement in measurements {
            batch.insert(
                measurement_key(measurement),
                encode(&MeasurementRecord::from_measurement(measurement)),
            );
        }
        self.t().measurements.apply_batch(batch)?;
        self.t().db.flush()?;
        *self
            .measurements_cache
            .write()
            .unwrap_or_else(|p| p.into_inner()) = None;
        Ok(())
    }

    /// Every figure, ordered by indicator, then period text, then area.
    pub fn measurements(&self) -> Result<Vec<Measurement>, StoreError> {
        Ok(self.measurements_shared()?.as_ref().clone())
    }

    /// Every figure, shared: read from disk once and kept until figures change, because every page
    /// with numbers needs them.
    pub fn measurements_shared(&self) -> Result<Arc<Vec<Measurement>>, StoreError> {
        if let Some(cached) = self
            .measurements_cache
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .as_ref()
        {
            return Ok(cached.clone());
        }
        let all: Vec<Measurement> = self
            .t()
            .measurements
            .iter()
            .values()
            .map(|bytes| decode::<MeasurementRecord>(&bytes?, "measurement")?.into_measurement())
            .collect::<Result<_, _>>()?;
        let all = Arc::new(all);
        *self
            .measurements_cache
            .write()
            .unwrap_or_else(|p| p.into_inner()) = Some(all.clone());
        Ok(all)
    }

    pub fn measurement_count(&self) -> usize {
        self.t().measurements.len()
    }

    /// Writes a record under `key` in the tree `pick` chooses at the next version, whatever version
    /// it is at, durably. Returns the new version.
    fn put_next_version(
        &self,
        pick: fn(&Trees) -> &sled::Tree,
        key: &[u8],
        encode: impl Fn(u64) -> Vec<u8>,
    ) -> Result<u64, StoreError> {
        loop {
            let written = {
                let t = self.t();
                let tree = pick(&t);
                let old = tree.get(key)?;
                let version = old.as_deref().map_or(0, version_of) + 1;
                tree.compare_and_swap(key, old, Some(encode(version)))?
                    .is_ok()
                    .then_some(version)
            };
            // Another write came in between reading and writing: read again.
            if let Some(version) = written {
                self.flush()?;
                return Ok(version);
            }
        }
    }

    /// Reads the record under `key`, changes it with `change` and writes it at the next version, but
    /// only while it is still at version `read_at`: the write is a compare-and-swap against the
    /// bytes read, so a write by someone else in between makes this one [`Update::Stale`].
    fn update_checked<T>(
        &self,
        pick: fn(&Trees) -> &sled::Tree,
        key: &[u8],
        read_at: u64,
        decode: impl Fn(&[u8]) -> Result<T, StoreError>,
        encode: impl Fn(&T, u64) -> Vec<u8>,
        change: impl FnOnce(&mut T),
    ) -> Result<Update, StoreError> {
        let outcome = {
            let t = self.t();
            let tree = pick(&t);
            let Some(old) = tree.get(key)? else {
                return Ok(Update::Missing);
            };
            let version = version_of(&old);
            if version != read_at {
                return Ok(Update::Stale);
            }
            let mut item = decode(&old)?;
            change(&mut item);
            let new = encode(&item, version + 1);
            match tree.compare_and_swap(key, Some(old), Some(new))? {
                Ok(()) => Update::Done {
                    version: version + 1,
                },
                Err(_) => Update::Stale,
            }
        };
        if matches!(outcome, Update::Done { .. }) {
            self.flush()?;
        }
        Ok(outcome)
    }

    /// Whether the store holds nothing yet (no stories, figures or settings).
    pub fn is_empty(&self) -> bool {
        self.t().stories.is_empty()
            && self.t().measurements.is_empty()
            && self.t().settings.is_empty()
            && self.t().sessions.is_empty()
            && self.t().rounds.is_empty()
    }
}

/// The trees a story write may change, inside its transaction.
struct StoryTrees<'a> {
    stories: &'a TransactionalTree,
    receipts: &'a TransactionalTree,
    erasures: &'a TransactionalTree,
    meta: &'a TransactionalTree,
    idempotency: &'a TransactionalTree,
    media: &'a TransactionalTree,
}

impl StoryTrees<'_> {
    /// Writes a story's record at the next version. Aborts the transaction when `id` is in the
    /// erasure ledger, and, with `read_at`, when the stored record is not at that version.
    fn write_story(
        &self,
        id: StoryId,
        record: &StoryRecord,
        read_at: Option<u64>,
    ) -> Result<(), ConflictableTransactionError<StoreError>> {
        let key = id.as_bytes();
        if self.erasures.get(key.as_slice())?.is_some() {
            return Err(ConflictableTransactionError::Abort(StoreError::Erased(id)));
        }
        let current = self.stories.get(key.as_slice())?;
        let version = current.as_deref().map_or(0, version_of);
        if let Some(read_at) = read_at
            && (current.is_none() || version != read_at)
        {
            return Err(ConflictableTransactionError::Abort(StoreError::Changed(id)));
        }
        self.stories
            .insert(key.as_slice(), encode_story(record, version + 1))?;
        Ok(())
    }
}

/// Locks a mutex; a panic elsewhere while holding it leaves plain data that is still usable.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn receipt_hash_key(hash: &[u8]) -> Vec<u8> {
    [b"h:".as_slice(), hash].concat()
}

fn receipt_story_key(id: StoryId) -> Vec<u8> {
    [b"s:".as_slice(), id.as_bytes().as_slice()].concat()
}

fn measurement_key(measurement: &Measurement) -> Vec<u8> {
    let area = measurement.area.as_ref().map_or("", |area| area.as_str());
    format!(
        "{}\0{}\0{}",
        measurement.indicator, measurement.period, area
    )
    .into_bytes()
}

fn encode<T: serde::Serialize>(record: &T) -> Vec<u8> {
    serde_json::to_vec(record).expect("records always serialise")
}

/// Reads a stored record, compressed ([`compression`]) or plain JSON.
fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, StoreError> {
    let json = compression::unpack(bytes)?;
    serde_json::from_slice(&json).map_err(|error| StoreError::Corrupt {
        what: what.to_string(),
        detail: error.to_string(),
    })
}

#[cfg(test)]
mod tests;

/// Opens the sled database, waiting briefly when the previous handle on the
/// same folder is still being released by sled's background flusher (as
/// happens when a store is reopened right after it was dropped).
fn open_sled(path: &Path) -> Result<sled::Db, sled::Error> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    loop {
        let result = sled::Config::new()
            .path(path)
            .cache_capacity(64 * 1024 * 1024)
            .open();
        match result {
            Err(sled::Error::Io(error))
                if error.to_string().contains("could not acquire lock")
                    && std::time::Instant::now() < deadline =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return other,
        }
    }
}
