//! Backups of a running bank: the backup folder and its files, the schedule, and the erasure ledger
//! written beside them.
//!
//! The folder holds `verhalenbank-YYYYMMDDTHHMMSS.mmmZ.backup` files (names sort by time; the newest
//! `keep` are kept) and `erasures.json`, the erasure ledger, rewritten on every erasure. A backup
//! made before an erasure still holds the erased story; `restore` reads the ledger beside the backup
//! and erases such stories again, so a restore never brings an erased story back. The ledger holds
//! only ids, dates and reasons.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::Context;
use serde::{Deserialize, Serialize};

use super::Bank;
use crate::config::Config;
use crate::store::backup::{BackupSummary, restore_backup};
use crate::store::{Erasure, ErasureReason, Store};

/// The erasure ledger's file in the backup folder.
pub const LEDGER_FILE: &str = "erasures.json";
const PREFIX: &str = "verhalenbank-";
const SUFFIX: &str = ".backup";
const PARTIAL: &str = ".partial";

/// Where backups go and how many are kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupPlan {
    pub dir: PathBuf,
    /// How many backups to keep; older ones are deleted after a new one is written.
    pub keep: usize,
}

/// A backup file in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BackupFile {
    pub path: PathBuf,
    pub name: String,
    pub bytes: u64,
    pub modified: std::time::SystemTime,
}

/// The ledger as written beside the backups.
#[derive(Debug, Serialize, Deserialize)]
struct LedgerFile {
    format: String,
    version: u32,
    written: String,
    erasures: Vec<LedgerLine>,
}

#[derive(Debug, Serialize, Deserialize)]
struct LedgerLine {
    story: String,
    date: String,
    reason: String,
}

/// Reads an erasure ledger file written beside the backups.
pub fn read_ledger(path: &Path) -> anyhow::Result<Vec<Erasure>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("reading the erasure ledger {}", path.display()))?;
    let file: LedgerFile = serde_json::from_str(&text)
        .with_context(|| format!("the erasure ledger {} does not read", path.display()))?;
    anyhow::ensure!(
        file.format == "verhalenbank-erasures" && file.version == 1,
        "{} is not an erasure ledger this Verhalenbank reads",
        path.display()
    );
    file.erasures
        .iter()
        .map(|line| {
            Ok(Erasure {
                story: crate::story::StoryId::parse(&line.story)
                    .with_context(|| format!("erasure ledger: story id {}", line.story))?,
                date: line
                    .date
                    .parse()
                    .with_context(|| format!("erasure ledger: date {}", line.date))?,
                reason: ErasureReason::parse(&line.reason)
                    .with_context(|| format!("erasure ledger: reason {}", line.reason))?,
            })
        })
        .collect()
}

/// Writes `path` through a temporary file, synced and renamed, so a reader never sees
/// half a file.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut std::fs::File) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let partial = path.with_extension(format!(
        "{}{PARTIAL}",
        path.extension()
            .map_or(String::new(), |e| e.to_string_lossy().into_owned())
    ));
    // Backups hold personal data: only the account that runs the bank may read them.
    let mut file = {
        use std::os::unix::fs::OpenOptionsExt;
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(true)
            .mode(0o600)
            .open(&partial)
            .with_context(|| format!("creating {}", partial.display()))?
    };
    let written = write(&mut file).and_then(|()| Ok(file.sync_all()?));
    if let Err(error) = written {
        let _ = std::fs::remove_file(&partial);
        return Err(error);
    }
    std::fs::rename(&partial, path).with_context(|| format!("renaming to {}", path.display()))?;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::File::open(parent)
            .and_then(|dir| dir.sync_all())
            .with_context(|| format!("syncing {}", parent.display()))?;
    }
    Ok(())
}

/// Writes a backup of `store` to `out` (a path), checked afterwards by reading it back.
pub fn write_backup_file(store: &Store, out: &Path) -> anyhow::Result<BackupSummary> {
    let mut summary = BackupSummary::default();
    write_atomically(out, |file| {
        summary = store.write_backup(std::io::BufWriter::new(file))?;
        Ok(())
    })
    .with_context(|| format!("writing the backup {}", out.display()))?;
    crate::store::backup::verify_backup(out)
        .with_context(|| format!("checking the backup just written to {}", out.display()))?;
    Ok(summary)
}

