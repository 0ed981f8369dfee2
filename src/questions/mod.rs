//! Questions about the story (vragen over het verhaal), `questions.toml`: what the teller is asked after
//! telling, so that they say themselves what their story means and the answers can be counted across
//! stories (NarraFirma's "questions about the story", SenseMaker's sliders between two poles).
//!
//! ```toml
//! [[vraag]]
//! id = "alleen-of-samen"
//! versie = 1
//! soort = "schuifbalk"                 # schuifbalk, keuze, meerkeuze, stelling or tekst
//! tekst.nl = "Hoe voelde u zich in dit verhaal?"
//! tekst.en = "How did you feel in this story?"
//! links.nl = "Alleen"                  # the poles of a slider
//! rechts.nl = "Samen met anderen"
//! subdoel = "sterker-netwerk"          # or ronde = "...", sessie = "..."; none: the whole bank
//!
//! [[vraag.keuze]]                      # the options of keuze and meerkeuze
//! id = "blij"
//! tekst.nl = "Blij"
//! ```
//!
//! Five kinds: a slider from 0 to 100 between two poles (with "weet ik niet" and "past niet"), one
//! choice, several choices, a five-point agreement scale and a short text. The statements of the goal
//! tree are agreement questions too ([`Question::of_statement`]); their answers stay where they always
//! were, the story's statement scores, so the experienced-effect figures keep their meaning.
//!
//! Texts are given per interface language; Dutch is required and stands in for a missing language.
//! Every question has a stable id and a version: answers keep the version they were given under, so a
//! question whose meaning changes gets a new version and the old answers are still told apart. The
//! file is read permissively into a raw shape with positions, then checked into a [`QuestionSet`]; every
//! problem is reported at once as a [`Problem`] (line, question, field, value, what was expected), which
//! the web words in Dutch and the import as a line error. No IO here.

pub mod answers;

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use serde::Deserialize;
use toml::Spanned;

pub use answers::{
    Answer, AnswerValue, Answers, SLIDER_BANDS, SliderAnswer, filter_value, slider_band,
};

use crate::goals::{GoalTree, Scale, Statement};
use crate::ids::{ChoiceId, QuestionId, RoundId, SessionId, StatementId, SubgoalId};
use crate::language::KNOWN_LANGUAGES;
use crate::source::{LineError, line_at};

/// The file's name, in an imported folder and in an export.
pub const FILE_NAME: &str = "questions.toml";

/// The language every text must have, and the one a missing language falls back to.
pub const FALLBACK_LANGUAGE: &str = "nl";

/// The longest answer to a text question, in characters.
pub const MAX_TEXT_ANSWER: usize = 500;

/// A text in one or more interface languages; Dutch is always there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Texts(BTreeMap<String, String>);

impl Texts {
    /// A text in Dutch only.
    pub fn dutch(text: &str) -> Texts {
        Texts(BTreeMap::from([(
            FALLBACK_LANGUAGE.to_string(),
            text.to_string(),
        )]))
    }

    /// The text in `language`, or in Dutch when it has none in that language.
    pub fn get(&self, language: &str) -> &str {
        self.0
            .get(language)
            .or_else(|| self.0.get(FALLBACK_LANGUAGE))
            .map_or("", String::as_str)
    }

    /// Every language with its text, Dutch among them.
    pub fn all(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0
            .iter()
            .map(|(language, text)| (language.as_str(), text.as_str()))
    }
}

/// One option of a choice question.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    pub id: ChoiceId,
    pub text: Texts,
}

/// What kind of answer a question asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Kind {
    /// A point from 0 to 100 between two poles, or "weet ik niet", or "past niet".
    Slider { left: Texts, right: Texts },
    /// One of the options.
    Choice { options: Vec<Choice> },
    /// Any number of the options.
    Choices { options: Vec<Choice> },
    /// How much the teller agrees: 1 (helemaal oneens) to 5 (helemaal eens) on the five-point scale;
    /// a statement of the goal tree may have the two-point scale (0 oneens, 1 eens).
    Agreement { scale: Scale },
    /// A few words of the teller's own.
    Text,
}

