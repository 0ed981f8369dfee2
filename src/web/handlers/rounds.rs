//! Narrative evaluation rounds: the list, starting a round (voorwaarderen), gathering stories into it
//! from the bank (waarderen), its analysis page with the synthesis (na-waarderen), and the short link
//! `/r/CODE` that takes stories while the round collects and gives the participants the feedback after.

use crate::web::auth::Analyst;
use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{OriginalUri, Path, Query, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Redirect, Response};

use crate::bank::Settings;
use crate::bank::rounds::{Cell, RoundAnalysis};
use crate::ids::{AreaId, RoundId, SubgoalId};
use crate::index::Scope;
use crate::rounds::{Round, RoundPhase};
use crate::sessions::is_code;
use crate::story::render::{SafeHtml, render_markdown};
use crate::story::{Coded, Markdown, StoryId, Valence};
use crate::web::cards::{StoryCard, hit_card, plain_card};
use crate::web::forms::{FormData, FormErrors};
use crate::web::i18n::{Lang, ResidentLang, Texts};
use crate::web::links::full_url;
use crate::web::page::{Nav, Page};
use crate::web::pattern_view::{Choice, Links, PatternsView, patterns_view};
use crate::web::qr::qr_svg;
use crate::web::receipt::store_with_receipt;
use crate::web::round_forms::{read_round, read_significant};
use crate::web::search_notice::SearchNotice;
use crate::web::search_request::synonyms_wanted;
use crate::web::story_form::{FormView, read_public_story};
use crate::web::{AppError, AppState, unprocessable};

/// A round as lists and pages show it.
pub struct RoundView {
    pub id: String,
    pub title: String,
    pub question: String,
    pub period: String,
    pub phase: String,
    pub phase_code: &'static str,
    pub areas: String,
    pub providers: String,
    pub subgoals: Vec<(String, String)>,
}

fn round_view(t: &Texts, settings: &Settings, round: &Round) -> RoundView {
    let municipality = &settings.municipality;
    let join = |names: Vec<String>, none: &str| {
        if names.is_empty() {
            t.get(none).to_string()
        } else {
            names.join(", ")
        }
    };
    RoundView {
        id: round.id.to_string(),
        title: round.title.clone(),
        question: round.question.clone(),
        period: format!("{} – {}", t.date(&round.from), t.date(&round.to)),
        phase: t.code("rounds.phase", round.phase.code()),
        phase_code: round.phase.code(),
        areas: join(
            round
                .areas
                .iter()
                .map(|a| municipality.area_name(a).to_string())
                .collect(),
            "rounds.all_areas",
        ),
        providers: join(
            round
                .providers
                .iter()
                .map(|p| municipality.provider_name(p).to_string())
                .collect(),
            "rounds.all_providers",
        ),
        subgoals: round
            .subgoals
            .iter()
            .map(|s| (s.to_string(), subgoal_title(settings, s)))
            .collect(),
    }
}

fn subgoal_title(settings: &Settings, id: &SubgoalId) -> String {
    settings
        .goals
        .subgoal(id)
        .map_or_else(|| id.to_string(), |s| s.title.clone())
}

fn round_id(text: &str) -> Result<RoundId, AppError> {
    RoundId::parse(text).map_err(|_| AppError::NotFound)
}

#[derive(Template, WebTemplate)]
#[template(path = "rounds.html")]
pub struct ListPage {
    pub page: Page,
    pub rounds: Vec<RoundView>,
    pub form: FormView,
    pub subgoals: Vec<(String, Vec<(String, String)>)>,
}

fn list_page(
    state: &AppState,
    t: &'static Texts,
    settings: &Settings,
    rounds: &[Round],
    uri: &axum::http::Uri,
    values: BTreeMap<String, Vec<String>>,
    errors: &FormErrors,
) -> ListPage {
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
        page: state.page(t, settings, "rounds.title", Nav::Rounds, uri),
        rounds: rounds.iter().map(|r| round_view(t, settings, r)).collect(),
        form: FormView::new(t, settings, values, errors, false),
        subgoals,
    }
}

pub async fn list(
    Analyst(_): Analyst,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
) -> Result<ListPage, AppError> {
    let (settings, rounds) = state
        .run(|bank| Ok((bank.settings()?, bank.rounds()?)))
        .await?;
    Ok(list_page(
        &state,
        t,
        &settings,
        &rounds,
        &uri,
        BTreeMap::new(),
        &FormErrors::default(),
    ))
}

