//! Measuring the detector on an evaluation set: sentences with the personal details a moderator would
//! black out, as in `tests/redaction/sentences.toml`.
//!
//! A suggestion counts as correct when an expected span of the same kind has exactly its text; each
//! expected span can be matched once. Precision is the share of suggestions that are correct, recall
//! the share of expected spans that were suggested. The figures say how far a moderator can lean on the
//! suggestions, so they are measured, printed and held to floors by a test, never guessed.

use std::collections::BTreeMap;
use std::fmt;

use serde::Deserialize;

use super::{Kind, suggest};

/// Why an evaluation set could not be read.
#[derive(Debug, thiserror::Error)]
pub enum EvaluationError {
    #[error("the evaluation set is not valid: {0}")]
    Toml(#[from] toml::de::Error),
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct EvaluationSet {
    case: Vec<Case>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Case {
    text: String,
    #[serde(default)]
    expect: Vec<Expected>,
}

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
struct Expected {
    kind: Kind,
    text: String,
}

/// Counts for one kind, or for all kinds together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Score {
    /// Spans the set expects.
    pub expected: usize,
    /// Spans the detector suggested.
    pub suggested: usize,
    /// Suggestions that match an expected span.
    pub correct: usize,
}

impl Score {
    /// The share of suggestions that are correct; 1 when nothing was suggested.
    pub fn precision(&self) -> f64 {
        ratio(self.correct, self.suggested)
    }

    /// The share of expected spans that were suggested; 1 when nothing was expected.
    pub fn recall(&self) -> f64 {
        ratio(self.correct, self.expected)
    }

    fn add(&mut self, other: Score) {
        self.expected += other.expected;
        self.suggested += other.suggested;
        self.correct += other.correct;
    }
}

fn ratio(part: usize, whole: usize) -> f64 {
    if whole == 0 {
        1.0
    } else {
        part as f64 / whole as f64
    }
}

/// A span the detector missed or suggested wrongly, for whoever improves the detector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    /// The sentence's position in the set, from 1.
    pub case: usize,
    pub kind: Kind,
    pub text: String,
    /// True when the span was expected and not suggested; false when suggested and not expected.
    pub missed: bool,
}

/// The detector's figures on an evaluation set.
#[derive(Debug, Clone)]
pub struct Evaluation {
    pub sentences: usize,
    pub per_kind: BTreeMap<Kind, Score>,
    pub overall: Score,
    pub mistakes: Vec<Mistake>,
}

impl Evaluation {
    pub fn score(&self, kind: Kind) -> Score {
        self.per_kind.get(&kind).copied().unwrap_or_default()
    }
}

/// Runs the detector on every sentence of an evaluation set (TOML, `[[case]]` tables with `text` and
/// `expect = [{ kind, text }]`) and counts.
pub fn evaluate(set: &str) -> Result<Evaluation, EvaluationError> {
    let set: EvaluationSet = toml::from_str(set)?;
    let mut per_kind: BTreeMap<Kind, Score> = Kind::ALL
        .iter()
        .map(|kind| (*kind, Score::default()))
        .collect();
    let mut mistakes = Vec::new();
    for (index, case) in set.case.iter().enumerate() {
        let mut unmatched = case.expect.clone();
        for suggestion in suggest(&case.text) {
            let score = per_kind.entry(suggestion.kind).or_default();
            score.suggested += 1;
            let matched = unmatched
                .iter()
                .position(|e| e.kind == suggestion.kind && e.text == suggestion.text);
            match matched {
                Some(at) => {
                    unmatched.remove(at);
                    score.correct += 1;
                }
                None => mistakes.push(Mistake {
                    case: index + 1,
                    kind: suggestion.kind,
                    text: suggestion.text,
                    missed: false,
                }),
            }
        }
        for expected in &case.expect {
            per_kind.entry(expected.kind).or_default().expected += 1;
        }
        mistakes.extend(unmatched.into_iter().map(|expected| Mistake {
            case: index + 1,
            kind: expected.kind,
            text: expected.text,
            missed: true,
        }));
    }
    let mut overall = Score::default();
    for score in per_kind.values() {
        overall.add(*score);
    }
    Ok(Evaluation {
        sentences: set.case.len(),
        per_kind,
        overall,
        mistakes,
    })
}

impl fmt::Display for Evaluation {
    /// A table of the figures per kind and overall.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "{} sentences", self.sentences)?;
        writeln!(
            f,
            "{:<9} {:>8} {:>9} {:>7} {:>9} {:>6}",
            "kind", "expected", "suggested", "correct", "precision", "recall"
        )?;
        let rows = self
            .per_kind
            .iter()
            .map(|(kind, score)| (kind.as_str(), score))
            .chain([("overall", &self.overall)]);
        for (label, score) in rows {
            writeln!(
                f,
                "{:<9} {:>8} {:>9} {:>7} {:>9.3} {:>6.3}",
                label,
                score.expected,
                score.suggested,
                score.correct,
                score.precision(),
                score.recall()
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SET: &str = include_str!("../../tests/redaction/sentences.toml");
    const HOLDOUT: &str = include_str!("../../tests/redaction/holdout.toml");

    /// Fails when a kind's precision or recall is under its floor.
    fn assert_floors(evaluation: &Evaluation, floors: &[(Kind, f64, f64)]) {
        for (kind, precision, recall) in floors {
            let score = evaluation.score(*kind);
            assert!(
                score.precision() >= *precision && score.recall() >= *recall,
                "{kind:?}: precision {:.3} (floor {precision}), recall {:.3} (floor {recall})",
                score.precision(),
                score.recall()
            );
        }
    }

    #[test]
    fn scores_count_exact_matches_once() {
        let set = r#"
            [[case]]
            text = "Bel Fatima op 06-12345678."
            expect = [{ kind = "name", text = "Fatima" }, { kind = "phone", text = "06-12345678" }]

            [[case]]
            text = "Mijn buurman Henk woont in Veenstede."
            expect = [{ kind = "name", text = "buurman Henk" }]

            [[case]]
            text = "Geen persoonsgegevens hier."
        "#;
        let evaluation = evaluate(set).unwrap();
        assert_eq!(evaluation.sentences, 3);
        let names = evaluation.score(Kind::Name);
        assert_eq!((names.expected, names.suggested, names.correct), (2, 2, 1));
        assert_eq!(names.precision(), 0.5);
        assert_eq!(evaluation.score(Kind::Phone).recall(), 1.0);
        assert_eq!(evaluation.score(Kind::Bsn).precision(), 1.0);
        assert_eq!(evaluation.overall.expected, 3);
        assert_eq!(evaluation.mistakes.len(), 2);
        assert!(evaluate("[[case]]\ntext = 1").is_err());
    }

    /// The floors sit a little under what the detector reaches on the set; a change that drops below
    /// one makes the suggestions worse for moderators and has to say why.
    #[test]
    fn evaluation_set_meets_the_floors() {
        let evaluation = evaluate(SET).unwrap();
        eprintln!("{evaluation}");
        assert!(evaluation.sentences >= 120);
        assert_floors(
            &evaluation,
            &[
                (Kind::Name, 0.95, 0.95),
                (Kind::Address, 0.95, 0.95),
                (Kind::Postcode, 0.95, 0.95),
                (Kind::Phone, 0.95, 0.95),
                (Kind::Email, 0.95, 0.95),
                (Kind::Iban, 0.95, 0.95),
                (Kind::Bsn, 0.95, 0.95),
            ],
        );
    }

    /// The hold-out set has few spans of each shaped kind, so one mistake moves a figure a lot; its
    /// floors are lower, and the overall figure carries the weight.
    #[test]
    fn holdout_set_meets_the_floors() {
        let evaluation = evaluate(HOLDOUT).unwrap();
        eprintln!("{evaluation}");
        assert!(evaluation.sentences >= 60);
        assert_floors(
            &evaluation,
            &[
                (Kind::Name, 0.85, 0.90),
                (Kind::Address, 0.95, 0.95),
                (Kind::Postcode, 0.95, 0.95),
                (Kind::Phone, 0.80, 0.95),
                (Kind::Email, 0.95, 0.95),
                (Kind::Iban, 0.95, 0.95),
                (Kind::Bsn, 0.95, 0.95),
            ],
        );
        assert!(evaluation.overall.precision() >= 0.88 && evaluation.overall.recall() >= 0.93);
    }
}
