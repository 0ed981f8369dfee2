//! The store's part for narrative evaluation rounds: one sled tree keyed by round id, every write
//! flushed before it returns. Rounds are few, so listing reads the whole tree.

use super::records::{RoundRecord, corrupt_entry};
use super::{Store, StoreError, decode, encode};
use crate::ids::RoundId;
use crate::rounds::Round;
use crate::rounds::file::RoundOut;

impl Store {
    pub fn put_round(&self, round: &Round) -> Result<(), StoreError> {
        let record = RoundRecord::V1(RoundOut::from_round(round));
        self.t()
            .rounds
            .insert(round.id.as_str().as_bytes(), encode(&record))?;
        self.flush()
    }

    pub fn round(&self, id: &RoundId) -> Result<Option<Round>, StoreError> {
        self.t()
            .rounds
            .get(id.as_str().as_bytes())?
            .map(|bytes| decode_round(&bytes))
            .transpose()
    }

    /// Every round, newest period first.
    pub fn rounds(&self) -> Result<Vec<Round>, StoreError> {
        let mut all: Vec<Round> = self
            .t()
            .rounds
            .iter()
            .values()
            .map(|bytes| decode_round(&bytes?))
            .collect::<Result<_, _>>()?;
        all.sort_by(|a, b| b.from.cmp(&a.from).then(a.id.cmp(&b.id)));
        Ok(all)
    }

    /// The round whose short link has this code.
    pub fn round_by_code(&self, code: &str) -> Result<Option<Round>, StoreError> {
        Ok(self.rounds()?.into_iter().find(|round| round.code == code))
    }
}

fn decode_round(bytes: &[u8]) -> Result<Round, StoreError> {
    let RoundRecord::V1(out) = decode(bytes, "round")?;
    out.into_round()
        .map_err(|problem| corrupt_entry("round", problem))
}
