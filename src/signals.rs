//! The urgent-signal list, `signals.toml`: words and phrases that make a story waiting for
//! moderation go to the top of the queue, "met voorrang" ("deurwaarder", "uit huis gezet",
//! "niet meer leven"), each under the subject it signals:
//!
//! ```toml
//! [[signaal]]
//! onderwerp = "Schulden"
//! woorden = ["deurwaarder", "beslag op mijn loon", "afgesloten van gas"]
//! ```
//!
//! An entry of several words is a phrase: its words in that order. The domain keeps the words as
//! written (lowercased, spaces tidied); the search index matches them after its Dutch analysis
//! (`index::signals`), so "deurwaarders" in a story matches "deurwaarder" in the list. Read like the
//! synonyms list: permissively into a raw shape with positions, then checked into [`Signals`], every
//! problem at once as a [`Problem`] (line, group, field, value, kind) that the import words as a line
//! error. Nothing of a match is sent anywhere or logged; the list only orders the moderation queue.
//! No IO here.

use serde::Deserialize;
use toml::Spanned;

use crate::source::{LineError, TomlProblem, line_at};

/// The file's name, in an imported folder and in an export.
pub const FILE_NAME: &str = "signals.toml";

/// One subject of the list and the words that signal it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Signal {
    /// What the words signal, as the moderation queue shows it ("Schulden").
    pub subject: String,
    /// Words and phrases, lowercase, in the file's order.
    pub words: Vec<String>,
}

/// The checked list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Signals {
    pub signals: Vec<Signal>,
}

/// What is wrong with one value or group of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// Not TOML, or a value of the wrong type; the parser's own words.
    Syntax(String),
    /// A key the format does not know.
    UnknownKey,
    /// A group without `onderwerp`, or with an empty one.
    MissingSubject,
    /// A group without `woorden`, or with none in it.
    NoWords,
    /// An empty value, or one without a letter or digit.
    Blank,
    /// The same word twice in the list (in this group or an earlier one).
    Duplicate,
}

/// A problem at one place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based number of the `[[signaal]]`, when the problem is in one.
    pub group: Option<usize>,
    /// The key: `onderwerp`, `woorden`, or the unknown key.
    pub field: Option<String>,
    /// The value at fault, as written.
    pub value: Option<String>,
    pub kind: ProblemKind,
}

impl ProblemKind {
    /// What was expected instead, in English, lowercase.
    fn expected(&self) -> String {
        match self {
            ProblemKind::Syntax(message) => message.clone(),
            ProblemKind::UnknownKey => {
                "unknown key; a group has onderwerp = \"...\" and woorden = [...]".to_string()
            }
            ProblemKind::MissingSubject => "expected onderwerp = \"...\"".to_string(),
            ProblemKind::NoWords => "expected woorden = [...] with at least one word".to_string(),
            ProblemKind::Blank => "expected a word or phrase".to_string(),
            ProblemKind::Duplicate => "this word is in the list twice".to_string(),
        }
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.line_error())
    }
}

