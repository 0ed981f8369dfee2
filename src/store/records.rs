//! The on-disk records: versioned structs that are kept apart from the domain types.
//!
//! A domain type may be refactored freely; these may not. Every record carries its version in a `v`
//! tag, is stored as JSON (self-describing, so optional fields can be added without a migration), and
//! converts to and from the domain with explicit code. A new incompatible shape becomes a new version
//! variant, and the old variant keeps being read. Enum values are stored as their documented codes.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{StoreError, compression};
use crate::evidence::Measurement;
use crate::ids::{
    ActivityId, AreaId, ChoiceId, IndicatorId, ProviderId, QuestionId, RoundId, SessionId,
    StatementId, SubgoalId,
};
use crate::language::Language;
use crate::questions::{Answer, AnswerValue, SliderAnswer};
use crate::story::{
    Channel, Coded, Consent, Markdown, Moderation, Story, StoryId, TellerRole, Valence,
};

/// A record as written: its fields and, beside them, `version`, the number of times this record has
/// been written. A change made from what was read at version N is only stored while the record is
/// still at N, so two people changing the same thing cannot silently undo each other. Records
/// written before versions existed have no such field and read as version 0.
#[derive(Serialize)]
struct Stamped<'a, T: Serialize> {
    #[serde(flatten)]
    record: &'a T,
    version: u64,
}

/// Only the version of a stored record; every other field is left unread.
#[derive(Deserialize)]
struct VersionOnly {
    #[serde(default)]
    version: u64,
}

/// A record's bytes with its version beside its fields.
pub(super) fn encode_stamped<T: Serialize>(record: &T, version: u64) -> Vec<u8> {
    serde_json::to_vec(&Stamped { record, version }).expect("records always serialise")
}

/// A story record's bytes as stored since format 3: its JSON with the version beside its fields,
/// compressed ([`compression`]).
pub(super) fn encode_story(record: &StoryRecord, version: u64) -> Vec<u8> {
    compression::pack(&encode_stamped(record, version))
}

/// The version of a stored record, compressed or not: 0 for records written before versions
/// existed, or unreadable.
pub(super) fn version_of(bytes: &[u8]) -> u64 {
    compression::unpack(bytes)
        .ok()
        .and_then(|json| serde_json::from_slice::<VersionOnly>(&json).ok())
        .map_or(0, |only| only.version)
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
pub(super) enum StoryRecord {
    #[serde(rename = "1")]
    V1(StoryV1),
}

#[derive(Serialize, Deserialize)]
pub(super) struct StoryV1 {
    id: String,
    title: String,
    date: String,
    teller: String,
    valence: String,
    consent: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    consent_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    area: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    activity: Option<String>,
    /// Absent in records written before a story could name its indicator.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    indicator: Option<String>,
    /// Absent in records written before staff could translate a story.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    translation: Option<String>,
    #[serde(default)]
    subgoals: Vec<String>,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    language: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    teller_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    session: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    round: Option<String>,
    /// How the story came in (`paper`), when recorded; absent in records written before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    channel: Option<String>,
    /// The day the bank received the story; absent in records written before it was kept.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    received: Option<String>,
    #[serde(default)]
    scores: BTreeMap<String, u8>,
    /// Added in store format 2; absent in records written before.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    answers: BTreeMap<String, AnswerV1>,
    status: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    rejection_reason: Option<String>,
    text: String,
}

/// One answer to a question about the story: the question's version it was given under, and the
/// value, tagged with the kind of question it answers so it reads without the question set.
#[derive(Serialize, Deserialize)]
pub(super) struct AnswerV1 {
    version: u32,
    #[serde(flatten)]
    value: AnswerValueV1,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "kind", content = "value", rename_all = "snake_case")]
enum AnswerValueV1 {
    Slider(u8),
    DontKnow,
    DoesNotApply,
    Choice(String),
    Choices(Vec<String>),
    Agreement(u8),
    Text(String),
}

