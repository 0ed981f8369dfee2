//! Hearing back: what a story took part in, for the resident who told it (the last step of Most
//! Significant Change: tell the tellers what was done with their stories).
//!
//! With their receipt code a teller sees the storytelling sessions their story was read in (told there,
//! or named in an interpretation the session recorded), the evaluation rounds it was gathered into (and
//! whether it was chosen as a significant story, with the reason), the interpretations that followed
//! and the improvement actions agreed, with their state. Only things the public may see anyway are
//! collected, and nothing of another story: an interpretation's list of stories and a round's other
//! significant stories are used to decide, never handed on. No IO: the bank passes the lists in.

use std::collections::BTreeSet;

use crate::ids::{RoundId, SessionId};
use crate::rounds::Round;
use crate::sessions::{Action, EntryId, Interpretation, Session};
use crate::story::Story;

/// A session the story was read in.
#[derive(Debug, Clone, PartialEq)]
pub struct SessionPart {
    pub session: Session,
    /// The story was told in this session (on the session's short link).
    pub told_here: bool,
}

/// A round the story took part in: what its page for the participants shows, without its other stories.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundPart {
    pub title: String,
    pub question: String,
    /// The code of its short link, `/r/CODE`, where its feedback is.
    pub code: String,
    pub phase: crate::rounds::RoundPhase,
    pub from: jiff::civil::Date,
    /// Why the story was chosen as one of the round's significant stories, if it was.
    pub significant: Option<String>,
}

/// An interpretation that followed, without its list of stories or its participants.
#[derive(Debug, Clone, PartialEq)]
pub struct InterpretationPart {
    pub indicator: crate::ids::IndicatorId,
    pub date: jiff::civil::Date,
    pub recognise: String,
    pub explain: String,
    pub value: String,
    pub improve: String,
}

/// Everything a story took part in, in date order.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct HearingBack {
    pub sessions: Vec<SessionPart>,
    pub rounds: Vec<RoundPart>,
    pub interpretations: Vec<InterpretationPart>,
    pub actions: Vec<Action>,
}

impl HearingBack {
    /// What `story` took part in, from all sessions, rounds, interpretations and actions.
    ///
    /// - sessions: the one it was told in, and those whose interpretation names it;
    /// - interpretations: those that name it, and those recorded in a session it was told in;
    /// - actions: those of its sessions, and those agreed for the indicator (and area) of an
    ///   interpretation that names it, on or after that interpretation's date;
    /// - rounds: the one it was gathered into, and those that chose it as significant.
    pub fn of(
        story: &Story,
        sessions: &[Session],
        rounds: &[Round],
        interpretations: &[Interpretation],
        actions: &[Action],
    ) -> HearingBack {
        let naming: Vec<&Interpretation> = interpretations
            .iter()
            .filter(|i| i.stories.contains(&story.id))
            .collect();
        let mut session_ids: BTreeSet<&SessionId> = story.session.iter().collect();
        session_ids.extend(naming.iter().filter_map(|i| i.session.as_ref()));

        let mut found_sessions: Vec<SessionPart> = sessions
            .iter()
            .filter(|s| session_ids.contains(&s.id))
            .map(|s| SessionPart {
                session: s.clone(),
                told_here: story.session.as_ref() == Some(&s.id),
            })
            .collect();
        found_sessions.sort_by_key(|part| part.session.date);

        let mut found_interpretations: Vec<&Interpretation> = interpretations
            .iter()
            .filter(|i| {
                i.stories.contains(&story.id)
                    || (i.session.is_some() && i.session.as_ref() == story.session.as_ref())
            })
            .collect();
        found_interpretations.sort_by_key(|i| i.date);

        let mut action_ids: BTreeSet<&EntryId> = BTreeSet::new();
        let mut found_actions: Vec<Action> = Vec::new();
        for action in actions {
            let of_session = action
                .session
                .as_ref()
                .is_some_and(|id| session_ids.contains(id));
            let of_reading = naming.iter().any(|i| {
                action.indicator.as_ref() == Some(&i.indicator)
                    && (i.area.is_none() || action.area == i.area)
                    && action.created >= i.date
            });
            if (of_session || of_reading) && action_ids.insert(&action.id) {
                found_actions.push(action.clone());
            }
        }
        found_actions.sort_by_key(|a| (a.due, a.title.clone()));

        let round_ids: BTreeSet<&RoundId> = story.round.iter().collect();
        let mut found_rounds: Vec<RoundPart> = rounds
            .iter()
            .filter(|r| round_ids.contains(&r.id) || r.significance(&story.id).is_some())
            .map(|r| RoundPart {
                title: r.title.clone(),
                question: r.question.clone(),
                code: r.code.clone(),
                phase: r.phase,
                from: r.from,
                significant: r.significance(&story.id).map(str::to_string),
            })
            .collect();
        found_rounds.sort_by_key(|part| part.from);

        HearingBack {
            sessions: found_sessions,
            rounds: found_rounds,
            interpretations: found_interpretations
                .into_iter()
                .map(|i| InterpretationPart {
                    indicator: i.indicator.clone(),
                    date: i.date,
                    recognise: i.recognise.clone(),
                    explain: i.explain.clone(),
                    value: i.value.clone(),
                    improve: i.improve.clone(),
                })
                .collect(),
            actions: found_actions,
        }
    }