impl Problem {
    /// The problem as a line error of an imported file.
    pub fn line_error(&self) -> LineError {
        TomlProblem::line_error(
            self.line,
            self.group.map(|n| ("signal", n)),
            self.field.as_deref(),
            self.value.as_deref(),
            &self.kind.expected(),
        )
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    signaal: Vec<Spanned<RawSignal>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSignal {
    onderwerp: Option<Spanned<String>>,
    woorden: Option<Spanned<Vec<Spanned<String>>>>,
}

/// A word as compared and stored: lowercase, single spaces.
fn tidy(word: &str) -> String {
    word.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Signals {
    /// Reads and checks the file's text; every problem is reported, in the order of the file.
    pub fn from_toml(text: &str) -> Result<Signals, Vec<Problem>> {
        let raw: RawFile = toml::from_str(text).map_err(|error| vec![syntax(text, &error)])?;
        let mut problems = Vec::new();
        let mut seen: Vec<String> = Vec::new();
        let mut signals = Vec::new();
        for (index, spanned) in raw.signaal.iter().enumerate() {
            let group = Some(index + 1);
            let raw = spanned.get_ref();
            let mut problem =
                |span: std::ops::Range<usize>, field: &str, value: Option<&str>, kind| {
                    problems.push(Problem {
                        line: line_at(text, span.start),
                        group,
                        field: Some(field.to_string()),
                        value: value.map(str::to_string),
                        kind,
                    })
                };
            let subject = raw
                .onderwerp
                .as_ref()
                .map(|subject| {
                    subject
                        .get_ref()
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                })
                .filter(|subject| subject.chars().any(char::is_alphanumeric));
            if subject.is_none() {
                let span = raw.onderwerp.as_ref().map_or(spanned.span(), Spanned::span);
                problem(span, "onderwerp", None, ProblemKind::MissingSubject);
            }
            let mut words = Vec::new();
            match &raw.woorden {
                Some(list) if !list.get_ref().is_empty() => {
                    for value in list.get_ref() {
                        let word = tidy(value.get_ref());
                        let kind = if !word.chars().any(char::is_alphanumeric) {
                            ProblemKind::Blank
                        } else if seen.contains(&word) {
                            ProblemKind::Duplicate
                        } else {
                            seen.push(word.clone());
                            words.push(word);
                            continue;
                        };
                        problem(value.span(), "woorden", Some(value.get_ref()), kind);
                    }
                }
                Some(list) => problem(list.span(), "woorden", None, ProblemKind::NoWords),
                None => problem(spanned.span(), "woorden", None, ProblemKind::NoWords),
            }
            if let Some(subject) = subject {
                signals.push(Signal { subject, words });
            }
        }
        if problems.is_empty() {
            Ok(Signals { signals })
        } else {
            problems.sort_by_key(|problem| problem.line);
            Err(problems)
        }
    }

    /// Every word and phrase of the list with the subject it signals, in the file's order.
    pub fn words(&self) -> impl Iterator<Item = (&str, &str)> {
        self.signals.iter().flat_map(|signal| {
            signal
                .words
                .iter()
                .map(|word| (word.as_str(), signal.subject.as_str()))
        })
    }
}

/// A parser error as a problem: an unknown key gets its own kind, with the key as its field.
fn syntax(text: &str, error: &toml::de::Error) -> Problem {
    let found = TomlProblem::of(text, error, "[[signaal]]");
    let (field, kind) = match found.unknown_key {
        Some(key) => (Some(key), ProblemKind::UnknownKey),
        None => (None, ProblemKind::Syntax(found.message)),
    };
    Problem {
        line: found.line,
        group: found.table,
        field,
        value: None,
        kind,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<(usize, Option<usize>, Option<String>, ProblemKind)> {
        Signals::from_toml(text)
            .expect_err("the text has problems")
            .into_iter()
            .map(|problem| (problem.line, problem.group, problem.field, problem.kind))
            .collect()
    }

    #[test]
    fn a_list_reads_with_its_subjects_and_tidy_words() {
        let text = "# lijst\n[[signaal]]\nonderwerp = \"Schulden\"\nwoorden = [\"Deurwaarder\", \"beslag  op mijn loon\"]\n\
                    [[signaal]]\nonderwerp = \"Wonen\"\nwoorden = [\"uit huis gezet\"]\n";
        let signals = Signals::from_toml(text).unwrap();
        assert_eq!(
            signals.words().collect::<Vec<_>>(),
            vec![
                ("deurwaarder", "Schulden"),
                ("beslag op mijn loon", "Schulden"),
                ("uit huis gezet", "Wonen"),
            ]
        );
        assert_eq!(Signals::from_toml("").unwrap(), Signals::default());
    }

    #[test]
    fn every_problem_is_told_with_its_line_and_group() {
        let text = "[[signaal]]\nwoorden = [\"deurwaarder\", \" \"]\n\
                    [[signaal]]\nonderwerp = \"Wonen\"\nwoorden = []\n\
                    [[signaal]]\nonderwerp = \"Geld\"\nwoorden = [\"DEURWAARDER\"]\n";
        assert_eq!(
            kinds(text),
            vec![
                (
                    1,
                    Some(1),
                    Some("onderwerp".into()),
                    ProblemKind::MissingSubject
                ),
                (2, Some(1), Some("woorden".into()), ProblemKind::Blank),
                (5, Some(2), Some("woorden".into()), ProblemKind::NoWords),
                (8, Some(3), Some("woorden".into()), ProblemKind::Duplicate),
            ]
        );
        assert_eq!(
            kinds("[[signaal]]\nonderwerp = \"x\"\nwoord = [\"y\"]\n"),
            vec![(3, Some(1), Some("woord".into()), ProblemKind::UnknownKey)]
        );
        assert!(matches!(kinds("[[signaal]\n")[0].3, ProblemKind::Syntax(_)));
    }

    #[test]
    fn the_demo_list_reads() {
        let text = include_str!("../stories-sample/signals.toml");
        let signals = Signals::from_toml(text).unwrap();
        assert!(signals.words().any(|(word, _)| word == "deurwaarder"));
    }
}
