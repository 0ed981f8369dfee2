//! The urgent-signal list as the command line, the import and the moderation queue see it: read with
//! its version, replaced after checking it, and matched against the stories waiting for moderation
//! through the search index (`index::signals`), so nothing of a match is ever stored.

use std::collections::HashMap;

use super::Bank;
use crate::index::SignalMatch;
use crate::signals::{Problem, Signals};
use crate::store::{Update, Versioned};
use crate::story::StoryId;

/// What replacing the signal list did.
#[derive(Debug, Clone, PartialEq)]
pub enum SignalsSaved {
    /// Stored; the list is now at this version.
    Saved { version: u64, words: usize },
    /// The text has problems; nothing was stored.
    Invalid(Vec<Problem>),
    /// Someone else changed the list after the version the change was made from; nothing was
    /// stored. The list as it is now.
    Changed(Versioned<String>),
}

impl Bank {
    /// The signal list's text and version; an empty text at version 0 when there is none.
    pub fn signals(&self) -> anyhow::Result<Versioned<String>> {
        Ok(self.store.signals()?.unwrap_or(Versioned {
            item: String::new(),
            version: 0,
        }))
    }

    /// Replaces the signal list with `text`, made from the list at version `read_at`.
    pub fn replace_signals(&self, text: &str, read_at: u64) -> anyhow::Result<SignalsSaved> {
        let signals = match Signals::from_toml(text) {
            Ok(signals) => signals,
            Err(problems) => return Ok(SignalsSaved::Invalid(problems)),
        };
        let words = signals.words().count();
        Ok(match self.store.set_signals_checked(text, read_at)? {
            Update::Done { version } => {
                tracing::info!(version, words, "signal list changed");
                SignalsSaved::Saved { version, words }
            }
            Update::Stale | Update::Missing => SignalsSaved::Changed(self.signals()?),
        })
    }

    /// The stories waiting for moderation that hold words of the signal list, with those words.
    pub fn signals_waiting(&self) -> anyhow::Result<HashMap<StoryId, Vec<SignalMatch>>> {
        Ok(self.index.signals_waiting(&self.store)?)
    }
}
