//! The erasure ledger: for every erased story only its id, the date and why, so the municipality can
//! show that a withdrawal was carried out without keeping anything of the story itself.
//!
//! Tree `erasures`: story id (16 bytes) → [`ErasureRecord`] as JSON.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Store, StoreError, decode};
use crate::story::StoryId;

/// Why a story was erased.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErasureReason {
    /// The teller withdrew their consent with their receipt code.
    WithdrawnByTeller,
    /// Staff erased it, for example when the teller asked them to.
    ErasedByStaff,
}

impl ErasureReason {
    pub fn code(self) -> &'static str {
        match self {
            ErasureReason::WithdrawnByTeller => "withdrawn_by_teller",
            ErasureReason::ErasedByStaff => "erased_by_staff",
        }
    }

    fn parse(code: &str) -> Option<ErasureReason> {
        [
            ErasureReason::WithdrawnByTeller,
            ErasureReason::ErasedByStaff,
        ]
        .into_iter()
        .find(|reason| reason.code() == code)
    }
}

/// One line of the ledger.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Erasure {
    pub story: StoryId,
    pub date: Date,
    pub reason: ErasureReason,
}

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
