//! The valence suggested for a story entered without one (no IO): a naive Bayes model over the words
//! of stories residents told themselves, learned from the valence they gave their own stories. It
//! says how sure it is and which of the story's words weighed most, and is only ever shown as a
//! suggestion: a person chooses.

use std::collections::HashMap;

use crate::story::Valence;

/// The valences in the order the forms offer them; the first of equals wins.
const VALENCES: [Valence; 3] = [Valence::Positive, Valence::Negative, Valence::Mixed];

/// Fewer stories to learn from than this, and nothing is suggested.
pub const LEARNED_FROM_AT_LEAST: usize = 20;

/// Below this probability the model is not sure enough to suggest anything.
pub const SURE_ENOUGH: f64 = 0.6;

/// A word, as the model counts it (its Dutch stem) and as the story writes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub stem: String,
    pub written: String,
}

/// Word counts per valence: in how many stories of each valence a stem occurs.
#[derive(Debug, Clone, Default)]
pub struct ValenceModel {
    stories: [usize; 3],
    /// Per stem, the stories of each valence holding it.
    holding: HashMap<String, [u32; 3]>,
    /// Per valence, the sum of its stories' distinct stems.
    stems: [u64; 3],
}

/// What the model suggests for one story.
#[derive(Debug, Clone, PartialEq)]
pub struct ValenceGuess {
    pub valence: Valence,
    /// The model's probability for it, between [`SURE_ENOUGH`] and 1.
    pub probability: f64,
    /// Up to three of the story's words (as written) that point most to this valence.
    pub telling: Vec<String>,
    /// How many stories it learned from.
    pub learned_from: usize,
}

fn slot(valence: Valence) -> usize {
    match valence {
        Valence::Positive => 0,
        Valence::Negative => 1,
        Valence::Mixed => 2,
    }
}

impl ValenceModel {
    /// Learns from stories with the valence their tellers gave them, each as its words.
    pub fn learn<'a>(examples: impl IntoIterator<Item = (Valence, &'a [Word])>) -> ValenceModel {
        let mut model = ValenceModel::default();
        for (valence, words) in examples {
            let at = slot(valence);
            model.stories[at] += 1;
            let mut stems: Vec<&str> = words.iter().map(|w| w.stem.as_str()).collect();
            stems.sort_unstable();
            stems.dedup();
            model.stems[at] += stems.len() as u64;
            for stem in stems {
                model.holding.entry(stem.to_string()).or_default()[at] += 1;
            }
        }
        model
    }

    /// How many stories the model learned from.
    pub fn learned_from(&self) -> usize {
        self.stories.iter().sum()
    }

    /// The valence most likely for a story with `words`, when the model learned from enough stories
    /// and is at least [`SURE_ENOUGH`] sure; words it never saw are left out.
    pub fn suggest(&self, words: &[Word]) -> Option<ValenceGuess> {
        let learned_from = self.learned_from();
        if learned_from < LEARNED_FROM_AT_LEAST {
            return None;
        }
        let mut seen: Vec<&Word> = words
            .iter()
            .filter(|w| self.holding.contains_key(&w.stem))
            .collect();
        seen.sort_by(|a, b| a.stem.cmp(&b.stem));
        seen.dedup_by(|a, b| a.stem == b.stem);
        let vocabulary = self.holding.len() as f64;
        // log P(word | valence) with add-one smoothing over the stems each valence's stories hold.
        let likelihood = |word: &Word, at: usize| {
            let holding = self.holding.get(&word.stem).map_or(0, |h| h[at]);
            ((f64::from(holding) + 1.0) / (self.stems[at] as f64 + vocabulary)).ln()
        };
        let scores: Vec<f64> = (0..VALENCES.len())
            .map(|at| {
                let prior = ((self.stories[at] + 1) as f64 / (learned_from + 3) as f64).ln();
                prior + seen.iter().map(|w| likelihood(w, at)).sum::<f64>()
            })
            .collect();
        let best = (0..VALENCES.len()).fold(
            0,
            |best, at| {
                if scores[at] > scores[best] { at } else { best }
            },
        );
        let total: f64 = scores.iter().map(|s| (s - scores[best]).exp()).sum();
        let probability = 1.0 / total;
        if probability < SURE_ENOUGH {
            return None;
        }
        // The words that point most to the valence against the others, held by at least two of
        // its stories (one story's word tells nothing of the rest).
        let mut telling: Vec<(f64, &Word)> = seen
            .iter()
            .filter(|w| self.holding.get(&w.stem).is_some_and(|h| h[best] >= 2))
            .map(|w| {
                let others = (0..VALENCES.len())
                    .filter(|at| *at != best)
                    .map(|at| likelihood(w, at))
                    .fold(f64::MIN, f64::max);
                (likelihood(w, best) - others, *w)
            })
            .filter(|(lift, _)| *lift > 0.0)
            .collect();
        telling.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.stem.cmp(&b.1.stem)));
        Some(ValenceGuess {
            valence: VALENCES[best],
            probability,
            telling: telling
                .into_iter()
                .take(3)
                .map(|(_, w)| w.written.clone())
                .collect(),
            learned_from,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<Word> {
        text.split_whitespace()
            .map(|w| Word {
                stem: w.trim_end_matches('n').to_string(),
                written: w.to_string(),
            })
            .collect()
    }

    fn model(stories: &[(Valence, &str)]) -> ValenceModel {
        let words: Vec<(Valence, Vec<Word>)> =
            stories.iter().map(|(v, text)| (*v, words(text))).collect();
        ValenceModel::learn(words.iter().map(|(v, w)| (*v, w.as_slice())))
    }

    fn bank_of(n: usize) -> Vec<(Valence, &'static str)> {
        let mut stories = Vec::new();
        for i in 0..n {
            stories.push(match i % 3 {
                0 => (Valence::Positive, "eindelijk geholpen fijn buurthuis"),
                1 => (Valence::Negative, "wachtlijst boos niemand buurthuis"),
                _ => (Valence::Mixed, "geholpen maar wachtlijst buurthuis"),
            });
        }
        stories
    }

    #[test]
    fn the_words_of_a_valence_suggest_it_with_the_words_that_told() {
        let model = model(&bank_of(30));
        assert_eq!(model.learned_from(), 30);
        let guess = model.suggest(&words("eindelijk fijn")).unwrap();
        assert_eq!(guess.valence, Valence::Positive);
        assert!(guess.probability > 0.9, "{}", guess.probability);
        assert_eq!(guess.telling, ["eindelijk", "fijn"]);
        let guess = model.suggest(&words("boos niemand")).unwrap();
        assert_eq!(guess.valence, Valence::Negative);
        // A word all valences share tells nothing.
        assert!(!guess.telling.contains(&"buurthuis".to_string()));
    }

    #[test]
    fn unsure_or_untaught_models_suggest_nothing() {
        // Words every valence shares equally, or none it knows: no better than a guess.
        let model = model(&bank_of(30));
        assert_eq!(model.suggest(&words("buurthuis")), None);
        assert_eq!(model.suggest(&words("onbekend woord")), None);
        // Too few stories to learn from.
        let small = model_of_few();
        assert_eq!(small.suggest(&words("eindelijk fijn")), None);
    }

    fn model_of_few() -> ValenceModel {
        model(&bank_of(LEARNED_FROM_AT_LEAST - 1))
    }
}
