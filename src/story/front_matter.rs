//! Reading story files: Markdown with front matter, TOML between `+++` lines or YAML between `---`
//! lines as notes apps write it.
//!
//! Shaped as Zola does it: the file is split once, the front matter is read into a permissive raw form
//! (any value under any key), and that is converted field by field into a fully typed [`Story`]. The
//! conversion collects every problem rather than stopping at the first, and each problem names the line
//! and the field, so one pass over a file tells its author everything to fix.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::{
    Catalog, Channel, Coded, Consent, Markdown, Moderation, Story, StoryId, TellerRole, Valence,
    normalise_tag,
};
use crate::ids::{
    ActivityId, AreaId, IndicatorId, ProviderId, QuestionId, RoundId, SessionId, StatementId,
    SubgoalId,
};
use crate::language::Language;
use crate::number::read_form_number;
use crate::questions::{Answer, Answers};
use crate::source::{LineError, line_of_key, toml_error};

/// A front matter value before it is given a type.
#[derive(Debug, Clone, PartialEq)]
pub enum RawValue {
    Text(String),
    Integer(i64),
    Float(f64),
    Bool(bool),
    /// A TOML date or date-time, as written.
    Date(String),
    List(Vec<RawValue>),
    Table(Vec<(String, RawValue)>),
}

impl RawValue {
    fn describe(&self) -> String {
        match self {
            RawValue::Text(text) => format!("{text:?}"),
            RawValue::Integer(number) => number.to_string(),
            RawValue::Float(number) => number.to_string(),
            RawValue::Bool(value) => value.to_string(),
            RawValue::Date(date) => date.clone(),
            RawValue::List(_) => "a list".to_string(),
            RawValue::Table(_) => "a table".to_string(),
        }
    }

    fn from_toml(value: toml::Value) -> RawValue {
        match value {
            toml::Value::String(text) => RawValue::Text(text),
            toml::Value::Integer(number) => RawValue::Integer(number),
            toml::Value::Float(number) => RawValue::Float(number),
            toml::Value::Boolean(value) => RawValue::Bool(value),
            toml::Value::Datetime(datetime) => RawValue::Date(datetime.to_string()),
            toml::Value::Array(items) => {
                RawValue::List(items.into_iter().map(RawValue::from_toml).collect())
            }
            toml::Value::Table(table) => RawValue::Table(
                table
                    .into_iter()
                    .map(|(key, value)| (key, RawValue::from_toml(value)))
                    .collect(),
            ),
        }
    }

    /// `None` for null, which means the same as leaving the field out. YAML front matter and JSON
    /// bodies both arrive as JSON values.
    pub fn from_json(value: serde_json::Value) -> Option<RawValue> {
        Some(match value {
            serde_json::Value::Null => return None,
            serde_json::Value::String(text) => RawValue::Text(text),
            serde_json::Value::Bool(value) => RawValue::Bool(value),
            serde_json::Value::Number(number) => match number.as_i64() {
                Some(integer) => RawValue::Integer(integer),
                None => RawValue::Float(number.as_f64().unwrap_or(f64::NAN)),
            },
            serde_json::Value::Array(items) => {
                RawValue::List(items.into_iter().filter_map(RawValue::from_json).collect())
            }
            serde_json::Value::Object(map) => RawValue::Table(
                map.into_iter()
                    .filter_map(|(key, value)| RawValue::from_json(value).map(|value| (key, value)))
                    .collect(),
            ),
        })
    }
}

/// The syntax the front matter was written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Syntax {
    Toml,
    Yaml,
}

/// Where the fields of a raw story were written, to point errors at the right line.
#[derive(Debug, Clone)]
enum Locator {
    /// Front matter text whose first line is file line `first_line`.
    FrontMatter { text: String, first_line: usize },
    /// A spreadsheet row: every field is on the same line.
    Row { line: usize },
}

/// A story split into raw fields and its body, not yet typed: from a file's front matter or a CSV row.
#[derive(Debug, Clone)]
pub struct RawStory {
    pub fields: BTreeMap<String, RawValue>,
    locator: Locator,
    /// The line the body starts on.
    body_line: usize,
    pub body: String,
}

