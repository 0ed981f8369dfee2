//! Stories (verhalen): told experiences in Markdown, linked to subgoals, with who told them, where,
//! what they were about, their valence and the teller's consent.
//!
//! Domain only: no IO, no knowledge of sled, tantivy or HTTP. Text comes in as [`Markdown`] and can only
//! reach a page as [`render::SafeHtml`], so unsanitised text cannot be shown by mistake. Story files
//! (front matter + Markdown) are read in [`front_matter`] and written in [`file`].

pub mod erasure;
pub mod file;
pub mod front_matter;
pub mod receipt;
pub mod render;
pub mod scope;
pub mod view;

pub use scope::Scope;

use std::collections::BTreeMap;
use std::fmt;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::goals::GoalTree;
use crate::ids::{
    ActivityId, AreaId, IndicatorId, ProviderId, RoundId, SessionId, StatementId, SubgoalId,
};
use crate::language::{Language, LanguageDetector};
use crate::municipality::Municipality;
use crate::questions::{AnswerValue, Answers, Question, QuestionSet};

/// A story's stable id: a UUID.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(transparent)]
pub struct StoryId(uuid::Uuid);

impl StoryId {
    /// A fresh random id, for stories submitted through a form or the API.
    pub fn new_random() -> Self {
        StoryId(uuid::Uuid::new_v4())
    }

    /// The id of a story file without an `id` field, derived from its content, so that importing the
    /// same file twice does not make a copy.
    pub fn derived(title: &str, date: Date, text: &str) -> Self {
        const NAMESPACE: uuid::Uuid = uuid::uuid!("6f1f7a3e-2b7c-4f7e-9a55-0c6d3f1e8b21");
        let content = format!("{title}\n{date}\n{text}");
        StoryId(uuid::Uuid::new_v5(&NAMESPACE, content.as_bytes()))
    }

    pub fn parse(text: &str) -> Result<Self, uuid::Error> {
        uuid::Uuid::parse_str(text.trim()).map(StoryId)
    }

    pub fn from_bytes(bytes: [u8; 16]) -> Self {
        StoryId(uuid::Uuid::from_bytes(bytes))
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }

    /// The first eight hex digits, enough to tell stories apart in file names.
    pub fn short(&self) -> String {
        self.0.simple().to_string()[..8].to_string()
    }
}

impl fmt::Display for StoryId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// Whether a story tells of something that went well, went wrong (a knelpunt), or both.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Valence {
    Positive,
    Negative,
    Mixed,
}

/// Who told the story.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TellerRole {
    Resident,
    Professional,
    Volunteer,
    Carer,
    Municipality,
}

/// What the teller allowed: internal use only, or quoting in public reports.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Consent {
    Internal,
    Public,
}

/// How a story reached the bank, where that is worth recording: on a paper form, typed in by staff.
/// Stories without a channel came in the usual way (a form, the API, an import).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// Told on a paper form and typed in by staff ("verteld op papier").
    Paper,
}

/// Where a story stands in moderation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "state", content = "reason")]
pub enum Moderation {
    Submitted,
    Published,
    Rejected(String),
}

impl Moderation {
    pub fn code(&self) -> &'static str {
        match self {
            Moderation::Submitted => "submitted",
            Moderation::Published => "published",
            Moderation::Rejected(_) => "rejected",
        }
    }
}

/// A text code with its accepted spellings: the English code used in files and the Dutch words people
/// naturally write.
pub trait Coded: Sized + Copy + 'static {
    /// (code, Dutch aliases, value)
    const CODES: &'static [(&'static str, &'static [&'static str], Self)];

    fn code(self) -> &'static str
    where
        Self: PartialEq,
    {
        Self::CODES
            .iter()
            .find(|(_, _, value)| *value == self)
            .map(|(code, ..)| *code)
            .expect("every value has a code")
    }

    fn parse_code(text: &str) -> Option<Self> {
        let text = text.trim().to_lowercase();
        Self::CODES
            .iter()
            .find(|(code, aliases, _)| *code == text || aliases.contains(&text.as_str()))
            .map(|(.., value)| *value)
    }

    /// "a, b or c": the codes for an error message.
    fn expected() -> String {
        let codes: Vec<&str> = Self::CODES.iter().map(|(code, ..)| *code).collect();
        match codes.split_last() {
            Some((last, rest)) if !rest.is_empty() => format!("{} or {}", rest.join(", "), last),
            _ => codes.join(""),
        }
    }
}

impl Coded for Valence {
    const CODES: &'static [(&'static str, &'static [&'static str], Self)] = &[
        ("positive", &["positief"], Valence::Positive),
        ("negative", &["negatief", "knelpunt"], Valence::Negative),
        ("mixed", &["gemengd"], Valence::Mixed),
    ];
}

impl Coded for TellerRole {
    const CODES: &'static [(&'static str, &'static [&'static str], Self)] = &[
        (
            "resident",
            &["inwoner", "bewoner", "client", "cliënt", "deelnemer"],
            TellerRole::Resident,
        ),
        (
            "professional",
            &["beroepskracht", "sociaal werker"],
            TellerRole::Professional,
        ),
        ("volunteer", &["vrijwilliger"], TellerRole::Volunteer),
        ("carer", &["mantelzorger"], TellerRole::Carer),
        ("municipality", &["gemeente"], TellerRole::Municipality),
    ];
}

