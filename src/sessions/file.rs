//! `sessions.toml`: storytelling sessions, interpretations and actions as a plain file, read by import
//! and written by the Markdown export, so the whole bank round-trips through files.
//!
//! Like the other files, it is read into string-typed file structs and then checked and converted, so
//! every problem names its line and field; references to areas and indicators are checked against the
//! municipality and the goal tree.

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Action, ActionStatus, EntryId, Interpretation, Session, is_code};
use crate::evidence::Period;
use crate::ids::{AreaId, IndicatorId, SessionId};
use crate::source::{LineError, line_of_assignment, toml_error};
use crate::story::{Catalog, Coded, StoryId};

/// Everything in a `sessions.toml`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SessionsFile {
    pub sessions: Vec<Session>,
    pub interpretations: Vec<Interpretation>,
    pub actions: Vec<Action>,
}

#[derive(Serialize, Deserialize, Default)]
struct FileOut {
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    sessions: Vec<SessionOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    interpretations: Vec<InterpretationOut>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    actions: Vec<ActionOut>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SessionOut {
    id: String,
    title: String,
    area: String,
    date: String,
    #[serde(default)]
    place: String,
    #[serde(default)]
    facilitator: String,
    #[serde(default)]
    indicators: Vec<String>,
    status: String,
    code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    heard: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct InterpretationOut {
    id: String,
    indicator: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    area: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    period: Option<String>,
    date: String,
    #[serde(default)]
    participants: String,
    #[serde(default)]
    recognise: String,
    #[serde(default)]
    explain: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    improve: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    stories: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct ActionOut {
    id: String,
    title: String,
    owner: String,
    due: String,
    status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    indicator: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    area: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    outcome: Option<String>,
    created: String,
}

/// A field whose value could not be read: (field, value, what was expected).
pub(crate) type Problem = (&'static str, String, String);

pub(crate) fn date(field: &'static str, value: &str) -> Result<Date, Problem> {
    value.parse().map_err(|_| {
        (
            field,
            value.to_string(),
            format!("expected a date as YYYY-MM-DD, found {value:?}"),
        )
    })
}

pub(crate) fn id<T, E: std::fmt::Display>(
    field: &'static str,
    value: &str,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<T, Problem> {
    parse(value).map_err(|error| (field, value.to_string(), error.to_string()))
}

/// Parses every id of a list field, stopping at the first that is not one.
pub(crate) fn ids<T, E: std::fmt::Display>(
    field: &'static str,
    values: &[String],
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<Vec<T>, Problem> {
    values
        .iter()
        .map(|value| id(field, value, &parse))
        .collect()
}

pub(crate) fn coded<T: Coded>(field: &'static str, value: &str) -> Result<T, Problem> {
    T::parse_code(value).ok_or_else(|| {
        (
            field,
            value.to_string(),
            format!("expected {}, found {value:?}", T::expected()),
        )
    })
}

fn entry_id(value: &str) -> Result<EntryId, Problem> {
    EntryId::parse(value).map_err(|_| {
        (
            "id",
            value.to_string(),
            format!("expected a UUID, found {value:?}"),
        )
    })
}

impl SessionOut {
    pub(crate) fn from_session(s: &Session) -> SessionOut {
        SessionOut {
            id: s.id.to_string(),
            title: s.title.clone(),
            area: s.area.to_string(),
            date: s.date.to_string(),
            place: s.place.clone(),
            facilitator: s.facilitator.clone(),
            indicators: s.indicators.iter().map(ToString::to_string).collect(),
            status: s.status.code().to_string(),
            code: s.code.clone(),
            heard: s.heard.clone(),
        }
    }

    pub(crate) fn into_session(self) -> Result<Session, Problem> {
        if !is_code(&self.code) {
            return Err((
                "code",
                self.code,
                "expected a short-link code of 4 to 12 lowercase letters and digits".to_string(),
            ));
        }
        Ok(Session {
            id: id("id", &self.id, SessionId::parse)?,
            title: self.title,
            area: id("area", &self.area, AreaId::parse)?,
            date: date("date", &self.date)?,
            place: self.place,
            facilitator: self.facilitator,
            indicators: ids("indicators", &self.indicators, IndicatorId::parse)?,
            status: coded("status", &self.status)?,
            code: self.code,
            heard: self.heard,
        })
    }
}

impl InterpretationOut {
    pub(crate) fn from_interpretation(i: &Interpretation) -> InterpretationOut {
        InterpretationOut {
            id: i.id.to_string(),
            indicator: i.indicator.to_string(),
            area: i.area.as_ref().map(ToString::to_string),
            period: i.period.map(|p| p.to_string()),
            date: i.date.to_string(),
            participants: i.participants.clone(),
            recognise: i.recognise.clone(),
            explain: i.explain.clone(),
            value: i.value.clone(),
            improve: i.improve.clone(),
            stories: i.stories.iter().map(ToString::to_string).collect(),
            session: i.session.as_ref().map(ToString::to_string),
        }
    }

    pub(crate) fn into_interpretation(self) -> Result<Interpretation, Problem> {
        Ok(Interpretation {
            id: entry_id(&self.id)?,
            indicator: id("indicator", &self.indicator, IndicatorId::parse)?,
            area: self
                .area
                .as_deref()
                .map(|a| id("area", a, AreaId::parse))
                .transpose()?,
            period: self
                .period
                .as_deref()
                .map(|p| id("period", p, str::parse::<Period>))
                .transpose()?,
            date: date("date", &self.date)?,
            participants: self.participants,
            recognise: self.recognise,
            explain: self.explain,
            value: self.value,
            improve: self.improve,
            stories: ids("stories", &self.stories, StoryId::parse)?,
            session: self
                .session
                .as_deref()
                .map(|s| id("session", s, SessionId::parse))
                .transpose()?,
        })
    }
}

impl ActionOut {
    pub(crate) fn from_action(a: &Action) -> ActionOut {
        ActionOut {
            id: a.id.to_string(),
            title: a.title.clone(),
            owner: a.owner.clone(),
            due: a.due.to_string(),
            status: a.status.code().to_string(),
            indicator: a.indicator.as_ref().map(ToString::to_string),
            area: a.area.as_ref().map(ToString::to_string),
            session: a.session.as_ref().map(ToString::to_string),
            outcome: a.outcome.clone(),
            created: a.created.to_string(),
        }
    }

    pub(crate) fn into_action(self) -> Result<Action, Problem> {
        Ok(Action {
            id: entry_id(&self.id)?,
            title: self.title,
            owner: self.owner,
            due: date("due", &self.due)?,
            status: coded::<ActionStatus>("status", &self.status)?,
            indicator: self
                .indicator
                .as_deref()
                .map(|i| id("indicator", i, IndicatorId::parse))
                .transpose()?,
            area: self
                .area
                .as_deref()
                .map(|a| id("area", a, AreaId::parse))
                .transpose()?,
            session: self
                .session
                .as_deref()
                .map(|s| id("session", s, SessionId::parse))
                .transpose()?,
            outcome: self.outcome,
            created: date("created", &self.created)?,
        })
    }
}

impl SessionsFile {
    /// Parses `sessions.toml`, checking every reference against the catalog and the file's own sessions.
    pub fn from_toml(text: &str, catalog: Catalog<'_>) -> Result<SessionsFile, LineError> {
        let raw: FileOut = toml::from_str(text).map_err(|error| toml_error(text, &error, 1))?;
        let at = |(field, value, message): Problem| {
            LineError::new(
                line_of_assignment(text, field, &value),
                Some(field),
                message,
            )
        };
        let file = SessionsFile {
            sessions: raw
                .sessions
                .into_iter()
                .map(|s| s.into_session().map_err(at))
                .collect::<Result<_, _>>()?,
            interpretations: raw
                .interpretations
                .into_iter()
                .map(|i| i.into_interpretation().map_err(at))
                .collect::<Result<_, _>>()?,
            actions: raw
                .actions
                .into_iter()
                .map(|a| a.into_action().map_err(at))
                .collect::<Result<_, _>>()?,
        };
        file.check_references(catalog).map_err(at)?;
        Ok(file)
    }

    fn check_references(&self, catalog: Catalog<'_>) -> Result<(), Problem> {
        let area = |area: &AreaId| match catalog.municipality.area(area) {
            Some(_) => Ok(()),
            None => Err((
                "area",
                area.to_string(),
                format!("unknown area {area}; expected an area id from municipality.toml"),
            )),
        };
        let indicator = |field: &'static str, id: &IndicatorId| match catalog.goals.indicator(id) {
            Some(_) => Ok(()),
            None => Err((
                field,
                id.to_string(),
                format!("unknown indicator {id}; expected an indicator id from goals.toml"),
            )),
        };
        let session = |id: &SessionId| match self.sessions.iter().any(|s| &s.id == id) {
            true => Ok(()),
            false => Err((
                "session",
                id.to_string(),
                format!("unknown session {id}; expected a session id from this file"),
            )),
        };
        for s in &self.sessions {
            area(&s.area)?;
            s.indicators
                .iter()
                .try_for_each(|i| indicator("indicators", i))?;
        }
        for i in &self.interpretations {
            indicator("indicator", &i.indicator)?;
            i.area.iter().try_for_each(area)?;
            i.session.iter().try_for_each(session)?;
        }
        for a in &self.actions {
            a.indicator
                .iter()
                .try_for_each(|i| indicator("indicator", i))?;
            a.area.iter().try_for_each(area)?;
            a.session.iter().try_for_each(session)?;
        }
        Ok(())
    }

    /// Writes the file that [`SessionsFile::from_toml`] reads back.
    pub fn to_toml(&self) -> String {
        let out = FileOut {
            sessions: self.sessions.iter().map(SessionOut::from_session).collect(),
            interpretations: self
                .interpretations
                .iter()
                .map(InterpretationOut::from_interpretation)
                .collect(),
            actions: self.actions.iter().map(ActionOut::from_action).collect(),
        };
        toml::to_string(&out).expect("sessions always serialise to TOML")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn sample() -> SessionsFile {
        let session = testing::session();
        SessionsFile {
            interpretations: vec![Interpretation {
                id: EntryId::new_random(),
                indicator: session.indicators[0].clone(),
                area: Some(session.area.clone()),
                period: Some(Period::Year(2025)),
                date: session.date,
                participants: "bewoners, Buurtwerk, gemeente".to_string(),
                recognise: "Ja, de koffie-inloop loopt vol.".to_string(),
                explain: "De buurtvrouw neemt mensen mee.".to_string(),
                value: "Goed, maar de zaal is te klein.".to_string(),
                improve: "Een tweede ochtend.".to_string(),
                stories: vec![StoryId::new_random()],
                session: Some(session.id.clone()),
            }],
            actions: vec![Action {
                id: EntryId::new_random(),
                title: "Tweede koffie-ochtend".to_string(),
                owner: "Stichting Buurtwerk".to_string(),
                due: jiff::civil::date(2026, 9, 1),
                status: ActionStatus::InProgress,
                indicator: Some(session.indicators[0].clone()),
                area: Some(session.area.clone()),
                session: Some(session.id.clone()),
                outcome: None,
                created: session.date,
            }],
            sessions: vec![session],
        }
    }

    #[test]
    fn round_trips_and_checks_references() {
        let demo = testing::CatalogParts::demo();
        let catalog = demo.catalog();
        let file = sample();
        let text = file.to_toml();
        assert_eq!(SessionsFile::from_toml(&text, catalog).unwrap(), file);

        let bad = text.replace("area = \"noord\"", "area = \"west\"");
        let error = SessionsFile::from_toml(&bad, catalog).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("area"));
        assert!(error.message.contains("unknown area west"), "{error}");
        assert!(bad.lines().nth(error.line - 1).unwrap().contains("west"));

        let bad = text.replace("status = \"in_progress\"", "status = \"misschien\"");
        let error = SessionsFile::from_toml(&bad, catalog).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("status"));
    }
}