impl RawStory {
    /// Splits a story file and reads its front matter into raw values.
    pub fn parse(file_text: &str) -> Result<RawStory, LineError> {
        let text = file_text.strip_prefix('\u{feff}').unwrap_or(file_text);
        let text = text.replace("\r\n", "\n");
        let mut lines = text.split_inclusive('\n');
        let opening = lines.next().unwrap_or("").trim_end();
        let (syntax, delimiter) = match opening {
            "+++" => (Syntax::Toml, "+++"),
            "---" => (Syntax::Yaml, "---"),
            _ => {
                return Err(LineError::new(
                    1,
                    None,
                    "expected front matter at the start of the file: TOML between +++ lines or YAML between --- lines",
                ));
            }
        };
        let mut front_matter = String::new();
        let mut closing_line = None;
        for (index, line) in lines.enumerate() {
            if line.trim_end() == delimiter {
                closing_line = Some(index + 2);
                break;
            }
            front_matter.push_str(line);
        }
        let Some(closing_line) = closing_line else {
            return Err(LineError::new(
                1,
                None,
                format!(
                    "the front matter that starts on line 1 is not closed with a {delimiter} line"
                ),
            ));
        };
        let body: String = text.split_inclusive('\n').skip(closing_line).collect();
        let fields = match syntax {
            Syntax::Toml => {
                let table: toml::Table = toml::from_str(&front_matter)
                    .map_err(|error| toml_error(&front_matter, &error, 2))?;
                table
                    .into_iter()
                    .map(|(key, value)| (key, RawValue::from_toml(value)))
                    .collect()
            }
            Syntax::Yaml => parse_yaml(&front_matter)?,
        };
        Ok(RawStory {
            fields,
            locator: Locator::FrontMatter {
                text: front_matter,
                first_line: 2,
            },
            body_line: closing_line + 1,
            body,
        })
    }

    /// A raw story from one spreadsheet row: its cells by column name (empty cells left out) and the text.
    pub fn from_row(line: usize, cells: BTreeMap<String, RawValue>, body: String) -> RawStory {
        RawStory {
            fields: cells,
            locator: Locator::Row { line },
            body_line: line,
            body,
        }
    }

    /// The line a field is set on; for front matter without the field, the opening line.
    fn line_of(&self, key: &str) -> usize {
        match &self.locator {
            Locator::FrontMatter { text, first_line } => {
                line_of_key(text, key, *first_line).unwrap_or(1)
            }
            Locator::Row { line } => *line,
        }
    }

