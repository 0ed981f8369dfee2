//! The synonyms list, `synonyms.toml`: words people use for the same thing in the social domain
//! ("eenzaam", "alleen", "geïsoleerd"), which search also looks for when someone searches one of them.
//!
//! Two kinds of group:
//!
//! ```toml
//! [[groep]]
//! woorden = ["eenzaam", "alleen", "geïsoleerd"]   # two-way: each word finds the others
//!
//! [[groep]]
//! woord = "mantelzorger"                           # one-way: this word ...
//! ook = ["zorgt voor"]                             # ... also finds these, not the other way round
//! ```
//!
//! An entry of several words is a phrase. The file is read permissively into a raw shape (with the
//! positions of its values), then checked into [`Synonyms`]: every problem is reported at once, with its
//! line, group number, field and value, as a [`Problem`] whose kind the web turns into Dutch and the
//! import into an English line error. A word may stand in one group only, as the word that finds
//! others (`woorden`, `woord`); words under `ook` may repeat. The domain keeps the words as written
//! (lowercased, spaces tidied); search analyses them as it analyses query words. No IO here.

use std::collections::HashMap;
use std::fmt;

use serde::Deserialize;
use toml::Spanned;

use crate::source::{LineError, TomlProblem, line_at};

/// The file's name, in an imported folder and in an export.
pub const FILE_NAME: &str = "synonyms.toml";

/// One group of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Group {
    /// Each word also finds every other word of the group.
    TwoWay(Vec<String>),
    /// `word` also finds `also`; those do not find `word`.
    OneWay { word: String, also: Vec<String> },
}

/// The checked list.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Synonyms {
    pub groups: Vec<Group>,
}

/// What is wrong with one value or group of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// Not TOML, or a value of the wrong type; the parser's own words.
    Syntax(String),
    /// A key the format does not know.
    UnknownKey,
    /// A group with neither `woorden` nor `woord`.
    EmptyGroup,
    /// `woorden` with fewer than two words.
    TooFewWords,
    /// `woorden` together with `woord` or `ook` in one group.
    BothKinds,
    /// `woord` without `ook`, or `ook` without words.
    MissingAlso,
    /// `ook` without `woord`.
    MissingWord,
    /// An empty value, or one without a letter or digit.
    Blank,
    /// The same word twice in one group.
    Duplicate,
    /// The word already finds others in an earlier group (its number).
    InTwoGroups { first: usize },
}

/// A problem at one place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// 1-based number of the `[[groep]]`, when the problem is in one.
    pub group: Option<usize>,
    /// The key: `woorden`, `woord`, `ook`, or the unknown key.
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
                "unknown key; a group has woorden = [...] (two-way), or woord = \"...\" with ook = [...] (one-way)".to_string()
            }
            ProblemKind::EmptyGroup => {
                "empty group; expected woorden = [...] or woord = \"...\" with ook = [...]".to_string()
            }
            ProblemKind::TooFewWords => "expected at least two words".to_string(),
            ProblemKind::BothKinds => {
                "a group is either two-way (woorden) or one-way (woord with ook), not both".to_string()
            }
            ProblemKind::MissingAlso => "expected ook = [...] with at least one word".to_string(),
            ProblemKind::MissingWord => "expected woord = \"...\" beside ook".to_string(),
            ProblemKind::Blank => "expected a word or phrase".to_string(),
            ProblemKind::Duplicate => "this word is in the group twice".to_string(),
            ProblemKind::InTwoGroups { first } => {
                format!("this word is already in group {first}; a word may be in one group only")
            }
        }
    }

    /// A stable code, for the texts of the web page.
    pub fn code(&self) -> &'static str {
        match self {
            ProblemKind::Syntax(_) => "syntax",
            ProblemKind::UnknownKey => "unknown_key",
            ProblemKind::EmptyGroup => "empty_group",
            ProblemKind::TooFewWords => "too_few",
            ProblemKind::BothKinds => "both_kinds",
            ProblemKind::MissingAlso => "missing_also",
            ProblemKind::MissingWord => "missing_word",
            ProblemKind::Blank => "blank",
            ProblemKind::Duplicate => "duplicate",
            ProblemKind::InTwoGroups { .. } => "in_two_groups",
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(group) = self.group {
            write!(f, ", group {group}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ", field {field}")?;
        }
        if let Some(value) = &self.value {
            write!(f, ", value {value:?}")?;
        }
        write!(f, ": {}", self.kind.expected())
    }
}

