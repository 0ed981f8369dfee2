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

/// Stories asked for as neighbours when suggesting subgoals and tags.
const NEIGHBOURS: usize = 12;

/// Neighbours that must carry a tag before it is suggested: tags are free words, so one story's
/// tag says little about another.
const TAG_LEAST: usize = 2;

/// A subgoal or tag suggested for a story, with why: the most alike stories that carry it.
#[derive(Debug, Clone, PartialEq)]
pub struct Suggested<T> {
    pub item: T,
    /// How many of the neighbours carry it.
    pub stories: usize,
    /// Titles of the closest of them, closest first.
    pub examples: Vec<String>,
    /// The neighbours' votes, each weighing 1 / (its rank + 1).
    pub weight: f64,
}

/// A subgoal suggested by the stories linked to it.
pub type SubgoalSuggestion = Suggested<crate::ids::SubgoalId>;

/// A tag suggested by the stories that carry it.
pub type TagSuggestion = Suggested<String>;

/// What the most alike stories suggest for a story: up to three subgoals and up to three tags.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Suggestions {
    pub subgoals: Vec<SubgoalSuggestion>,
    pub tags: Vec<TagSuggestion>,
}

/// What `neighbours` (most alike first) carry as `items`, best first: at most `count`, each carried
/// by at least `least` of them.
pub fn tally<T: Clone + Ord>(
    neighbours: &[&Story],
    items: impl Fn(&Story) -> &[T],
    count: usize,
    least: usize,
) -> Vec<Suggested<T>> {
    let mut tally: Vec<Suggested<T>> = Vec::new();
    for (rank, story) in neighbours.iter().enumerate() {
        for item in items(story) {
            let at = match tally.iter().position(|s| &s.item == item) {
                Some(at) => at,
                None => {
                    tally.push(Suggested {
                        item: item.clone(),
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
    tally.retain(|s| s.stories >= least);
    tally.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then_with(|| a.item.cmp(&b.item))
    });
    tally.truncate(count);
    tally
}

impl Bank {
    /// Up to three subgoals and three tags for `story`, learned from the most alike stories that
    /// staff linked or tagged (nearest neighbours over the index; rejected stories and the story
    /// itself left out). Moderation sees every story, so every story may vote and be named.
    pub fn suggest_links(&self, story: &Story) -> anyhow::Result<Suggestions> {
        self.suggest_links_for(
            &story.title,
            story.text.as_str(),
            Some(story.id),
            &Scope::Municipality,
        )
    }

    /// Up to three subgoals and three tags for a story with `title` and `text` that may not be
    /// stored yet (the provider form), leaving out the stored story `except`. Only stories `scope`
    /// may see vote, so a suggestion never names (or hints at) a story its reader may not read.
    /// Subgoals are voted by the twelve most alike stories linked to a subgoal, tags by the twelve
    /// most alike with a tag.
    pub fn suggest_links_for(
        &self,
        title: &str,
        text: &str,
        except: Option<StoryId>,
        scope: &Scope,
    ) -> anyhow::Result<Suggestions> {
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
                && !(other.subgoals.is_empty() && other.tags.is_empty())
                && !matches!(other.moderation, Moderation::Rejected(_))
                && scope.may_see(&other)
            {
                neighbours.push(other);
            }
        }
        let nearest = |carries: fn(&Story) -> bool| -> Vec<&Story> {
            neighbours
                .iter()
                .filter(|s| carries(s))
                .take(NEIGHBOURS)
                .collect()
        };
        Ok(Suggestions {
            subgoals: tally(&nearest(|s| !s.subgoals.is_empty()), |s| &s.subgoals, 3, 1),
            tags: tally(&nearest(|s| !s.tags.is_empty()), |s| &s.tags, 3, TAG_LEAST),
        })
    }
}
