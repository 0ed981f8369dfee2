//! Hearing back on "Mijn verhaal": what a story took part in ([`crate::hearing::HearingBack`]), worded
//! in the reader's language. What staff wrote (session titles, interpretations, actions) stays in the
//! language they wrote it in and is marked with it.

use crate::bank::Settings;
use crate::hearing::HearingBack;
use crate::present::session_views::{ActionView, action_view};
use crate::story::Coded;
use crate::web::i18n::Texts;

pub struct SessionHeard {
    pub title: String,
    pub when: String,
    pub code: String,
    /// "You told your story here" or "your story was discussed here".
    pub how: String,
}

pub struct RoundHeard {
    pub title: String,
    pub question: String,
    pub code: String,
    pub phase: String,
    /// Why the story was chosen as significant, if it was.
    pub significant: Option<String>,
    /// The round's page for the participants has its findings.
    pub has_feedback: bool,
}

pub struct InterpretationHeard {
    pub indicator: String,
    pub date: String,
    /// The questions answered: (question, answer).
    pub answers: Vec<(String, String)>,
}

pub struct HearingView {
    /// The language staff write in: the municipality's default language.
    pub written_in: String,
    /// Whether to say that staff's texts are in another language than the page.
    pub other_language: bool,
    pub sessions: Vec<SessionHeard>,
    pub rounds: Vec<RoundHeard>,
    pub interpretations: Vec<InterpretationHeard>,
    pub actions: Vec<ActionView>,
}

impl HearingView {
    pub fn new(
        t: &Texts,
        settings: &Settings,
        heard: &HearingBack,
        today: jiff::civil::Date,
    ) -> HearingView {
        let written_in = settings.municipality.default_language.code().to_string();
        HearingView {
            other_language: written_in != t.lang,
            written_in,
            sessions: heard
                .sessions
                .iter()
                .map(|part| SessionHeard {
                    title: part.session.title.clone(),
                    when: format!("{}, {}", t.date(&part.session.date), part.session.place),
                    code: part.session.code.clone(),
                    how: t
                        .get(if part.told_here {
                            "hearing.told_here"
                        } else {
                            "hearing.read_here"
                        })
                        .to_string(),
                })
                .collect(),
            rounds: heard
                .rounds
                .iter()
                .map(|part| RoundHeard {
                    title: part.title.clone(),
                    question: part.question.clone(),
                    code: part.code.clone(),
                    phase: t.code("hearing.round_phase", part.phase.code()),
                    significant: part.significant.clone(),
                    has_feedback: part.phase.has_feedback(),
                })
                .collect(),
            interpretations: heard
                .interpretations
                .iter()
                .map(|part| InterpretationHeard {
                    indicator: settings
                        .goals
                        .indicator(&part.indicator)
                        .map_or_else(|| part.indicator.to_string(), |i| i.title.clone()),
                    date: t.date(&part.date),
                    answers: [
                        ("hearing.recognise", &part.recognise),
                        ("hearing.explain", &part.explain),
                        ("hearing.value", &part.value),
                        ("hearing.improve", &part.improve),
                    ]
                    .into_iter()
                    .filter(|(_, answer)| !answer.trim().is_empty())
                    .map(|(key, answer)| (t.get(key).to_string(), answer.clone()))
                    .collect(),
                })
                .collect(),
            actions: heard
                .actions
                .iter()
                .map(|action| action_view(t, settings, action, today))
                .collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.sessions.is_empty()
            && self.rounds.is_empty()
            && self.interpretations.is_empty()
            && self.actions.is_empty()
    }
}
