//! The evidence page of one indicator, the heart of the product: counted and told evidence side by
//! side, the signals that come from reading them together, and a search within the indicator's stories.
//! The area and period filter applies to both sides at once, also to the page's download of its
//! figures and stories.

use crate::web::auth::Facilitator;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};

use crate::bank::Within;
use crate::export::{Audience, measurements_table, stories_table};
use crate::goals::{Direction, IndicatorLevel};
use crate::ids::IndicatorId;
use crate::index::{FacetField, Scope, SortOrder};
use crate::present::session_views::{
    ActionView, InterpretationView, action_view, interpretation_view,
};
use crate::story::render::SafeHtml;
use crate::web::cards::{StoryCard, hit_card};
use crate::web::chart::{Point, line_chart};
use crate::web::download::{Sheet, attachment};
use crate::web::filters::{FilterView, answer, filter_view, read_filter};
use crate::web::forms::FormData;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::search_notice::SearchNotice;
use crate::web::search_request::synonyms_wanted;
use crate::web::views::{
    BalanceView, Row, SignalView, TrendView, balance_view, measurement_text, share_text,
    signal_views, trend_view, value_text,
};
use crate::web::{AppError, AppState, unprocessable};

/// Answers to the indicator's statement from the stories.
pub struct ScoresView {
    pub summary: String,
    pub rows: Vec<Row>,
}

pub struct Count {
    pub label: String,
    pub count: u32,
    pub href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "evidence.html")]
pub struct EvidencePage {
    pub page: Page,
    pub filter: FilterView,
    /// Where the filter form goes: this page.
    pub action: String,
    pub id: String,
    pub goal: String,
    pub subgoal: String,
    pub subgoal_id: String,
    pub title: String,
    pub facts: Vec<Row>,
    pub statement: Option<String>,
    pub signals: Vec<SignalView>,
    pub latest: Option<String>,
    pub latest_period: String,
    pub trend: TrendView,
    pub since_baseline: TrendView,
    pub target_note: Option<String>,
    pub reach_note: Option<String>,
    pub area_note: Option<String>,
    pub chart: SafeHtml,
    pub series: Vec<Row>,
    pub by_area: Vec<Row>,
    pub balance: BalanceView,
    pub told_by_area: Vec<Count>,
    pub told_by_teller: Vec<Count>,
    pub tags: Vec<Count>,
    pub excerpts: Vec<StoryCard>,
    /// In what order the stories come: closest to the indicator first.
    pub closeness_note: String,
    pub query: String,
    pub scores: Option<ScoresView>,
    pub interpretations: Vec<InterpretationView>,
    pub interpretation_query: String,
    pub actions: Vec<ActionView>,
    /// The heading ("3 verhalen gevonden") and the cards of a search within.
    pub within: Option<(String, Vec<StoryCard>)>,
    /// What the search within says about how it searched.
    pub notice: SearchNotice,
    /// Whether the search within also looks for synonyms (the checkbox).
    pub synonyms: bool,
}

