//! A session's own pages: the facilitator's page (short link, status, interpretations and actions,
//! what was heard) with its forms, and the printable report of the session.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};

use crate::bank::Settings;
use crate::ids::SessionId;
use crate::index::Scope;
use crate::present::session_views::{
    ActionView, InterpretationView, action_view, interpretation_view,
};
use crate::sessions::{Action, Interpretation, Session, SessionStatus};
use crate::story::Coded;
use crate::story::render::{SafeHtml, render_markdown};
use crate::web::auth::Facilitator;
use crate::web::cards::StoryCard;
use crate::web::forms::{FormData, FormErrors};
use crate::web::i18n::Texts;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::session_forms::{read_action, read_interpretation};
use crate::web::story_form::FormView;
use crate::web::{AppError, AppState, unprocessable};

use super::{
    AgendaView, SessionView, agenda_views, as_of_note, session_id, session_view, short_url,
    story_cards,
};

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

/// The interpretations and actions recorded for a session, as its page and its report list them.
struct SessionRecords {
    interpretations: Vec<InterpretationView>,
    actions: Vec<ActionView>,
}

impl SessionRecords {
    fn of(
        t: &Texts,
        settings: &Settings,
        session: &Session,
        (interpretations, actions, sessions): (Vec<Interpretation>, Vec<Action>, Vec<Session>),
        today: jiff::civil::Date,
    ) -> SessionRecords {
        SessionRecords {
            interpretations: interpretations
                .iter()
                .filter(|i| i.session.as_ref() == Some(&session.id))
                .map(|i| interpretation_view(t, settings, &sessions, i))
                .collect(),
            actions: actions
                .iter()
                .filter(|a| a.session.as_ref() == Some(&session.id))
                .map(|a| action_view(t, settings, a, today))
                .collect(),
        }
    }
}

/// What [`SessionRecords::of`] reads from the bank.
fn read_records(
    bank: &crate::bank::Bank,
) -> anyhow::Result<(Vec<Interpretation>, Vec<Action>, Vec<Session>)> {
    Ok((bank.interpretations()?, bank.actions()?, bank.sessions()?))
}

async fn session_page(
    ctx: &PageCtx,
    headers: &HeaderMap,
    id: SessionId,
    values: BTreeMap<String, Vec<String>>,
    errors: &FormErrors,
) -> Result<SessionPage, AppError> {
    let t = ctx.t;
    let today = ctx.state.today();
    let (settings, version, board, records) = ctx
        .state
        .run(move |bank| {
            // Read first, so a change made while the page is put together makes its save refused.
            let version = bank.session_versioned(&id)?.map_or(0, |read| read.version);
            let board = bank.session_board(&id, &Scope::Municipality, today)?;
            Ok((bank.settings()?, version, board, read_records(bank)?))
        })
        .await?;
    let board = board.ok_or(AppError::NotFound)?;
    let session = &board.session;
    let key = if errors.is_empty() {
        "sessions.title"
    } else {
        "sessions.interpretation_title"
    };
    let mut page = ctx.page(&settings, key, Nav::Sessions);
    page.title = session.title.clone();
    let records = SessionRecords::of(t, &settings, session, records, today);
    Ok(SessionPage {
        page,
        short_url: short_url(headers, &session.code),
        told: board.told,
        heard: session.heard.clone().unwrap_or_default(),
        interpretations: records.interpretations,
        actions: records.actions,
        form: FormView::new(t, &settings, values, errors, false),
        saved: ctx.uri.query().is_some_and(|q| q.contains("opgeslagen")),
        session: session_view(t, &settings, session),
        version,
    })
}

pub async fn page(
    Facilitator(_): Facilitator,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<SessionPage, AppError> {
    session_page(
        &ctx,
        &headers,
        session_id(&id)?,
        BTreeMap::new(),
        &FormErrors::default(),
    )
    .await
}

/// Back to the session's page after a save, which says it was saved, at the part `anchor` names
/// (none if empty).
fn saved(id: &SessionId, anchor: &str) -> Response {
    let mut back = format!("{}?opgeslagen=1", paths::session(id));
    if !anchor.is_empty() {
        back = format!("{back}#{anchor}");
    }
    Redirect::to(&back).into_response()
}

/// Changes a session in one step, made from the version the form was filled in from, and goes back
/// to its page at `anchor`; a session changed by someone else meanwhile is left as they left it, and
/// the page says so.
async fn change_session(
    state: &AppState,
    id: SessionId,
    form: &FormData,
    change: impl FnOnce(&mut Session) + Send + 'static,
    anchor: &str,
) -> Result<Response, AppError> {
    let read_at = form.version()?;
    let back = saved(&id, anchor);
    state
        .run(move |bank| bank.change_session(&id, read_at, change))
        .await??;
    Ok(back)
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
    change_session(
        &state,
        id,
        &form,
        move |session| session.status = status,
        "",
    )
    .await
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
    change_session(
        &state,
        id,
        &form,
        move |session| session.heard = text,
        "gehoord",
    )
    .await
}

/// Reads a record from one of the session page's forms and stores it; on errors the session page is
/// shown again with what was typed.
async fn record_for_session<T: Send + 'static>(
    ctx: &PageCtx,
    headers: &HeaderMap,
    id: String,
    pairs: Vec<(String, String)>,
    read: impl FnOnce(&FormData, &Settings, &Session, jiff::civil::Date) -> Result<T, FormErrors>,
    store: impl FnOnce(&crate::bank::Bank, T) -> anyhow::Result<()> + Send + 'static,
    anchor: &str,
) -> Result<Response, AppError> {
    let id = session_id(&id)?;
    let form = FormData::new(pairs);
    let lookup = id.clone();
    let (settings, session) = ctx
        .state
        .run(move |bank| Ok((bank.settings()?, bank.session(&lookup)?)))
        .await?;
    let session = session.ok_or(AppError::NotFound)?;
    match read(&form, &settings, &session, ctx.state.today()) {
        Err(errors) => Ok(unprocessable(
            session_page(ctx, headers, id, form.values(), &errors).await?,
        )),
        Ok(record) => {
            ctx.state.run(move |bank| store(bank, record)).await?;
            Ok(saved(&id, anchor))
        }
    }
}

pub async fn interpret(
    Facilitator(_): Facilitator,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    record_for_session(
        &ctx,
        &headers,
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
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    record_for_session(
        &ctx,
        &headers,
        id,
        pairs,
        |form, settings, session, today| read_action(form, settings, Some(session), today),
        |bank, action: Action| bank.add_action(&action),
        "acties",
    )
    .await
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
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<ReportPage, AppError> {
    let t = ctx.t;
    let id = session_id(&id)?;
    let today = ctx.state.today();
    let (settings, board, records) = ctx
        .state
        .run(move |bank| {
            Ok((
                bank.settings()?,
                bank.session_board(&id, &Scope::Municipality, today)?,
                read_records(bank)?,
            ))
        })
        .await?;
    let board = board.ok_or(AppError::NotFound)?;
    let session = &board.session;
    let mut page = ctx.page(&settings, "report.title", Nav::Sessions);
    page.title = format!("{} · {}", t.get("report.title"), session.title);
    let records = SessionRecords::of(t, &settings, session, records, today);
    Ok(ReportPage {
        page,
        agenda: agenda_views(t, &board),
        as_of: as_of_note(t, &board),
        stories: story_cards(t, &settings, &board),
        interpretations: records.interpretations,
        actions: records.actions,
        heard: session
            .heard
            .as_ref()
            .map(|text| render_markdown(&crate::story::Markdown::new(text))),
        session: session_view(t, &settings, session),
    })
}