impl Coded for Channel {
    const CODES: &'static [(&'static str, &'static [&'static str], Self)] =
        &[("paper", &["papier"], Channel::Paper)];
}

impl Coded for Consent {
    const CODES: &'static [(&'static str, &'static [&'static str], Self)] = &[
        ("internal", &["intern"], Consent::Internal),
        ("public", &["openbaar", "publiek"], Consent::Public),
    ];
}

/// Markdown text as written by the teller: unrendered, unsanitised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Markdown(String);

impl Markdown {
    /// Normalises line endings and surrounding blank space, so a story reads back exactly as stored.
    pub fn new(text: &str) -> Self {
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        Markdown(
            text.trim_end()
                .trim_start_matches(['\n', ' ', '\t'])
                .to_string(),
        )
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.trim().is_empty()
    }
}

/// One told experience.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Story {
    pub id: StoryId,
    pub title: String,
    /// When the story happened or was told.
    pub date: Date,
    pub teller: TellerRole,
    pub valence: Valence,
    pub consent: Consent,
    /// When the teller gave (or last changed) their consent; `None` for stories that came in without
    /// it, where the story's date is the best that is known.
    pub consent_date: Option<Date>,
    pub provider: Option<ProviderId>,
    pub area: Option<AreaId>,
    pub activity: Option<ActivityId>,
    /// The indicator the story speaks to, when its teller or provider named one; its subgoal is
    /// always among `subgoals`.
    pub indicator: Option<IndicatorId>,
    /// The story in the municipality's language, written by its staff for a story told in another
    /// one; plain text, shown beside the original in reports.
    pub translation: Option<String>,
    pub subgoals: Vec<SubgoalId>,
    pub tags: Vec<String>,
    /// The language given in the front matter; `None` means it is detected from the text.
    pub language: Option<Language>,
    /// The teller's name, only when they chose to give it; shown to moderators, never on public pages.
    pub teller_name: Option<String>,
    /// The storytelling session the story was told in.
    pub session: Option<SessionId>,
    /// The narrative evaluation round the story was gathered into.
    pub round: Option<RoundId>,
    /// How the story came in, when recorded: told on paper.
    pub channel: Option<Channel>,
    /// The day the bank received the story, when known: set when it comes in through a form or the
    /// API, kept by the export; the moderation queue shows how long a story has waited since.
    pub received: Option<Date>,
    pub scores: BTreeMap<StatementId, u8>,
    /// The teller's answers to the questions about the story (the statements' are in `scores`).
    pub answers: Answers,
    pub moderation: Moderation,
    pub text: Markdown,
}

impl Story {
    pub fn is_published(&self) -> bool {
        self.moderation == Moderation::Published
    }

    /// The language the story is in: as given, or detected from its title and `plain` text.
    pub fn language_or_detect(
        &self,
        plain: &str,
        detector: &LanguageDetector,
        fallback: &Language,
    ) -> Language {
        self.language
            .clone()
            .unwrap_or_else(|| detector.detect(&format!("{} {plain}", self.title), fallback))
    }

    /// The story's answer to a question, with the version it was given under: a statement's answer
    /// is its score, any other its entry in `answers`.
    pub fn answer_to(&self, question: &Question) -> Option<(u32, AnswerValue)> {
        match question.statement() {
            Some(statement) => self
                .scores
                .get(&statement)
                .map(|score| (1, AnswerValue::Agreement(*score))),
            None => self
                .answers
                .get(&question.id)
                .map(|answer| (answer.version, answer.value.clone())),
        }
    }
}

/// What a story may refer to: the municipality's areas, providers and activities, its goal tree, its
/// storytelling sessions and rounds, and its questions about the story.
#[derive(Clone, Copy)]
pub struct Catalog<'a> {
    pub municipality: &'a Municipality,
    pub goals: &'a GoalTree,
    pub sessions: &'a [SessionId],
    pub rounds: &'a [RoundId],
    /// The questions about the story its answers must fit.
    pub questions: &'a QuestionSet,
}

/// Normalises a tag: trimmed, lowercase, inner whitespace collapsed.
pub fn normalise_tag(tag: &str) -> String {
    tag.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_aliases() {
        assert_eq!(Valence::parse_code("Knelpunt"), Some(Valence::Negative));
        assert_eq!(
            TellerRole::parse_code("mantelzorger"),
            Some(TellerRole::Carer)
        );
        assert_eq!(Consent::parse_code("public"), Some(Consent::Public));
        assert_eq!(Consent::parse_code("misschien"), None);
        assert_eq!(Valence::Mixed.code(), "mixed");
        assert_eq!(Valence::expected(), "positive, negative or mixed");
    }

    #[test]
    fn markdown_is_normalised() {
        assert_eq!(
            Markdown::new("\r\n\nHallo\r\nwereld  \n\n").as_str(),
            "Hallo\nwereld"
        );
    }

    #[test]
    fn derived_ids_are_stable() {
        let date = jiff::civil::date(2025, 3, 14);
        let a = StoryId::derived("Titel", date, "Tekst");
        assert_eq!(a, StoryId::derived("Titel", date, "Tekst"));
        assert_ne!(a, StoryId::derived("Titel", date, "Andere tekst"));
        assert_eq!(StoryId::parse(&a.to_string()).unwrap(), a);
    }
}