    /// Converts the raw front matter and body into a typed story, checking every reference against the
    /// catalog. Returns every problem found, each with its line and field.
    pub fn into_story(self, catalog: Catalog<'_>) -> Result<Story, Vec<LineError>> {
        let mut reader = FieldReader {
            raw: &self,
            errors: Vec::new(),
        };
        let title = reader.required("title", |value| match value {
            RawValue::Text(text) if !text.trim().is_empty() => Ok(text.trim().to_string()),
            _ => Err("expected a title as text".to_string()),
        });
        let date = reader.required("date", parse_date);
        let teller = reader.required("teller", coded::<TellerRole>);
        let valence = reader.required("valence", coded::<Valence>);
        let consent = reader.required("consent", coded::<Consent>);
        let consent_date = reader.optional("consent_date", parse_date);
        let provider = reader.optional("provider", |value| {
            let id = id_of(value, ProviderId::parse)?;
            catalog
                .municipality
                .provider(&id)
                .map(|_| id.clone())
                .ok_or_else(|| {
                    format!("unknown provider {id}; expected a provider id from municipality.toml")
                })
        });
        let area = reader.optional("area", |value| {
            let id = id_of(value, AreaId::parse)?;
            catalog
                .municipality
                .area(&id)
                .map(|_| id.clone())
                .ok_or_else(|| {
                    format!("unknown area {id}; expected an area id from municipality.toml")
                })
        });
        let activity = reader.optional("activity", |value| {
            let id = id_of(value, ActivityId::parse)?;
            catalog
                .municipality
                .activity(&id)
                .map(|_| id.clone())
                .ok_or_else(|| {
                    format!("unknown activity {id}; expected an activity id from municipality.toml")
                })
        });
        let mut subgoals = reader
            .optional("subgoals", |value| {
                let mut subgoals = Vec::new();
                for item in list_items(value)? {
                    let id = id_of(&item, SubgoalId::parse)?;
                    if catalog.goals.subgoal(&id).is_none() {
                        return Err(format!(
                            "unknown subgoal {id}; expected a subgoal id from goals.toml"
                        ));
                    }
                    if !subgoals.contains(&id) {
                        subgoals.push(id);
                    }
                }
                Ok(subgoals)
            })
            .unwrap_or_default();
        // The indicator the story speaks to: its subgoal is one the story is about, added when missing.
        let indicator = reader.optional("indicator", |value| {
            let id = id_of(value, IndicatorId::parse)?;
            catalog
                .goals
                .indicator(&id)
                .map(|indicator| (id.clone(), indicator.subgoal.clone()))
                .ok_or_else(|| {
                    format!("unknown indicator {id}; expected an indicator id from goals.toml")
                })
        });
        let indicator = indicator.map(|(id, subgoal)| {
            if !subgoals.contains(&subgoal) {
                subgoals.push(subgoal);
            }
            id
        });
        let translation = reader
            .optional("translation", |value| match value {
                RawValue::Text(text) => Ok(text.trim().to_string()),
                other => Err(format!(
                    "expected the translation as text, found {}",
                    other.describe()
                )),
            })
            .filter(|text| !text.is_empty());
        let tags = reader
            .optional("tags", |value| {
                let mut tags: Vec<String> = Vec::new();
                for item in list_items(value)? {
                    let RawValue::Text(text) = item else {
                        return Err(format!("expected tags as words, found {}", item.describe()));
                    };
                    let tag = normalise_tag(&text);
                    if !tag.is_empty() && !tags.contains(&tag) {
                        tags.push(tag);
                    }
                }
                Ok(tags)
            })
            .unwrap_or_default();
        let language = reader.optional("language", |value| match value {
            RawValue::Text(text) => Language::parse(text).map_err(|error| error.to_string()),
            other => Err(format!(
                "expected a language code such as nl, found {}",
                other.describe()
            )),
        });
        let mut scores = BTreeMap::new();
        match self.fields.get("scores") {
            None => {}
            Some(RawValue::Table(entries)) => {
                for (key, score) in entries {
                    match parse_score(key, score, catalog) {
                        Ok((id, score)) => {
                            scores.insert(id, score);
                        }
                        Err(message) => reader.error_in_table("scores", key, message),
                    }
                }
            }
            Some(_) => reader.error(
                "scores",
                "expected a table of statement id = score".to_string(),
            ),
        }
        let mut answers = Answers::new();
        match self.fields.get("answers") {
            None => {}
            Some(RawValue::Table(entries)) => {
                for (key, raw) in entries {
                    match parse_answer(key, raw, catalog) {
                        Ok(Some((id, answer))) => answers.insert(id, answer),
                        Ok(None) => {}
                        Err(message) => reader.error_in_table("answers", key, message),
                    }
                }
            }
            Some(_) => reader.error(
                "answers",
                "expected a table of question id = answer".to_string(),
            ),
        }
        let moderation = reader
            .optional("status", |value| match value {
                RawValue::Text(text) => match text.trim().to_lowercase().as_str() {
                    "submitted" | "ingediend" => Ok(Moderation::Submitted),
                    "published" | "gepubliceerd" => Ok(Moderation::Published),
                    "rejected" | "afgewezen" => Ok(Moderation::Rejected(String::new())),
                    other => Err(format!(
                        "expected submitted, published or rejected, found {other:?}"
                    )),
                },
                other => Err(format!(
                    "expected submitted, published or rejected, found {}",
                    other.describe()
                )),
            })
            .unwrap_or(Moderation::Submitted);
        let reason = reader.optional("rejection_reason", |value| match value {
            RawValue::Text(text) => Ok(text.trim().to_string()),
            other => Err(format!(
                "expected the reason as text, found {}",
                other.describe()
            )),
        });
        let moderation = match (moderation, reason) {
            (Moderation::Rejected(_), Some(reason)) if !reason.is_empty() => {
                Moderation::Rejected(reason)
            }
            (Moderation::Rejected(_), _) => {
                reader.error(
                    "rejection_reason",
                    "a rejected story needs a rejection_reason".to_string(),
                );
                Moderation::Submitted
            }
            (other, _) => other,
        };
        let teller_name = reader.optional("name", |value| match value {
            RawValue::Text(text) => Ok(text.trim().to_string()),
            other => Err(format!(
                "expected a name as text, found {}",
                other.describe()
            )),
        });
        let teller_name = teller_name.filter(|name| !name.is_empty());
        let session = reader.optional("session", |value| {
            let id = id_of(value, SessionId::parse)?;
            if catalog.sessions.contains(&id) {
                Ok(id)
            } else {
                Err(format!(
                    "unknown session {id}; expected a session id from sessions.toml"
                ))
            }
        });
        let round = reader.optional("round", |value| {
            let id = id_of(value, RoundId::parse)?;
            if catalog.rounds.contains(&id) {
                Ok(id)
            } else {
                Err(format!(
                    "unknown round {id}; expected a round id from rounds.toml"
                ))
            }
        });
        let channel = reader.optional("channel", |value| match value {
            RawValue::Text(text) => Channel::parse_code(text)
                .ok_or_else(|| format!("expected channel = \"paper\", found {text:?}")),
            other => Err(format!(
                "expected channel = \"paper\", found {}",
                other.describe()
            )),
        });
        let received = reader.optional("received", parse_date);
        let explicit_id = reader.optional("id", |value| match value {
            RawValue::Text(text) => {
                StoryId::parse(text).map_err(|_| format!("expected a UUID, found {text:?}"))
            }
            other => Err(format!("expected a UUID, found {}", other.describe())),
        });
        let text = Markdown::new(&self.body);
        if text.is_empty() {
            reader.errors.push(LineError::new(
                self.body_line,
                Some("text"),
                "the story has no text after the front matter",
            ));
        }

        let errors = reader.errors;
        match (title, date, teller, valence, consent) {
            (Some(title), Some(date), Some(teller), Some(valence), Some(consent))
                if errors.is_empty() =>
            {
                let id =
                    explicit_id.unwrap_or_else(|| StoryId::derived(&title, date, text.as_str()));
                Ok(Story {
                    id,
                    title,
                    date,
                    teller,
                    valence,
                    consent,
                    consent_date,
                    provider,
                    area,
                    activity,
                    indicator,
                    translation,
                    subgoals,
                    tags,
                    language,
                    teller_name,
                    session,
                    round,
                    channel,
                    received,
                    scores,
                    answers,
                    moderation,
                    text,
                })
            }
            _ => Err(errors),
        }
    }
}

