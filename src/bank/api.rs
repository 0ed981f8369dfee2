//! What the JSON API needs of the bank beyond reading: storing a submitted story once per
//! idempotency key, and sealing the receipt code kept with that key.
//!
//! A provider's system that loses its connection after the bank stored a story sends it again; with
//! the same `Idempotency-Key` it gets the first answer back (the same id and receipt code) and no copy
//! is made. The key's record is written in the same transaction as the story (see
//! `store::idempotency`), and the receipt code in it is sealed with the token, which the bank does not
//! keep, so the stored record alone cannot reveal it.

use sha2::{Digest, Sha256};

use super::Bank;
pub use crate::store::idempotency::{IdempotencyKey, IdempotencyRecord};
use crate::story::Story;
use crate::story::receipt::ReceiptCode;

/// The pad a receipt code is sealed with: derived from the token and the caller's key.
fn pad(token: &str, key: &str) -> [u8; 32] {
    let mut hasher = Sha256::new();
    hasher.update(b"receipt\0");
    hasher.update(token.as_bytes());
    hasher.update([0]);
    hasher.update(key.as_bytes());
    hasher.finalize().into()
}

/// A receipt code sealed for the record of `key` sent with `token`.
pub fn seal_receipt(code: &ReceiptCode, token: &str, key: &str) -> Vec<u8> {
    let code = code.to_string();
    code.bytes()
        .zip(pad(token, key))
        .map(|(c, p)| c ^ p)
        .collect()
}

/// The receipt code back from its sealed form, when `token` and `key` are the ones it was sealed with.
pub fn unseal_receipt(sealed: &[u8], token: &str, key: &str) -> Option<ReceiptCode> {
    let bytes: Vec<u8> = sealed
        .iter()
        .zip(pad(token, key))
        .map(|(s, p)| s ^ p)
        .collect();
    ReceiptCode::parse(std::str::from_utf8(&bytes).ok()?)
}

impl Bank {
    /// The answer recorded for an idempotency key, if it is less than a day old at `now` (seconds).
    pub fn idempotency_record(
        &self,
        key: &IdempotencyKey,
        now: i64,
    ) -> anyhow::Result<Option<IdempotencyRecord>> {
        Ok(self.store.idempotency_record(key, now)?)
    }

    /// Stores a story submitted with an idempotency key, durably and together with the key's record.
    /// When the key was taken meanwhile, nothing is stored and the first record is returned. Keys
    /// older than a day are pruned.
    pub fn submit_once(
        &self,
        story: &Story,
        code: &ReceiptCode,
        key: &IdempotencyKey,
        record: &IdempotencyRecord,
    ) -> anyhow::Result<Result<u64, IdempotencyRecord>> {
        let answer = self
            .store
            .put_story_once(story, &code.hash(), key, record)?;
        if answer.is_ok() {
            tracing::info!(story = %story.id, "story stored with an idempotency key");
        }
        let pruned = self.store.prune_idempotency(record.created)?;
        if pruned > 0 {
            tracing::info!(pruned, "expired idempotency keys removed");
        }
        Ok(answer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sealed_receipt_opens_only_with_its_token_and_key() {
        let code = ReceiptCode::generate();
        let sealed = seal_receipt(&code, "vbk_token", "key-1");
        assert!(!String::from_utf8_lossy(&sealed).contains(&code.to_string()));
        assert_eq!(
            unseal_receipt(&sealed, "vbk_token", "key-1").map(|c| c.to_string()),
            Some(code.to_string())
        );
        assert!(
            unseal_receipt(&sealed, "vbk_other", "key-1")
                .is_none_or(|other| other.to_string() != code.to_string())
        );
    }
}
