//! Near-duplicates for moderation: the stories (almost) the same as one waiting, found through the
//! index and measured by their shingles ([`crate::duplicates`]), and merging an exact resend into the
//! story it repeats. Nothing of a likeness is stored or logged.

use jiff::civil::Date;

use super::Bank;
use crate::duplicates::{FLAGGED, Likeness, exact_resend, resemblance, story_shingles};
use crate::store::ErasureReason;
use crate::story::{Story, StoryId};

/// Stories the index is asked for per story; a resend of a story is always among the first.
const CANDIDATES: usize = 8;

/// What merging a resend did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Merged {
    /// The resend is erased; the story it repeats stays.
    Done,
    /// One of the two stories no longer exists.
    Missing,
    /// The two are not an exact resend by the same provider: both stay.
    NotExact,
}

impl Bank {
    /// The stories at least [`FLAGGED`] alike to `story`, most alike first.
    pub fn near_duplicates(&self, story: &Story) -> anyhow::Result<Vec<Likeness>> {
        let shingles = story_shingles(story);
        let mut found = Vec::new();
        for id in self
            .index
            .similar_to(&story.title, story.text.as_str(), CANDIDATES)?
        {
            if id == story.id {
                continue;
            }
            let Some(other) = self.store.get_story(id)? else {
                continue;
            };
            let alike = resemblance(&shingles, &story_shingles(&other));
            if alike >= FLAGGED {
                found.push(Likeness {
                    story: other,
                    resemblance: alike,
                });
            }
        }
        found.sort_by(|a, b| b.resemblance.total_cmp(&a.resemblance));
        Ok(found)
    }

    /// Merges `resend` into `original` when it is an exact resend by the same provider: the resend
    /// is erased (with the erasure ledger, as any erasure), the original stays as it is.
    pub fn merge_resend(
        &self,
        resend: StoryId,
        original: StoryId,
        date: Date,
    ) -> anyhow::Result<Merged> {
        let (Some(first), Some(again)) = (
            self.store.get_story(original)?,
            self.store.get_story(resend)?,
        ) else {
            return Ok(Merged::Missing);
        };
        if !exact_resend(&first, &again) {
            return Ok(Merged::NotExact);
        }
        Ok(if self.erase(resend, date, ErasureReason::ErasedByStaff)? {
            tracing::info!(story = %resend, into = %original, "resend merged into the story it repeats");
            Merged::Done
        } else {
            Merged::Missing
        })
    }
}