/// Reads a whole story file into a typed story.
pub fn parse_story_file(file_text: &str, catalog: Catalog<'_>) -> Result<Story, Vec<LineError>> {
    RawStory::parse(file_text)
        .map_err(|error| vec![error])?
        .into_story(catalog)
}

fn parse_yaml(front_matter: &str) -> Result<BTreeMap<String, RawValue>, LineError> {
    if front_matter.trim().is_empty() {
        return Ok(BTreeMap::new());
    }
    let value: serde_json::Value = serde_saphyr::from_str(front_matter).map_err(|error| {
        let line = error
            .location()
            .map_or(1, |location| location.line() as usize + 1);
        let message = error.to_string();
        let message = message
            .lines()
            .next()
            .unwrap_or("invalid YAML")
            .trim()
            .to_string();
        let field = front_matter
            .lines()
            .nth(line.saturating_sub(2))
            .and_then(crate::source::key_of_line)
            .map(str::to_string);
        LineError {
            line,
            field,
            message: format!("invalid YAML: {message}"),
        }
    })?;
    match value {
        serde_json::Value::Object(map) => Ok(map
            .into_iter()
            .filter_map(|(key, value)| RawValue::from_json(value).map(|value| (key, value)))
            .collect()),
        _ => Err(LineError::new(
            2,
            None,
            "expected the front matter to be a list of key: value lines",
        )),
    }
}

