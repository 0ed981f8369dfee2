//! The facilitators' pages of sessions besides the session itself: the list of sessions, planning
//! one, and the QR code of a session's short link.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};

use crate::bank::Settings;
use crate::ids::SessionId;
use crate::sessions::{Session, SessionStatus};
use crate::web::auth::Facilitator;
use crate::web::forms::{FormData, FormErrors};
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::qr::qr_svg;
use crate::web::session_forms::read_plan;
use crate::web::story_form::FormView;
use crate::web::{AppError, AppState, unprocessable};

use super::{SessionView, session_id, session_view, short_url};

#[derive(Template, WebTemplate)]
#[template(path = "sessions.html")]
pub struct ListPage {
    pub page: Page,
    /// (heading, sessions): the planned and running ones, then those held.
    pub groups: Vec<(String, Vec<SessionView>)>,
}

pub async fn list(Facilitator(_): Facilitator, ctx: PageCtx) -> Result<ListPage, AppError> {
    let t = ctx.t;
    let (settings, sessions) = ctx
        .state
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
        page: ctx.page(&settings, "sessions.title", Nav::Sessions),
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
    ctx: &PageCtx,
    settings: &Settings,
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
        page: ctx.page(settings, key, Nav::Sessions),
        form: FormView::new(ctx.t, settings, values, errors, false),
        indicators,
    }
}

pub async fn plan_form(Facilitator(_): Facilitator, ctx: PageCtx) -> Result<PlanPage, AppError> {
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    Ok(plan_page(
        &ctx,
        &settings,
        BTreeMap::new(),
        &FormErrors::default(),
    ))
}

pub async fn plan(
    Facilitator(_): Facilitator,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormData::new(pairs);
    let (settings, sessions) = ctx
        .state
        .run(|bank| Ok((bank.settings()?, bank.sessions()?)))
        .await?;
    let taken: Vec<SessionId> = sessions.into_iter().map(|s| s.id).collect();
    match read_plan(&form, &settings, &taken) {
        Err(errors) => Ok(unprocessable(plan_page(
            &ctx,
            &settings,
            form.values(),
            &errors,
        ))),
        Ok(session) => {
            let id = session.id.clone();
            ctx.state
                .run(move |bank| bank.add_session(&session))
                .await?;
            Ok(Redirect::to(&paths::session(&id)).into_response())
        }
    }
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
