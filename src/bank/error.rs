//! The bank's errors as its callers tell them apart: a change refused (erased, changed meanwhile, no
//! such record), a data folder that cannot be written (nothing was saved; trying again later may
//! work), and every other failure. The web turns each into its status and page by matching on
//! [`BankError`], so it never looks into the store's own errors.

use super::Refused;
use crate::store::StoreError;

/// Why a call into the bank failed, in the kinds a caller acts on.
#[derive(Debug, thiserror::Error)]
pub enum BankError {
    /// The bank did not make the change it was asked to make; nothing was written.
    #[error(transparent)]
    Refused(#[from] Refused),
    /// The data folder cannot be written (full disk, read-only, no permission): nothing was saved.
    #[error("the data folder cannot be written: {reason}")]
    Unwritable {
        reason: &'static str,
        #[source]
        source: anyhow::Error,
    },
    /// Any other failure: a fault, not something the caller did.
    #[error(transparent)]
    Other(anyhow::Error),
}

impl From<anyhow::Error> for BankError {
    /// Sorts a failure by its causes: a refusal, then a store that cannot be written, else other.
    fn from(error: anyhow::Error) -> Self {
        if let Some(refused) = error.downcast_ref::<Refused>() {
            return BankError::Refused(*refused);
        }
        let unwritable = error.chain().find_map(|cause| {
            cause
                .downcast_ref::<StoreError>()
                .and_then(StoreError::unwritable)
        });
        match unwritable {
            Some(reason) => BankError::Unwritable {
                reason,
                source: error,
            },
            None => BankError::Other(error),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_are_sorted_by_their_causes() {
        let full = StoreError::Io {
            path: "store".into(),
            source: std::io::Error::from(std::io::ErrorKind::StorageFull),
        };
        let error = anyhow::Error::new(full).context("storing a story");
        assert!(matches!(
            BankError::from(error),
            BankError::Unwritable {
                reason: "the disk is full",
                ..
            }
        ));
        let refused = anyhow::Error::new(Refused::Changed);
        assert!(matches!(
            BankError::from(refused),
            BankError::Refused(Refused::Changed)
        ));
        let other = anyhow::anyhow!("something else");
        assert!(matches!(BankError::from(other), BankError::Other(_)));
    }
}
