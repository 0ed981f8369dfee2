//! The staff's pages of rounds besides the analysis: the list of rounds and starting one, gathering
//! stories from the bank into a round, and the QR code of its short link.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};

use crate::bank::Settings;
use crate::ids::RoundId;
use crate::rounds::Round;
use crate::story::StoryId;
use crate::web::auth::Analyst;
use crate::web::cards::{StoryCard, hit_card};
use crate::web::forms::{FormData, FormErrors};
use crate::web::links::full_url;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::qr::qr_svg;
use crate::web::round_forms::read_round;
use crate::web::search_notice::SearchNotice;
use crate::web::search_request::synonyms_wanted;
use crate::web::story_form::FormView;
use crate::web::{AppError, AppState, unprocessable};

use super::{RoundView, round_id, round_view};

#[derive(Template, WebTemplate)]
#[template(path = "rounds.html")]
pub struct ListPage {
    pub page: Page,
    pub rounds: Vec<RoundView>,
    pub form: FormView,
    pub subgoals: Vec<(String, Vec<(String, String)>)>,
}

fn list_page(
    ctx: &PageCtx,
    settings: &Settings,
    rounds: &[Round],
    values: BTreeMap<String, Vec<String>>,
    errors: &FormErrors,
) -> ListPage {
    let t = ctx.t;
    let subgoals = settings
        .goals
        .subgoals_in_use()
        .into_iter()
        .map(|(goal, subgoals)| {
            let items = subgoals
                .into_iter()
                .map(|s| (s.id.to_string(), s.title.clone()))
                .collect();
            (goal.title.clone(), items)
        })
        .collect();
    ListPage {
        page: ctx.page(settings, "rounds.title", Nav::Rounds),
        rounds: rounds.iter().map(|r| round_view(t, settings, r)).collect(),
        form: FormView::new(t, settings, values, errors, false),
        subgoals,
    }
}

pub async fn list(Analyst(_): Analyst, ctx: PageCtx) -> Result<ListPage, AppError> {
    let (settings, rounds) = ctx
        .state
        .run(|bank| Ok((bank.settings()?, bank.rounds()?)))
        .await?;
    Ok(list_page(
        &ctx,
        &settings,
        &rounds,
        BTreeMap::new(),
        &FormErrors::default(),
    ))
}

pub async fn start(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormData::new(pairs);
    let (settings, rounds) = ctx
        .state
        .run(|bank| Ok((bank.settings()?, bank.rounds()?)))
        .await?;
    let taken: Vec<RoundId> = rounds.iter().map(|r| r.id.clone()).collect();
    match read_round(&form, &settings, &taken) {
        Err(errors) => Ok(unprocessable(list_page(
            &ctx,
            &settings,
            &rounds,
            form.values(),
            &errors,
        ))),
        Ok(round) => {
            let id = round.id.clone();
            ctx.state.run(move |bank| bank.add_round(&round)).await?;
            Ok(Redirect::to(&format!("{}?opgeslagen=1", paths::round(&id))).into_response())
        }
    }
}

pub async fn qr(
    Analyst(_): Analyst,
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Response, AppError> {
    let id = round_id(&id)?;
    let round = state
        .run(move |bank| bank.round(&id))
        .await?
        .ok_or(AppError::NotFound)?;
    qr_svg(&full_url(&headers, &paths::round_link(&round.code)))
}

#[derive(Template, WebTemplate)]
#[template(path = "round_gather.html")]
pub struct GatherPage {
    pub page: Page,
    pub round: RoundView,
    pub query: String,
    pub candidates: Vec<StoryCard>,
    /// Whether the search also looks for synonyms (the checkbox).
    pub synonyms: bool,
    /// What the search says about how it searched.
    pub notice: SearchNotice,
}

pub async fn gather_form(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<GatherPage, AppError> {
    let t = ctx.t;
    let id = round_id(&id)?;
    let link = paths::round_gather(&id);
    let keep: Vec<(String, String)> = pairs
        .iter()
        .filter(|(key, _)| key == "synoniemen")
        .cloned()
        .collect();
    let form = FormData::new(pairs);
    let text = form.text("q");
    let synonyms = synonyms_wanted(&form);
    let search = text.clone();
    let (settings, found) = ctx
        .state
        .run(move |bank| {
            let Some(round) = bank.round(&id)? else {
                return Ok((bank.settings()?, None));
            };
            let candidates = bank.round_candidates(&round, &search, synonyms)?;
            Ok((bank.settings()?, Some((round, candidates))))
        })
        .await?;
    let (round, results) = found.ok_or(AppError::NotFound)?;
    let notice = SearchNotice::of(t, &results, |text| {
        let mut pairs = vec![("q".to_string(), text.to_string())];
        pairs.extend(keep.iter().cloned());
        format!(
            "{link}?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    });
    let mut page = ctx.page(&settings, "rounds.gather_title", Nav::Rounds);
    page.title = format!("{} · {}", t.get("rounds.gather_title"), round.title);
    Ok(GatherPage {
        page,
        round: round_view(t, &settings, &round),
        query: text,
        candidates: results
            .hits
            .iter()
            .map(|hit| hit_card(t, &settings.municipality, hit))
            .collect(),
        synonyms,
        notice,
    })
}

pub async fn gather(
    Analyst(_): Analyst,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = round_id(&id)?;
    let form = FormData::new(pairs);
    let chosen: Vec<StoryId> = form
        .all("verhaal")
        .iter()
        .filter_map(|s| StoryId::parse(s).ok())
        .collect();
    let round = id.clone();
    let exists = state
        .run(move |bank| {
            if bank.round(&round)?.is_none() {
                return Ok(false);
            }
            bank.gather_into_round(&round, &chosen)?;
            Ok(true)
        })
        .await?;
    if !exists {
        return Err(AppError::NotFound);
    }
    Ok(Redirect::to(&format!("{}?opgeslagen=1#verhalen", paths::round(&id))).into_response())
}