impl AnswerV1 {
    fn from_answer(answer: &Answer) -> AnswerV1 {
        use crate::redact::strip_bsn;
        let value = match &answer.value {
            AnswerValue::Slider(SliderAnswer::At(point)) => AnswerValueV1::Slider(*point),
            AnswerValue::Slider(SliderAnswer::DontKnow) => AnswerValueV1::DontKnow,
            AnswerValue::Slider(SliderAnswer::DoesNotApply) => AnswerValueV1::DoesNotApply,
            AnswerValue::Choice(id) => AnswerValueV1::Choice(id.to_string()),
            AnswerValue::Choices(ids) => {
                AnswerValueV1::Choices(ids.iter().map(ToString::to_string).collect())
            }
            AnswerValue::Agreement(score) => AnswerValueV1::Agreement(*score),
            AnswerValue::Text(text) => AnswerValueV1::Text(strip_bsn(text)),
        };
        AnswerV1 {
            version: answer.version,
            value,
        }
    }

    fn into_answer(self) -> Result<Answer, crate::ids::IdError> {
        let value = match self.value {
            AnswerValueV1::Slider(point) => AnswerValue::Slider(SliderAnswer::At(point)),
            AnswerValueV1::DontKnow => AnswerValue::Slider(SliderAnswer::DontKnow),
            AnswerValueV1::DoesNotApply => AnswerValue::Slider(SliderAnswer::DoesNotApply),
            AnswerValueV1::Choice(id) => AnswerValue::Choice(ChoiceId::parse(&id)?),
            AnswerValueV1::Choices(ids) => AnswerValue::Choices(
                ids.iter()
                    .map(|id| ChoiceId::parse(id))
                    .collect::<Result<_, _>>()?,
            ),
            AnswerValueV1::Agreement(score) => AnswerValue::Agreement(score),
            AnswerValueV1::Text(text) => AnswerValue::Text(text),
        };
        Ok(Answer {
            version: self.version,
            value,
        })
    }
}

fn corrupt(what: &str, detail: impl std::fmt::Display) -> StoreError {
    StoreError::Corrupt {
        what: what.to_string(),
        detail: detail.to_string(),
    }
}

impl StoryRecord {
    /// The record of a story. A BSN is never stored: any valid one in its words becomes `[BSN]`.
    pub(super) fn from_story(story: &Story) -> StoryRecord {
        use crate::redact::strip_bsn;
        StoryRecord::V1(StoryV1 {
            id: story.id.to_string(),
            title: strip_bsn(&story.title),
            date: story.date.to_string(),
            teller: story.teller.code().to_string(),
            valence: story.valence.code().to_string(),
            consent: story.consent.code().to_string(),
            consent_date: story.consent_date.map(|date| date.to_string()),
            provider: story.provider.as_ref().map(ToString::to_string),
            area: story.area.as_ref().map(ToString::to_string),
            activity: story.activity.as_ref().map(ToString::to_string),
            indicator: story.indicator.as_ref().map(ToString::to_string),
            translation: story.translation.as_deref().map(strip_bsn),
            subgoals: story.subgoals.iter().map(ToString::to_string).collect(),
            tags: story.tags.iter().map(|tag| strip_bsn(tag)).collect(),
            language: story.language.as_ref().map(ToString::to_string),
            teller_name: story.teller_name.as_deref().map(strip_bsn),
            session: story.session.as_ref().map(ToString::to_string),
            round: story.round.as_ref().map(ToString::to_string),
            channel: story.channel.map(|channel| channel.code().to_string()),
            received: story.received.map(|date| date.to_string()),
            scores: story
                .scores
                .iter()
                .map(|(id, score)| (id.to_string(), *score))
                .collect(),
            answers: story
                .answers
                .iter()
                .map(|(id, answer)| (id.to_string(), AnswerV1::from_answer(answer)))
                .collect(),
            status: story.moderation.code().to_string(),
            rejection_reason: match &story.moderation {
                Moderation::Rejected(reason) => Some(strip_bsn(reason)),
                _ => None,
            },
            text: strip_bsn(story.text.as_str()),
        })
    }