impl Kind {
    /// The kind's name in the file.
    pub fn code(&self) -> &'static str {
        match self {
            Kind::Slider { .. } => "schuifbalk",
            Kind::Choice { .. } => "keuze",
            Kind::Choices { .. } => "meerkeuze",
            Kind::Agreement { .. } => "stelling",
            Kind::Text => "tekst",
        }
    }

    /// The kind's names in the file.
    pub const CODES: &'static [&'static str] =
        &["schuifbalk", "keuze", "meerkeuze", "stelling", "tekst"];

    /// The options of a choice question; none for the other kinds.
    pub fn options(&self) -> &[Choice] {
        match self {
            Kind::Choice { options } | Kind::Choices { options } => options,
            _ => &[],
        }
    }
}

/// Where a question is asked.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum Scope {
    /// With every story.
    Bank,
    /// With stories about this subgoal.
    Subgoal(SubgoalId),
    /// With stories told for this evaluation round.
    Round(RoundId),
    /// With stories told in this storytelling session.
    Session(SessionId),
}

/// Where a question comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// `questions.toml`; its answers are the story's [`Answers`].
    File,
    /// A statement of the goal tree; its answers are the story's statement scores.
    Statement,
}

/// One question about the story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    pub id: QuestionId,
    /// 1 for a new question; raised when its meaning changes.
    pub version: u32,
    pub kind: Kind,
    pub scope: Scope,
    /// The question itself.
    pub text: Texts,
    pub origin: Origin,
}

impl Question {
    /// A statement of the goal tree as an agreement question asked with stories about its subgoal.
    /// Its id is the statement's id; statements have no versions of their own, so it is version 1.
    pub fn of_statement(statement: &Statement) -> Question {
        Question {
            id: QuestionId::parse(statement.id.as_str()).expect("a statement id is a valid id"),
            version: 1,
            kind: Kind::Agreement {
                scale: statement.scale,
            },
            scope: Scope::Subgoal(statement.subgoal.clone()),
            text: Texts::dutch(&statement.text),
            origin: Origin::Statement,
        }
    }

    /// The statement this question is, when it is one.
    pub fn statement(&self) -> Option<StatementId> {
        (self.origin == Origin::Statement)
            .then(|| StatementId::parse(self.id.as_str()).expect("the same id rules"))
    }

    /// The option with this id.
    pub fn option(&self, id: &ChoiceId) -> Option<&Choice> {
        self.kind.options().iter().find(|choice| &choice.id == id)
    }
}

/// The checked file: the bank's own questions, in the file's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QuestionSet {
    pub questions: Vec<Question>,
}

/// What the questions' places and ids are checked against.
#[derive(Clone, Copy)]
pub struct References<'a> {
    pub goals: &'a GoalTree,
    pub sessions: &'a [SessionId],
    pub rounds: &'a [RoundId],
}

impl QuestionSet {
    /// Reads and checks the file's text on its own (no places or earlier versions to check against).
    pub fn from_toml(text: &str) -> Result<QuestionSet, Vec<Problem>> {
        QuestionSet::check(text, None, None)
    }

    /// Reads and checks the file's text: every problem is reported, in the order of the file. With
    /// `references`, each question's subgoal, round or session must exist and no id may be a
    /// statement's; with `previous` (the set as stored), a question that keeps its version must keep
    /// its kind and options, and no version may go down.
    pub fn check(
        text: &str,
        references: Option<References<'_>>,
        previous: Option<&QuestionSet>,
    ) -> Result<QuestionSet, Vec<Problem>> {
        let raw: RawFile = toml::from_str(text).map_err(|error| vec![syntax(text, &error)])?;
        let mut checker = Checker {
            text,
            problems: Vec::new(),
            ids: HashSet::new(),
            references,
            previous,
        };
        let questions = raw
            .vraag
            .iter()
            .enumerate()
            .filter_map(|(index, question)| checker.question(index + 1, question))
            .collect();
        let mut problems = checker.problems;
        if problems.is_empty() {
            Ok(QuestionSet { questions })
        } else {
            problems.sort_by_key(|problem| problem.line);
            Err(problems)
        }
    }

