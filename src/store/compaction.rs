//! Rewriting the database so that erased stories leave no trace on disk.
//!
//! sled is log-structured: removing a key writes a tombstone, and the removed value stays in an old
//! log segment until sled happens to reuse that space. For a withdrawn story that is not good enough,
//! so after an erasure the store copies every live key into a fresh database beside the old one,
//! swaps the folders and deletes the old one. This also gives back the space removed records took.
//!
//! The swap is two renames (`store` → `store.old`, `store.rewrite` → `store`), and [`recover`] makes
//! a crash at any point harmless: before the first rename the half-written copy is thrown away and
//! the erasure-pending flag (still set in the old database) makes the next open rewrite again; after
//! it, the copy is complete (it was flushed before), so it is put in place.
//!
//! A bulk import uses the same rewrite: sled's log then holds every page the import wrote over and the
//! outbox entries the index has consumed, several times the live records, and the copy gives it back.
//!
//! The copy is always written in the current format: every story record compressed (those written
//! plain before format 3 too) and the format number [`FORMAT_VERSION`]. Opening a store of an older
//! format migrates it with this rewrite, so the migration is exactly as crash-safe as an erasure: the
//! old database stays as it was, at its old format, until the finished copy replaces it.

use std::path::{Path, PathBuf};

use super::{
    ERASURE_PENDING_KEY, FORMAT_VERSION, FORMAT_VERSION_KEY, Store, StoreError, Trees, compression,
    lock, open_sled,
};

/// Keys copied per batch while rewriting.
const BATCH: usize = 10_000;

impl Store {
    /// The bytes the database takes on disk, garbage included.
    pub fn size_on_disk(&self) -> Result<u64, StoreError> {
        Ok(self.t().db.size_on_disk()?)
    }

    /// Rewrites the database now, covering every erasure made so far.
    pub fn compact(&self) -> Result<(), StoreError> {
        // No rewrite can have covered erasure number u64::MAX, so this one always runs.
        self.compact_covering(u64::MAX)
    }

    /// Rewrites the database unless a rewrite that started after erasure number `erasure` already
    /// ran: erasures close together share one rewrite.
    pub(super) fn compact_covering(&self, erasure: u64) -> Result<(), StoreError> {
        let mut counts = lock(&self.compaction);
        if counts.1 >= erasure {
            return Ok(());
        }
        let covers = counts.0;
        self.rewrite()?;
        counts.1 = covers;
        Ok(())
    }

    /// Copies every live key into a fresh database, in the current format, and puts it in the old
    /// one's place. Holds the write lock on the trees throughout, so no operation runs against a
    /// database being copied.
    fn rewrite(&self) -> Result<(), StoreError> {
        let started = std::time::Instant::now();
        let mut trees = self.trees.write();
        trees.db.flush()?;
        let fresh_path = sibling(&self.path, "rewrite");
        let old_path = sibling(&self.path, "old");
        remove_dir(&fresh_path)?;
        {
            let fresh = open_sled(&fresh_path)?;
            for name in trees.db.tree_names() {
                let source = trees.db.open_tree(&name)?;
                let target = fresh.open_tree(&name)?;
                let mut batch = sled::Batch::default();
                let mut pending = 0;
                let stories = name.as_ref() == b"stories";
                for item in source.iter() {
                    let (key, value) = item?;
                    if name.as_ref() == b"meta" && key.as_ref() == ERASURE_PENDING_KEY {
                        continue;
                    }
                    if stories {
                        batch.insert(key, compression::packed(&value).as_ref());
                    } else {
                        batch.insert(key, value);
                    }
                    pending += 1;
                    if pending == BATCH {
                        target.apply_batch(std::mem::take(&mut batch))?;
                        pending = 0;
                    }
                }
                target.apply_batch(batch)?;
            }
            fresh
                .open_tree("meta")?
                .insert(FORMAT_VERSION_KEY, &FORMAT_VERSION.to_be_bytes())?;
            fresh.flush()?;
        }
        let io = |path: &Path| {
            let path = path.to_path_buf();
            move |source| StoreError::Io { path, source }
        };
        std::fs::rename(&self.path, &old_path).map_err(io(&self.path))?;
        std::fs::rename(&fresh_path, &self.path).map_err(io(&fresh_path))?;
        sync_parent(&self.path)?;
        let reopened = Trees::open(open_sled(&self.path)?)?;
        drop(std::mem::replace(&mut *trees, reopened));
        drop(trees);
        remove_dir(&old_path)?;
        sync_parent(&self.path)?;
        tracing::info!(
            millis = started.elapsed().as_millis() as u64,
            "store rewritten"
        );
        Ok(())
    }
}

/// Finishes or undoes a rewrite that a crash interrupted, before the store in `path` is opened.
pub(super) fn recover(path: &Path) -> Result<(), StoreError> {
    let fresh_path = sibling(path, "rewrite");
    let old_path = sibling(path, "old");
    if !path.exists() && old_path.exists() && fresh_path.exists() {
        std::fs::rename(&fresh_path, path).map_err(|source| StoreError::Io {
            path: fresh_path.clone(),
            source,
        })?;
        sync_parent(path)?;
    }
    remove_dir(&fresh_path)?;
    remove_dir(&old_path)?;
    Ok(())
}

/// `data/store` → `data/store.{suffix}`.
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "store".into(), |name| name.to_string_lossy());
    path.with_file_name(format!("{name}.{suffix}"))
}

/// Removes a folder if it is there. sled's background flusher of a database that was just dropped
/// may still be finishing, so a folder that is not empty yet gets a few more tries.
fn remove_dir(path: &Path) -> Result<(), StoreError> {
    let mut tries = 0;
    loop {
        match std::fs::remove_dir_all(path) {
            Ok(()) => return Ok(()),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(_) if tries < 20 => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(25));
            }
            Err(source) => {
                return Err(StoreError::Io {
                    path: path.to_path_buf(),
                    source,
                });
            }
        }
    }
}

/// Makes the renames in the data folder durable.
fn sync_parent(path: &Path) -> Result<(), StoreError> {
    let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    else {
        return Ok(());
    };
    std::fs::File::open(parent)
        .and_then(|folder| folder.sync_all())
        .map_err(|source| StoreError::Io {
            path: parent.to_path_buf(),
            source,
        })
}