pub async fn page(
    ctx: PageCtx,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<axum::response::Response, AppError> {
    let t = ctx.t;
    let id = IndicatorId::parse(&id).map_err(|_| AppError::NotFound)?;
    let today = ctx.state.today();
    let link_pairs: Vec<(String, String)> = pairs
        .iter()
        .filter(|(key, _)| ["gebied", "periode", "synoniemen"].contains(&key.as_str()))
        .cloned()
        .collect();
    let form = FormData::new(pairs);
    let query = form.text("q");
    let synonyms = synonyms_wanted(&form);
    let within = Within {
        text: query.clone(),
        synonyms,
    };
    let interpretation_query = form.text("dq");
    let dq = interpretation_query.clone();
    let (settings, (filter, unknown), evidence, years, interpretations, actions, sessions) = ctx
        .state
        .run(move |bank| {
            let settings = bank.settings()?;
            let filter = read_filter(&form, &settings.municipality);
            let evidence = bank.evidence(&id, &filter.0, &Scope::Public, Some(&within), today)?;
            let interpretations =
                bank.interpretations_for(&id, Some(dq.as_str()).filter(|q| !q.trim().is_empty()))?;
            let actions = bank.actions_for(&id)?;
            Ok((
                settings,
                filter,
                evidence,
                bank.years()?,
                interpretations,
                actions,
                bank.sessions()?,
            ))
        })
        .await?;
    let evidence = evidence.ok_or(AppError::NotFound)?;
    let municipality = &settings.municipality;
    let indicator = &evidence.indicator;
    let counted = &evidence.counted;
    let mut filter_view = filter_view(t, municipality, &filter, &years);
    filter_view.notices = unknown.notices(t);

    let mut facts = vec![
        Row {
            label: t.get("indicator.level").to_string(),
            value: t.code("level", indicator.level.code()),
        },
        Row {
            label: t.get("indicator.direction").to_string(),
            value: t
                .get(match indicator.direction {
                    Direction::Up => "indicator.up",
                    Direction::Down => "indicator.down",
                })
                .to_string(),
        },
        Row {
            label: t.get("indicator.source").to_string(),
            value: indicator.source.clone(),
        },
        Row {
            label: t.get("indicator.frequency").to_string(),
            value: t.code(
                "frequency",
                &format!("{:?}", indicator.frequency).to_lowercase(),
            ),
        },
    ];
    if let Some(baseline) = indicator.baseline {
        facts.push(Row {
            label: t.get("figure.baseline").to_string(),
            value: value_text(t, baseline, &indicator.unit),
        });
    }
    if let Some(target) = indicator.target {
        facts.push(Row {
            label: t.get("figure.target").to_string(),
            value: value_text(t, target, &indicator.unit),
        });
    }
    if let Some(group) = indicator.target_group {
        facts.push(Row {
            label: t.get("indicator.target_group").to_string(),
            value: t.number(group),
        });
    }
    if let Some(date) = settings
        .goals
        .retired_on(crate::goals::ItemKind::Indicator, indicator.id.as_str())
    {
        facts.push(Row {
            label: t.get("indicator.in_use").to_string(),
            value: t.with("tree.retired_since", &t.date(&date)),
        });
    }

    let reach_note = match (indicator.level, indicator.target_group, &counted.latest) {
        (IndicatorLevel::Reach, Some(group), Some(latest)) if group > 0.0 => Some(
            t.get("indicator.reach_share")
                .replace("{share}", &t.percent(100.0 * latest.value / group))
                .replace("{group}", &t.number(group)),
        ),
        _ => None,
    };
    let target_note = counted.target_reached.map(|reached| {
        t.get(if reached {
            "figure.target_reached"
        } else {
            "figure.target_not_reached"
        })
        .to_string()
    });
    let area_note = match (&filter.area, counted.area_fallback) {
        (Some(area), true) => Some(t.with("figure.area_fallback", municipality.area_name(area))),
        _ => None,
    };
    let points: Vec<Point> = counted
        .series
        .iter()
        .map(|m| Point {
            label: t.period(&m.period),
            value: m.value,
        })
        .collect();
    let chart = line_chart(
        t,
        "grafiek",
        &indicator.title,
        &indicator.unit,
        &points,
        indicator.baseline,
        indicator.target,
    );
    let series = counted
        .series
        .iter()
        .map(|m| Row {
            label: t.period(&m.period),
            value: measurement_text(t, m, indicator),
        })
        .collect();
    let by_area = counted
        .by_area
        .iter()
        .map(|m| Row {
            label: m
                .area
                .as_ref()
                .map(|a| format!("{} ({})", municipality.area_name(a), t.period(&m.period)))
                .unwrap_or_default(),
            value: measurement_text(t, m, indicator),
        })
        .collect();

    let told = &evidence.told;
    let subgoal_id = evidence.subgoal.id.to_string();
    let search_href = |field: &str, value: &str| {
        format!(
            "/zoeken?{}",
            serde_urlencoded::to_string([("subgoal", subgoal_id.as_str()), (field, value)])
                .unwrap_or_default()
        )
    };
    let told_by_area = told
        .by_area
        .iter()
        .filter_map(|(area, count)| {
            let id = crate::ids::AreaId::parse(area).ok()?;
            let area = municipality.area(&id)?;
            // Only the top of the hierarchy, so every story counts once in this list.
            area.parent.is_none().then(|| Count {
                label: area.name.clone(),
                count: *count,
                href: search_href("area", area.id.as_str()),
            })
        })
        .collect();
    let told_by_teller = told
        .by_teller
        .iter()
        .map(|(code, count)| Count {
            label: t.code("teller", code),
            count: *count,
            href: search_href("teller", code),
        })
        .collect();
    let tags = told
        .top_tags
        .iter()
        .map(|(tag, count)| Count {
            label: tag.clone(),
            count: *count,
            href: search_href("tag", tag),
        })
        .collect();
    let balance = crate::bank::Balance {
        count: told.count,
        positive: told.positive,
        negative: told.negative,
        mixed: told.mixed,
    };
    let scores = evidence.scores.as_ref().map(|scores| {
        let share = |p: &crate::evidence::statements::ScorePoint| {
            share_text(
                t,
                p.share(),
                p.agree as f64,
                p.respondents as f64,
                "scores.few",
            )
        };
        ScoresView {
            summary: t.with("scores.summary", &share(&scores.total)),
            rows: scores
                .by_quarter
                .iter()
                .map(|p| Row {
                    label: t.period(&p.period),
                    value: share(p),
                })
                .collect(),
        }
    });
    let excerpts = evidence
        .excerpts
        .iter()
        .map(|(_, hit)| hit_card(t, municipality, hit))
        .collect();
    let closeness_note = if evidence.activities.is_empty() {
        t.get("evidence.closeness").to_string()
    } else {
        let names: Vec<&str> = evidence
            .activities
            .iter()
            .map(|activity| activity.name.as_str())
            .collect();
        t.with("evidence.closeness_activity", &names.join(", "))
    };
    let notice = evidence
        .within
        .as_ref()
        .map(|results| {
            SearchNotice::of(t, results, |text| {
                let mut pairs = link_pairs.clone();
                pairs.push(("q".to_string(), text.to_string()));
                format!(
                    "/indicator/{}?{}",
                    indicator.id,
                    serde_urlencoded::to_string(&pairs).unwrap_or_default()
                )
            })
        })
        .unwrap_or_default();
    let within = evidence.within.as_ref().map(|results| {
        let cards = results
            .hits
            .iter()
            .map(|hit| hit_card(t, municipality, hit))
            .collect();
        (t.count("search.results", &results.total), cards)
    });

    let mut page = ctx.titled(&municipality.name, indicator.title.clone(), Nav::Goals);
    page.description = t.with("meta.indicator", &indicator.title);
    let page = EvidencePage {
        page,
        filter: filter_view,
        action: paths::indicator(&indicator.id),
        id: indicator.id.to_string(),
        goal: evidence.goal.title.clone(),
        subgoal: evidence.subgoal.title.clone(),
        subgoal_id: subgoal_id.clone(),
        title: indicator.title.clone(),
        facts,
        statement: evidence.statement.as_ref().map(|s| s.text.clone()),
        signals: signal_views(t, municipality, &evidence.signals),
        latest: counted
            .latest
            .as_ref()
            .map(|m| measurement_text(t, m, indicator)),
        latest_period: counted
            .latest
            .as_ref()
            .map(|m| t.period(&m.period))
            .unwrap_or_default(),
        trend: trend_view(t, counted.trend, indicator.direction, "trend"),
        since_baseline: trend_view(
            t,
            counted.since_baseline,
            indicator.direction,
            "since_baseline",
        ),
        target_note,
        reach_note,
        area_note,
        chart,
        series,
        by_area,
        balance: balance_view(t, &balance),
        told_by_area,
        told_by_teller,
        tags,
        excerpts,
        closeness_note,
        query,
        within,
        notice,
        synonyms,
        scores,
        interpretations: interpretations
            .iter()
            .map(|i| interpretation_view(t, &settings, &sessions, i))
            .collect(),
        interpretation_query,
        actions: actions
            .iter()
            .map(|a| action_view(t, &settings, a, today))
            .collect(),
    };
    Ok(answer(page, &unknown))
}

#[derive(Template, WebTemplate)]
#[template(path = "interpretation_new.html")]
pub struct InterpretationPage {
    pub page: Page,
    pub id: String,
    pub title: String,
    pub form: crate::web::story_form::FormView,
}

async fn interpretation_page(
    ctx: &PageCtx,
    id: &IndicatorId,
    values: std::collections::BTreeMap<String, Vec<String>>,
    errors: &crate::web::forms::FormErrors,
) -> Result<InterpretationPage, AppError> {
    let t = ctx.t;
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    let indicator = settings.goals.indicator(id).ok_or(AppError::NotFound)?;
    let key = if errors.is_empty() {
        "interpretation.add_title"
    } else {
        "interpretation.add_title_error"
    };
    Ok(InterpretationPage {
        page: ctx.page(&settings, key, Nav::Goals),
        id: indicator.id.to_string(),
        title: indicator.title.clone(),
        form: crate::web::story_form::FormView::new(t, &settings, values, errors, false),
    })
}

/// The form for an interpretation of one indicator outside a session.
pub async fn interpretation_form(
    Facilitator(_): Facilitator,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<InterpretationPage, AppError> {
    let id = IndicatorId::parse(&id).map_err(|_| AppError::NotFound)?;
    interpretation_page(&ctx, &id, Default::default(), &Default::default()).await
}

pub async fn interpret(
    Facilitator(_): Facilitator,
    ctx: PageCtx,
    Path(id): Path<String>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Result<axum::response::Response, AppError> {
    use axum::response::IntoResponse;
    let id = IndicatorId::parse(&id).map_err(|_| AppError::NotFound)?;
    let form = FormData::new(pairs);
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    if settings.goals.indicator(&id).is_none() {
        return Err(AppError::NotFound);
    }
    match crate::web::session_forms::read_interpretation(
        &form,
        &settings,
        Some(&id),
        None,
        ctx.state.today(),
    ) {
        Err(errors) => Ok(unprocessable(
            interpretation_page(&ctx, &id, form.values(), &errors).await?,
        )),
        Ok(interpretation) => {
            ctx.state
                .run(move |bank| bank.add_interpretation(&interpretation))
                .await?;
            Ok(
                axum::response::Redirect::to(&format!("{}#duiding", paths::indicator(&id)))
                    .into_response(),
            )
        }
    }
}

/// `/indicator/{id}/export.csv`: the indicator's figures the page's filter selects, as CSV.
pub async fn download_csv(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<axum::response::Response, AppError> {
    download(state, id, pairs, Sheet::Csv).await
}

/// `/indicator/{id}/export.xlsx`: the indicator's figures and its subgoal's stories the page's filter
/// selects, as an Excel workbook with a sheet each.
pub async fn download_xlsx(
    State(state): State<AppState>,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<axum::response::Response, AppError> {
    download(state, id, pairs, Sheet::Xlsx).await
}

/// The figures of the indicator in the chosen period, of the chosen area (with its wijken) and of the
/// whole municipality to compare with; and, as on the page's told side, the public stories of its
/// subgoal in that area and period, newest first.
async fn download(
    state: AppState,
    id: String,
    pairs: Vec<(String, String)>,
    sheet: Sheet,
) -> Result<axum::response::Response, AppError> {
    let id = IndicatorId::parse(&id).map_err(|_| AppError::NotFound)?;
    let form = FormData::new(pairs);
    let today = state.today();
    let file = state
        .run(move |bank| {
            let settings = bank.settings()?;
            let Some(indicator) = settings.goals.indicator(&id) else {
                return Ok(Err(AppError::NotFound));
            };
            // A download for an area or period that does not exist is refused, not widened.
            let (filter, unknown) = read_filter(&form, &settings.municipality);
            if !unknown.is_empty() {
                return Ok(Err(AppError::BadRequest("error.unknown_filter")));
            }
            let figures: Vec<crate::evidence::Measurement> = bank
                .measurements()?
                .iter()
                .filter(|m| m.indicator == indicator.id && filter.includes_period(m.period))
                .filter(|m| match (&filter.area, &m.area) {
                    (Some(chosen), Some(own)) => settings
                        .municipality
                        .area_and_ancestors(own)
                        .contains(chosen),
                    _ => true,
                })
                .cloned()
                .collect();
            let mut tables = vec![measurements_table(&figures)];
            if sheet == Sheet::Xlsx {
                let mut request = bank
                    .filtered(&Scope::Public, &filter)
                    .filter(FacetField::Subgoal, indicator.subgoal.as_str());
                request.sort = SortOrder::Newest;
                let stories = bank.all_stories(request)?;
                tables.push(stories_table(
                    &stories,
                    Audience::Public,
                    &bank.question_set()?,
                ));
            }
            sheet.file(&tables, today).map(Ok)
        })
        .await??;
    Ok(attachment(file))
}
