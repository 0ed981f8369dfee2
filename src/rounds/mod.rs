//! Narrative evaluation rounds (evaluatierondes), after Hilversum's narrative method: agree what matters
//! and which subgoals it serves (voorwaarderen), gather stories into the story bank (waarderen), then
//! analyse them and hand the core back to the participants (na-waarderen).
//!
//! Domain only, no IO. Stories carry the id of the round they were gathered into; a round keeps its
//! question, period, the providers, areas and subgoals taking part, the stories chosen as most
//! significant (with the reason why), the analyst's synthesis and the feedback for the participants.

pub mod analysis;
pub mod file;
pub mod themes;

use jiff::civil::Date;
use serde::{Deserialize, Serialize};

use crate::ids::{AreaId, ProviderId, RoundId, SubgoalId};
use crate::story::{Coded, Story, StoryId};

/// The phase a round is in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoundPhase {
    /// Voorwaarderen: agreeing on the question, the subgoals it serves and who takes part.
    Prepare,
    /// Waarderen: gathering stories; the round's short link takes stories.
    Collect,
    /// Na-waarderen: analysing the stories and writing the synthesis and the feedback.
    Analyse,
    /// Done: the feedback page shows the participants what was found.
    Closed,
}

impl Coded for RoundPhase {
    const CODES: &'static [(&'static str, &'static [&'static str], Self)] = &[
        ("prepare", &["voorwaarderen"], RoundPhase::Prepare),
        ("collect", &["waarderen"], RoundPhase::Collect),
        (
            "analyse",
            &["na-waarderen", "nawaarderen", "analyze"],
            RoundPhase::Analyse,
        ),
        ("closed", &["afgerond"], RoundPhase::Closed),
    ];
}

impl RoundPhase {
    pub const ALL: [RoundPhase; 4] = [
        RoundPhase::Prepare,
        RoundPhase::Collect,
        RoundPhase::Analyse,
        RoundPhase::Closed,
    ];

    /// Whether the feedback for participants is meant to be read: once the analysis has begun.
    pub fn has_feedback(self) -> bool {
        matches!(self, RoundPhase::Analyse | RoundPhase::Closed)
    }
}

/// A story chosen as most significant, with the reason why (as in the Most Significant Change method).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SignificantStory {
    pub story: StoryId,
    pub reason: String,
}

/// A narrative evaluation round.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Round {
    pub id: RoundId,
    pub title: String,
    /// The question or theme the stories answer.
    pub question: String,
    pub from: Date,
    pub to: Date,
    /// Providers taking part; empty means all.
    pub providers: Vec<ProviderId>,
    /// Areas taking part; empty means the whole municipality.
    pub areas: Vec<AreaId>,
    /// The subgoals the round serves.
    pub subgoals: Vec<SubgoalId>,
    pub phase: RoundPhase,
    /// The code of the short link (`/r/CODE`): the story form while collecting, the feedback after.
    pub code: String,
    pub significant: Vec<SignificantStory>,
    /// The analyst's synthesis (Markdown).
    pub synthesis: Option<String>,
    /// The core of what was found, in plain words for the participants (Markdown).
    pub feedback: Option<String>,
    /// The themes an analyst edited (renamed, merged or dropped), kept as they left them; empty while
    /// the themes are computed afresh from the stories each time.
    pub themes: Vec<themes::KeptTheme>,
}

impl Round {
    /// Whether a story from the bank fits the round: in its period, and in its areas, providers and
    /// subgoals where those are given. `in_areas` says whether an area lies in (or is) one of the round's.
    pub fn fits(&self, story: &Story, in_areas: impl Fn(&AreaId) -> bool) -> bool {
        let in_period = self.from <= story.date && story.date <= self.to;
        let area = self.areas.is_empty() || story.area.as_ref().is_some_and(&in_areas);
        let provider = self.providers.is_empty()
            || story
                .provider
                .as_ref()
                .is_some_and(|p| self.providers.contains(p));
        let subgoal =
            self.subgoals.is_empty() || story.subgoals.iter().any(|s| self.subgoals.contains(s));
        in_period && area && provider && subgoal
    }

    /// Takes an erased story out of the round's kept themes; returns whether any held it.
    pub fn forget_in_themes(&mut self, story: &StoryId) -> bool {
        let mut held = false;
        for theme in &mut self.themes {
            let before = theme.stories.len();
            theme.stories.retain(|s| s != story);
            held |= theme.stories.len() != before;
        }
        held
    }

    /// The reason a story was chosen as significant, if it was.
    pub fn significance(&self, story: &StoryId) -> Option<&str> {
        self.significant
            .iter()
            .find(|s| &s.story == story)
            .map(|s| s.reason.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn round() -> Round {
        Round {
            id: RoundId::parse("minder-alleen").unwrap(),
            title: "Minder alleen".to_string(),
            question: "Wat helpt u om minder alleen te zijn?".to_string(),
            from: jiff::civil::date(2025, 1, 1),
            to: jiff::civil::date(2025, 12, 31),
            providers: vec![],
            areas: vec![AreaId::parse("noord").unwrap()],
            subgoals: vec![SubgoalId::parse("sterker-netwerk").unwrap()],
            phase: RoundPhase::Collect,
            code: "abc234".to_string(),
            significant: vec![],
            synthesis: None,
            feedback: None,
            themes: vec![],
        }
    }

    #[test]
    fn a_story_fits_by_period_area_and_subgoal() {
        let round = round();
        let mut story = testing::story("Koffie", "Tekst");
        story.date = jiff::civil::date(2025, 6, 1);
        story.area = Some(AreaId::parse("de-hoven").unwrap());
        story.subgoals = vec![SubgoalId::parse("sterker-netwerk").unwrap()];
        let in_noord = |area: &AreaId| area.as_str() == "de-hoven" || area.as_str() == "noord";
        assert!(round.fits(&story, in_noord));

        let mut late = story.clone();
        late.date = jiff::civil::date(2026, 1, 1);
        assert!(!round.fits(&late, in_noord));
        let mut elsewhere = story.clone();
        elsewhere.area = Some(AreaId::parse("zuid").unwrap());
        assert!(!round.fits(&elsewhere, in_noord));
        let mut other_goal = story.clone();
        other_goal.subgoals = vec![SubgoalId::parse("grip-op-geld").unwrap()];
        assert!(!round.fits(&other_goal, in_noord));
    }

    #[test]
    fn phases_read_their_dutch_names() {
        assert_eq!(
            RoundPhase::parse_code("na-waarderen"),
            Some(RoundPhase::Analyse)
        );
        assert_eq!(
            RoundPhase::parse_code("voorwaarderen"),
            Some(RoundPhase::Prepare)
        );
        assert!(!RoundPhase::Collect.has_feedback());
        assert!(RoundPhase::Closed.has_feedback());
    }
}
