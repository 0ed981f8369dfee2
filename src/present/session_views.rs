//! Interpretations and actions as the pages and the report show them: a session's board, the actions
//! page, the evidence pages, "Mijn verhaal" and the yearly report.

use crate::bank::Settings;
use crate::present::i18n::Texts;
use crate::sessions::{Action, Interpretation, Session};
use crate::story::Coded;

pub struct InterpretationView {
    pub indicator: String,
    pub indicator_id: String,
    pub date: String,
    pub participants: String,
    pub answers: Vec<(String, String)>,
    pub session: Option<(String, String)>,
}

pub fn interpretation_view(
    t: &Texts,
    settings: &Settings,
    sessions: &[Session],
    i: &Interpretation,
) -> InterpretationView {
    InterpretationView {
        indicator: settings
            .goals
            .indicator(&i.indicator)
            .map_or(i.indicator.to_string(), |x| x.title.clone()),
        indicator_id: i.indicator.to_string(),
        date: t.date(&i.date),
        participants: i.participants.clone(),
        answers: [
            ("interpretation.recognise", &i.recognise),
            ("interpretation.explain", &i.explain),
            ("interpretation.value", &i.value),
            ("interpretation.improve", &i.improve),
        ]
        .into_iter()
        .filter(|(_, text)| !text.is_empty())
        .map(|(key, text)| (t.get(key).to_string(), text.clone()))
        .collect(),
        session: i
            .session
            .as_ref()
            .and_then(|id| sessions.iter().find(|s| &s.id == id))
            .map(|s| (s.id.to_string(), s.title.clone())),
    }
}

pub struct ActionView {
    pub id: String,
    pub title: String,
    pub owner: String,
    pub due: String,
    pub status_code: &'static str,
    pub status: String,
    pub overdue: bool,
    pub outcome: Option<String>,
    pub indicator: Option<(String, String)>,
    pub area: Option<String>,
}

pub fn action_view(
    t: &Texts,
    settings: &Settings,
    action: &Action,
    today: jiff::civil::Date,
) -> ActionView {
    ActionView {
        id: action.id.to_string(),
        title: action.title.clone(),
        owner: action.owner.clone(),
        due: t.date(&action.due),
        status_code: action.status.code(),
        status: t.code("actions.status", action.status.code()),
        overdue: action.is_overdue(today),
        outcome: action.outcome.clone(),
        indicator: action
            .indicator
            .as_ref()
            .and_then(|id| settings.goals.indicator(id))
            .map(|i| (i.id.to_string(), i.title.clone())),
        area: action
            .area
            .as_ref()
            .map(|a| settings.municipality.area_name(a).to_string()),
    }
}
