//! The audit log in the store. Tree `audit`: key = time in microseconds (u64 big-endian) + a
//! counter (u32 big-endian), so keys sort by time and two entries in the same microsecond do not
//! collide; value = [`AuditRecord`] as JSON.
//!
//! An entry is written without its own flush: it reaches the disk with the next write that flushes
//! (every story write does) or sled's own flush within half a second, so logging costs a request no
//! extra disk wait.

use std::sync::atomic::{AtomicU32, Ordering};

use serde::{Deserialize, Serialize};

use super::{Store, StoreError, decode, encode};
use crate::audit::{Actor, AuditEntry};

static COUNTER: AtomicU32 = AtomicU32::new(0);

#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
enum AuditRecord {
    #[serde(rename = "1")]
    V1 {
        at: String,
        actor: String,
        action: String,
        target: String,
        status: u16,
    },
}

impl Store {
    /// Adds an entry to the audit log.
    pub fn append_audit(&self, entry: &AuditEntry) -> Result<(), StoreError> {
        let micros = u64::try_from(entry.at.as_microsecond()).unwrap_or(0);
        let key = [
            micros.to_be_bytes().as_slice(),
            COUNTER
                .fetch_add(1, Ordering::Relaxed)
                .to_be_bytes()
                .as_slice(),
        ]
        .concat();
        let record = AuditRecord::V1 {
            at: entry.at.to_string(),
            actor: entry.actor.code(),
            action: entry.action.clone(),
            target: entry.target.clone(),
            status: entry.status,
        };
        self.t().audit.insert(key, encode(&record))?;
        Ok(())
    }

    /// Entries newest first, skipping `skip`, at most `limit`.
    pub fn audit_entries(&self, skip: usize, limit: usize) -> Result<Vec<AuditEntry>, StoreError> {
        self.t()
            .audit
            .iter()
            .values()
            .rev()
            .skip(skip)
            .take(limit)
            .map(|bytes| {
                let AuditRecord::V1 {
                    at,
                    actor,
                    action,
                    target,
                    status,
                } = decode(&bytes?, "audit entry")?;
                let corrupt = |detail: String| StoreError::Corrupt {
                    what: "audit entry".to_string(),
                    detail,
                };
                Ok(AuditEntry {
                    at: at
                        .parse()
                        .map_err(|error| corrupt(format!("at: {error}")))?,
                    actor: Actor::parse(&actor)
                        .ok_or_else(|| corrupt(format!("actor: {actor}")))?,
                    action,
                    target,
                    status,
                })
            })
            .collect()
    }

    pub fn audit_count(&self) -> usize {
        self.t().audit.len()
    }
}