/// The backups in `dir`, newest first.
pub fn backups_in(dir: &Path) -> anyhow::Result<Vec<BackupFile>> {
    let mut files = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(files),
        Err(error) => return Err(error).with_context(|| format!("reading {}", dir.display())),
    };
    for entry in entries {
        let entry = entry?;
        let name = entry.file_name().to_string_lossy().into_owned();
        if !(name.starts_with(PREFIX) && name.ends_with(SUFFIX)) {
            continue;
        }
        let metadata = entry.metadata()?;
        files.push(BackupFile {
            path: entry.path(),
            name,
            bytes: metadata.len(),
            modified: metadata.modified()?,
        });
    }
    files.sort_by(|a, b| b.name.cmp(&a.name));
    Ok(files)
}

/// What `restore` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestoreReport {
    pub stories: usize,
    /// When the backup was made.
    pub made: String,
    /// Stories in the backup that a newer ledger says were erased, and so were left out.
    pub left_out: usize,
    /// The ledger that was applied, if one was found.
    pub ledger: Option<PathBuf>,
}

/// Fills an empty (or not yet existing) data folder from a backup file, then erases again every
/// story that the erasure ledger beside the file (or `ledger`) names. The search index is built
/// when the bank is next opened.
pub fn restore(
    config: &Config,
    file: &Path,
    ledger: Option<&Path>,
) -> anyhow::Result<RestoreReport> {
    let dir = &config.data_dir;
    if dir.exists() {
        let empty = std::fs::read_dir(dir)
            .with_context(|| format!("reading the data folder {}", dir.display()))?
            .next()
            .is_none();
        anyhow::ensure!(
            empty,
            "the data folder {} is not empty; restore fills an empty or new folder (choose another with --data-dir)",
            dir.display()
        );
    }
    let ledger = match ledger {
        Some(path) => Some(path.to_path_buf()),
        None => file
            .parent()
            .map(|parent| parent.join(LEDGER_FILE))
            .filter(|path| path.exists()),
    };
    let erasures = ledger.as_deref().map(read_ledger).transpose()?;
    std::fs::create_dir_all(dir)
        .with_context(|| format!("creating the data folder {}", dir.display()))?;
    let restored = restore_backup(file, &config.store_path());
    let (header, summary) = match restored {
        Ok(done) => done,
        Err(error) => {
            let _ = std::fs::remove_dir_all(config.store_path());
            return Err(anyhow::Error::new(error).context(format!("restoring {}", file.display())));
        }
    };
    let store = Store::open(&config.store_path())
        .with_context(|| format!("opening the restored store in {}", dir.display()))?;
    let left_out = match &erasures {
        Some(erasures) => store.apply_erasures(erasures)?,
        None => 0,
    };
    let entry = crate::audit::AuditEntry::new(
        crate::audit::Actor::Command,
        "backup.restored",
        format!("{} stories", summary.stories - left_out),
        0,
    );
    store.append_audit(&entry)?;
    store.flush()?;
    Ok(RestoreReport {
        stories: summary.stories - left_out,
        made: header.made,
        left_out,
        ledger,
    })
}

impl Bank {
    /// Sets the backup folder (made if needed): partial files a stop left behind are removed and
    /// the erasure ledger is written there now.
    pub fn set_backup_plan(&self, plan: BackupPlan) -> anyhow::Result<()> {
        std::fs::create_dir_all(&plan.dir)
            .with_context(|| format!("creating the backup folder {}", plan.dir.display()))?;
        for entry in std::fs::read_dir(&plan.dir)? {
            let path = entry?.path();
            if path.to_string_lossy().ends_with(PARTIAL) {
                let _ = std::fs::remove_file(&path);
            }
        }
        *self.backups.write().unwrap_or_else(|p| p.into_inner()) = Some(plan);
        self.write_erasure_ledger()
    }

    /// The backup folder and how many are kept, when backups are on.
    pub fn backup_plan(&self) -> Option<BackupPlan> {
        self.backups
            .read()
            .unwrap_or_else(|p| p.into_inner())
            .clone()
    }

    /// Writes a backup of the whole bank to `out`, as one point in time.
    pub fn write_backup(&self, out: impl Write) -> anyhow::Result<BackupSummary> {
        Ok(self.store.write_backup(out)?)
    }

