//! Talking about the evidence and acting on it: storytelling sessions per district (vertelsessies),
//! interpretations along the four questions (herkennen, begrijpen, waarderen, verbeteren) and the
//! improvement actions agreed (verbeteracties). Also the `sessions.toml` file that holds all three.
//!
//! Domain only, no IO. A session is planned for one area on one date with indicators on its agenda; during
//! it participants add stories (stories carry the session's id); afterwards the facilitator records an
//! interpretation per indicator and the actions, and writes what was heard for the participants.

pub mod file;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::evidence::Period;
use crate::ids::{AreaId, IndicatorId, SessionId};
use crate::story::{Coded, StoryId};

/// The id of an interpretation or an action: a UUID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct EntryId(uuid::Uuid);

impl EntryId {
    pub fn new_random() -> EntryId {
        EntryId(uuid::Uuid::new_v4())
    }

    pub fn parse(text: &str) -> Result<EntryId, uuid::Error> {
        uuid::Uuid::parse_str(text.trim()).map(EntryId)
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        self.0.as_bytes()
    }
}

impl std::fmt::Display for EntryId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.hyphenated().fmt(f)
    }
}

/// Where a session stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Planned; participants cannot add stories yet.
    Planned,
    /// Running: the board is on and the short link takes stories.
    Live,
    /// Over: the participants' page shows what was heard and what will change.
    Closed,
}

impl Coded for SessionStatus {
    const CODES: &'static [(&'static str, &'static [&'static str], Self)] = &[
        ("planned", &["gepland"], SessionStatus::Planned),
        ("live", &["bezig", "open"], SessionStatus::Live),
        ("closed", &["afgerond", "gesloten"], SessionStatus::Closed),
    ];
}

/// A storytelling session for one area on one date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Session {
    pub id: SessionId,
    pub title: String,
    pub area: AreaId,
    pub date: Date,
    pub place: String,
    pub facilitator: String,
    /// The indicators on the agenda, in the order they are discussed.
    pub indicators: Vec<IndicatorId>,
    pub status: SessionStatus,
    /// The code of the short link (`/s/CODE`) participants use from their phones.
    pub code: String,
    /// What was heard, in plain words for the participants (Markdown); written after the session.
    pub heard: Option<String>,
}

/// The short-link alphabet: no look-alikes, lowercase so it is easy to type on a phone.
const CODE_ALPHABET: &[u8] = b"23456789abcdefghjkmnpqrstuvwxyz";

/// A fresh short-link code of six characters.
pub fn new_code() -> String {
    use rand::Rng;
    let mut rng = rand::rng();
    (0..6)
        .map(|_| CODE_ALPHABET[rng.random_range(0..CODE_ALPHABET.len())] as char)
        .collect()
}

/// Whether a text is a well-formed short-link code.
pub fn is_code(text: &str) -> bool {
    (4..=12).contains(&text.len()) && text.bytes().all(|b| CODE_ALPHABET.contains(&b))
}

/// The group's reading of an indicator's evidence along the four questions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Interpretation {
    pub id: EntryId,
    pub indicator: IndicatorId,
    pub area: Option<AreaId>,
    pub period: Option<Period>,
    pub date: Date,
    /// Who took part: organisations and roles, not names.
    pub participants: String,
    /// Herkennen: do we recognise this?
    pub recognise: String,
    /// Begrijpen: can we explain it?
    pub explain: String,
    /// Waarderen: what do we think of it?
    pub value: String,
    /// Verbeteren: what will we change, who does what?
    pub improve: String,
    /// The stories discussed.
    pub stories: Vec<StoryId>,
    pub session: Option<SessionId>,
}

impl Interpretation {
    /// All its words, for searching interpretations.
    pub fn text(&self) -> String {
        [
            &self.participants,
            &self.recognise,
            &self.explain,
            &self.value,
            &self.improve,
        ]
        .iter()
        .map(|s| s.as_str())
        .collect::<Vec<_>>()
        .join("\n")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    Open,
    InProgress,
    Done,
    Dropped,
}

impl Coded for ActionStatus {
    const CODES: &'static [(&'static str, &'static [&'static str], Self)] = &[
        ("open", &[], ActionStatus::Open),
        ("in_progress", &["bezig"], ActionStatus::InProgress),
        ("done", &["klaar", "gedaan"], ActionStatus::Done),
        ("dropped", &["vervallen"], ActionStatus::Dropped),
    ];
}

/// An agreed improvement, with an owner and a date.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Action {
    pub id: EntryId,
    pub title: String,
    /// A person or an organisation.
    pub owner: String,
    pub due: Date,
    pub status: ActionStatus,
    pub indicator: Option<IndicatorId>,
    pub area: Option<AreaId>,
    pub session: Option<SessionId>,
    /// What came of it, recorded later.
    pub outcome: Option<String>,
    pub created: Date,
}

impl Action {
    pub fn is_open(&self) -> bool {
        matches!(self.status, ActionStatus::Open | ActionStatus::InProgress)
    }

    /// Open and past its due date.
    pub fn is_overdue(&self, today: Date) -> bool {
        self.is_open() && self.due < today
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_overdue_actions() {
        let code = new_code();
        assert!(is_code(&code), "{code}");
        assert_ne!(new_code(), code);
        assert!(!is_code("ABC-12"));
        let action = Action {
            id: EntryId::new_random(),
            title: "Spreekuur ook op zaterdag".to_string(),
            owner: "Stichting Rond met Geld".to_string(),
            due: jiff::civil::date(2026, 6, 1),
            status: ActionStatus::InProgress,
            indicator: None,
            area: None,
            session: None,
            outcome: None,
            created: jiff::civil::date(2026, 3, 10),
        };
        assert!(action.is_overdue(jiff::civil::date(2026, 6, 2)));
        assert!(!action.is_overdue(jiff::civil::date(2026, 6, 1)));
        assert!(
            !Action {
                status: ActionStatus::Done,
                ..action
            }
            .is_overdue(jiff::civil::date(2027, 1, 1))
        );
        assert_eq!(
            SessionStatus::parse_code("afgerond"),
            Some(SessionStatus::Closed)
        );
    }
}
