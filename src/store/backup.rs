//! Backups: the whole store as one file, taken at one point in time while the bank keeps serving, and
//! read back into an empty folder.
//!
//! A backup holds every tree of the store (stories, figures, settings, goal tree, sessions, rounds,
//! accounts and token hashes, the audit log, the erasure ledger, synonyms, the outbox) except the
//! login sessions, which belong to the running server. Taking it holds the store's write lock, as the
//! rewrite after an erasure does: no write can land half-way, so the file is one moment of the bank.
//! Requests wait for the copy meanwhile (the demo's store takes a few milliseconds).
//!
//! The file: the line `VERHALENBANK-BACKUP`, a JSON header line (`format`, `store_format`, `made`,
//! `trees`), then per entry the tree's number in `trees` (u16), the key and the value, each length
//! (u32) first, all big-endian; a tree number of 0xFFFF ends the entries, and the last 32 bytes are
//! the SHA-256 of everything before them. Reading checks the checksum before it writes anything, so
//! a damaged or cut-off file is refused whole.
//!
//! Entries are carried as the store keeps them: story records compressed since store format 3, plain
//! JSON in a backup of an older store. Restoring writes them as they are, with the store format the
//! backup names, and opening the restored store migrates it like any store of that format.

use std::io::{BufReader, BufWriter, Read, Write};
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::{FORMAT_VERSION, Store, StoreError, open_sled};

/// The first line of every backup file.
const MAGIC: &[u8] = b"VERHALENBANK-BACKUP\n";
/// The layout of the file described above.
const BACKUP_FORMAT: u32 = 1;
/// The tree number that ends the entries.
const END: u16 = u16::MAX;
/// Trees not backed up: login sessions end with the server that made them.
const LEFT_OUT: &[&[u8]] = &[b"logins"];
/// Entries written per batch while restoring.
const BATCH: usize = 10_000;

/// What a backup file says about itself.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BackupHeader {
    pub format: u32,
    pub store_format: u32,
    /// When it was taken (RFC 3339, UTC).
    pub made: String,
    pub trees: Vec<String>,
}

/// What a backup holds, for the operator.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BackupSummary {
    pub stories: usize,
    pub entries: usize,
    pub bytes: u64,
    /// How long writes and reads waited while the snapshot was taken.
    pub paused: std::time::Duration,
}

/// Why a backup file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("this is not a Verhalenbank backup file")]
    NotABackup,
    #[error(
        "the backup file is damaged: {0}; nothing was restored (take another backup, or an older one)"
    )]
    Damaged(String),
    #[error(
        "the backup was made by a newer Verhalenbank (backup format {found}, store format {store}); upgrade Verhalenbank to restore it"
    )]
    Newer { found: u32, store: u32 },
    #[error("reading the backup: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Writes and hashes at once.
struct Hashing<W: Write> {
    inner: W,
    hash: Sha256,
    bytes: u64,
}

impl<W: Write> Write for Hashing<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.hash.update(&buf[..n]);
        self.bytes += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

fn write_block(out: &mut impl Write, bytes: &[u8]) -> std::io::Result<()> {
    out.write_all(&(bytes.len() as u32).to_be_bytes())?;
    out.write_all(bytes)
}

impl Store {
    /// Writes a backup of the whole store to `out`, as one point in time. Writers and readers wait
    /// while it is taken.
    pub fn write_backup(&self, out: impl Write) -> Result<BackupSummary, BackupError> {
        let mut out = Hashing {
            inner: BufWriter::with_capacity(1 << 20, out),
            hash: Sha256::new(),
            bytes: 0,
        };
        let trees = self.trees.write();
        let paused = std::time::Instant::now();
        trees.db.flush().map_err(StoreError::from)?;
        let names: Vec<sled::IVec> = trees
            .db
            .tree_names()
            .into_iter()
            .filter(|name| !LEFT_OUT.contains(&name.as_ref()))
            .collect();
        let header = BackupHeader {
            format: BACKUP_FORMAT,
            store_format: FORMAT_VERSION,
            made: jiff::Timestamp::now().to_string(),
            trees: names
                .iter()
                .map(|name| String::from_utf8_lossy(name).into_owned())
                .collect(),
        };
        out.write_all(MAGIC)?;
        out.write_all(&serde_json::to_vec(&header).expect("a header serialises"))?;
        out.write_all(b"\n")?;
        let mut summary = BackupSummary::default();
        for (number, name) in names.iter().enumerate() {
            let tree = trees.db.open_tree(name).map_err(StoreError::from)?;
            for item in tree.iter() {
                let (key, value) = item.map_err(StoreError::from)?;
                out.write_all(&(number as u16).to_be_bytes())?;
                write_block(&mut out, &key)?;
                write_block(&mut out, &value)?;
                summary.entries += 1;
            }
            if name.as_ref() == b"stories" {
                summary.stories = tree.len();
            }
        }
        drop(trees);
        summary.paused = paused.elapsed();
        out.write_all(&END.to_be_bytes())?;
        let digest = out.hash.clone().finalize();
        out.inner.write_all(&digest)?;
        out.inner.flush()?;
        summary.bytes = out.bytes + digest.len() as u64;
        Ok(summary)
    }
}

