//! Improvement actions (verbeteracties): all of them, open ones first with the overdue ones marked,
//! optionally for one indicator or area; and recording how an action stands and what came of it.
//! The actions shown download as CSV or Excel.

use crate::web::auth::Facilitator;
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::bank::Settings;
use crate::export::actions_table;
use crate::ids::{AreaId, IndicatorId};
use crate::present::session_views::{ActionView, action_view};
use crate::sessions::{Action, EntryId};
use crate::web::download::{Sheet, attachment, query_string};
use crate::web::forms::FormData;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::session_forms::update_action;
use crate::web::{AppError, AppState};

#[derive(Template, WebTemplate)]
#[template(path = "actions.html")]
pub struct ActionsPage {
    pub page: Page,
    /// The open actions, each with the version its form sends back.
    pub open: Vec<(ActionView, u64)>,
    pub finished: Vec<ActionView>,
    pub back: String,
    /// The page's filter as a query string for the download links (`?gebied=noord`), or empty.
    pub download_query: String,
}

/// The actions the page shows for its `indicator` and `gebied` (an area counts its wijken): the open
/// ones and the finished ones, each in the store's order.
fn shown(form: &FormData, settings: &Settings, actions: Vec<Action>) -> (Vec<Action>, Vec<Action>) {
    let indicator = form
        .get("indicator")
        .and_then(|id| IndicatorId::parse(id).ok());
    let area = form.get("gebied").and_then(|id| AreaId::parse(id).ok());
    actions
        .into_iter()
        .filter(|a| indicator.is_none() || a.indicator == indicator)
        .filter(|a| {
            area.as_ref().is_none_or(|area| {
                a.area
                    .as_ref()
                    .is_some_and(|own| settings.municipality.area_and_ancestors(own).contains(area))
            })
        })
        .partition(Action::is_open)
}

pub async fn list(
    ctx: PageCtx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<ActionsPage, AppError> {
    let t = ctx.t;
    let download_query = query_string(&pairs, &[]);
    let form = FormData::new(pairs);
    let today = ctx.state.today();
    let (settings, versions, actions) = ctx
        .state
        .run(|bank| {
            // Versions first: a change made while the page is put together makes its save refused.
            let versions = bank.action_versions()?;
            Ok((bank.settings()?, versions, bank.actions()?))
        })
        .await?;
    let (open, finished) = shown(&form, &settings, actions);
    Ok(ActionsPage {
        page: ctx.page(&settings, "actions.title", Nav::Actions),
        open: open
            .into_iter()
            .map(|a| {
                let version = versions.get(&a.id).copied().unwrap_or(0);
                (action_view(t, &settings, &a, today), version)
            })
            .collect(),
        finished: finished
            .into_iter()
            .map(|a| action_view(t, &settings, &a, today))
            .collect(),
        back: ctx
            .uri
            .path_and_query()
            .map_or("/acties".to_string(), |pq| pq.as_str().to_string()),
        download_query,
    })
}

/// `/acties/export.csv`: the actions the page shows, as CSV.
pub async fn download_csv(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    download(state, pairs, Sheet::Csv).await
}

/// `/acties/export.xlsx`: the actions the page shows, as an Excel workbook.
pub async fn download_xlsx(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    download(state, pairs, Sheet::Xlsx).await
}

/// The actions in the page's order: open ones first, then the finished ones.
async fn download(
    state: AppState,
    pairs: Vec<(String, String)>,
    sheet: Sheet,
) -> Result<Response, AppError> {
    let form = FormData::new(pairs);
    let today = state.today();
    let file = state
        .run(move |bank| {
            let settings = bank.settings()?;
            let (mut actions, finished) = shown(&form, &settings, bank.actions()?);
            actions.extend(finished);
            sheet.file(&[actions_table(&actions, today)], today)
        })
        .await?;
    Ok(attachment(file))
}

pub async fn update(
    Facilitator(_): Facilitator,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = EntryId::parse(&id).map_err(|_| AppError::NotFound)?;
    let form = FormData::new(pairs);
    let read_at = form.version()?;
    let back = form
        .get("terug")
        .filter(|b| b.starts_with('/') && !b.starts_with("//"))
        .unwrap_or("/acties")
        .to_string();
    state
        .run(move |bank| bank.change_action(id, read_at, |action| update_action(&form, action)))
        .await??;
    Ok(Redirect::to(&back).into_response())
}
