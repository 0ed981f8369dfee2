//! Storytelling sessions: the list, planning one, the facilitator's page (short link and QR code,
//! status, interpretation and actions, what was heard), the board for the projector that updates live,
//! and the printable report.

use crate::web::auth::Facilitator;
use std::collections::BTreeMap;
use std::convert::Infallible;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Redirect, Response};
use tokio_stream::StreamExt;
use tokio_stream::wrappers::BroadcastStream;

use crate::bank::{SessionBoard, Settings};
use crate::ids::SessionId;
use crate::index::Scope;
use crate::present::session_views::{
    ActionView, InterpretationView, action_view, interpretation_view,
};
use crate::sessions::{Action, Interpretation, Session, SessionStatus};
use crate::story::Coded;
use crate::story::render::{SafeHtml, render_markdown};
use crate::web::cards::{StoryCard, hit_card};
use crate::web::forms::{FormData, FormErrors};
use crate::web::i18n::{Lang, Texts};
use crate::web::links::full_url;
use crate::web::page::{Nav, Page};
use crate::web::qr::qr_svg;
use crate::web::session_forms::{read_action, read_interpretation, read_plan};
use crate::web::story_form::FormView;
use crate::web::views::{BalanceView, TrendView, balance_view, measurement_text, trend_view};
use crate::web::{AppError, AppState, unprocessable};

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