pub async fn start(
    Analyst(_): Analyst,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormData::new(pairs);
    let (settings, rounds) = state
        .run(|bank| Ok((bank.settings()?, bank.rounds()?)))
        .await?;
    let taken: Vec<RoundId> = rounds.iter().map(|r| r.id.clone()).collect();
    match read_round(&form, &settings, &taken) {
        Err(errors) => Ok(unprocessable(list_page(
            &state,
            t,
            &settings,
            &rounds,
            &uri,
            form.values(),
            &errors,
        ))),
        Ok(round) => {
            let id = round.id.clone();
            state.run(move |bank| bank.add_round(&round)).await?;
            Ok(Redirect::to(&format!("/rondes/{id}?opgeslagen=1")).into_response())
        }
    }
}

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

pub struct WordsView {
    pub subgoal: String,
    /// (word, stories, link to search the round's stories for it).
    pub words: Vec<(String, usize, String)>,
}

pub struct SignificantView {
    pub card: StoryCard,
    pub reason: String,
    pub story_id: String,
}

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
    pub words: Vec<WordsView>,
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

/// The round's significant stories among `stories` (those the reader may see), with their reasons.
fn significant_views(
    t: &Texts,
    municipality: &crate::municipality::Municipality,
    round: &Round,
    stories: &[crate::story::Story],
) -> Vec<SignificantView> {
    round
        .significant
        .iter()
        .filter_map(|s| {
            let story = stories.iter().find(|story| story.id == s.story)?;
            Some(SignificantView {
                card: plain_card(t, municipality, story),
                reason: s.reason.clone(),
                story_id: s.story.to_string(),
            })
        })
        .collect()
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
    let base = format!("/rondes/{}", analysis.round.id);
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
async fn round_page(
    state: &AppState,
    t: &'static Texts,
    uri: &axum::http::Uri,
    headers: &HeaderMap,
    id: RoundId,
    query: BTreeMap<String, String>,
    values: BTreeMap<String, Vec<String>>,
    errors: &FormErrors,
) -> Result<RoundPage, AppError> {
    let (settings, version, analysis, questions) = state
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
    let words = analysis
        .words
        .iter()
        .filter(|(_, words)| !words.is_empty())
        .map(|(subgoal, words)| WordsView {
            subgoal: subgoal_title(&settings, subgoal),
            words: words
                .iter()
                .map(|w| {
                    let query = serde_urlencoded::to_string([
                        ("round", analysis.round.id.as_str()),
                        ("q", w.word.as_str()),
                    ])
                    .unwrap_or_default();
                    (w.word.clone(), w.stories, format!("/zoeken?{query}"))
                })
                .collect(),
        })
        .collect();
    let mut page = state.page(t, &settings, "rounds.title", Nav::Rounds, uri);
    page.title = round.title.clone();
    Ok(RoundPage {
        version,
        page,
        round: round_view(t, &settings, round),
        short_url: full_url(headers, &format!("/r/{}", round.code)),
        code: round.code.clone(),
        saved: query.contains_key("opgeslagen"),
        story_count: analysis.stories.len(),
        tags,
        valence,
        patterns,
        patterns_filter: pattern_links.hidden(),
        cell_label: cell_label(t, &settings, &cell),
        cell_stories,
        words,
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
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Query(query): Query<BTreeMap<String, String>>,
) -> Result<RoundPage, AppError> {
    let id = round_id(&id)?;
    round_page(
        &state,
        t,
        &uri,
        &headers,
        id,
        query,
        BTreeMap::new(),
        &FormErrors::default(),
    )
    .await
}

/// Changes a stored round and goes back to its page.
/// Changes a stored round, made from the version the form was filled in from, and goes back to its
/// page; a round changed by someone else meanwhile is left as they left it, and the page says so.
async fn change_round(
    state: &AppState,
    id: RoundId,
    form: &FormData,
    change: impl FnOnce(&mut Round) + Send + 'static,
    anchor: &str,
) -> Result<Response, AppError> {
    let read_at = form.version()?;
    let back = format!("/rondes/{id}?opgeslagen=1#{anchor}");
    state
        .run(move |bank| bank.change_round(&id, read_at, change))
        .await??;
    Ok(Redirect::to(&back).into_response())
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
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
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
            &state,
            t,
            &uri,
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
        &state,
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
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    headers: HeaderMap,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = round_id(&id)?;
    let form = FormData::new(pairs);
    if let Some(remove) = form.get("weghalen").and_then(|s| StoryId::parse(s).ok()) {
        return change_round(
            &state,
            id,
            &form,
            move |round| round.significant.retain(|s| s.story != remove),
            "betekenisvol",
        )
        .await;
    }
    let lookup = id.clone();
    let in_round: Vec<StoryId> = state
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
            round_page(
                &state,
                t,
                &uri,
                &headers,
                id,
                BTreeMap::new(),
                form.values(),
                &errors,
            )
            .await?,
        )),
        Ok(chosen) => {
            change_round(
                &state,
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
    qr_svg(&full_url(&headers, &format!("/r/{}", round.code)))
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
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<GatherPage, AppError> {
    let id = round_id(&id)?;
    let link = format!("/rondes/{id}/verzamelen");
    let keep: Vec<(String, String)> = pairs
        .iter()
        .filter(|(key, _)| key == "synoniemen")
        .cloned()
        .collect();
    let form = FormData::new(pairs);
    let text = form.text("q");
    let synonyms = synonyms_wanted(&form);
    let search = text.clone();
    let (settings, found) = state
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
    let mut page = state.page(t, &settings, "rounds.gather_title", Nav::Rounds, &uri);
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
    Ok(Redirect::to(&format!("/rondes/{id}?opgeslagen=1#verhalen")).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "round_public.html")]
pub struct PublicPage {
    pub page: Page,
    pub code: String,
    pub title: String,
    pub question: String,
    pub phase: &'static str,
    pub form: FormView,
    pub feedback: Option<SafeHtml>,
    pub story_count: usize,
    pub significant: Vec<SignificantView>,
}

async fn find(state: &AppState, code: &str) -> Result<Round, AppError> {
    if !is_code(code) {
        return Err(AppError::NotFound);
    }
    let code = code.to_string();
    state
        .run(move |bank| bank.round_by_code(&code))
        .await?
        .ok_or(AppError::NotFound)
}

async fn public_page(
    state: &AppState,
    t: &'static Texts,
    uri: &axum::http::Uri,
    round: Round,
    values: BTreeMap<String, Vec<String>>,
    errors: &FormErrors,
) -> Result<PublicPage, AppError> {
    let id = round.id.clone();
    let (settings, public, total) = state
        .run(move |bank| {
            // Participants see only the published stories whose tellers allowed public use.
            let public = bank.round_stories(&id, &Scope::Public)?;
            let total = bank.round_story_count(&id, &Scope::Municipality)?;
            Ok((bank.settings()?, public, total))
        })
        .await?;
    let mut page = state.resident_page(t, &settings, "rounds.public_title", Nav::None, uri);
    page.title = round.title.clone();
    let feedback_shown = round.phase.has_feedback();
    let significant = if feedback_shown {
        significant_views(t, &settings.municipality, &round, &public)
    } else {
        Vec::new()
    };
    Ok(PublicPage {
        page,
        code: round.code.clone(),
        title: round.title.clone(),
        question: round.question.clone(),
        phase: round.phase.code(),
        form: FormView::new(t, &settings, values, errors, true),
        feedback: round
            .feedback
            .as_ref()
            .filter(|_| feedback_shown)
            .map(|text| render_markdown(&Markdown::new(text))),
        story_count: total,
        significant,
    })
}

pub async fn public(
    State(state): State<AppState>,
    ResidentLang(t): ResidentLang,
    OriginalUri(uri): OriginalUri,
    Path(code): Path<String>,
) -> Result<PublicPage, AppError> {
    let round = find(&state, &code).await?;
    public_page(
        &state,
        t,
        &uri,
        round,
        BTreeMap::new(),
        &FormErrors::default(),
    )
    .await
}

/// A story told for the round: gathered into it, linked to its subgoals; it enters moderation like
/// every story.
pub async fn submit(
    State(state): State<AppState>,
    ResidentLang(t): ResidentLang,
    OriginalUri(uri): OriginalUri,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let round = find(&state, &code).await?;
    if round.phase != RoundPhase::Collect {
        return Ok(Redirect::to(&format!("/r/{}", round.code)).into_response());
    }
    let form = FormData::new(pairs);
    let settings = state.run(|bank| bank.settings()).await?;
    match read_public_story(&form, &settings, state.today()) {
        Err(errors) => Ok(unprocessable(
            public_page(&state, t, &uri, round, form.values(), &errors).await?,
        )),
        Ok(mut story) => {
            story.round = Some(round.id.clone());
            if story.subgoals.is_empty() {
                story.subgoals = round.subgoals.clone();
            }
            let mut page =
                state.resident_page(t, &settings, "rounds.public_title", Nav::None, &uri);
            page.title = round.title.clone();
            let (done, _) = store_with_receipt(&state, page, story, Default::default()).await?;
            Ok(done.into_response())
        }
    }
}
