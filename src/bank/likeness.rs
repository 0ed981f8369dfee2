//! Near-duplicates for moderation: the stories (almost) the same as one waiting, found through the
//! index and measured by their shingles ([`crate::duplicates`]), and merging an exact resend into the
//! story it repeats. Nothing of a likeness is stored or logged.

use jiff::civil::Date;

use super::Bank;
use crate::duplicates::{FLAGGED, Likeness, exact_resend, resemblance, story_shingles};
use crate::store::ErasureReason;
use crate::story::{Moderation, Scope, Story, StoryId};

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

/// Stories asked for as neighbours when suggesting subgoals.
const NEIGHBOURS: usize = 12;

/// A subgoal suggested for a story, with why: the most alike stories that staff linked to it.
#[derive(Debug, Clone, PartialEq)]
pub struct SubgoalSuggestion {
    pub subgoal: crate::ids::SubgoalId,
    /// How many of the neighbours are linked to it.
    pub stories: usize,
    /// Titles of the closest of them, closest first.
    pub examples: Vec<String>,
    /// The neighbours' votes, each weighing 1 / (its rank + 1).
    pub weight: f64,
}

/// The subgoals `neighbours` (most alike first) are linked to, best first, at most `count`.
pub fn tally_subgoals(neighbours: &[Story], count: usize) -> Vec<SubgoalSuggestion> {
    let mut tally: Vec<SubgoalSuggestion> = Vec::new();
    for (rank, story) in neighbours.iter().enumerate() {
        for subgoal in &story.subgoals {
            let at = match tally.iter().position(|s| &s.subgoal == subgoal) {
                Some(at) => at,
                None => {
                    tally.push(SubgoalSuggestion {
                        subgoal: subgoal.clone(),
                        stories: 0,
                        examples: Vec::new(),
                        weight: 0.0,
                    });
                    tally.len() - 1
                }
            };
            let entry = &mut tally[at];
            entry.stories += 1;
            entry.weight += 1.0 / (rank as f64 + 1.0);
            if entry.examples.len() < 2 {
                entry.examples.push(story.title.clone());
            }
        }
    }
    tally.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.subgoal.cmp(&b.subgoal))
    });
    tally.truncate(count);
    tally
}

impl Bank {
    /// Up to three subgoals for `story`, learned from the most alike stories that are linked to
    /// subgoals (nearest neighbours over the index; rejected stories and the story itself left out).
    /// Moderation sees every story, so every story may vote and be named.
    pub fn suggest_subgoals(&self, story: &Story) -> anyhow::Result<Vec<SubgoalSuggestion>> {
        self.suggest_subgoals_for(
            &story.title,
            story.text.as_str(),
            Some(story.id),
            &Scope::Municipality,
        )
    }

    /// Up to three subgoals for a story with `title` and `text` that may not be stored yet (the
    /// provider form), leaving out the stored story `except`. Only stories `scope` may see vote,
    /// so a suggestion never names (or hints at) a story its reader may not read.
    pub fn suggest_subgoals_for(
        &self,
        title: &str,
        text: &str,
        except: Option<StoryId>,
        scope: &Scope,
    ) -> anyhow::Result<Vec<SubgoalSuggestion>> {
        // A narrower scope sees fewer of the most alike stories: more are asked for.
        let asked = if matches!(scope, Scope::Municipality) {
            NEIGHBOURS + 1
        } else {
            3 * NEIGHBOURS
        };
        let mut neighbours = Vec::new();
        for id in self.index.similar_to(title, text, asked)? {
            if Some(id) == except {
                continue;
            }
            if let Some(other) = self.store.get_story(id)?
                && !other.subgoals.is_empty()
                && !matches!(other.moderation, Moderation::Rejected(_))
                && scope.may_see(&other)
            {
                neighbours.push(other);
            }
        }
        neighbours.truncate(NEIGHBOURS);
        Ok(tally_subgoals(&neighbours, 3))
    }
}