    pub(super) fn into_story(self) -> Result<Story, StoreError> {
        let StoryRecord::V1(record) = self;
        let what = format!("story {}", record.id);
        let bad = |field: &str, detail: &dyn std::fmt::Display| {
            corrupt(&what, format!("{field}: {detail}"))
        };
        let id = StoryId::parse(&record.id).map_err(|error| bad("id", &error))?;
        let date = record.date.parse().map_err(|error| bad("date", &error))?;
        let teller =
            TellerRole::parse_code(&record.teller).ok_or_else(|| bad("teller", &record.teller))?;
        let valence =
            Valence::parse_code(&record.valence).ok_or_else(|| bad("valence", &record.valence))?;
        let consent =
            Consent::parse_code(&record.consent).ok_or_else(|| bad("consent", &record.consent))?;
        let moderation = match (record.status.as_str(), record.rejection_reason) {
            ("submitted", _) => Moderation::Submitted,
            ("published", _) => Moderation::Published,
            ("rejected", reason) => Moderation::Rejected(reason.unwrap_or_default()),
            (other, _) => return Err(bad("status", &other)),
        };
        let ids = |field: &str, items: &[String]| -> Result<Vec<SubgoalId>, StoreError> {
            items
                .iter()
                .map(|item| SubgoalId::parse(item).map_err(|error| bad(field, &error)))
                .collect()
        };
        Ok(Story {
            id,
            title: record.title,
            date,
            teller,
            valence,
            consent,
            consent_date: record
                .consent_date
                .map(|date| date.parse().map_err(|error| bad("consent_date", &error)))
                .transpose()?,
            provider: record
                .provider
                .map(|id| ProviderId::parse(&id).map_err(|error| bad("provider", &error)))
                .transpose()?,
            area: record
                .area
                .map(|id| AreaId::parse(&id).map_err(|error| bad("area", &error)))
                .transpose()?,
            activity: record
                .activity
                .map(|id| ActivityId::parse(&id).map_err(|error| bad("activity", &error)))
                .transpose()?,
            indicator: record
                .indicator
                .map(|id| IndicatorId::parse(&id).map_err(|error| bad("indicator", &error)))
                .transpose()?,
            translation: record.translation,
            subgoals: ids("subgoals", &record.subgoals)?,
            tags: record.tags,
            language: record
                .language
                .map(|code| Language::parse(&code).map_err(|error| bad("language", &error)))
                .transpose()?,
            teller_name: record.teller_name,
            session: record
                .session
                .map(|id| SessionId::parse(&id).map_err(|error| bad("session", &error)))
                .transpose()?,
            round: record
                .round
                .map(|id| RoundId::parse(&id).map_err(|error| bad("round", &error)))
                .transpose()?,
            channel: record
                .channel
                .map(|code| Channel::parse_code(&code).ok_or_else(|| bad("channel", &code)))
                .transpose()?,
            received: record
                .received
                .map(|date| date.parse().map_err(|error| bad("received", &error)))
                .transpose()?,
            scores: record
                .scores
                .into_iter()
                .map(|(id, score)| {
                    StatementId::parse(&id)
                        .map(|id| (id, score))
                        .map_err(|error| bad("scores", &error))
                })
                .collect::<Result<_, _>>()?,
            answers: record
                .answers
                .into_iter()
                .map(|(id, answer)| {
                    Ok((
                        QuestionId::parse(&id).map_err(|error| bad("answers", &error))?,
                        answer
                            .into_answer()
                            .map_err(|error| bad("answers", &error))?,
                    ))
                })
                .collect::<Result<_, StoreError>>()?,
            moderation,
            text: Markdown::new(&record.text),
        })
    }
}

/// What happened to a story, for the search index to follow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxOp {
    /// The story was created or changed: (re)index it.
    Upsert,
    /// The story was erased: remove it from the index.
    Erase,
}

/// One entry of the outbox: the index must bring `story` up to date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxEntry {
    pub story: StoryId,
    pub op: OutboxOp,
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
pub(super) enum OutboxRecord {
    #[serde(rename = "1")]
    V1 { story: String, op: String },
}

impl OutboxRecord {
    pub(super) fn from_entry(entry: OutboxEntry) -> Self {
        OutboxRecord::V1 {
            story: entry.story.to_string(),
            op: match entry.op {
                OutboxOp::Upsert => "upsert",
                OutboxOp::Erase => "erase",
            }
            .to_string(),
        }
    }

