//! Idempotency keys of the API: a provider's system that sends `POST /api/v1/stories` again with the
//! same `Idempotency-Key` (because its connection broke after the story was stored) gets the first
//! answer back instead of a second copy. Tree `idempotency`:
//!
//! - `k` + key hash (32 bytes) → [`IdempotencyRecord`] as JSON: the story made, a fingerprint of the
//!   request body and the receipt code sealed with the caller's token, and when;
//! - `t` + seconds since 1970 (8 bytes, big-endian) + key hash → empty, so expired keys are pruned in
//!   time order without reading every record.
//!
//! The key hash covers the token's id and the caller's key, so keys are per token. A record is written
//! in the same transaction as the story it answers for ([`Store::put_story_once`]), so a crash cannot
//! leave the story stored without its key. The receipt code is never stored readable: it is sealed
//! with a pad derived from the token itself (which the store does not hold) and the key.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::compression;
use super::records::StoryRecord;
use super::{
    OutboxEntry, OutboxOp, Store, StoreError, decode, encode, receipt_hash_key, receipt_story_key,
};
use crate::story::receipt::ReceiptHash;
use crate::story::{Story, StoryId};

/// How long a key is kept: a day.
pub const KEPT_SECONDS: i64 = 24 * 60 * 60;

/// A key as stored: SHA-256 of the token's id and the caller's key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IdempotencyKey(pub [u8; 32]);

impl IdempotencyKey {
    pub fn new(token_id: &str, key: &str) -> IdempotencyKey {
        let mut hasher = Sha256::new();
        hasher.update(token_id.as_bytes());
        hasher.update([0]);
        hasher.update(key.as_bytes());
        IdempotencyKey(hasher.finalize().into())
    }
}

/// What a key answered the first time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IdempotencyRecord {
    pub story: StoryId,
    /// SHA-256 of the request body as the API read it.
    pub fingerprint: [u8; 32],
    /// The receipt code, sealed (see the module documentation).
    pub sealed_receipt: Vec<u8>,
    /// Seconds since 1970 when the story was stored.
    pub created: i64,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
enum Record {
    #[serde(rename = "1")]
    V1 {
        story: String,
        fingerprint: String,
        sealed: String,
        created: i64,
    },
}

fn to_hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn from_hex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

fn record_key(key: &IdempotencyKey) -> Vec<u8> {
    [b"k".as_slice(), key.0.as_slice()].concat()
}

fn time_key(created: i64, key: &IdempotencyKey) -> Vec<u8> {
    [b"t".as_slice(), &created.to_be_bytes(), key.0.as_slice()].concat()
}

fn into_record(bytes: &[u8]) -> Result<IdempotencyRecord, StoreError> {
    let Record::V1 {
        story,
        fingerprint,
        sealed,
        created,
    } = decode(bytes, "idempotency key")?;
    let corrupt = |detail: &str| StoreError::Corrupt {
        what: "idempotency key".to_string(),
        detail: detail.to_string(),
    };
    Ok(IdempotencyRecord {
        story: StoryId::parse(&story).map_err(|_| corrupt("story id"))?,
        fingerprint: from_hex(&fingerprint)
            .and_then(|bytes| bytes.try_into().ok())
            .ok_or_else(|| corrupt("fingerprint"))?,
        sealed_receipt: from_hex(&sealed).ok_or_else(|| corrupt("sealed receipt"))?,
        created,
    })
}