/// Checks a backup file whole (its first line, header and checksum) and returns its header.
pub fn verify_backup(file: &Path) -> Result<BackupHeader, BackupError> {
    let length = std::fs::metadata(file)?.len();
    if length < (MAGIC.len() + 32) as u64 {
        return Err(read_magic(&mut std::fs::File::open(file)?)
            .err()
            .unwrap_or_else(|| BackupError::Damaged("it is cut off".to_string())));
    }
    let mut reader = BufReader::with_capacity(1 << 20, std::fs::File::open(file)?);
    read_magic(&mut reader)?;
    let mut hash = Sha256::new();
    hash.update(MAGIC);
    let mut rest = length - MAGIC.len() as u64 - 32;
    let mut buffer = vec![0u8; 1 << 20];
    while rest > 0 {
        let n = reader.read(&mut buffer[..rest.min(1 << 20) as usize])?;
        if n == 0 {
            return Err(BackupError::Damaged("it is cut off".to_string()));
        }
        hash.update(&buffer[..n]);
        rest -= n as u64;
    }
    let mut stored = [0u8; 32];
    reader.read_exact(&mut stored)?;
    if hash.finalize().as_slice() != stored {
        return Err(BackupError::Damaged(
            "its checksum does not match its contents".to_string(),
        ));
    }
    let mut reader = BufReader::new(std::fs::File::open(file)?);
    read_magic(&mut reader)?;
    read_header(&mut reader)
}

fn read_magic(reader: &mut impl Read) -> Result<(), BackupError> {
    let mut magic = [0u8; MAGIC.len()];
    match reader.read_exact(&mut magic) {
        Ok(()) if magic == MAGIC => Ok(()),
        Ok(()) => Err(BackupError::NotABackup),
        Err(error) if error.kind() == std::io::ErrorKind::UnexpectedEof => {
            Err(BackupError::NotABackup)
        }
        Err(error) => Err(error.into()),
    }
}

fn read_header(reader: &mut impl std::io::BufRead) -> Result<BackupHeader, BackupError> {
    let mut line = Vec::new();
    reader.read_until(b'\n', &mut line)?;
    let header: BackupHeader = serde_json::from_slice(&line)
        .map_err(|error| BackupError::Damaged(format!("its header does not read: {error}")))?;
    if header.format > BACKUP_FORMAT || header.store_format > FORMAT_VERSION {
        return Err(BackupError::Newer {
            found: header.format,
            store: header.store_format,
        });
    }
    Ok(header)
}

fn read_block(reader: &mut impl Read) -> Result<Vec<u8>, BackupError> {
    let mut length = [0u8; 4];
    reader.read_exact(&mut length)?;
    let mut bytes = vec![0u8; u32::from_be_bytes(length) as usize];
    reader.read_exact(&mut bytes)?;
    Ok(bytes)
}

/// Fills the empty store folder `path` from a backup file, after checking the file whole. Returns
/// the header and what was restored.
pub fn restore_backup(
    file: &Path,
    path: &Path,
) -> Result<(BackupHeader, BackupSummary), BackupError> {
    let header = verify_backup(file)?;
    let mut reader = BufReader::with_capacity(1 << 20, std::fs::File::open(file)?);
    read_magic(&mut reader)?;
    read_header(&mut reader)?;
    let db = open_sled(path).map_err(StoreError::from)?;
    let trees: Vec<sled::Tree> = header
        .trees
        .iter()
        .map(|name| db.open_tree(name.as_bytes()))
        .collect::<Result<_, _>>()
        .map_err(StoreError::from)?;
    let mut batches: Vec<(sled::Batch, usize)> =
        trees.iter().map(|_| (sled::Batch::default(), 0)).collect();
    let mut summary = BackupSummary::default();
    loop {
        let mut number = [0u8; 2];
        reader.read_exact(&mut number)?;
        let number = u16::from_be_bytes(number);
        if number == END {
            break;
        }
        let tree = number as usize;
        if tree >= trees.len() {
            return Err(BackupError::Damaged(format!("an entry names tree {tree}")));
        }
        let key = read_block(&mut reader)?;
        let value = read_block(&mut reader)?;
        if header.trees[tree] == "stories" {
            summary.stories += 1;
        }
        summary.entries += 1;
        let (batch, pending) = &mut batches[tree];
        batch.insert(key, value);
        *pending += 1;
        if *pending == BATCH {
            trees[tree]
                .apply_batch(std::mem::take(batch))
                .map_err(StoreError::from)?;
            *pending = 0;
        }
    }
    for (tree, (batch, _)) in trees.iter().zip(batches) {
        tree.apply_batch(batch).map_err(StoreError::from)?;
    }
    db.flush().map_err(StoreError::from)?;
    summary.bytes = std::fs::metadata(file)?.len();
    Ok((header, summary))
}
