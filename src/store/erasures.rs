//! The erasure ledger: for every erased story only its id, the date and why, so the municipality can
//! show that a withdrawal was carried out without keeping anything of the story itself.
//!
//! Tree `erasures`: story id (16 bytes) → [`ErasureRecord`] as JSON.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{
    ERASURE_PENDING_KEY, OutboxEntry, OutboxOp, Store, StoreError, decode, encode, lock,
    receipt_hash_key, receipt_story_key,
};
use crate::story::StoryId;
use crate::story::erasure::{Erasure, ErasureReason};

#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
pub(super) enum ErasureRecord {
    #[serde(rename = "1")]
    V1 { date: String, reason: String },
}

impl ErasureRecord {
    pub(super) fn new(date: Date, reason: ErasureReason) -> ErasureRecord {
        ErasureRecord::V1 {
            date: date.to_string(),
            reason: reason.code().to_string(),
        }
    }
}

impl Store {
    /// Whether the story with this id was erased.
    pub fn is_erased(&self, id: StoryId) -> Result<bool, StoreError> {
        Ok(self.t().erasures.contains_key(id.as_bytes())?)
    }

    /// Carries out an erasure ledger from elsewhere (one written beside the backups after the backup
    /// this store was restored from): every story in it that is still here is erased as it was then
    /// (same date and reason), every id is added to this store's ledger, and the database is rewritten
    /// once. Returns how many stories were erased.
    pub fn apply_erasures(&self, ledger: &[Erasure]) -> Result<usize, StoreError> {
        let mut present = Vec::new();
        for erasure in ledger {
            if self.t().stories.contains_key(erasure.story.as_bytes())? {
                present.push(erasure.clone());
            }
        }
        let mut receipts = Vec::new();
        for erasure in &present {
            receipts.push(self.t().receipts.get(receipt_story_key(erasure.story))?);
        }
        let mut media = Vec::new();
        for erasure in ledger {
            media.extend(self.media_keys(erasure.story)?);
        }
        let entries: Vec<OutboxEntry> = present
            .iter()
            .map(|erasure| OutboxEntry {
                story: erasure.story,
                op: OutboxOp::Erase,
            })
            .collect();
        self.write_with_outbox(&entries, |trees| {
            for erasure in ledger {
                let id = erasure.story.as_bytes();
                trees.stories.remove(id.as_slice())?;
                trees.erasures.insert(
                    id.as_slice(),
                    encode(&ErasureRecord::new(erasure.date, erasure.reason)),
                )?;
            }
            for (erasure, receipt) in present.iter().zip(&receipts) {
                if let Some(hash) = receipt {
                    trees.receipts.remove(receipt_hash_key(hash))?;
                    trees.receipts.remove(receipt_story_key(erasure.story))?;
                }
            }
            for key in &media {
                trees.media.remove(key)?;
            }
            if !present.is_empty() {
                trees.meta.insert(ERASURE_PENDING_KEY, &[1u8])?;
            }
            Ok(())
        })?;
        if !present.is_empty() {
            lock(&self.compaction).0 += 1;
            self.compact()?;
        }
        Ok(present.len())
    }

    /// How many stories were ever erased.
    pub fn erasure_count(&self) -> usize {
        self.t().erasures.len()
    }

    /// The erasure ledger, in story id order.
    pub fn erasures(&self) -> Result<Vec<Erasure>, StoreError> {
        self.t()
            .erasures
            .iter()
            .map(|item| {
                let (key, bytes) = item?;
                let corrupt = |detail: String| StoreError::Corrupt {
                    what: "erasure".to_string(),
                    detail,
                };
                let id: [u8; 16] = key
                    .as_ref()
                    .try_into()
                    .map_err(|_| corrupt(format!("key of {} bytes", key.len())))?;
                let ErasureRecord::V1 { date, reason } = decode(&bytes, "erasure")?;
                Ok(Erasure {
                    story: StoryId::from_bytes(id),
                    date: date
                        .parse()
                        .map_err(|error| corrupt(format!("date: {error}")))?,
                    reason: ErasureReason::parse(&reason)
                        .ok_or_else(|| corrupt(format!("reason: {reason}")))?,
                })
            })
            .collect()
    }
}