pub fn session_view(t: &Texts, settings: &Settings, session: &Session) -> SessionView {
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
pub fn short_url(headers: &HeaderMap, code: &str) -> String {
    full_url(headers, &format!("/s/{code}"))
}

#[derive(Template, WebTemplate)]
#[template(path = "sessions.html")]
pub struct ListPage {
    pub page: Page,
    /// (heading, sessions): the planned and running ones, then those held.
    pub groups: Vec<(String, Vec<SessionView>)>,
}

pub async fn list(
    Facilitator(_): Facilitator,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
) -> Result<ListPage, AppError> {
    let (settings, sessions) = state
        .run(|bank| Ok((bank.settings()?, bank.sessions()?)))
        .await?;
    let (past, upcoming): (Vec<&Session>, Vec<&Session>) = sessions
        .iter()
        .partition(|s| s.status == SessionStatus::Closed);
    let groups = [
        (
            "sessions.planned",
            upcoming.into_iter().rev().collect::<Vec<_>>(),
        ),
        ("sessions.past", past),
    ]
    .into_iter()
    .filter(|(_, list)| !list.is_empty())
    .map(|(key, list)| {
        (
            t.get(key).to_string(),
            list.into_iter()
                .map(|s| session_view(t, &settings, s))
                .collect(),
        )
    })
    .collect();
    Ok(ListPage {
        page: state.page(t, &settings, "sessions.title", Nav::Sessions, &uri),
        groups,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "session_new.html")]
pub struct PlanPage {
    pub page: Page,
    pub form: FormView,
    pub indicators: Vec<(String, Vec<(String, String)>)>,
}

fn plan_page(
    state: &AppState,
    t: &'static Texts,
    settings: &Settings,
    uri: &axum::http::Uri,
    values: BTreeMap<String, Vec<String>>,
    errors: &FormErrors,
) -> PlanPage {
    let key = if errors.is_empty() {
        "sessions.new_title"
    } else {
        "sessions.new_title_error"
    };
    let indicators = settings
        .goals
        .indicators_in_use()
        .into_iter()
        .map(|(goal, indicators)| {
            let items = indicators
                .into_iter()
                .map(|indicator| (indicator.id.to_string(), indicator.title.clone()))
                .collect();
            (goal.title.clone(), items)
        })
        .collect();
    PlanPage {
        page: state.page(t, settings, key, Nav::Sessions, uri),
        form: FormView::new(t, settings, values, errors, false),
        indicators,
    }
}

pub async fn plan_form(
    Facilitator(_): Facilitator,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
) -> Result<PlanPage, AppError> {
    let settings = state.run(|bank| bank.settings()).await?;
    Ok(plan_page(
        &state,
        t,
        &settings,
        &uri,
        BTreeMap::new(),
        &FormErrors::default(),
    ))
}

pub async fn plan(
    Facilitator(_): Facilitator,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormData::new(pairs);
    let (settings, sessions) = state
        .run(|bank| Ok((bank.settings()?, bank.sessions()?)))
        .await?;
    let taken: Vec<SessionId> = sessions.into_iter().map(|s| s.id).collect();
    match read_plan(&form, &settings, &taken) {
        Err(errors) => Ok(unprocessable(plan_page(
            &state,
            t,
            &settings,
            &uri,
            form.values(),
            &errors,
        ))),
        Ok(session) => {
            let id = session.id.clone();
            state.run(move |bank| bank.add_session(&session)).await?;
            Ok(Redirect::to(&format!("/sessies/{id}")).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "session.html")]
pub struct SessionPage {
    pub page: Page,
    pub session: SessionView,
    pub short_url: String,
    pub told: usize,
    pub heard: String,
    pub interpretations: Vec<InterpretationView>,
    pub actions: Vec<ActionView>,
    pub form: FormView,
    pub saved: bool,
    /// The version of the session this page shows, sent back by its forms.
    pub version: u64,
}

async fn session_page(
    state: &AppState,
    t: &'static Texts,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    id: SessionId,
    values: BTreeMap<String, Vec<String>>,
    errors: &FormErrors,
) -> Result<SessionPage, AppError> {
    let today = state.today();
    let (settings, version, board, interpretations, actions, sessions) = state
        .run(move |bank| {
            // Read first, so a change made while the page is put together makes its save refused.
            let version = bank.session_versioned(&id)?.map_or(0, |read| read.version);
            let board = bank.session_board(&id, &Scope::Municipality, today)?;
            let interpretations = bank.interpretations()?;
            let actions = bank.actions()?;
            Ok((
                bank.settings()?,
                version,
                board,
                interpretations,
                actions,
                bank.sessions()?,
            ))
        })
        .await?;
    let board = board.ok_or(AppError::NotFound)?;
    let session = &board.session;
    let key = if errors.is_empty() {
        "sessions.title"
    } else {
        "sessions.interpretation_title"
    };
    let mut page = state.page(t, &settings, key, Nav::Sessions, uri);
    page.title = session.title.clone();
    Ok(SessionPage {
        page,
        short_url: short_url(headers, &session.code),
        told: board.told,
        heard: session.heard.clone().unwrap_or_default(),
        interpretations: interpretations
            .iter()
            .filter(|i| i.session.as_ref() == Some(&session.id))
            .map(|i| interpretation_view(t, &settings, &sessions, i))
            .collect(),
        actions: actions
            .iter()
            .filter(|a| a.session.as_ref() == Some(&session.id))
            .map(|a| action_view(t, &settings, a, today))
            .collect(),
        form: FormView::new(t, &settings, values, errors, false),
        saved: uri.query().is_some_and(|q| q.contains("opgeslagen")),
        session: session_view(t, &settings, session),
        version,
    })
}

fn session_id(id: &str) -> Result<SessionId, AppError> {
    SessionId::parse(id).map_err(|_| AppError::NotFound)
}

pub async fn page(
    Facilitator(_): Facilitator,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<SessionPage, AppError> {
    session_page(
        &state,
        t,
        &uri,
        &headers,
        session_id(&id)?,
        BTreeMap::new(),
        &FormErrors::default(),
    )
    .await
}

/// Changes a session in one step, made from the version the form was filled in from; a session
/// changed by someone else meanwhile is left as they left it, and the page says so.
async fn change_session(
    state: &AppState,
    id: SessionId,
    form: &FormData,
    change: impl FnOnce(&mut Session) + Send + 'static,
) -> Result<(), AppError> {
    let read_at = form.version()?;
    state
        .run(move |bank| bank.change_session(&id, read_at, change))
        .await??;
    Ok(())
}

pub async fn status(
    Facilitator(_): Facilitator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = session_id(&id)?;
    let form = FormData::new(pairs);
    let status = form
        .get("naar")
        .and_then(SessionStatus::parse_code)
        .ok_or(AppError::BadRequest("error.bad_request"))?;
    change_session(&state, id.clone(), &form, move |session| {
        session.status = status
    })
    .await?;
    Ok(Redirect::to(&format!("/sessies/{id}?opgeslagen=1")).into_response())
}

pub async fn heard(
    Facilitator(_): Facilitator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = session_id(&id)?;
    let form = FormData::new(pairs);
    let text = form
        .get("gehoord")
        .map(|text| text.chars().take(20_000).collect::<String>());
    change_session(&state, id.clone(), &form, move |session| {
        session.heard = text
    })
    .await?;
    Ok(Redirect::to(&format!("/sessies/{id}?opgeslagen=1#gehoord")).into_response())
}

/// What the session page's forms send along, for showing the page again with the errors.
struct SessionRequest {
    t: &'static Texts,
    uri: axum::http::Uri,
    headers: HeaderMap,
}

/// Reads a record from one of the session page's forms and stores it; on errors the session page is
/// shown again with what was typed.
async fn record_for_session<T: Send + 'static>(
    state: &AppState,
    request: SessionRequest,
    id: String,
    pairs: Vec<(String, String)>,
    read: impl FnOnce(&FormData, &Settings, &Session, jiff::civil::Date) -> Result<T, FormErrors>,
    store: impl FnOnce(&crate::bank::Bank, T) -> anyhow::Result<()> + Send + 'static,
    anchor: &str,
) -> Result<Response, AppError> {
    let id = session_id(&id)?;
    let form = FormData::new(pairs);
    let lookup = id.clone();
    let (settings, session) = state
        .run(move |bank| Ok((bank.settings()?, bank.session(&lookup)?)))
        .await?;
    let session = session.ok_or(AppError::NotFound)?;
    match read(&form, &settings, &session, state.today()) {
        Err(errors) => {
            let SessionRequest { t, uri, headers } = request;
            Ok(unprocessable(
                session_page(state, t, &uri, &headers, id, form.values(), &errors).await?,
            ))
        }
        Ok(record) => {
            state.run(move |bank| store(bank, record)).await?;
            Ok(Redirect::to(&format!("/sessies/{id}?opgeslagen=1#{anchor}")).into_response())
        }
    }
}

pub async fn interpret(
    Facilitator(_): Facilitator,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    record_for_session(
        &state,
        SessionRequest { t, uri, headers },
        id,
        pairs,
        |form, settings, session, today| {
            read_interpretation(form, settings, None, Some(session), today)
        },
        |bank, interpretation: Interpretation| bank.add_interpretation(&interpretation),
        "duiding",
    )
    .await
}

pub async fn act(
    Facilitator(_): Facilitator,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    record_for_session(
        &state,
        SessionRequest { t, uri, headers },
        id,
        pairs,
        |form, settings, session, today| read_action(form, settings, Some(session), today),
        |bank, action: Action| bank.add_action(&action),
        "acties",
    )
    .await
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
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(display): Query<BoardDisplay>,
) -> Result<BoardPage, AppError> {
    let id = session_id(&id)?;
    let today = state.today();
    // The board is shown to the room: only stories whose tellers allowed public use are on it.
    let (settings, board) = state
        .run(move |bank| {
            Ok((
                bank.settings()?,
                bank.session_board(&id, &Scope::PublicConsent, today)?,
            ))
        })
        .await?;
    let board = board.ok_or(AppError::NotFound)?;
    let mut page = state.page(t, &settings, "board.title", Nav::Sessions, &uri);
    page.title = format!("{} · {}", t.get("board.title"), board.session.title);
    Ok(BoardPage {
        page,
        short_url: short_url(&headers, &board.session.code),
        agenda: agenda_views(t, &board),
        as_of: as_of_note(t, &board),
        stories: board
            .stories
            .iter()
            .map(|hit| hit_card(t, &settings.municipality, hit))
            .collect(),
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

/// The short link as a QR code, drawn here (no outside service).
pub async fn qr(
    Facilitator(_): Facilitator,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = session_id(&id)?;
    let session = state
        .run(move |bank| bank.session(&id))
        .await?
        .ok_or(AppError::NotFound)?;
    qr_svg(&short_url(&headers, &session.code))
}

#[derive(Template, WebTemplate)]
#[template(path = "report.html")]
pub struct ReportPage {
    pub page: Page,
    pub session: SessionView,
    pub agenda: Vec<AgendaView>,
    /// For a past session: the sentence that says its figures are those of its date.
    pub as_of: Option<String>,
    pub stories: Vec<StoryCard>,
    pub interpretations: Vec<InterpretationView>,
    pub actions: Vec<ActionView>,
    pub heard: Option<SafeHtml>,
}

pub async fn report(
    Facilitator(_): Facilitator,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
) -> Result<ReportPage, AppError> {
    let id = session_id(&id)?;
    let today = state.today();
    let (settings, board, interpretations, actions, sessions) = state
        .run(move |bank| {
            Ok((
                bank.settings()?,
                bank.session_board(&id, &Scope::Municipality, today)?,
                bank.interpretations()?,
                bank.actions()?,
                bank.sessions()?,
            ))
        })
        .await?;
    let board = board.ok_or(AppError::NotFound)?;
    let session = &board.session;
    let mut page = state.page(t, &settings, "report.title", Nav::Sessions, &uri);
    page.title = format!("{} · {}", t.get("report.title"), session.title);
    Ok(ReportPage {
        page,
        agenda: agenda_views(t, &board),
        as_of: as_of_note(t, &board),
        stories: board
            .stories
            .iter()
            .map(|hit| hit_card(t, &settings.municipality, hit))
            .collect(),
        interpretations: interpretations
            .iter()
            .filter(|i| i.session.as_ref() == Some(&session.id))
            .map(|i| interpretation_view(t, &settings, &sessions, i))
            .collect(),
        actions: actions
            .iter()
            .filter(|a| a.session.as_ref() == Some(&session.id))
            .map(|a| action_view(t, &settings, a, today))
            .collect(),
        heard: session
            .heard
            .as_ref()
            .map(|text| render_markdown(&crate::story::Markdown::new(text))),
        session: session_view(t, &settings, session),
    })
}
