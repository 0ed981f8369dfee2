//! The goal overview (home): the whole goal tree, each indicator's latest figure and trend next to the
//! number and balance of its stories, filtered by area and period.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;

use crate::bank::Overview;
use crate::index::Scope;
use crate::web::AppError;
use crate::web::filters::{FilterView, answer, filter_view, read_filter};
use crate::web::forms::FormData;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::views::{
    BalanceView, ProgressView, SignalView, Tally, TrendView, balance_view, measurement_text,
    progress_view, signal_views, trend_view, value_text,
};

pub struct IndicatorRow {
    pub id: String,
    pub title: String,
    pub level: String,
    pub latest: Option<String>,
    pub period: String,
    pub trend: TrendView,
    pub since_baseline: TrendView,
    pub baseline: Option<String>,
    pub target: Option<String>,
    /// From baseline to target, and where the latest figure stands; for indicators with a target.
    pub progress: Option<ProgressView>,
    /// The stories the indicator's evidence page opens with.
    pub balance: BalanceView,
    pub signals: Vec<SignalView>,
}

pub struct SubgoalBlock {
    pub id: String,
    pub title: String,
    pub balance: BalanceView,
    pub indicators: Vec<IndicatorRow>,
}

pub struct GoalBlock {
    pub id: String,
    pub title: String,
    pub theme: Option<String>,
    pub description: Option<String>,
    /// How the goal's indicators are doing, in short sentences.
    pub summary: GoalSummary,
    pub subgoals: Vec<SubgoalBlock>,
}

/// A goal at a glance, as the yearly report's "In één oogopslag" counts it: its indicators' changes
/// since the previous figure, its targets reached and its stories.
pub struct GoalSummary {
    pub trends: String,
    pub targets: Option<String>,
    pub balance: BalanceView,
}

fn goal_summary(t: &crate::web::i18n::Texts, goal: &crate::bank::GoalOverview) -> GoalSummary {
    let tally = Tally::of(
        goal.subgoals
            .iter()
            .flat_map(|s| &s.indicators)
            .map(|row| (row.counted.trend, row.counted.target_reached)),
    );
    GoalSummary {
        trends: t
            .get("overview.summary_trends")
            .replace(
                "{indicators}",
                &t.count("overview.indicators", &tally.indicators),
            )
            .replace("{better}", &tally.better.to_string())
            .replace("{worse}", &tally.worse.to_string())
            .replace("{other}", &tally.unknown.to_string()),
        targets: (tally.with_target > 0)
            .then(|| t.with("overview.summary_targets", &tally.targets_text(t))),
        balance: balance_view(t, &goal.stories),
    }
}

/// A storytelling session as residents see it on the home page: when and where, and the page with what
/// was heard once it is over.
pub struct SessionLink {
    pub title: String,
    pub when: String,
    pub place: String,
    pub href: String,
    pub past: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "overview.html")]
pub struct OverviewPage {
    pub page: Page,
    pub filter: FilterView,
    pub goals: Vec<GoalBlock>,
    pub total: BalanceView,
    /// Coming sessions and the latest past ones.
    pub sessions: Vec<SessionLink>,
}

/// Sessions still to come (soonest first), then the three most recent past ones.
fn session_links(
    t: &crate::web::i18n::Texts,
    settings: &crate::bank::Settings,
    sessions: &[crate::sessions::Session],
    today: jiff::civil::Date,
) -> Vec<SessionLink> {
    let link = |session: &crate::sessions::Session, past: bool| SessionLink {
        title: session.title.clone(),
        when: t.date(&session.date),
        place: format!(
            "{}, {}",
            session.place,
            settings.municipality.area_name(&session.area)
        ),
        href: paths::session_link(&session.code),
        past,
    };
    let mut coming: Vec<&crate::sessions::Session> =
        sessions.iter().filter(|s| s.date >= today).collect();
    coming.sort_by_key(|s| s.date);
    let past = sessions.iter().filter(|s| s.date < today).take(3);
    coming
        .into_iter()
        .map(|s| link(s, false))
        .chain(past.map(|s| link(s, true)))
        .collect()
}

pub async fn page(
    ctx: PageCtx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<axum::response::Response, AppError> {
    let t = ctx.t;
    let today = ctx.state.today();
    let form = FormData::new(pairs);
    let (settings, (filter, unknown), overview, years, sessions) = ctx
        .state
        .run(move |bank| {
            let settings = bank.settings()?;
            let filter = read_filter(&form, &settings.municipality);
            let overview: Overview = bank.overview(&filter.0, &Scope::Public, today)?;
            let years = bank.years()?;
            Ok((settings, filter, overview, years, bank.sessions()?))
        })
        .await?;
    let goals = overview
        .goals
        .iter()
        .map(|goal| GoalBlock {
            id: goal.goal.id.to_string(),
            title: goal.goal.title.clone(),
            theme: goal.theme.as_ref().map(|theme| theme.name.clone()),
            description: goal.goal.description.clone(),
            summary: goal_summary(t, goal),
            subgoals: goal
                .subgoals
                .iter()
                .map(|subgoal| SubgoalBlock {
                    id: subgoal.subgoal.id.to_string(),
                    title: subgoal.subgoal.title.clone(),
                    balance: balance_view(t, &subgoal.stories),
                    indicators: subgoal
                        .indicators
                        .iter()
                        .map(|row| {
                            let indicator = &row.indicator;
                            IndicatorRow {
                                id: indicator.id.to_string(),
                                title: indicator.title.clone(),
                                level: t.code("level", indicator.level.code()),
                                latest: row
                                    .counted
                                    .latest
                                    .as_ref()
                                    .map(|m| measurement_text(t, m, indicator)),
                                period: row
                                    .counted
                                    .latest
                                    .as_ref()
                                    .map(|m| t.period(&m.period))
                                    .unwrap_or_default(),
                                trend: trend_view(
                                    t,
                                    row.counted.trend,
                                    indicator.direction,
                                    "trend",
                                ),
                                since_baseline: trend_view(
                                    t,
                                    row.counted.since_baseline,
                                    indicator.direction,
                                    "trend",
                                ),
                                baseline: indicator
                                    .baseline
                                    .map(|v| value_text(t, v, &indicator.unit)),
                                target: indicator.target.map(|v| value_text(t, v, &indicator.unit)),
                                progress: progress_view(t, indicator, &row.counted),
                                balance: balance_view(t, &subgoal.stories),
                                signals: signal_views(t, &settings.municipality, &row.signals),
                            }
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect();
    let page = ctx.page(&settings, "overview.title", Nav::Goals);
    let mut filter = filter_view(t, &settings.municipality, &filter, &years);
    filter.notices = unknown.notices(t);
    let page = OverviewPage {
        filter,
        total: balance_view(t, &overview.stories),
        sessions: session_links(t, &settings, &sessions, today),
        goals,
        page,
    };
    Ok(answer(page, &unknown))
}
