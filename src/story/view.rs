//! What each audience sees of a story: one rule, used by every door that hands a whole story out (the
//! JSON API, the exports). The public and the provider systems never see the teller's name, as the
//! public form promises ("wij laten uw naam nooit zien op de website"); the public does not see why a
//! story was rejected either (it never sees a rejected story, but the rule does not lean on that). The
//! municipality's own staff see everything, as they do on the moderation page.
//!
//! Domain only: a [`StoryView`] is built from a [`Story`] and an [`Audience`]; the web layer serialises
//! it as it is, so what the API promises in its OpenAPI document is this type.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use super::{Consent, Moderation, Story, StoryId, TellerRole, Valence};
use crate::ids::{ActivityId, AreaId, IndicatorId, ProviderId, RoundId, SessionId, SubgoalId};
use crate::language::Language;
use crate::questions::{Answer, AnswerValue, SliderAnswer};

/// Who a story is shown to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// Anyone: the public pages, the API without a token.
    Public,
    /// A provider's staff or system: the API with its token, the provider's downloads.
    Provider,
    /// The municipality's own staff: moderation, internal exports.
    Municipality,
}

impl Audience {
    /// Whether this audience may see the teller's name.
    pub fn sees_teller_name(self) -> bool {
        self == Audience::Municipality
    }

    /// Whether this audience may see why a story was rejected.
    pub fn sees_rejection_reason(self) -> bool {
        self != Audience::Public
    }
}

/// Where a story stands in moderation, as one code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Submitted,
    Published,
    Rejected,
}

impl Status {
    pub fn of(moderation: &Moderation) -> Status {
        match moderation {
            Moderation::Submitted => Status::Submitted,
            Moderation::Published => Status::Published,
            Moderation::Rejected(_) => Status::Rejected,
        }
    }
}

/// A story as one audience may see it. Fields an audience may not see are left out entirely.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StoryView {
    pub id: StoryId,
    pub title: String,
    /// When the story happened or was told.
    pub date: Date,
    pub teller: TellerRole,
    pub valence: Valence,
    pub consent: Consent,
    /// When the teller gave (or last changed) their consent, when known.
    pub consent_date: Option<Date>,
    pub provider: Option<ProviderId>,
    pub area: Option<AreaId>,
    pub activity: Option<ActivityId>,
    /// The indicator the story speaks to, when one was named.
    pub indicator: Option<IndicatorId>,
    /// The story in the municipality's language, written by its staff, when it was told in another.
    pub translation: Option<String>,
    pub subgoals: Vec<SubgoalId>,
    pub tags: Vec<String>,
    /// The language given with the story; absent when it is detected from the text.
    pub language: Option<Language>,
    /// The storytelling session the story was told in.
    pub session: Option<SessionId>,
    /// The narrative evaluation round the story was gathered into.
    pub round: Option<RoundId>,
    /// Statement id → score on that statement's scale (0..=5).
    #[schema(value_type = BTreeMap<String, u8>)]
    pub scores: BTreeMap<String, u8>,
    /// Question id → the teller's answer to that question about the story.
    pub answers: BTreeMap<String, AnswerView>,
    pub status: Status,
    /// Why the story was rejected; only for the provider and the municipality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rejection_reason: Option<String>,
    /// The teller's name, when they gave it; only for the municipality's staff.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub teller_name: Option<String>,
    /// The story in Markdown, unrendered.
    pub text: String,
}

/// An answer to a question about the story, as story files write it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct AnswerView {
    /// The version of the question the answer was given under.
    pub version: u32,
    pub value: AnswerValueView,
}

/// A number (a slider's 0 to 100, an agreement from 1 to 5), a word (`weet-niet` or `past-niet` on a
/// slider, an option id, a text answer), or the option ids of a multiple-choice answer.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum AnswerValueView {
    Number(u8),
    Word(String),
    Options(Vec<String>),
}

impl AnswerView {
    pub fn of(answer: &Answer) -> AnswerView {
        let value = match &answer.value {
            AnswerValue::Slider(SliderAnswer::At(number)) | AnswerValue::Agreement(number) => {
                AnswerValueView::Number(*number)
            }
            AnswerValue::Choices(ids) => {
                AnswerValueView::Options(ids.iter().map(ToString::to_string).collect())
            }
            other => AnswerValueView::Word(other.as_text()),
        };
        AnswerView {
            version: answer.version,
            value,
        }
    }
}

impl StoryView {
    /// `story` as `audience` may see it.
    pub fn of(story: &Story, audience: Audience) -> StoryView {
        // Destructured in full, so a field added to `Story` must be decided on here.
        let Story {
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
            // How the story came in (on paper) is for the staff who moderate it; no audience of this view
            // needs it, and the Markdown export keeps it.
            channel: _,
            // When the bank received it is for the staff who moderate; the export keeps it.
            received: _,
            scores,
            answers,
            moderation,
            text,
        } = story;
        let rejection_reason = match moderation {
            Moderation::Rejected(reason) if audience.sees_rejection_reason() => {
                Some(reason.clone())
            }
            _ => None,
        };
        StoryView {
            id: *id,
            title: title.clone(),
            date: *date,
            teller: *teller,
            valence: *valence,
            consent: *consent,
            consent_date: *consent_date,
            provider: provider.clone(),
            area: area.clone(),
            activity: activity.clone(),
            indicator: indicator.clone(),
            translation: translation.clone(),
            subgoals: subgoals.clone(),
            tags: tags.clone(),
            language: language.clone(),
            session: session.clone(),
            round: round.clone(),
            scores: scores
                .iter()
                .map(|(id, score)| (id.to_string(), *score))
                .collect(),
            answers: answers
                .iter()
                .map(|(id, answer)| (id.to_string(), AnswerView::of(answer)))
                .collect(),
            status: Status::of(moderation),
            rejection_reason,
            teller_name: teller_name.clone().filter(|_| audience.sees_teller_name()),
            text: text.as_str().to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story() -> Story {
        let mut story = crate::testing::story("Een titel", "Een tekst over de buurt.");
        story.teller_name = Some("Canarisch Vogeltje".to_string());
        story.moderation = Moderation::Rejected("naam in de tekst".to_string());
        story
    }

    #[test]
    fn each_audience_sees_what_it_may() {
        let story = story();
        // (audience, sees the name, sees the reason)
        let cases = [
            (Audience::Public, false, false),
            (Audience::Provider, false, true),
            (Audience::Municipality, true, true),
        ];
        for (audience, name, reason) in cases {
            let view = StoryView::of(&story, audience);
            let json = serde_json::to_string(&view).unwrap();
            assert_eq!(json.contains("Canarisch Vogeltje"), name, "{audience:?}");
            assert_eq!(json.contains("teller_name"), name, "{audience:?}");
            assert_eq!(json.contains("naam in de tekst"), reason, "{audience:?}");
            assert_eq!(view.status, Status::Rejected);
        }
    }
}