fn parse_score(
    key: &str,
    score: &RawValue,
    catalog: Catalog<'_>,
) -> Result<(StatementId, u8), String> {
    let id = StatementId::parse(key).map_err(|error| error.to_string())?;
    let Some(statement) = catalog.goals.statement(&id) else {
        return Err(format!(
            "unknown statement {id}; expected a statement id from goals.toml"
        ));
    };
    let range = statement.scale.range();
    // A score written as text (a spreadsheet cell, a quoted value) is read the Dutch way, so `4` and
    // `4,0` count and `2.710` is the 2710 it says, which is then out of range rather than guessed at.
    let whole = match score {
        RawValue::Integer(number) => Some(*number),
        RawValue::Text(text) => read_form_number(text)
            .ok()
            .filter(|number| number.fract() == 0.0 && number.abs() <= f64::from(u8::MAX))
            .map(|number| number as i64),
        _ => None,
    };
    whole
        .and_then(|number| u8::try_from(number).ok())
        .filter(|n| range.contains(n))
        .map(|score| (id.clone(), score))
        .ok_or_else(|| {
            format!(
                "score for {id} must be a whole number from {} to {}, found {}",
                range.start(),
                range.end(),
                score.describe()
            )
        })
}

/// One answer of the `answers` table: `id = value`, given under the question's current version, or
/// `id = { version = N, value = ... }`. `None` for an empty value (not answered).
fn parse_answer(
    key: &str,
    raw: &RawValue,
    catalog: Catalog<'_>,
) -> Result<Option<(QuestionId, Answer)>, String> {
    let id = QuestionId::parse(key).map_err(|error| error.to_string())?;
    let Some(question) = catalog.questions.get(&id) else {
        return Err(format!(
            "unknown question {id}; expected a question id from questions.toml"
        ));
    };
    let (version, value) = match raw {
        RawValue::Table(fields) => {
            let mut version = None;
            let mut value = None;
            for (field, item) in fields {
                match field.as_str() {
                    "version" => version = Some(item),
                    "value" => value = Some(item),
                    other => {
                        return Err(format!(
                            "answer to {id}: unknown key {other:?}; expected version and value"
                        ));
                    }
                }
            }
            let version = match version {
                None => question.version,
                Some(RawValue::Integer(number))
                    if (1..=i64::from(question.version)).contains(number) =>
                {
                    *number as u32
                }
                Some(other) => {
                    return Err(format!(
                        "answer to {id}: expected a version from 1 to {}, found {}",
                        question.version,
                        other.describe()
                    ));
                }
            };
            let Some(value) = value else {
                return Err(format!("answer to {id}: expected a value"));
            };
            (version, value)
        }
        other => (question.version, other),
    };
    let text = match value {
        RawValue::Integer(number) => number.to_string(),
        RawValue::Text(text) => text.clone(),
        RawValue::List(items) => {
            let mut texts = Vec::new();
            for item in items {
                match item {
                    RawValue::Text(text) => texts.push(text.clone()),
                    other => {
                        return Err(format!(
                            "answer to {id}: expected option ids, found {}",
                            other.describe()
                        ));
                    }
                }
            }
            texts.join(",")
        }
        other => {
            return Err(format!(
                "answer to {id}: expected a whole number, a word or a list of option ids, found {}",
                other.describe()
            ));
        }
    };
    let read = if version == question.version {
        question.read_answer(&text)
    } else {
        question.read_earlier_answer(&text)
    };
    read.map(|value| value.map(|value| (id.clone(), Answer { version, value })))
        .map_err(|message| format!("answer to {id}: {message}"))
}

/// Reads typed fields out of a raw story, collecting errors with their lines.
struct FieldReader<'a> {
    raw: &'a RawStory,
    errors: Vec<LineError>,
}

impl FieldReader<'_> {
    fn error(&mut self, key: &str, message: String) {
        let line = self.raw.line_of(key);
        self.errors.push(LineError::new(line, Some(key), message));
    }

    /// An error in one entry of a table field (such as one score), at that entry's line.
    fn error_in_table(&mut self, key: &str, entry: &str, message: String) {
        let line = match &self.raw.locator {
            Locator::FrontMatter { text, first_line } => line_of_key(text, entry, *first_line),
            Locator::Row { .. } => None,
        }
        .unwrap_or_else(|| self.raw.line_of(key));
        self.errors.push(LineError::new(line, Some(key), message));
    }

    fn optional<T>(
        &mut self,
        key: &str,
        convert: impl FnOnce(&RawValue) -> Result<T, String>,
    ) -> Option<T> {
        let value = self.raw.fields.get(key)?;
        match convert(value) {
            Ok(value) => Some(value),
            Err(message) => {
                self.error(key, message);
                None
            }
        }
    }

    fn required<T>(
        &mut self,
        key: &str,
        convert: impl FnOnce(&RawValue) -> Result<T, String>,
    ) -> Option<T> {
        if !self.raw.fields.contains_key(key) {
            let line = self.raw.line_of(key);
            self.errors
                .push(LineError::new(line, Some(key), "missing required field"));
            return None;
        }
        self.optional(key, convert)
    }
}

