//! Storytelling sessions: the list, planning one, the facilitator's page (short link and QR code,
//! status, interpretation and actions, what was heard), the board for the projector that updates live,
//! and the printable report.
//!
//! Split by purpose: `staff` the list, planning a session and the QR code; `view` the session's page
//! and its forms, and the printable report; `public` the board the room sees and its live updates.
//! This file holds what several of them use.

mod public;
mod staff;
mod view;

pub use public::{board, stream};
pub use staff::{list, plan, plan_form, qr};
pub use view::{act, heard, interpret, page, report, status};

use axum::http::HeaderMap;

use crate::bank::{SessionBoard, Settings};
use crate::ids::SessionId;
use crate::sessions::Session;
use crate::story::Coded;
use crate::web::AppError;
use crate::web::cards::{StoryCard, hit_card};
use crate::web::i18n::Texts;
use crate::web::links::full_url;
use crate::web::paths;
use crate::web::views::{BalanceView, TrendView, balance_view, measurement_text, trend_view};

/// A session as the pages show it.
pub struct SessionView {
    pub id: String,
    pub title: String,
    /// The area's name, for reading.
    pub area: String,
    /// The area's id, for links: the evidence pages filter by id.
    pub area_id: String,
    pub date: String,
    pub place: String,
    pub facilitator: String,
    pub status_code: &'static str,
    pub status: String,
    pub agenda: Vec<(String, String)>,
    pub code: String,
}

fn session_view(t: &Texts, settings: &Settings, session: &Session) -> SessionView {
    SessionView {
        id: session.id.to_string(),
        title: session.title.clone(),
        area: settings.municipality.area_name(&session.area).to_string(),
        area_id: session.area.to_string(),
        date: t.date(&session.date),
        place: session.place.clone(),
        facilitator: session.facilitator.clone(),
        status_code: session.status.code(),
        status: t.code("sessions.status", session.status.code()),
        agenda: session
            .indicators
            .iter()
            .filter_map(|id| settings.goals.indicator(id))
            .map(|indicator| (indicator.id.to_string(), indicator.title.clone()))
            .collect(),
        code: session.code.clone(),
    }
}

/// The address participants reach the session at, from the address this request came in on.
fn short_url(headers: &HeaderMap, code: &str) -> String {
    full_url(headers, &paths::session_link(code))
}

fn session_id(id: &str) -> Result<SessionId, AppError> {
    SessionId::parse(id).map_err(|_| AppError::NotFound)
}

/// One agenda item on the board and in the report.
pub struct AgendaView {
    pub id: String,
    pub title: String,
    pub latest: Option<String>,
    pub period: String,
    pub trend: TrendView,
    pub balance: BalanceView,
}

/// The sentence under a past session's agenda: its figures are those of the session's date.
fn as_of_note(t: &Texts, board: &SessionBoard) -> Option<String> {
    board
        .as_of
        .map(|date| t.with("sessions.figures_as_of", &t.date(&date)))
}

fn agenda_views(t: &Texts, board: &SessionBoard) -> Vec<AgendaView> {
    board
        .agenda
        .iter()
        .map(|item| AgendaView {
            id: item.indicator.id.to_string(),
            title: item.indicator.title.clone(),
            latest: item
                .counted
                .latest
                .as_ref()
                .map(|m| measurement_text(t, m, &item.indicator)),
            period: item
                .counted
                .latest
                .as_ref()
                .map(|m| t.period(&m.period))
                .unwrap_or_default(),
            trend: trend_view(t, item.counted.trend, item.indicator.direction, "trend"),
            balance: balance_view(t, &item.stories),
        })
        .collect()
}

/// The cards of the stories on a session's board or in its report.
fn story_cards(t: &Texts, settings: &Settings, board: &SessionBoard) -> Vec<StoryCard> {
    board
        .stories
        .iter()
        .map(|hit| hit_card(t, &settings.municipality, hit))
        .collect()
}