impl Problem {
    /// The problem as a line error of an imported file.
    pub fn line_error(&self) -> LineError {
        TomlProblem::line_error(
            self.line,
            self.group.map(|n| ("group", n)),
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
    groep: Vec<Spanned<RawGroup>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroup {
    woorden: Option<Spanned<Vec<Spanned<String>>>>,
    woord: Option<Spanned<String>>,
    ook: Option<Spanned<Vec<Spanned<String>>>>,
}

/// A word as compared and stored: lowercase, single spaces.
fn tidy(word: &str) -> String {
    word.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl Synonyms {
    /// Reads and checks the file's text; every problem is reported, in the order of the file.
    pub fn from_toml(text: &str) -> Result<Synonyms, Vec<Problem>> {
        let raw: RawFile = toml::from_str(text).map_err(|error| vec![syntax(text, &error)])?;
        let mut checker = Checker {
            text,
            problems: Vec::new(),
            finders: HashMap::new(),
        };
        let groups = raw
            .groep
            .iter()
            .enumerate()
            .filter_map(|(index, group)| checker.group(index + 1, group))
            .collect();
        let mut problems = checker.problems;
        if problems.is_empty() {
            Ok(Synonyms { groups })
        } else {
            problems.sort_by_key(|problem| problem.line);
            Err(problems)
        }
    }

    /// Each word that finds others, with the words and phrases it also finds, in the file's order.
    pub fn expansions(&self) -> Vec<(&str, Vec<&str>)> {
        let mut out = Vec::new();
        for group in &self.groups {
            match group {
                Group::TwoWay(words) => {
                    for word in words {
                        let others = words
                            .iter()
                            .filter(|other| *other != word)
                            .map(String::as_str)
                            .collect();
                        out.push((word.as_str(), others));
                    }
                }
                Group::OneWay { word, also } => {
                    out.push((word.as_str(), also.iter().map(String::as_str).collect()))
                }
            }
        }
        out
    }
}

/// Checks groups one by one, collecting problems and the words that find others so far.
struct Checker<'a> {
    text: &'a str,
    problems: Vec<Problem>,
    /// Every word that finds others, and the group it does so in.
    finders: HashMap<String, usize>,
}

impl Checker<'_> {
    fn line(&self, span: std::ops::Range<usize>) -> usize {
        line_at(self.text, span.start)
    }

    fn problem(
        &mut self,
        line: usize,
        group: usize,
        field: Option<&str>,
        value: Option<&str>,
        kind: ProblemKind,
    ) {
        self.problems.push(Problem {
            line,
            group: Some(group),
            field: field.map(str::to_string),
            value: value.map(str::to_string),
            kind,
        });
    }

    /// One group, or `None` when it has a problem.
    fn group(&mut self, number: usize, spanned: &Spanned<RawGroup>) -> Option<Group> {
        let group = spanned.get_ref();
        let mut seen = Vec::new();
        match (&group.woorden, &group.woord, &group.ook) {
            (None, None, None) => {
                let line = self.line(spanned.span());
                self.problem(line, number, None, None, ProblemKind::EmptyGroup);
                None
            }
            (Some(list), None, None) => {
                let found = self.words(number, "woorden", list.get_ref(), &mut seen);
                if list.get_ref().len() < 2 {
                    let line = self.line(list.span());
                    self.problem(
                        line,
                        number,
                        Some("woorden"),
                        None,
                        ProblemKind::TooFewWords,
                    );
                    return None;
                }
                let found = found?;
                for (word, line) in &found {
                    self.claim(number, word, *line, "woorden");
                }
                Some(Group::TwoWay(
                    found.into_iter().map(|(word, _)| word).collect(),
                ))
            }
            (Some(list), _, _) => {
                let line = self.line(list.span());
                self.problem(line, number, Some("woorden"), None, ProblemKind::BothKinds);
                None
            }
            (None, Some(word), also) => {
                let found = self.words(number, "woord", std::slice::from_ref(word), &mut seen);
                let also = match also {
                    Some(list) if !list.get_ref().is_empty() => {
                        self.words(number, "ook", list.get_ref(), &mut seen)
                    }
                    Some(list) => {
                        let line = self.line(list.span());
                        self.problem(line, number, Some("ook"), None, ProblemKind::MissingAlso);
                        None
                    }
                    None => {
                        let line = self.line(word.span());
                        self.problem(line, number, Some("woord"), None, ProblemKind::MissingAlso);
                        None
                    }
                };
                let [(word, line)] = <[(String, usize); 1]>::try_from(found?).ok()?;
                let also = also?;
                self.claim(number, &word, line, "woord");
                Some(Group::OneWay {
                    word,
                    also: also.into_iter().map(|(word, _)| word).collect(),
                })
            }
            (None, None, Some(list)) => {
                let line = self.line(list.span());
                self.problem(line, number, Some("ook"), None, ProblemKind::MissingWord);
                None
            }
        }
    }

    /// The words of one field with their lines, or `None` when one is blank or repeats a word of
    /// the group (`seen`).
    fn words(
        &mut self,
        group: usize,
        field: &str,
        values: &[Spanned<String>],
        seen: &mut Vec<String>,
    ) -> Option<Vec<(String, usize)>> {
        let mut out = Vec::new();
        let mut good = true;
        for value in values {
            let line = self.line(value.span());
            let word = tidy(value.get_ref());
            let kind = if !word.chars().any(char::is_alphanumeric) {
                ProblemKind::Blank
            } else if seen.contains(&word) {
                ProblemKind::Duplicate
            } else {
                seen.push(word.clone());
                out.push((word, line));
                continue;
            };
            self.problem(line, group, Some(field), Some(value.get_ref()), kind);
            good = false;
        }
        good.then_some(out)
    }

    /// Notes that `word` finds others in `group`, or reports that it already does in another.
    fn claim(&mut self, group: usize, word: &str, line: usize, field: &str) {
        match self.finders.get(word) {
            Some(first) => {
                let first = *first;
                self.problem(
                    line,
                    group,
                    Some(field),
                    Some(word),
                    ProblemKind::InTwoGroups { first },
                );
            }
            None => {
                self.finders.insert(word.to_string(), group);
            }
        }
    }
}

/// A parser error as a problem: an unknown key gets its own kind, with the key as its field.
fn syntax(text: &str, error: &toml::de::Error) -> Problem {
    let found = TomlProblem::of(text, error, "[[groep]]");
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

    /// A problem as line, group, field and kind.
    type Told = (usize, Option<usize>, Option<String>, String);

    fn problems(text: &str) -> Vec<Told> {
        Synonyms::from_toml(text)
            .expect_err("the text has problems")
            .into_iter()
            .map(|p| (p.line, p.group, p.field, p.kind.code().to_string()))
            .collect()
    }

    #[test]
    fn reads_both_kinds_of_group() {
        let text = r#"
# eenzaamheid
[[groep]]
woorden = ["Eenzaam", "alleen", "geïsoleerd"]

[[groep]]
woord = "mantelzorger"
ook = ["zorgt   voor", "mantelzorg"]
"#;
        let synonyms = Synonyms::from_toml(text).unwrap();
        assert_eq!(
            synonyms.groups,
            vec![
                Group::TwoWay(vec![
                    "eenzaam".to_string(),
                    "alleen".to_string(),
                    "geïsoleerd".to_string()
                ]),
                Group::OneWay {
                    word: "mantelzorger".to_string(),
                    also: vec!["zorgt voor".to_string(), "mantelzorg".to_string()]
                },
            ]
        );
        let expansions = synonyms.expansions();
        assert_eq!(expansions[1], ("alleen", vec!["eenzaam", "geïsoleerd"]));
        assert_eq!(
            expansions[3],
            ("mantelzorger", vec!["zorgt voor", "mantelzorg"])
        );
        assert_eq!(expansions.len(), 4, "ook words do not find the word");
        assert_eq!(Synonyms::from_toml("").unwrap(), Synonyms::default());
    }

    #[test]
    fn every_problem_is_told_with_line_group_and_field() {
        type Want = (usize, Option<usize>, Option<&'static str>, &'static str);
        let cases: Vec<(&str, Vec<Want>)> = vec![
            ("[[groep]]\n", vec![(1, Some(1), None, "empty_group")]),
            (
                "[[groep]]\nwoorden = [\"alleen\"]\n",
                vec![(2, Some(1), Some("woorden"), "too_few")],
            ),
            (
                "[[groep]]\nwoorden = [\"alleen\", \"Alleen\"]\n",
                vec![(2, Some(1), Some("woorden"), "duplicate")],
            ),
            (
                "[[groep]]\nwoorden = [\"a\", \"b\"]\n[[groep]]\nwoorden = [\"c\",\n \"a\"]\n",
                vec![(5, Some(2), Some("woorden"), "in_two_groups")],
            ),
            (
                "[[groep]]\nwoorden = [\"a\", \"b\"]\n[[groep]]\nwoord = \"b\"\nook = [\"a\"]\n",
                vec![(4, Some(2), Some("woord"), "in_two_groups")],
            ),
            (
                "[[groep]]\nwoorden = [\"a\", \"b\"]\nsoort = \"x\"\n",
                vec![(3, Some(1), Some("soort"), "unknown_key")],
            ),
            (
                "titel = \"x\"\n",
                vec![(1, None, Some("titel"), "unknown_key")],
            ),
            (
                "[[groep]]\nwoord = \"a\"\n",
                vec![(2, Some(1), Some("woord"), "missing_also")],
            ),
            (
                "[[groep]]\nwoord = \"a\"\nook = []\n",
                vec![(3, Some(1), Some("ook"), "missing_also")],
            ),
            (
                "[[groep]]\nook = [\"a\"]\n",
                vec![(2, Some(1), Some("ook"), "missing_word")],
            ),
            (
                "[[groep]]\nwoorden = [\"a\", \"b\"]\nwoord = \"c\"\n",
                vec![(2, Some(1), Some("woorden"), "both_kinds")],
            ),
            (
                "[[groep]]\nwoorden = [\"a\", \" - \"]\n",
                vec![(2, Some(1), Some("woorden"), "blank")],
            ),
            ("[[groep]\n", vec![(1, None, None, "syntax")]),
            (
                "[[groep]]\nwoorden = \"a\"\n",
                vec![(2, Some(1), None, "syntax")],
            ),
        ];
        for (text, want) in cases {
            let want: Vec<_> = want
                .into_iter()
                .map(|(line, group, field, code)| {
                    (line, group, field.map(str::to_string), code.to_string())
                })
                .collect();
            assert_eq!(problems(text), want, "{text}");
        }
    }

    #[test]
    fn the_demo_list_reads_and_has_the_social_domain_groups() {
        let text = include_str!("../stories-sample/synonyms.toml");
        let synonyms = Synonyms::from_toml(text).unwrap();
        assert!(synonyms.groups.len() >= 60, "{}", synonyms.groups.len());
        let expansions = synonyms.expansions();
        let finds = |word: &str| {
            expansions
                .iter()
                .find(|(finder, _)| *finder == word)
                .map(|(_, also)| also.clone())
                .unwrap_or_default()
        };
        assert!(finds("eenzaam").contains(&"alleen"));
        assert!(finds("eenzaam").contains(&"geïsoleerd"));
        assert!(finds("schulden").contains(&"geldzorgen"));
        assert!(finds("mantelzorger").contains(&"zorgt voor"));
    }

    #[test]
    fn messages_name_the_place_and_what_was_expected() {
        let text = "[[groep]]\nwoorden = [\"eenzaam\", \"alleen\"]\n[[groep]]\nwoorden = [\"alleen\", \"solo\"]\n";
        let problem = &Synonyms::from_toml(text).unwrap_err()[0];
        assert_eq!(
            problem.to_string(),
            "line 4, group 2, field woorden, value \"alleen\": this word is already in group 1; a word may be in one group only"
        );
        assert_eq!(
            problem.line_error().to_string(),
            "4: field woorden: group 2: \"alleen\": this word is already in group 1; a word may be in one group only"
        );
    }
}
