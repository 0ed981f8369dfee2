//! A query set generated from a corpus with a fixed seed: single words, two and three words, phrases,
//! exclusions, OR, with and without facet filters, and inflected forms, in the proportions a search box
//! sees. Words are drawn from the stories themselves, so queries find something.

use verhalenbank::index::FacetField;
use verhalenbank::story::Story;
use verhalenbank::story::render::plain_text;

use crate::rng::Rng;

/// What a generated query exercises.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum QueryKind {
    OneWord,
    TwoWords,
    ThreeWords,
    Phrase,
    Exclusion,
    Or,
    Inflected,
}

#[derive(Debug, Clone)]
pub struct GeneratedQuery {
    pub kind: QueryKind,
    pub text: String,
    /// The first word drawn, as the story has it: for an inflected query, the form it inflects.
    pub word: String,
    pub filters: Vec<(FacetField, String)>,
}

/// Dutch plural and inflected forms of a word as people type them, for "inflected" queries.
fn inflect(word: &str) -> String {
    if word.ends_with('e') {
        format!("{word}n")
    } else if word.ends_with(['a', 'o', 'u', 'i', 'y']) {
        format!("{word}'s")
    } else {
        format!("{word}en")
    }
}

/// Generates `count` queries from the stories' words.
pub fn generate(stories: &[Story], count: usize, seed: u64) -> Vec<GeneratedQuery> {
    let mut rng = Rng::new(seed);
    let texts: Vec<Vec<String>> = stories
        .iter()
        .map(|story| {
            plain_text(&story.text)
                .split(|c: char| !c.is_alphanumeric())
                .filter(|word| word.chars().count() >= 4)
                .map(str::to_lowercase)
                .collect()
        })
        .filter(|words: &Vec<String>| words.len() >= 4)
        .collect();
    if texts.is_empty() {
        return Vec::new();
    }
    let kinds = [
        (QueryKind::OneWord, 30),
        (QueryKind::TwoWords, 20),
        (QueryKind::ThreeWords, 8),
        (QueryKind::Phrase, 12),
        (QueryKind::Exclusion, 8),
        (QueryKind::Or, 8),
        (QueryKind::Inflected, 14),
    ];
    let total: usize = kinds.iter().map(|(_, weight)| weight).sum();
    let mut queries = Vec::with_capacity(count);
    for _ in 0..count {
        let mut roll = rng.below(total);
        let kind = kinds
            .iter()
            .find(|(_, weight)| {
                if roll < *weight {
                    true
                } else {
                    roll -= weight;
                    false
                }
            })
            .map(|(kind, _)| *kind)
            .expect("a kind is chosen");
        let words = rng.pick(&texts);
        let start = rng.below(words.len() - 3);
        let other_story = rng.pick(&texts);
        let other = rng.pick(other_story).clone();
        let text = match kind {
            QueryKind::OneWord => words[start].clone(),
            QueryKind::TwoWords => format!("{} {}", words[start], words[start + 2]),
            QueryKind::ThreeWords => {
                format!("{} {} {}", words[start], words[start + 1], words[start + 3])
            }
            QueryKind::Phrase => format!("\"{} {}\"", words[start], words[start + 1]),
            QueryKind::Exclusion => format!("{} -{}", words[start], other),
            QueryKind::Or => format!("{} OR {}", words[start], other),
            QueryKind::Inflected => inflect(&words[start]),
        };
        let mut filters = Vec::new();
        if rng.chance(0.3) {
            let story = rng.pick(stories);
            match rng.below(3) {
                0 => filters.push((
                    FacetField::Valence,
                    format!("{:?}", story.valence).to_lowercase(),
                )),
                1 => {
                    if let Some(area) = &story.area {
                        filters.push((FacetField::Area, area.to_string()));
                    }
                }
                _ => {
                    if let Some(subgoal) = story.subgoals.first() {
                        filters.push((FacetField::Subgoal, subgoal.to_string()));
                    }
                }
            }
        }
        queries.push(GeneratedQuery {
            kind,
            text,
            word: words[start].clone(),
            filters,
        });
    }
    queries
}

#[cfg(test)]
mod tests {
    use super::*;
    use verhalenbank::testing;

    #[test]
    fn generation_is_reproducible_and_varied() {
        let stories: Vec<Story> = (0..20)
            .map(|n| testing::story(&format!("Verhaal {n}"), &format!("Dit verhaal nummer {n} gaat over vrijwilligers in de buurt en hun werk met bewoners")))
            .collect();
        let a = generate(&stories, 100, 7);
        let b = generate(&stories, 100, 7);
        assert_eq!(
            a.iter().map(|q| &q.text).collect::<Vec<_>>(),
            b.iter().map(|q| &q.text).collect::<Vec<_>>()
        );
        for kind in [
            QueryKind::OneWord,
            QueryKind::Phrase,
            QueryKind::Exclusion,
            QueryKind::Or,
            QueryKind::Inflected,
        ] {
            assert!(a.iter().any(|q| q.kind == kind), "{kind:?}");
        }
        assert_eq!(inflect("buurt"), "buurten");
        assert_eq!(inflect("mantelzorge"), "mantelzorgen");
    }
}