    /// Whether the story has not taken part in anything yet.
    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
            && self.rounds.is_empty()
            && self.interpretations.is_empty()
            && self.actions.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{AreaId, IndicatorId, SessionId};
    use crate::rounds::{RoundPhase, SignificantStory};
    use crate::sessions::ActionStatus;
    use crate::testing;
    use jiff::civil::date;

    fn interpretation(
        stories: Vec<crate::story::StoryId>,
        session: Option<SessionId>,
    ) -> Interpretation {
        Interpretation {
            id: EntryId::new_random(),
            indicator: IndicatorId::parse("bezoekers-koffie-inloop").unwrap(),
            area: Some(AreaId::parse("noord").unwrap()),
            period: None,
            date: date(2026, 3, 10),
            participants: "bewoners, Buurtwerk".to_string(),
            recognise: "Ja, dit herkennen we.".to_string(),
            explain: "De inloop is dichtbij.".to_string(),
            value: "Goed.".to_string(),
            improve: "Langer open.".to_string(),
            stories,
            session,
        }
    }

    fn action(
        title: &str,
        session: Option<SessionId>,
        area: &str,
        created: jiff::civil::Date,
    ) -> Action {
        Action {
            id: EntryId::new_random(),
            title: title.to_string(),
            owner: "Buurtwerk".to_string(),
            due: date(2026, 6, 1),
            status: ActionStatus::InProgress,
            indicator: Some(IndicatorId::parse("bezoekers-koffie-inloop").unwrap()),
            area: Some(AreaId::parse(area).unwrap()),
            session,
            outcome: None,
            created,
        }
    }

    fn round(significant: Vec<SignificantStory>) -> Round {
        Round {
            id: RoundId::parse("minder-alleen").unwrap(),
            title: "Minder alleen".to_string(),
            question: "Wat helpt u om minder alleen te zijn?".to_string(),
            from: date(2025, 1, 1),
            to: date(2025, 12, 31),
            providers: vec![],
            areas: vec![],
            subgoals: vec![],
            phase: RoundPhase::Closed,
            code: "mnd25r".to_string(),
            significant,
            synthesis: None,
            feedback: Some("We vonden dat ontmoeting helpt.".to_string()),
            themes: vec![],
        }
    }

    #[test]
    fn a_story_told_in_a_session_hears_of_its_interpretations_and_actions() {
        let session = testing::session();
        let mut story = testing::story("Koffie", "Ik kom graag op de koffie-inloop.");
        story.session = Some(session.id.clone());
        let other = testing::story("Ander", "Een ander verhaal.");
        let elsewhere = SessionId::parse("zuid-2026-12").unwrap();
        let interpretations = [
            interpretation(vec![other.id], Some(session.id.clone())),
            interpretation(vec![other.id], Some(elsewhere.clone())),
        ];
        let actions = [
            action(
                "Langer open",
                Some(session.id.clone()),
                "noord",
                date(2026, 3, 10),
            ),
            action("Elders", Some(elsewhere), "zuid", date(2026, 3, 10)),
        ];
        let heard = HearingBack::of(
            &story,
            std::slice::from_ref(&session),
            &[],
            &interpretations,
            &actions,
        );
        assert_eq!(heard.sessions.len(), 1);
        assert!(heard.sessions[0].told_here);
        assert_eq!(
            heard.interpretations.len(),
            1,
            "only its own session's reading"
        );
        let titles: Vec<&str> = heard.actions.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["Langer open"]);
        assert!(heard.rounds.is_empty());
    }

    #[test]
    fn a_story_named_in_an_interpretation_or_chosen_in_a_round_hears_of_it() {
        let session = testing::session();
        let mut story = testing::story("Koffie", "Ik kom graag op de koffie-inloop.");
        let other = testing::story("Ander", "Een ander verhaal.");
        let named = interpretation(vec![story.id, other.id], Some(session.id.clone()));
        let actions = [
            action("Na de duiding", None, "noord", date(2026, 3, 12)),
            action("Ervoor", None, "noord", date(2026, 1, 1)),
            action("Ander gebied", None, "zuid", date(2026, 3, 12)),
        ];
        let rounds = [round(vec![
            SignificantStory {
                story: story.id,
                reason: "Het laat zien wat ontmoeting doet.".to_string(),
            },
            SignificantStory {
                story: other.id,
                reason: "Geheim van een ander".to_string(),
            },
        ])];
        let heard = HearingBack::of(&story, &[session], &rounds, &[named], &actions);
        assert_eq!(heard.sessions.len(), 1);
        assert!(!heard.sessions[0].told_here, "read there, not told there");
        let titles: Vec<&str> = heard.actions.iter().map(|a| a.title.as_str()).collect();
        assert_eq!(titles, ["Na de duiding"]);
        assert_eq!(
            heard.rounds[0].significant.as_deref(),
            Some("Het laat zien wat ontmoeting doet.")
        );
        // Nothing of the other story is handed on: not its reason, not its id.
        assert!(!format!("{heard:?}").contains("Geheim van een ander"));
        assert!(!format!("{heard:?}").contains(&other.id.to_string()));

        // A story that took part in nothing hears that.
        story = testing::story("Los", "Nog nergens besproken.");
        assert!(HearingBack::of(&story, &[], &rounds, &[], &actions).is_empty());
    }
}
