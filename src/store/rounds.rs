//! The store's part for narrative evaluation rounds: one sled tree keyed by round id, every write
//! flushed before it returns. Rounds are few, so listing reads the whole tree.

use super::records::{RoundRecord, corrupt_entry, encode_stamped, version_of};
use super::{Store, StoreError, Update, Versioned, decode};
use crate::ids::RoundId;
use crate::rounds::Round;
use crate::rounds::file::RoundOut;

impl Store {
    /// Stores a round (new, or replacing what is stored) at its next version, durably.
    pub fn put_round(&self, round: &Round) -> Result<(), StoreError> {
        let record = RoundRecord::V1(RoundOut::from_round(round));
        self.put_next_version(
            |t| &t.rounds,
            round.id.as_str().as_bytes(),
            |version| encode_stamped(&record, version),
        )?;
        Ok(())
    }

    /// Changes a round with `change`, only while it is still at version `read_at`.
    pub fn update_round(
        &self,
        id: &RoundId,
        read_at: u64,
        change: impl FnOnce(&mut Round),
    ) -> Result<Update, StoreError> {
        self.update_checked(
            |t| &t.rounds,
            id.as_str().as_bytes(),
            read_at,
            decode_round,
            |round, version| encode_stamped(&RoundRecord::V1(RoundOut::from_round(round)), version),
            change,
        )
    }

    /// A round with its version.
    pub fn round_versioned(&self, id: &RoundId) -> Result<Option<Versioned<Round>>, StoreError> {
        self.t()
            .rounds
            .get(id.as_str().as_bytes())?
            .map(|bytes| {
                Ok(Versioned {
                    item: decode_round(&bytes)?,
                    version: version_of(&bytes),
                })
            })
            .transpose()
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