fn parse_date(value: &RawValue) -> Result<Date, String> {
    let text = match value {
        RawValue::Text(text) | RawValue::Date(text) => text.trim(),
        other => {
            return Err(format!(
                "expected a date as YYYY-MM-DD, found {}",
                other.describe()
            ));
        }
    };
    // A date-time (as notes apps write "2025-03-14 10:30") counts for its date.
    let date_part = text.get(..10).unwrap_or(text);
    date_part
        .parse::<Date>()
        .ok()
        .filter(|_| text.len() == 10 || text[10..].starts_with(['T', ' ']))
        .ok_or_else(|| format!("expected a date as YYYY-MM-DD, found {text:?}"))
}

fn coded<T: Coded>(value: &RawValue) -> Result<T, String> {
    match value {
        RawValue::Text(text) => {
            T::parse_code(text).ok_or_else(|| format!("expected {}, found {text:?}", T::expected()))
        }
        other => Err(format!(
            "expected {}, found {}",
            T::expected(),
            other.describe()
        )),
    }
}

fn id_of<T, E: std::fmt::Display>(
    value: &RawValue,
    parse: impl Fn(&str) -> Result<T, E>,
) -> Result<T, String> {
    match value {
        RawValue::Text(text) => parse(text.trim()).map_err(|error| error.to_string()),
        other => Err(format!("expected an id, found {}", other.describe())),
    }
}

