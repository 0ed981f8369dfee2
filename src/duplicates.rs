//! Near-duplicate stories: how much of one story's text another one repeats, as the resemblance of
//! their sets of word shingles (every run of [`SHINGLE`] words, lowercase, punctuation left out). A
//! story sent twice, or sent again with a few words changed, shares most of its shingles with the
//! first; two stories about the same thing in their own words share almost none.
//!
//! Pure and small: the bank finds candidates through the search index and asks here how alike they
//! are. Nothing is stored: moderation asks again each time, so an erased story leaves nothing behind.

use std::collections::HashSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use crate::story::Story;

/// Words per shingle. Three keeps a changed word from hiding more than three shingles, while
/// common phrases of two words ("in de", "ik ben") do not make different stories alike.
pub const SHINGLE: usize = 3;

/// From this resemblance on, moderation shows a story as (almost) the same as another one. Measured
/// on copies with edits (BENCHMARKS.md): copies with up to one word in five changed stay above it,
/// while no two of the demo's stories reach it.
pub const FLAGGED: f64 = 0.3;

/// A story's shingles, hashed. A text shorter than one shingle is its words.
pub fn shingles(title: &str, text: &str) -> HashSet<u64> {
    let words: Vec<String> = title
        .split(|c: char| !c.is_alphanumeric())
        .chain(text.split(|c: char| !c.is_alphanumeric()))
        .filter(|word| !word.is_empty())
        .map(str::to_lowercase)
        .collect();
    let hash = |words: &[String]| {
        let mut hasher = DefaultHasher::new();
        words.hash(&mut hasher);
        hasher.finish()
    };
    if words.len() < SHINGLE {
        return words
            .iter()
            .map(|w| hash(std::slice::from_ref(w)))
            .collect();
    }
    words.windows(SHINGLE).map(hash).collect()
}

/// The shingles of a story's title and text.
pub fn story_shingles(story: &Story) -> HashSet<u64> {
    shingles(&story.title, story.text.as_str())
}

/// The share of shingles two stories have in common (Jaccard): 1.0 for the same text, 0.0 for
/// nothing in common.
pub fn resemblance(a: &HashSet<u64>, b: &HashSet<u64>) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let common = a.intersection(b).count();
    common as f64 / (a.len() + b.len() - common) as f64
}

/// Whether a resend can be merged into the story it repeats: the same text and title, sent by the
/// same provider. Anything less stays two stories unless a person decides otherwise.
pub fn exact_resend(original: &Story, resend: &Story) -> bool {
    original.id != resend.id
        && original.provider.is_some()
        && original.provider == resend.provider
        && original.title.trim() == resend.title.trim()
        && original.text.as_str().trim() == resend.text.as_str().trim()
}

/// How alike another story is: its id and the share of shingles in common.
#[derive(Debug, Clone, PartialEq)]
pub struct Likeness {
    pub story: Story,
    pub resemblance: f64,
}

impl Likeness {
    /// The resemblance in whole percent, rounded down so "100%" means the same shingles.
    pub fn percent(&self) -> u32 {
        (self.resemblance * 100.0).floor() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: &str = "Na 43 jaar bij hetzelfde bedrijf ging ik op 1 januari met pensioen. De eerste \
                         week was heerlijk. De tweede week begon ik me te vervelen. Mijn vrouw stuurde me \
                         naar de koffie-inloop om onder de mensen te zijn.";

    #[test]
    fn the_same_text_is_the_same_whatever_its_case_and_punctuation() {
        let a = shingles("Pensioen", STORY);
        let b = shingles("pensioen!", &STORY.to_uppercase().replace('.', " ,"));
        assert_eq!(resemblance(&a, &b), 1.0);
    }

    #[test]
    fn a_copy_with_a_few_words_changed_stays_above_the_flag() {
        let edited = STORY
            .replace("heerlijk", "fijn")
            .replace("vervelen", "ergeren")
            .replace("43", "40");
        let alike = resemblance(&shingles("", STORY), &shingles("", &edited));
        assert!((FLAGGED..1.0).contains(&alike), "{alike}");
    }

    #[test]
    fn stories_about_the_same_thing_in_other_words_are_not_alike() {
        let other = "Sinds mijn pensioen kom ik elke woensdag naar de koffie-inloop in het buurthuis. \
                     Ik ken nu veel mensen uit de straat en help met de computer.";
        let alike = resemblance(&shingles("", STORY), &shingles("", other));
        assert!(alike < 0.1, "{alike}");
    }

    #[test]
    fn short_texts_compare_their_words() {
        assert_eq!(
            resemblance(&shingles("", "Fijn"), &shingles("", "fijn")),
            1.0
        );
        assert_eq!(
            resemblance(&shingles("", "Fijn"), &shingles("", "mooi")),
            0.0
        );
        assert_eq!(resemblance(&shingles("", ""), &shingles("", "")), 1.0);
    }

    #[test]
    fn only_an_exact_resend_by_the_same_provider_can_be_merged() {
        let mut original = crate::testing::story("Pensioen", STORY);
        original.provider = Some(crate::ids::ProviderId::parse("buurtwerk").unwrap());
        let mut resend = original.clone();
        resend.id = crate::story::StoryId::new_random();
        assert!(exact_resend(&original, &resend));
        assert!(!exact_resend(&original, &original), "not with itself");
        let mut edited = resend.clone();
        edited.text = crate::story::Markdown::new(&format!("{STORY} Echt waar."));
        assert!(!exact_resend(&original, &edited));
        let mut other_provider = resend.clone();
        other_provider.provider = Some(crate::ids::ProviderId::parse("welzijn").unwrap());
        assert!(!exact_resend(&original, &other_provider));
        let mut residents = resend.clone();
        residents.provider = None;
        let mut first = original.clone();
        first.provider = None;
        assert!(
            !exact_resend(&first, &residents),
            "residents' stories are not merged"
        );
    }
}
