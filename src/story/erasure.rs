//! Erasure as the domain knows it: why a story was erased, and one line of the ledger that keeps only
//! the story's id, the date and that reason. The store keeps the ledger (`store::erasures`).

use jiff::civil::Date;

use super::StoryId;

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

    pub fn parse(code: &str) -> Option<ErasureReason> {
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