    /// The question with this id.
    pub fn get(&self, id: &QuestionId) -> Option<&Question> {
        self.questions.iter().find(|question| &question.id == id)
    }

    /// Every question a story may have an answer to: the file's, then the goal tree's statements
    /// (retired ones too, as their answers stay).
    pub fn with_statements(&self, goals: &GoalTree) -> Vec<Question> {
        let mut all = self.questions.clone();
        all.extend(goals.statements.iter().map(Question::of_statement));
        all
    }

    /// The questions to ask with a story about `subgoals`, told for `round` or in `session`: the
    /// bank-wide ones, those of its subgoals, round and session, and the statements in use of its
    /// subgoals, in the file's order with the statements last.
    pub fn asked(
        &self,
        goals: &GoalTree,
        subgoals: &[SubgoalId],
        round: Option<&RoundId>,
        session: Option<&SessionId>,
    ) -> Vec<Question> {
        let applies = |scope: &Scope| match scope {
            Scope::Bank => true,
            Scope::Subgoal(subgoal) => subgoals.contains(subgoal),
            Scope::Round(id) => round == Some(id),
            Scope::Session(id) => session == Some(id),
        };
        let mut asked: Vec<Question> = self
            .questions
            .iter()
            .filter(|question| applies(&question.scope))
            .cloned()
            .collect();
        asked.extend(
            goals
                .statements
                .iter()
                .filter(|statement| {
                    subgoals.contains(&statement.subgoal) && goals.statement_in_use(&statement.id)
                })
                .map(Question::of_statement),
        );
        asked
    }
}

/// What is wrong with one value or question of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProblemKind {
    /// Not TOML, or a value of the wrong type; the parser's own words.
    Syntax(String),
    /// A key the format does not know.
    UnknownKey,
    /// A required key is missing.
    Missing,
    /// Not a valid id; the id rules' own words.
    BadId(String),
    /// Two questions with one id, or two options of one question.
    DuplicateId,
    /// A version below 1.
    BadVersion,
    /// `soort` names no kind.
    UnknownKind,
    /// A text under a key that is no language code.
    UnknownLanguage,
    /// Texts without the Dutch one.
    NoDutch,
    /// An empty text.
    Blank,
    /// Poles on a question that is no slider, or options on one that is no choice.
    NotForThisKind,
    /// A choice question with fewer than two options.
    TooFewChoices,
    /// More than one of `subdoel`, `ronde` and `sessie`.
    TwoPlaces,
    /// The subgoal, round or session is not in the bank.
    UnknownPlace,
    /// The id is a statement's id in the goal tree.
    SameAsStatement,
    /// The kind or options changed but the version stayed (the version stored).
    SameVersion { version: u32 },
    /// The version is lower than the one stored.
    VersionDown { stored: u32 },
    /// A question left out of the file while stories have answers to it (how many).
    RemovedWithAnswers { stories: usize },
}

