//! `rounds.toml`: narrative evaluation rounds as a plain file, read by import and written by the
//! Markdown export. Stories name their round in their own front matter (`round = "..."`).
//!
//! Read into string-typed structs first and then checked, so every problem names its line and field;
//! areas, providers and subgoals are checked against the municipality and the goal tree.

use serde::{Deserialize, Serialize};

use super::themes::KeptTheme;
use super::{Round, RoundPhase, SignificantStory};
use crate::ids::{AreaId, ProviderId, RoundId, SubgoalId};
use crate::sessions::file::{Problem, coded, date, id, ids};
use crate::sessions::is_code;
use crate::source::{LineError, line_of_assignment, toml_error};
use crate::story::{Catalog, Coded, StoryId};

#[derive(Serialize, Deserialize, Default)]
struct FileOut {
    #[serde(default)]
    rounds: Vec<RoundOut>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct RoundOut {
    id: String,
    title: String,
    #[serde(default)]
    question: String,
    from: String,
    to: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    providers: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    areas: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    subgoals: Vec<String>,
    phase: String,
    code: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    synthesis: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    feedback: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    significant: Vec<SignificantOut>,
    /// The themes an analyst kept; absent in rounds written before themes existed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    themes: Vec<ThemeOut>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct ThemeOut {
    number: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    name: Option<String>,
    #[serde(default)]
    stories: Vec<String>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    dropped: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct SignificantOut {
    story: String,
    reason: String,
}

impl RoundOut {
    pub(crate) fn from_round(r: &Round) -> RoundOut {
        RoundOut {
            id: r.id.to_string(),
            title: r.title.clone(),
            question: r.question.clone(),
            from: r.from.to_string(),
            to: r.to.to_string(),
            providers: r.providers.iter().map(ToString::to_string).collect(),
            areas: r.areas.iter().map(ToString::to_string).collect(),
            subgoals: r.subgoals.iter().map(ToString::to_string).collect(),
            phase: r.phase.code().to_string(),
            code: r.code.clone(),
            synthesis: r.synthesis.clone(),
            feedback: r.feedback.clone(),
            significant: r
                .significant
                .iter()
                .map(|s| SignificantOut {
                    story: s.story.to_string(),
                    reason: s.reason.clone(),
                })
                .collect(),
            themes: r
                .themes
                .iter()
                .map(|t| ThemeOut {
                    number: t.number,
                    name: t.name.clone(),
                    stories: t.stories.iter().map(ToString::to_string).collect(),
                    dropped: t.dropped,
                })
                .collect(),
        }
    }

    pub(crate) fn into_round(self) -> Result<Round, Problem> {
        if !is_code(&self.code) {
            return Err((
                "code",
                self.code,
                "expected a short-link code of 4 to 12 lowercase letters and digits".to_string(),
            ));
        }
        let from = date("from", &self.from)?;
        let to = date("to", &self.to)?;
        if to < from {
            return Err((
                "to",
                self.to,
                format!("expected an end date on or after {from}"),
            ));
        }
        Ok(Round {
            id: id("id", &self.id, RoundId::parse)?,
            title: self.title,
            question: self.question,
            from,
            to,
            providers: ids("providers", &self.providers, ProviderId::parse)?,
            areas: ids("areas", &self.areas, AreaId::parse)?,
            subgoals: ids("subgoals", &self.subgoals, SubgoalId::parse)?,
            phase: coded::<RoundPhase>("phase", &self.phase)?,
            code: self.code,
            significant: self
                .significant
                .into_iter()
                .map(|s| {
                    Ok(SignificantStory {
                        story: id("story", &s.story, StoryId::parse)?,
                        reason: s.reason,
                    })
                })
                .collect::<Result<_, Problem>>()?,
            synthesis: self.synthesis,
            feedback: self.feedback,
            themes: self
                .themes
                .into_iter()
                .map(|t| {
                    Ok(KeptTheme {
                        number: t.number,
                        name: t.name,
                        stories: ids("stories", &t.stories, StoryId::parse)?,
                        dropped: t.dropped,
                    })
                })
                .collect::<Result<_, Problem>>()?,
        })
    }
}

/// Parses `rounds.toml`, checking areas, providers and subgoals against the catalog.
pub fn rounds_from_toml(text: &str, catalog: Catalog<'_>) -> Result<Vec<Round>, LineError> {
    let raw: FileOut = toml::from_str(text).map_err(|error| toml_error(text, &error, 1))?;
    let at = |(field, value, message): Problem| {
        LineError::new(
            line_of_assignment(text, field, &value),
            Some(field),
            message,
        )
    };
    let rounds: Vec<Round> = raw
        .rounds
        .into_iter()
        .map(|r| r.into_round().map_err(at))
        .collect::<Result<_, _>>()?;
    for round in &rounds {
        check_references(round, catalog).map_err(at)?;
    }
    Ok(rounds)
}

fn check_references(round: &Round, catalog: Catalog<'_>) -> Result<(), Problem> {
    for area in &round.areas {
        if catalog.municipality.area(area).is_none() {
            return Err((
                "areas",
                area.to_string(),
                format!("unknown area {area}; expected an area id from municipality.toml"),
            ));
        }
    }
    for provider in &round.providers {
        if catalog.municipality.provider(provider).is_none() {
            return Err((
                "providers",
                provider.to_string(),
                format!(
                    "unknown provider {provider}; expected a provider id from municipality.toml"
                ),
            ));
        }
    }
    for subgoal in &round.subgoals {
        if catalog.goals.subgoal(subgoal).is_none() {
            return Err((
                "subgoals",
                subgoal.to_string(),
                format!("unknown subgoal {subgoal}; expected a subgoal id from goals.toml"),
            ));
        }
    }
    Ok(())
}

/// Writes the file that [`rounds_from_toml`] reads back.
pub fn rounds_to_toml(rounds: &[Round]) -> String {
    let out = FileOut {
        rounds: rounds.iter().map(RoundOut::from_round).collect(),
    };
    toml::to_string(&out).expect("rounds always serialise to TOML")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn a_round_survives_the_file_and_bad_references_name_their_line() {
        let demo = testing::CatalogParts::demo();
        let catalog = demo.catalog();
        let round = Round {
            id: RoundId::parse("minder-alleen").unwrap(),
            title: "Minder alleen".to_string(),
            question: "Wat helpt?".to_string(),
            from: jiff::civil::date(2025, 1, 1),
            to: jiff::civil::date(2025, 12, 31),
            providers: vec![],
            areas: vec![AreaId::parse("noord").unwrap()],
            subgoals: vec![SubgoalId::parse("sterker-netwerk").unwrap()],
            phase: RoundPhase::Closed,
            code: "mnd25a".to_string(),
            significant: vec![SignificantStory {
                story: StoryId::parse("6b0f0e51-2a55-4c2b-9a8e-2f1d7c3a9b01").unwrap(),
                reason: "Laat zien wat vervoer betekent.".to_string(),
            }],
            synthesis: Some("**Kern**: vervoer.".to_string()),
            feedback: Some("Dit hebben we gehoord.".to_string()),
            themes: vec![KeptTheme {
                number: 2,
                name: Some("Vervoer <b>".to_string()),
                stories: vec![StoryId::parse("6b0f0e51-2a55-4c2b-9a8e-2f1d7c3a9b01").unwrap()],
                dropped: true,
            }],
        };
        let text = rounds_to_toml(std::slice::from_ref(&round));
        assert_eq!(rounds_from_toml(&text, catalog).unwrap(), vec![round]);

        let bad = text.replace("\"sterker-netwerk\"", "\"bestaat-niet\"");
        let error = rounds_from_toml(&bad, catalog).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("subgoals"));
        assert!(error.line > 1, "{error}");
        let bad = text.replace("phase = \"closed\"", "phase = \"klaar\"");
        let error = rounds_from_toml(&bad, catalog).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("phase"));
    }
}