/// Serialises idempotent writes, so two requests with the same key at the same moment cannot both
/// find it free.
static ONCE: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Store {
    /// The answer recorded for `key`, unless there is none or it is older than a day at `now`.
    pub fn idempotency_record(
        &self,
        key: &IdempotencyKey,
        now: i64,
    ) -> Result<Option<IdempotencyRecord>, StoreError> {
        match self.t().idempotency.get(record_key(key))? {
            Some(bytes) => {
                let record = into_record(&bytes)?;
                Ok((now - record.created < KEPT_SECONDS).then_some(record))
            }
            None => Ok(None),
        }
    }

    /// Stores a story with its receipt hash and the idempotency record in one transaction, durably.
    /// When the key already has a live record, nothing is stored and that record is returned instead.
    pub fn put_story_once(
        &self,
        story: &Story,
        receipt: &ReceiptHash,
        key: &IdempotencyKey,
        record: &IdempotencyRecord,
    ) -> Result<Result<u64, IdempotencyRecord>, StoreError> {
        let _once = ONCE.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(first) = self.idempotency_record(key, record.created)? {
            return Ok(Err(first));
        }
        let previous = self.t().idempotency.get(record_key(key))?;
        let bytes = compression::pack(&encode(&StoryRecord::from_story(story)));
        let value = encode(&Record::V1 {
            story: record.story.to_string(),
            fingerprint: to_hex(&record.fingerprint),
            sealed: to_hex(&record.sealed_receipt),
            created: record.created,
        });
        let entry = OutboxEntry {
            story: story.id,
            op: OutboxOp::Upsert,
        };
        let seq = self.write_with_outbox(&[entry], |trees| {
            trees
                .stories
                .insert(story.id.as_bytes().as_slice(), bytes.as_slice())?;
            trees
                .receipts
                .insert(receipt_hash_key(&receipt.0), story.id.as_bytes().as_slice())?;
            trees
                .receipts
                .insert(receipt_story_key(story.id), receipt.0.as_slice())?;
            // An expired record of the same key is replaced, with its time entry.
            if let Some(old) = &previous
                && let Ok(old) = into_record(old)
            {
                trees.idempotency.remove(time_key(old.created, key))?;
            }
            trees
                .idempotency
                .insert(record_key(key), value.as_slice())?;
            trees
                .idempotency
                .insert(time_key(record.created, key), &[] as &[u8])?;
            Ok(())
        })?;
        Ok(Ok(seq))
    }

    /// Removes the keys older than a day at `now`; returns how many.
    pub fn prune_idempotency(&self, now: i64) -> Result<usize, StoreError> {
        let trees = self.t();
        let tree = &trees.idempotency;
        let until = time_key(now - KEPT_SECONDS, &IdempotencyKey([0xff; 32]));
        let mut removed = 0;
        for item in tree.range(b"t".to_vec()..until) {
            let (time, _) = item?;
            let hash: [u8; 32] = time[9..].try_into().map_err(|_| StoreError::Corrupt {
                what: "idempotency key".to_string(),
                detail: "time entry".to_string(),
            })?;
            let key = IdempotencyKey(hash);
            // A key used again after it expired has a newer record: only an expired one goes.
            if let Some(bytes) = tree.get(record_key(&key))?
                && now - into_record(&bytes)?.created >= KEPT_SECONDS
            {
                tree.remove(record_key(&key))?;
            }
            tree.remove(time)?;
            removed += 1;
        }
        if removed > 0 {
            self.flush()?;
        }
        Ok(removed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(story: &Story, created: i64) -> IdempotencyRecord {
        IdempotencyRecord {
            story: story.id,
            fingerprint: [7; 32],
            sealed_receipt: vec![1, 2, 3],
            created,
        }
    }

    #[test]
    fn a_key_answers_once_for_a_day_and_is_then_pruned() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let key = IdempotencyKey::new("token-1", "abc");
        let first = crate::testing::story("Eerste", "Het eerste verhaal.");
        let again = crate::testing::story("Tweede", "Het tweede verhaal.");
        let receipt = ReceiptHash([3; 32]);
        let now = 1_800_000_000;
        assert!(
            store
                .put_story_once(&first, &receipt, &key, &record(&first, now))
                .unwrap()
                .is_ok()
        );
        let answer = store
            .put_story_once(&again, &receipt, &key, &record(&again, now + 60))
            .unwrap();
        assert_eq!(
            answer,
            Err(record(&first, now)),
            "the first answer comes back"
        );
        assert!(
            store.get_story(again.id).unwrap().is_none(),
            "nothing new stored"
        );
        // Another token's key of the same text is its own.
        let other = IdempotencyKey::new("token-2", "abc");
        assert!(store.idempotency_record(&other, now).unwrap().is_none());

        assert_eq!(store.prune_idempotency(now + KEPT_SECONDS - 1).unwrap(), 0);
        assert!(
            store
                .idempotency_record(&key, now + KEPT_SECONDS)
                .unwrap()
                .is_none()
        );
        assert_eq!(store.prune_idempotency(now + KEPT_SECONDS).unwrap(), 1);
        assert!(store.t().idempotency.is_empty());
    }
}