    pub(super) fn into_entry(self) -> Result<OutboxEntry, StoreError> {
        let OutboxRecord::V1 { story, op } = self;
        let id = StoryId::parse(&story).map_err(|error| corrupt("outbox entry", error))?;
        let op = match op.as_str() {
            "upsert" => OutboxOp::Upsert,
            "erase" => OutboxOp::Erase,
            other => {
                return Err(corrupt(
                    "outbox entry",
                    format!("unknown operation {other}"),
                ));
            }
        };
        Ok(OutboxEntry { story: id, op })
    }
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
pub(super) enum MeasurementRecord {
    #[serde(rename = "1")]
    V1 {
        indicator: String,
        period: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        area: Option<String>,
        value: f64,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        numerator: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        denominator: Option<f64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        source: Option<String>,
    },
}

impl MeasurementRecord {
    pub(super) fn from_measurement(measurement: &Measurement) -> Self {
        MeasurementRecord::V1 {
            indicator: measurement.indicator.to_string(),
            period: measurement.period.to_string(),
            area: measurement.area.as_ref().map(ToString::to_string),
            value: measurement.value,
            numerator: measurement.numerator,
            denominator: measurement.denominator,
            source: measurement.source.clone(),
        }
    }

    pub(super) fn into_measurement(self) -> Result<Measurement, StoreError> {
        let MeasurementRecord::V1 {
            indicator,
            period,
            area,
            value,
            numerator,
            denominator,
            source,
        } = self;
        let bad = |detail: String| corrupt(&format!("measurement of {indicator}"), detail);
        Ok(Measurement {
            indicator: IndicatorId::parse(&indicator).map_err(|error| bad(error.to_string()))?,
            period: period
                .parse()
                .map_err(|error: crate::evidence::period::PeriodError| bad(error.to_string()))?,
            area: area
                .map(|id| AreaId::parse(&id).map_err(|error| bad(error.to_string())))
                .transpose()?,
            value,
            numerator,
            denominator,
            source,
        })
    }
}

/// A settings document (the municipality, the goal tree) stored as its documented TOML file text:
/// the file format is already the stable, versioned contract for these.
#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
pub(super) enum TomlDocumentRecord {
    #[serde(rename = "1")]
    V1 { toml: String },
}

/// A storytelling session, stored in the shape of its `sessions.toml` entry.
#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
pub(super) enum SessionRecord {
    #[serde(rename = "1")]
    V1(crate::sessions::file::SessionOut),
}

/// A narrative evaluation round, stored in the shape of its `rounds.toml` entry.
#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
pub(super) enum RoundRecord {
    #[serde(rename = "1")]
    V1(crate::rounds::file::RoundOut),
}

/// An interpretation, stored in the shape of its `sessions.toml` entry.
#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
pub(super) enum InterpretationRecord {
    #[serde(rename = "1")]
    V1(crate::sessions::file::InterpretationOut),
}

/// An action, stored in the shape of its `sessions.toml` entry.
#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
pub(super) enum ActionRecord {
    #[serde(rename = "1")]
    V1(crate::sessions::file::ActionOut),
}

/// Turns a problem reading a stored session, interpretation or action into a store error.
pub(super) fn corrupt_entry(
    what: &str,
    (field, value, message): crate::sessions::file::Problem,
) -> StoreError {
    corrupt(what, format!("{field} {value:?}: {message}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_sit_beside_the_fields_and_old_records_read_as_zero() {
        let story = crate::testing::story("Titel", "Tekst");
        let record = StoryRecord::from_story(&story);
        let bytes = encode_stamped(&record, 7);
        assert_eq!(version_of(&bytes), 7);
        let read: StoryRecord = serde_json::from_slice(&bytes).unwrap();
        assert_eq!(read.into_story().unwrap(), story);

        // A record written before versions existed.
        let old = serde_json::to_vec(&StoryRecord::from_story(&story)).unwrap();
        assert_eq!(version_of(&old), 0);
    }

    #[test]
    fn a_story_record_is_stored_compressed_and_its_version_reads_through_it() {
        let story = crate::testing::story(
            "Koffie",
            "Elke dinsdag drinken wij koffie in de buurtkamer van De Hoven, met de buren.",
        );
        let record = StoryRecord::from_story(&story);
        let stored = encode_story(&record, 4);
        assert!(compression::is_packed(&stored));
        let word = b"buurtkamer".as_slice();
        assert!(!stored.windows(word.len()).any(|window| window == word));
        assert_eq!(version_of(&stored), 4);
        let json = compression::unpack(&stored).unwrap();
        assert_eq!(json.as_ref(), encode_stamped(&record, 4).as_slice());
        let read: StoryRecord = serde_json::from_slice(&json).unwrap();
        assert_eq!(read.into_story().unwrap(), story);
    }
}
