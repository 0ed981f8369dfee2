//! A round's analysis page (na-waarderen): the matrices whose counts open their stories, the
//! themes, the patterns in the answers, the significant stories and the synthesis; and its forms for
//! the phase, the texts and the significant stories.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};

use crate::bank::Settings;
use crate::bank::rounds::{Cell, RoundAnalysis};
use crate::ids::{AreaId, RoundId, SubgoalId};
use crate::index::Scope;
use crate::rounds::RoundPhase;
use crate::story::render::{SafeHtml, render_markdown};
use crate::story::{Coded, Markdown, StoryId, Valence};
use crate::web::auth::Analyst;
use crate::web::cards::{StoryCard, plain_card};
use crate::web::forms::{FormData, FormErrors};
use crate::web::i18n::Texts;
use crate::web::links::full_url;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::pattern_view::{Choice, Links, PatternsView, patterns_view};
use crate::web::round_forms::read_significant;
use crate::web::story_form::FormView;
use crate::web::{AppError, AppState, unprocessable};

use super::{
    RoundView, SignificantView, change_round, round_id, round_view, significant_views,
    subgoal_title,
};

/// One cell of a matrix: its count, how dark to shade it, and the link that opens its stories.
pub struct CellView {
    pub count: usize,
    pub shade: usize,
    pub href: String,
    pub current: bool,
}

pub struct MatrixView {
    pub columns: Vec<String>,
    pub rows: Vec<(String, Vec<CellView>)>,
}

use super::themes::{ThemeView, theme_views};