/// The items of a list field; a single text is accepted as a comma-separated list, as people type it.
fn list_items(value: &RawValue) -> Result<Vec<RawValue>, String> {
    match value {
        RawValue::List(items) => Ok(items.clone()),
        RawValue::Text(text) => Ok(text
            .split([',', '|'])
            .map(str::trim)
            .filter(|item| !item.is_empty())
            .map(|item| RawValue::Text(item.to_string()))
            .collect()),
        other => Err(format!("expected a list, found {}", other.describe())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::goals::GoalTree;
    use crate::municipality::Municipality;

    fn catalog_parts() -> (Municipality, GoalTree) {
        let municipality = Municipality::from_toml(
            r#"
name = "Proef"
default_language = "nl"
[[areas]]
id = "noord"
name = "Noord"
kind = "stadsdeel"
[[providers]]
id = "buurtwerk"
name = "Buurtwerk"
[[activities]]
id = "koffie"
name = "Koffie"
provider = "buurtwerk"
"#,
        )
        .unwrap();
        let goals = GoalTree::from_toml(
            r#"
[[goals]]
id = "meedoen"
title = "Meedoen"
[[subgoals]]
id = "netwerk"
goal = "meedoen"
title = "Netwerk"
[[statements]]
id = "ken-meer"
subgoal = "netwerk"
text = "Ik ken meer mensen"
scale = "five_point"
"#,
        )
        .unwrap();
        (municipality, goals)
    }

    fn parse(text: &str) -> Result<Story, Vec<LineError>> {
        let (municipality, goals) = catalog_parts();
        parse_story_file(
            text,
            Catalog {
                municipality: &municipality,
                goals: &goals,
                sessions: &[],
                rounds: &[],
                questions: &crate::testing::question_set(),
            },
        )
    }

    const GOOD: &str = "+++\ntitle = \"Weer onder de mensen\"\ndate = 2025-03-14\nteller = \"resident\"\nvalence = \"positive\"\nconsent = \"public\"\nprovider = \"buurtwerk\"\narea = \"noord\"\nactivity = \"koffie\"\nsubgoals = [\"netwerk\"]\ntags = [\"Buurthuis\", \"koffie\"]\nstatus = \"published\"\n\n[scores]\nken-meer = 4\n+++\n\nIk ga **elke dinsdag**.\n";

    #[test]
    fn reads_a_complete_toml_story() {
        let story = parse(GOOD).unwrap();
        assert_eq!(story.title, "Weer onder de mensen");
        assert_eq!(story.date, jiff::civil::date(2025, 3, 14));
        assert_eq!(story.teller, TellerRole::Resident);
        assert_eq!(story.tags, vec!["buurthuis", "koffie"]);
        assert_eq!(story.scores.values().copied().collect::<Vec<_>>(), vec![4]);
        assert_eq!(story.moderation, Moderation::Published);
        assert_eq!(story.text.as_str(), "Ik ga **elke dinsdag**.");
        assert_eq!(
            story.id,
            StoryId::derived(&story.title, story.date, story.text.as_str())
        );
    }

    #[test]
    fn reads_yaml_as_notes_apps_write_it() {
        let text = "---\ntitle: Hulp bij de post\ndate: 2025-02-03 10:30\nteller: vrijwilliger\nvalence: mixed\nconsent: internal\nsubgoals: [netwerk]\ntags: post, schulden\naliases:\n---\nIk help meneer met zijn post.\n";
        let story = parse(text).unwrap();
        assert_eq!(story.teller, TellerRole::Volunteer);
        assert_eq!(story.date, jiff::civil::date(2025, 2, 3));
        assert_eq!(story.tags, vec!["post", "schulden"]);
        assert_eq!(story.moderation, Moderation::Submitted);
    }

    /// Each case: file text, then the (line, field) pairs that must be reported.
    #[test]
    fn reports_each_problem_with_line_and_field() {
        let cases: Vec<(String, Vec<(usize, &str)>)> = vec![
            (
                GOOD.replace("date = 2025-03-14", "date = \"2025-13-45\""),
                vec![(3, "date")],
            ),
            (
                GOOD.replace("date = 2025-03-14", "date = 2024-13-45"),
                vec![(3, "date")],
            ),
            (
                GOOD.replace("subgoals = [\"netwerk\"]", "subgoals = [\"onbekend\"]"),
                vec![(10, "subgoals")],
            ),
            (
                GOOD.replace("teller = \"resident\"\n", ""),
                vec![(1, "teller")],
            ),
            (
                GOOD.replace("valence = \"positive\"", "valence = \"blij\"")
                    .replace("area = \"noord\"", "area = \"zuid\""),
                vec![(5, "valence"), (8, "area")],
            ),
            (
                GOOD.replace("ken-meer = 4", "ken-meer = 9"),
                vec![(15, "scores")],
            ),
            (
                GOOD.replace("status = \"published\"", "status = \"rejected\""),
                vec![(1, "rejection_reason")],
            ),
            (
                GOOD.replace("\nIk ga **elke dinsdag**.\n", "\n"),
                vec![(17, "text")],
            ),
            (
                "+++\ntitle = \"kapot\ndate = 2024-13-45\n+++\nTekst.\n".to_string(),
                vec![(2, "title")],
            ),
        ];
        for (text, want) in cases {
            let errors = parse(&text).unwrap_err();
            let got: Vec<(usize, &str)> = errors
                .iter()
                .map(|e| (e.line, e.field.as_deref().unwrap_or("")))
                .collect();
            assert_eq!(got, want, "{errors:?}");
        }
    }

    #[test]
    fn rejects_files_without_front_matter() {
        let errors = parse("Gewoon tekst\n").unwrap_err();
        assert_eq!(errors[0].line, 1);
        let errors = parse("+++\ntitle = \"x\"\nTekst\n").unwrap_err();
        assert!(errors[0].message.contains("not closed"), "{errors:?}");
    }
    #[test]
    fn a_score_written_as_text_is_read_the_dutch_way() {
        for (written, want) in [
            ("\"4\"", Some(4)),
            ("\"4,0\"", Some(4)),
            ("\"2.710\"", None),
        ] {
            let text = GOOD.replace("ken-meer = 4", &format!("ken-meer = {written}"));
            let got = parse(&text)
                .ok()
                .map(|story| story.scores.values().copied().collect::<Vec<_>>());
            assert_eq!(got, want.map(|score| vec![score]), "{written}");
        }
    }
}
