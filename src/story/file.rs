//! Writing a story as a file: TOML front matter between `+++` lines, then the Markdown text.
//!
//! The output is what [`super::front_matter::parse_story_file`] reads back into the same story, so the
//! Markdown export of a bank can be imported again unchanged. Field order follows the documented format.

use std::collections::BTreeMap;

use serde::Serialize;

use super::{Coded, Moderation, Story};
use crate::questions::{AnswerValue, SliderAnswer};

#[derive(Serialize)]
struct FrontMatterOut<'a> {
    title: &'a str,
    date: toml::value::Datetime,
    teller: &'static str,
    valence: &'static str,
    consent: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    consent_date: Option<toml::value::Datetime>,
    #[serde(skip_serializing_if = "Option::is_none")]
    provider: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    area: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    activity: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    indicator: Option<&'a str>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    subgoals: Vec<&'a str>,
    #[serde(skip_serializing_if = "no_tags")]
    tags: &'a [String],
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    session: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    round: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    channel: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    received: Option<toml::value::Datetime>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rejection_reason: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    translation: Option<&'a str>,
    id: String,
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    scores: BTreeMap<&'a str, u8>,
}

fn no_tags(tags: &&[String]) -> bool {
    tags.is_empty()
}

/// The story as file text: `+++` TOML front matter `+++`, then the Markdown text and a final newline.
pub fn story_to_file(story: &Story) -> String {
    let toml_date = |date: jiff::civil::Date| toml::value::Datetime {
        date: Some(toml::value::Date {
            year: date.year() as u16,
            month: date.month() as u8,
            day: date.day() as u8,
        }),
        time: None,
        offset: None,
    };
    let date = toml_date(story.date);
    let front_matter = FrontMatterOut {
        title: &story.title,
        date,
        teller: story.teller.code(),
        valence: story.valence.code(),
        consent: story.consent.code(),
        consent_date: story.consent_date.map(toml_date),
        provider: story.provider.as_ref().map(|id| id.as_str()),
        area: story.area.as_ref().map(|id| id.as_str()),
        activity: story.activity.as_ref().map(|id| id.as_str()),
        indicator: story.indicator.as_ref().map(|id| id.as_str()),
        subgoals: story.subgoals.iter().map(|id| id.as_str()).collect(),
        tags: &story.tags,
        language: story.language.as_ref().map(|language| language.code()),
        name: story.teller_name.as_deref(),
        session: story.session.as_ref().map(|id| id.as_str()),
        round: story.round.as_ref().map(|id| id.as_str()),
        channel: story.channel.map(|channel| channel.code()),
        received: story.received.map(toml_date),
        status: story.moderation.code(),
        rejection_reason: match &story.moderation {
            Moderation::Rejected(reason) => Some(reason),
            _ => None,
        },
        translation: story.translation.as_deref(),
        id: story.id.to_string(),
        scores: story
            .scores
            .iter()
            .map(|(id, score)| (id.as_str(), *score))
            .collect(),
    };
    let mut toml = toml::to_string(&front_matter).expect("front matter always serialises to TOML");
    if !story.answers.is_empty() {
        toml += "\n[answers]\n";
        for (id, answer) in story.answers.iter() {
            toml += &format!(
                "{id} = {{ version = {}, value = {} }}\n",
                answer.version,
                answer_toml(&answer.value)
            );
        }
    }
    format!("+++\n{toml}+++\n{}\n", story.text.as_str())
}

/// An answer's value as a TOML value: a number, a quoted word or text, or a list of option ids.
fn answer_toml(value: &AnswerValue) -> String {
    let value = match value {
        AnswerValue::Slider(SliderAnswer::At(point)) => toml::Value::Integer(i64::from(*point)),
        AnswerValue::Agreement(score) => toml::Value::Integer(i64::from(*score)),
        AnswerValue::Choices(ids) => toml::Value::Array(
            ids.iter()
                .map(|id| toml::Value::String(id.to_string()))
                .collect(),
        ),
        other => toml::Value::String(other.as_text()),
    };
    value.to_string()
}

/// A file name for the story: date, a slug of the title and the start of its id, so names sort by date
/// and never collide.
pub fn story_file_name(story: &Story) -> String {
    let slug = crate::ids::slug(&story.title, 48);
    let slug = if slug.is_empty() { "verhaal" } else { &slug };
    format!("{}-{}-{}.md", story.date, slug, story.id.short())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::{Consent, Markdown, StoryId, TellerRole, Valence};

    fn story() -> Story {
        Story {
            id: StoryId::parse("0b7a4c7e-6a43-5b1f-9a65-3c1b1a6d2f10").unwrap(),
            title: "Een \"cliënt\" vertelt".to_string(),
            date: jiff::civil::date(2025, 3, 4),
            teller: TellerRole::Carer,
            valence: Valence::Mixed,
            consent: Consent::Internal,
            consent_date: Some(jiff::civil::date(2025, 3, 5)),
            provider: None,
            area: None,
            activity: None,
            indicator: None,
            translation: None,
            subgoals: Vec::new(),
            tags: vec!["mantelzorg".to_string()],
            language: None,
            teller_name: None,
            session: None,
            round: None,
            channel: Some(crate::story::Channel::Paper),
            received: Some(jiff::civil::date(2025, 3, 6)),
            scores: BTreeMap::new(),
            answers: Default::default(),
            moderation: Moderation::Rejected("bevat een naam".to_string()),
            text: Markdown::new("Tekst\n\n+++\nmet een streep"),
        }
    }

    #[test]
    fn writes_documented_front_matter() {
        insta::assert_snapshot!(story_to_file(&story()), @r#"
        +++
        title = 'Een "cliënt" vertelt'
        date = 2025-03-04
        teller = "carer"
        valence = "mixed"
        consent = "internal"
        consent_date = 2025-03-05
        tags = ["mantelzorg"]
        channel = "paper"
        received = 2025-03-06
        status = "rejected"
        rejection_reason = "bevat een naam"
        id = "0b7a4c7e-6a43-5b1f-9a65-3c1b1a6d2f10"
        +++
        Tekst

        +++
        met een streep
        "#);
    }

    #[test]
    fn file_names_are_readable() {
        assert_eq!(
            story_file_name(&story()),
            "2025-03-04-een-client-vertelt-0b7a4c7e.md"
        );
    }
}