impl ProblemKind {
    /// What was expected instead, in English, lowercase.
    fn expected(&self) -> String {
        match self {
            ProblemKind::Syntax(message) => message.clone(),
            ProblemKind::UnknownKey => "unknown key; a question has id, versie, soort, tekst, and for its kind links and rechts (schuifbalk) or [[vraag.keuze]] (keuze, meerkeuze), and at most one of subdoel, ronde, sessie".to_string(),
            ProblemKind::Missing => "this key is required".to_string(),
            ProblemKind::BadId(message) => message.clone(),
            ProblemKind::DuplicateId => "this id is already used; ids must be unique".to_string(),
            ProblemKind::BadVersion => "expected a whole number from 1".to_string(),
            ProblemKind::UnknownKind => format!("expected one of {}", Kind::CODES.join(", ")),
            ProblemKind::UnknownLanguage => format!(
                "expected a language code: {}",
                KNOWN_LANGUAGES
                    .iter()
                    .map(|(code, ..)| *code)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            ProblemKind::NoDutch => "expected a Dutch text (nl); other languages fall back to it".to_string(),
            ProblemKind::Blank => "expected a text".to_string(),
            ProblemKind::NotForThisKind => "only a schuifbalk has links and rechts; only keuze and meerkeuze have options".to_string(),
            ProblemKind::TooFewChoices => "expected at least two options ([[vraag.keuze]])".to_string(),
            ProblemKind::TwoPlaces => "a question is asked in one place: subdoel, ronde or sessie, or none for the whole bank".to_string(),
            ProblemKind::UnknownPlace => "no such subgoal, round or session in this bank".to_string(),
            ProblemKind::SameAsStatement => "a statement of the goal tree has this id; choose another".to_string(),
            ProblemKind::SameVersion { version } => format!(
                "the kind or the options changed while the version stayed {version}; raise the version so earlier answers keep their meaning"
            ),
            ProblemKind::VersionDown { stored } => format!("the version may not go below {stored}"),
            ProblemKind::RemovedWithAnswers { stories } => format!(
                "{stories} stories have answers to this question; keep it in the file"
            ),
        }
    }

    /// A stable code, for the texts of the web page.
    pub fn code(&self) -> &'static str {
        match self {
            ProblemKind::Syntax(_) => "syntax",
            ProblemKind::UnknownKey => "unknown_key",
            ProblemKind::Missing => "missing",
            ProblemKind::BadId(_) => "bad_id",
            ProblemKind::DuplicateId => "duplicate_id",
            ProblemKind::BadVersion => "bad_version",
            ProblemKind::UnknownKind => "unknown_kind",
            ProblemKind::UnknownLanguage => "unknown_language",
            ProblemKind::NoDutch => "no_dutch",
            ProblemKind::Blank => "blank",
            ProblemKind::NotForThisKind => "not_for_kind",
            ProblemKind::TooFewChoices => "too_few_choices",
            ProblemKind::TwoPlaces => "two_places",
            ProblemKind::UnknownPlace => "unknown_place",
            ProblemKind::SameAsStatement => "same_as_statement",
            ProblemKind::SameVersion { .. } => "same_version",
            ProblemKind::VersionDown { .. } => "version_down",
            ProblemKind::RemovedWithAnswers { .. } => "removed_with_answers",
        }
    }
}

/// A problem at one place in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line.
    pub line: usize,
    /// The question's id, or its number (`#2`) when it has no valid id.
    pub question: Option<String>,
    /// The key, such as `soort` or `tekst.en`.
    pub field: Option<String>,
    /// The value at fault, as written.
    pub value: Option<String>,
    pub kind: ProblemKind,
}

impl Problem {
    /// A problem with a question that is no longer in the file.
    pub fn removed(id: &QuestionId, stories: usize) -> Problem {
        Problem {
            line: 1,
            question: Some(id.to_string()),
            field: None,
            value: None,
            kind: ProblemKind::RemovedWithAnswers { stories },
        }
    }

