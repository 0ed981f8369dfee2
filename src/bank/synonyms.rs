//! The synonyms list as the analysts' page and the command line see it: read with the version it was
//! read at, and replaced in one call that checks the text first and then stores it only while nobody
//! else changed the list in between. Search reads the list itself, per version (`index::synonyms`).

use super::Bank;
use crate::store::{Update, Versioned};
use crate::synonyms::{Problem, Synonyms};

/// What replacing the synonyms list did.
#[derive(Debug, Clone, PartialEq)]
pub enum SynonymsSaved {
    /// Stored; the list is now at this version.
    Saved { version: u64, groups: usize },
    /// The text has problems; nothing was stored.
    Invalid(Vec<Problem>),
    /// Someone else changed the list after the version the change was made from; nothing was
    /// stored. The list as it is now.
    Changed(Versioned<String>),
}

impl Bank {
    /// The synonyms file's text and version; an empty text at version 0 when there is none.
    pub fn synonyms(&self) -> anyhow::Result<Versioned<String>> {
        Ok(self.store.synonyms()?.unwrap_or(Versioned {
            item: String::new(),
            version: 0,
        }))
    }

    /// Replaces the synonyms list with `text`, made from the list at version `read_at`.
    pub fn replace_synonyms(&self, text: &str, read_at: u64) -> anyhow::Result<SynonymsSaved> {
        let synonyms = match Synonyms::from_toml(text) {
            Ok(synonyms) => synonyms,
            Err(problems) => return Ok(SynonymsSaved::Invalid(problems)),
        };
        Ok(match self.store.set_synonyms_checked(text, read_at)? {
            Update::Done { version } => {
                tracing::info!(version, groups = synonyms.groups.len(), "synonyms changed");
                SynonymsSaved::Saved {
                    version,
                    groups: synonyms.groups.len(),
                }
            }
            Update::Stale | Update::Missing => SynonymsSaved::Changed(self.synonyms()?),
        })
    }
}