#[derive(Template, WebTemplate)]
#[template(path = "round.html")]
pub struct RoundPage {
    pub page: Page,
    pub round: RoundView,
    pub short_url: String,
    pub code: String,
    pub saved: bool,
    pub story_count: usize,
    pub tags: MatrixView,
    pub valence: MatrixView,
    /// The patterns in the answers of the round's stories; their forms open `/patronen` for the round.
    pub patterns: PatternsView,
    /// The round as a filter of `/patronen`: (name, value).
    pub patterns_filter: Vec<(String, String)>,
    pub cell_label: Option<String>,
    pub cell_stories: Vec<StoryCard>,
    /// The round's themes, biggest first (or as an analyst kept them).
    pub themes: Vec<ThemeView>,
    /// How many stories fit no theme ("Overig", or not yet placed in a kept theme).
    pub other_count: usize,
    /// Whether the round keeps the themes an analyst edited.
    pub themes_kept: bool,
    pub significant: Vec<SignificantView>,
    /// The round's stories to choose a significant one from: (id, title).
    pub choices: Vec<(String, String)>,
    pub synthesis: Option<SafeHtml>,
    pub synthesis_text: String,
    pub feedback_text: String,
    /// The synthesis and feedback as typed, rendered, when "Voorbeeld bekijken" was pressed: the form
    /// comes back with them, nothing is saved yet.
    pub preview: Option<(SafeHtml, SafeHtml)>,
    pub form: FormView,
    pub phases: Vec<(&'static str, String)>,
    /// The version of the round this page shows, sent back by its forms.
    pub version: u64,
}

fn shade(count: usize, max: usize) -> usize {
    if count == 0 || max == 0 {
        0
    } else {
        (count * 4).div_ceil(max).clamp(1, 4)
    }
}

/// The cell a query string opens: `subdoel` + `tag`, or `gebied` + `gevoel` (`gebied=geen` for
/// stories without an area).
fn cell_of(query: &BTreeMap<String, String>) -> Cell {
    Cell {
        subgoal: query.get("subdoel").and_then(|s| SubgoalId::parse(s).ok()),
        tag: query.get("tag").filter(|t| !t.is_empty()).cloned(),
        area: query.get("gebied").map(|a| match a.as_str() {
            "geen" => None,
            a => AreaId::parse(a).ok(),
        }),
        valence: query.get("gevoel").and_then(|v| Valence::parse_code(v)),
    }
}

fn area_param(area: &Option<AreaId>) -> String {
    area.as_ref()
        .map_or("geen".to_string(), ToString::to_string)
}

fn matrices(
    t: &Texts,
    settings: &Settings,
    analysis: &RoundAnalysis,
    cell: &Cell,
) -> (MatrixView, MatrixView) {
    let base = paths::round(&analysis.round.id);
    let query = |pairs: &[(&str, &str)]| serde_urlencoded::to_string(pairs).unwrap_or_default();
    let m = &analysis.subgoal_tags;
    let max = m.max();
    let tags = MatrixView {
        columns: m.columns.clone(),
        rows: m
            .rows
            .iter()
            .zip(&m.cells)
            .map(|(subgoal, counts)| {
                let cells = m
                    .columns
                    .iter()
                    .zip(counts)
                    .map(|(tag, &count)| CellView {
                        count,
                        shade: shade(count, max),
                        href: format!(
                            "{base}?{}#cel",
                            query(&[("subdoel", subgoal.as_str()), ("tag", tag)])
                        ),
                        current: cell.subgoal.as_ref() == Some(subgoal)
                            && cell.tag.as_deref() == Some(tag.as_str()),
                    })
                    .collect();
                (subgoal_title(settings, subgoal), cells)
            })
            .collect(),
    };
    let m = &analysis.valence_area;
    let max = m.max();
    let valence = MatrixView {
        columns: m
            .columns
            .iter()
            .map(|v| t.code("valence", v.code()))
            .collect(),
        rows: m
            .rows
            .iter()
            .zip(&m.cells)
            .map(|(area, counts)| {
                let cells = m
                    .columns
                    .iter()
                    .zip(counts)
                    .map(|(valence, &count)| CellView {
                        count,
                        shade: shade(count, max),
                        href: format!(
                            "{base}?{}#cel",
                            query(&[("gebied", &area_param(area)), ("gevoel", valence.code())])
                        ),
                        current: cell.area.as_ref() == Some(area) && cell.valence == Some(*valence),
                    })
                    .collect();
                let name = area.as_ref().map_or_else(
                    || t.get("rounds.no_area").to_string(),
                    |a| settings.municipality.area_name(a).to_string(),
                );
                (name, cells)
            })
            .collect(),
    };
    (tags, valence)
}

fn cell_label(t: &Texts, settings: &Settings, cell: &Cell) -> Option<String> {
    if cell.is_empty() {
        return None;
    }
    let mut parts = Vec::new();
    if let Some(subgoal) = &cell.subgoal {
        parts.push(subgoal_title(settings, subgoal));
    }
    if let Some(tag) = &cell.tag {
        parts.push(format!("#{tag}"));
    }
    if let Some(area) = &cell.area {
        parts.push(area.as_ref().map_or_else(
            || t.get("rounds.no_area").to_string(),
            |a| settings.municipality.area_name(a).to_string(),
        ));
    }
    if let Some(valence) = cell.valence {
        parts.push(t.code("valence", valence.code()));
    }
    Some(parts.join(" · "))
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn round_page(
    ctx: &PageCtx,
    headers: &HeaderMap,
    id: RoundId,
    query: BTreeMap<String, String>,
    values: BTreeMap<String, Vec<String>>,
    errors: &FormErrors,
) -> Result<RoundPage, AppError> {
    let t = ctx.t;
    let (settings, version, analysis, questions) = ctx
        .state
        .run(move |bank| {
            // The version is read first: should the round change before the analysis is read, a save
            // from this page is refused rather than undoing a change the page did not show.
            let version = bank.round_versioned(&id)?.map_or(0, |read| read.version);
            Ok((
                bank.settings()?,
                version,
                bank.round_analysis(&id, &Scope::Municipality)?,
                bank.all_questions()?,
            ))
        })
        .await?;
    let analysis = analysis.ok_or(AppError::NotFound)?;
    let cell = cell_of(&query);
    let (tags, valence) = matrices(t, &settings, &analysis, &cell);
    let municipality = &settings.municipality;
    let cell_stories = if cell.is_empty() {
        Vec::new()
    } else {
        analysis
            .stories_in(&cell)
            .into_iter()
            .map(|s| plain_card(t, municipality, s))
            .collect()
    };
    let round = &analysis.round;
    let pattern_links = Links::from_query(&[("round".to_string(), round.id.to_string())]);
    let patterns = patterns_view(
        t,
        &settings,
        &questions,
        &analysis.stories,
        &Choice::default(),
        &pattern_links,
        false,
    );
    let significant = significant_views(t, municipality, round, &analysis.stories);
    let themes = theme_views(t, &analysis);
    let mut page = ctx.page(&settings, "rounds.title", Nav::Rounds);
    page.title = round.title.clone();
    Ok(RoundPage {
        version,
        page,
        round: round_view(t, &settings, round),
        short_url: full_url(headers, &paths::round_link(&round.code)),
        code: round.code.clone(),
        saved: query.contains_key("opgeslagen"),
        story_count: analysis.stories.len(),
        tags,
        valence,
        patterns,
        patterns_filter: pattern_links.hidden(),
        cell_label: cell_label(t, &settings, &cell),
        cell_stories,
        other_count: analysis.themes.other.len(),
        themes_kept: analysis.themes.kept,
        themes,
        significant,
        choices: analysis
            .stories
            .iter()
            .filter(|s| round.significance(&s.id).is_none())
            .map(|s| {
                (
                    s.id.to_string(),
                    format!("{} ({})", s.title, t.date(&s.date)),
                )
            })
            .collect(),
        synthesis: round
            .synthesis
            .as_ref()
            .map(|text| render_markdown(&Markdown::new(text))),
        synthesis_text: round.synthesis.clone().unwrap_or_default(),
        feedback_text: round.feedback.clone().unwrap_or_default(),
        preview: None,
        form: FormView::new(t, &settings, values, errors, false),
        phases: RoundPhase::ALL
            .iter()
            .map(|p| (p.code(), t.code("rounds.phase", p.code())))
            .collect(),
    })
}

pub async fn page(
    Analyst(_): Analyst,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Result<RoundPage, AppError> {
    let id = round_id(&id)?;
    round_page(
        &ctx,
        &headers,
        id,
        query,
        BTreeMap::new(),
        &FormErrors::default(),
    )
    .await
}

pub async fn phase(
    Analyst(_): Analyst,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = round_id(&id)?;
    let form = FormData::new(pairs);
    let phase = form
        .get("fase")
        .and_then(RoundPhase::parse_code)
        .ok_or(AppError::BadRequest("error.bad_request"))?;
    change_round(&state, id, &form, move |round| round.phase = phase, "fase").await
}

/// Saves the synthesis and the feedback, or with `voorbeeld` shows them rendered above the form as typed,
/// without saving (the form keeps the version it was read at, so a save after it is checked as usual).
#[allow(clippy::too_many_arguments)]
pub async fn texts(
    Analyst(_): Analyst,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = round_id(&id)?;
    let form = FormData::new(pairs);
    let text = |name: &str| {
        form.get(name)
            .map(|text| text.chars().take(50_000).collect::<String>())
    };
    let (synthesis, feedback) = (text("synthese"), text("terugkoppeling"));
    if form.get("voorbeeld").is_some() {
        let read_at = form.version()?;
        let mut page = round_page(
            &ctx,
            &headers,
            id,
            BTreeMap::new(),
            BTreeMap::new(),
            &FormErrors::default(),
        )
        .await?;
        let synthesis = synthesis.unwrap_or_default();
        let feedback = feedback.unwrap_or_default();
        page.preview = Some((
            render_markdown(&Markdown::new(&synthesis)),
            render_markdown(&Markdown::new(&feedback)),
        ));
        page.synthesis_text = synthesis;
        page.feedback_text = feedback;
        page.version = read_at;
        return Ok(page.into_response());
    }
    change_round(
        &ctx.state,
        id,
        &form,
        move |round| {
            round.synthesis = synthesis;
            round.feedback = feedback;
        },
        "synthese",
    )
    .await
}

pub async fn significant(
    Analyst(_): Analyst,
    ctx: PageCtx,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = round_id(&id)?;
    let form = FormData::new(pairs);
    if let Some(remove) = form.get("weghalen").and_then(|s| StoryId::parse(s).ok()) {
        return change_round(
            &ctx.state,
            id,
            &form,
            move |round| round.significant.retain(|s| s.story != remove),
            "betekenisvol",
        )
        .await;
    }
    let lookup = id.clone();
    let in_round: Vec<StoryId> = ctx
        .state
        .run(move |bank| {
            Ok(bank
                .round_stories(&lookup, &Scope::Municipality)?
                .iter()
                .map(|s| s.id)
                .collect())
        })
        .await?;
    match read_significant(&form, &in_round) {
        Err(errors) => Ok(unprocessable(
            round_page(&ctx, &headers, id, BTreeMap::new(), form.values(), &errors).await?,
        )),
        Ok(chosen) => {
            change_round(
                &ctx.state,
                id,
                &form,
                move |round| {
                    round.significant.retain(|s| s.story != chosen.story);
                    round.significant.push(chosen);
                },
                "betekenisvol",
            )
            .await
        }
    }
}