    /// Makes a backup in the backup folder, deletes those beyond the number to keep, and writes the
    /// erasure ledger beside it. Returns the new file.
    pub fn make_backup(&self) -> anyhow::Result<(BackupFile, BackupSummary)> {
        let plan = self
            .backup_plan()
            .context("no backup folder is set (serve --backup-dir DIR)")?;
        let _one_at_a_time = self
            .backup_running
            .lock()
            .unwrap_or_else(|p| p.into_inner());
        let started = std::time::Instant::now();
        // Names of one length, to the millisecond, sort by time; two in the same millisecond wait.
        let mut path;
        loop {
            let stamp = jiff::Timestamp::now().strftime("%Y%m%dT%H%M%S%.3fZ");
            path = plan.dir.join(format!("{PREFIX}{stamp}{SUFFIX}"));
            if !path.exists() {
                break;
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        let summary = write_backup_file(&self.store, &path)?;
        self.write_erasure_ledger()?;
        for old in backups_in(&plan.dir)?.into_iter().skip(plan.keep.max(1)) {
            std::fs::remove_file(&old.path)
                .with_context(|| format!("deleting the old backup {}", old.path.display()))?;
        }
        tracing::info!(
            stories = summary.stories,
            bytes = summary.bytes,
            paused_millis = summary.paused.as_millis() as u64,
            millis = started.elapsed().as_millis() as u64,
            "backup written"
        );
        let file = backups_in(&plan.dir)?
            .into_iter()
            .find(|file| file.path == path)
            .context("the backup just written is gone")?;
        Ok((file, summary))
    }

    /// The newest backup in the backup folder.
    pub fn latest_backup(&self) -> anyhow::Result<Option<BackupFile>> {
        let Some(plan) = self.backup_plan() else {
            return Ok(None);
        };
        Ok(backups_in(&plan.dir)?.into_iter().next())
    }

    /// How long ago the newest backup was written.
    pub fn last_backup_age(&self) -> Option<Duration> {
        let latest = self.latest_backup().ok()??;
        Some(latest.modified.elapsed().unwrap_or_default())
    }

    /// Writes the erasure ledger into the backup folder, when there is one.
    pub fn write_erasure_ledger(&self) -> anyhow::Result<()> {
        let Some(plan) = self.backup_plan() else {
            return Ok(());
        };
        let file = LedgerFile {
            format: "verhalenbank-erasures".to_string(),
            version: 1,
            written: jiff::Timestamp::now().to_string(),
            erasures: self
                .store
                .erasures()?
                .into_iter()
                .map(|erasure| LedgerLine {
                    story: erasure.story.to_string(),
                    date: erasure.date.to_string(),
                    reason: erasure.reason.code().to_string(),
                })
                .collect(),
        };
        let json = serde_json::to_vec_pretty(&file)?;
        write_atomically(&plan.dir.join(LEDGER_FILE), |out| Ok(out.write_all(&json)?))
    }

    /// Makes a backup now and then, from a thread of its own: the first soon after start when the
    /// newest is older than `every` (or there is none), then every `every` after the newest.
    pub fn start_backup_schedule(self: &std::sync::Arc<Self>, every: Duration) {
        let bank = std::sync::Arc::downgrade(self);
        std::thread::Builder::new()
            .name("backups".to_string())
            .spawn(move || {
                loop {
                    let Some(strong) = bank.upgrade() else { return };
                    let wait = strong
                        .last_backup_age()
                        .map_or(Duration::ZERO, |age| every.saturating_sub(age));
                    drop(strong);
                    // Sleep in short steps so the thread ends soon after the bank does.
                    let until = std::time::Instant::now() + wait;
                    while std::time::Instant::now() < until {
                        if bank.strong_count() == 0 {
                            return;
                        }
                        std::thread::sleep(
                            until
                                .saturating_duration_since(std::time::Instant::now())
                                .min(Duration::from_secs(1)),
                        );
                    }
                    let Some(strong) = bank.upgrade() else { return };
                    if let Err(error) = strong.make_backup() {
                        tracing::error!(error = %format!("{error:#}"), "the scheduled backup failed");
                        drop(strong);
                        std::thread::sleep(Duration::from_secs(60));
                    }
                }
            })
            .expect("a thread can be started");
    }
}

/// Reads a duration as operators write it: `24h`, `30m`, `7d`, `90s`.
pub fn parse_interval(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or_else(|| format!("{text}: give a unit, such as 24h, 30m or 7d"))?;
    let (number, unit) = text.split_at(split);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("{text}: expected a number and a unit, such as 24h"))?;
    let seconds = match unit {
        "s" => 1,
        "m" | "min" => 60,
        "h" => 3600,
        "d" => 86_400,
        _ => return Err(format!("{text}: unknown unit {unit}; use s, m, h or d")),
    };
    if number == 0 {
        return Err(format!("{text}: must be more than zero"));
    }
    Ok(Duration::from_secs(number * seconds))
}
