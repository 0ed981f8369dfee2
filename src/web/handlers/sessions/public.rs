//! What the room sees of a session: the board for the projector (its short link, the agenda's figures
//! and the stories whose tellers allowed public use) and the server-sent events that refresh it when
//! a story comes in.

use std::convert::Infallible;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::index::Scope;
use crate::web::auth::Facilitator;
use crate::web::cards::StoryCard;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::{AppError, AppState};

use super::{
    AgendaView, SessionView, agenda_views, as_of_note, session_id, session_view, short_url,
    story_cards,
};

#[derive(Template, WebTemplate)]
#[template(path = "board.html")]
pub struct BoardPage {
    pub page: Page,
    pub session: SessionView,
    pub short_url: String,
    pub agenda: Vec<AgendaView>,
    /// For a past session: the sentence that says its figures are those of its date.
    pub as_of: Option<String>,
    pub stories: Vec<StoryCard>,
    pub told: String,
    pub hidden: bool,
    /// Shown on a projector or a screen in the room: no menu, large type, refreshing itself.
    pub kiosk: bool,
}

/// `?kiosk=1`: the board full-screen for the room.
#[derive(Debug, Default, serde::Deserialize)]
pub struct BoardDisplay {
    kiosk: Option<String>,
}

pub async fn board(
    Facilitator(_): Facilitator,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(display): Query<BoardDisplay>,
) -> Result<BoardPage, AppError> {
    let t = ctx.t;
    let id = session_id(&id)?;
    let today = ctx.state.today();
    // The board is shown to the room: only stories whose tellers allowed public use are on it.
    let (settings, board) = ctx
        .state
        .run(move |bank| {
            Ok((
                bank.settings()?,
                bank.session_board(&id, &Scope::PublicConsent, today)?,
            ))
        })
        .await?;
    let board = board.ok_or(AppError::NotFound)?;
    let mut page = ctx.page(&settings, "board.title", Nav::Sessions);
    page.title = format!("{} · {}", t.get("board.title"), board.session.title);
    Ok(BoardPage {
        page,
        short_url: short_url(&headers, &board.session.code),
        agenda: agenda_views(t, &board),
        as_of: as_of_note(t, &board),
        stories: story_cards(t, &settings, &board),
        told: t.with("board.count", &board.told.to_string()),
        hidden: board.told > board.stories.len(),
        session: session_view(t, &settings, &board.session),
        kiosk: display.kiosk.as_deref() == Some("1"),
    })
}

/// Server-sent events for a board: a `story` event whenever a story comes in for this session.
pub async fn stream(
    Facilitator(_): Facilitator,
    State(state): State<AppState>,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = session_id(&id)?;
    let events =
        BroadcastStream::new(state.session_events.subscribe()).filter_map(move |message| {
            match message {
                Ok(session) if session == id => Some(Ok::<Event, Infallible>(
                    Event::default().event("story").data("1"),
                )),
                _ => None,
            }
        });
    Ok(Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response())
}