    /// The problem as a line error of an imported file.
    pub fn line_error(&self) -> LineError {
        let mut message = String::new();
        if let Some(question) = &self.question {
            message += &format!("question {question}: ");
        }
        if let Some(value) = &self.value {
            message += &format!("{value:?}: ");
        }
        message += &self.kind.expected();
        LineError::new(self.line, self.field.as_deref(), message)
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}", self.line)?;
        if let Some(question) = &self.question {
            write!(f, ", question {question}")?;
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

type RawTexts = Spanned<BTreeMap<String, Spanned<String>>>;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    #[serde(default)]
    vraag: Vec<Spanned<RawQuestion>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawQuestion {
    id: Option<Spanned<String>>,
    versie: Option<Spanned<i64>>,
    soort: Option<Spanned<String>>,
    tekst: Option<RawTexts>,
    links: Option<RawTexts>,
    rechts: Option<RawTexts>,
    subdoel: Option<Spanned<String>>,
    ronde: Option<Spanned<String>>,
    sessie: Option<Spanned<String>>,
    #[serde(default)]
    keuze: Vec<Spanned<RawChoice>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawChoice {
    id: Option<Spanned<String>>,
    tekst: Option<RawTexts>,
}

/// Checks questions one by one, collecting problems and the ids seen so far.
struct Checker<'a> {
    text: &'a str,
    problems: Vec<Problem>,
    ids: HashSet<QuestionId>,
    references: Option<References<'a>>,
    previous: Option<&'a QuestionSet>,
}

/// The question a problem is in: its id as written, or its number.
struct At {
    question: String,
}

impl Checker<'_> {
    fn line(&self, span: std::ops::Range<usize>) -> usize {
        line_at(self.text, span.start)
    }

    fn problem(
        &mut self,
        span: std::ops::Range<usize>,
        at: &At,
        field: &str,
        value: Option<&str>,
        kind: ProblemKind,
    ) {
        let line = self.line(span);
        self.problems.push(Problem {
            line,
            question: Some(at.question.clone()),
            field: (!field.is_empty()).then(|| field.to_string()),
            value: value.map(str::to_string),
            kind,
        });
    }

    /// One question, or `None` when it has a problem.
    fn question(&mut self, number: usize, spanned: &Spanned<RawQuestion>) -> Option<Question> {
        let raw = spanned.get_ref();
        let whole = spanned.span();
        let at = At {
            question: raw.id.as_ref().map_or_else(
                || format!("#{number}"),
                |id| id.get_ref().trim().to_string(),
            ),
        };
        let before = self.problems.len();

        let id = match &raw.id {
            None => {
                self.problem(whole.clone(), &at, "id", None, ProblemKind::Missing);
                None
            }
            Some(id) => match QuestionId::parse(id.get_ref().trim()) {
                Err(error) => {
                    self.problem(
                        id.span(),
                        &at,
                        "id",
                        Some(id.get_ref()),
                        ProblemKind::BadId(error.to_string()),
                    );
                    None
                }
                Ok(parsed) if !self.ids.insert(parsed.clone()) => {
                    self.problem(
                        id.span(),
                        &at,
                        "id",
                        Some(id.get_ref()),
                        ProblemKind::DuplicateId,
                    );
                    None
                }
                Ok(parsed) => {
                    let statement = StatementId::parse(parsed.as_str()).ok();
                    if let (Some(references), Some(statement)) = (self.references, statement)
                        && references.goals.statement(&statement).is_some()
                    {
                        self.problem(
                            id.span(),
                            &at,
                            "id",
                            Some(id.get_ref()),
                            ProblemKind::SameAsStatement,
                        );
                    }
                    Some(parsed)
                }
            },
        };

        let version = match &raw.versie {
            None => {
                self.problem(whole.clone(), &at, "versie", None, ProblemKind::Missing);
                None
            }
            Some(version) => match u32::try_from(*version.get_ref()) {
                Ok(number) if number >= 1 => Some(number),
                _ => {
                    self.problem(
                        version.span(),
                        &at,
                        "versie",
                        Some(&version.get_ref().to_string()),
                        ProblemKind::BadVersion,
                    );
                    None
                }
            },
        };

        let text = self.texts(&raw.tekst, whole.clone(), &at, "tekst");

        let kind_code = match &raw.soort {
            None => {
                self.problem(whole.clone(), &at, "soort", None, ProblemKind::Missing);
                None
            }
            Some(kind) => {
                let code = kind.get_ref().trim().to_lowercase();
                if Kind::CODES.contains(&code.as_str()) {
                    Some(code)
                } else {
                    self.problem(
                        kind.span(),
                        &at,
                        "soort",
                        Some(kind.get_ref()),
                        ProblemKind::UnknownKind,
                    );
                    None
                }
            }
        };
        let slider = kind_code.as_deref() == Some("schuifbalk");
        let choice = matches!(kind_code.as_deref(), Some("keuze" | "meerkeuze"));
        if kind_code.is_some() && !slider {
            for (field, texts) in [("links", &raw.links), ("rechts", &raw.rechts)] {
                if let Some(texts) = texts {
                    self.problem(texts.span(), &at, field, None, ProblemKind::NotForThisKind);
                }
            }
        }
        if kind_code.is_some() && !choice && !raw.keuze.is_empty() {
            self.problem(
                raw.keuze[0].span(),
                &at,
                "keuze",
                None,
                ProblemKind::NotForThisKind,
            );
        }
        let kind = match kind_code.as_deref() {
            Some("schuifbalk") => {
                let left = self.texts(&raw.links, whole.clone(), &at, "links");
                let right = self.texts(&raw.rechts, whole.clone(), &at, "rechts");
                left.zip(right)
                    .map(|(left, right)| Kind::Slider { left, right })
            }
            Some(code @ ("keuze" | "meerkeuze")) => {
                let options = self.options(&raw.keuze, whole.clone(), &at);
                options.map(|options| {
                    if code == "keuze" {
                        Kind::Choice { options }
                    } else {
                        Kind::Choices { options }
                    }
                })
            }
            Some("stelling") => Some(Kind::Agreement {
                scale: Scale::FivePoint,
            }),
            Some("tekst") => Some(Kind::Text),
            _ => None,
        };

        let scope = self.scope(raw, &at);

        if self.problems.len() > before {
            return None;
        }
        let question = Question {
            id: id?,
            version: version?,
            kind: kind?,
            scope: scope?,
            text: text?,
            origin: Origin::File,
        };
        self.against_previous(&question, raw, &at);
        Some(question)
    }

    /// A question's version and shape against the one stored.
    fn against_previous(&mut self, question: &Question, raw: &RawQuestion, at: &At) {
        let Some(stored) = self
            .previous
            .and_then(|previous| previous.get(&question.id))
        else {
            return;
        };
        let Some(version) = &raw.versie else { return };
        if question.version < stored.version {
            self.problem(
                version.span(),
                at,
                "versie",
                Some(&question.version.to_string()),
                ProblemKind::VersionDown {
                    stored: stored.version,
                },
            );
        } else if question.version == stored.version && !same_shape(&question.kind, &stored.kind) {
            self.problem(
                version.span(),
                at,
                "versie",
                Some(&question.version.to_string()),
                ProblemKind::SameVersion {
                    version: stored.version,
                },
            );
        }
    }

    /// The place a question is asked: at most one of `subdoel`, `ronde`, `sessie`.
    fn scope(&mut self, raw: &RawQuestion, at: &At) -> Option<Scope> {
        let given: Vec<(&str, &Spanned<String>)> = [
            ("subdoel", &raw.subdoel),
            ("ronde", &raw.ronde),
            ("sessie", &raw.sessie),
        ]
        .into_iter()
        .filter_map(|(field, value)| value.as_ref().map(|value| (field, value)))
        .collect();
        match given.as_slice() {
            [] => Some(Scope::Bank),
            [(field, value)] => {
                let text = value.get_ref().trim();
                let bad_id = |error: crate::ids::IdError| ProblemKind::BadId(error.to_string());
                let (scope, known) = match *field {
                    "subdoel" => match SubgoalId::parse(text) {
                        Ok(id) => (
                            Ok(Scope::Subgoal(id.clone())),
                            self.references
                                .is_none_or(|r| r.goals.subgoal(&id).is_some()),
                        ),
                        Err(error) => (Err(bad_id(error)), true),
                    },
                    "ronde" => match RoundId::parse(text) {
                        Ok(id) => (
                            Ok(Scope::Round(id.clone())),
                            self.references.is_none_or(|r| r.rounds.contains(&id)),
                        ),
                        Err(error) => (Err(bad_id(error)), true),
                    },
                    _ => match SessionId::parse(text) {
                        Ok(id) => (
                            Ok(Scope::Session(id.clone())),
                            self.references.is_none_or(|r| r.sessions.contains(&id)),
                        ),
                        Err(error) => (Err(bad_id(error)), true),
                    },
                };
                match scope {
                    Err(kind) => {
                        self.problem(value.span(), at, field, Some(value.get_ref()), kind);
                        None
                    }
                    Ok(_) if !known => {
                        self.problem(
                            value.span(),
                            at,
                            field,
                            Some(value.get_ref()),
                            ProblemKind::UnknownPlace,
                        );
                        None
                    }
                    Ok(scope) => Some(scope),
                }
            }
            [_, (field, value), ..] => {
                self.problem(value.span(), at, field, None, ProblemKind::TwoPlaces);
                None
            }
        }
    }

    /// The options of a choice question: at least two, each with a unique id and a text.
    fn options(
        &mut self,
        raw: &[Spanned<RawChoice>],
        whole: std::ops::Range<usize>,
        at: &At,
    ) -> Option<Vec<Choice>> {
        if raw.len() < 2 {
            let span = raw.first().map_or(whole, Spanned::span);
            self.problem(span, at, "keuze", None, ProblemKind::TooFewChoices);
            return None;
        }
        let mut options = Vec::new();
        let mut good = true;
        for spanned in raw {
            let choice = spanned.get_ref();
            let text = self.texts(&choice.tekst, spanned.span(), at, "keuze.tekst");
            let id = match &choice.id {
                None => {
                    self.problem(spanned.span(), at, "keuze.id", None, ProblemKind::Missing);
                    None
                }
                Some(id) => match ChoiceId::parse(id.get_ref().trim()) {
                    Err(error) => {
                        self.problem(
                            id.span(),
                            at,
                            "keuze.id",
                            Some(id.get_ref()),
                            ProblemKind::BadId(error.to_string()),
                        );
                        None
                    }
                    Ok(parsed) if options.iter().any(|c: &Choice| c.id == parsed) => {
                        self.problem(
                            id.span(),
                            at,
                            "keuze.id",
                            Some(id.get_ref()),
                            ProblemKind::DuplicateId,
                        );
                        None
                    }
                    Ok(parsed) => Some(parsed),
                },
            };
            match (id, text) {
                (Some(id), Some(text)) => options.push(Choice { id, text }),
                _ => good = false,
            }
        }
        good.then_some(options)
    }

    /// Texts per language: known language codes, no empty text, Dutch among them.
    fn texts(
        &mut self,
        raw: &Option<RawTexts>,
        whole: std::ops::Range<usize>,
        at: &At,
        field: &str,
    ) -> Option<Texts> {
        let Some(raw) = raw else {
            self.problem(whole, at, field, None, ProblemKind::Missing);
            return None;
        };
        let mut texts = BTreeMap::new();
        let mut good = true;
        for (language, text) in raw.get_ref() {
            let key = format!("{field}.{language}");
            if !KNOWN_LANGUAGES.iter().any(|(code, ..)| code == language) {
                self.problem(
                    text.span(),
                    at,
                    &key,
                    Some(language),
                    ProblemKind::UnknownLanguage,
                );
                good = false;
                continue;
            }
            let tidy = text
                .get_ref()
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            if tidy.is_empty() {
                self.problem(text.span(), at, &key, None, ProblemKind::Blank);
                good = false;
                continue;
            }
            texts.insert(language.clone(), tidy);
        }
        if good && !texts.contains_key(FALLBACK_LANGUAGE) {
            self.problem(raw.span(), at, field, None, ProblemKind::NoDutch);
            good = false;
        }
        good.then_some(Texts(texts))
    }
}

/// Whether two kinds take the same answers: the same kind with the same options (texts may change).
fn same_shape(a: &Kind, b: &Kind) -> bool {
    let ids = |kind: &Kind| {
        kind.options()
            .iter()
            .map(|choice| choice.id.clone())
            .collect::<Vec<_>>()
    };
    a.code() == b.code() && ids(a) == ids(b)
}

/// A parser error as a problem: an unknown key gets its own kind, with the key as its field.
fn syntax(text: &str, error: &toml::de::Error) -> Problem {
    let message = error.message().trim().to_string();
    let line = error.span().map_or(1, |span| line_at(text, span.start));
    let number = error.span().map(|span| {
        text[..span.start.min(text.len())]
            .lines()
            .filter(|line| line.trim() == "[[vraag]]")
            .count()
    });
    let question = number
        .filter(|count| *count > 0)
        .map(|count| format!("#{count}"));
    if let Some(rest) = message.strip_prefix("unknown field `")
        && let Some((key, _)) = rest.split_once('`')
    {
        return Problem {
            line,
            question,
            field: Some(key.to_string()),
            value: None,
            kind: ProblemKind::UnknownKey,
        };
    }
    Problem {
        line,
        question,
        field: None,
        value: None,
        kind: ProblemKind::Syntax(message),
    }
}

#[cfg(test)]
mod tests;
