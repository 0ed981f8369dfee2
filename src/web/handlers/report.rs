//! The yearly accountability report (jaarverantwoording): choose a year, an area and one goal or the
//! whole tree; read it on screen, print it on A4 (the stylesheet's print section breaks pages per goal),
//! or download it as Markdown to edit into the council's document.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;

use crate::bank::Settings;
use crate::bank::report::{ReportRequest, YearlyReport};
use crate::evidence::EvidenceFilter;
use crate::export::Download;
use crate::ids::{AreaId, GoalId};
use crate::sessions::Session;
use crate::web::download::attachment;
use crate::web::filters::{Choice, FilterView, filter_view};
use crate::web::forms::FormData;
use crate::web::i18n::{Lang, Texts};
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::report_view::ReportView;
use crate::web::{AppError, AppState};

#[derive(Template, WebTemplate)]
#[template(path = "yearly_report.html")]
pub struct ReportPage {
    pub page: Page,
    pub filter: FilterView,
    pub years: Vec<Choice>,
    pub goals: Vec<Choice>,
    pub report: ReportView,
    /// The report's query string, for the Markdown link.
    pub query: String,
}

/// The year a report is about when none is chosen: the last full year that has figures or stories.
fn default_year(years: &[i16], today: jiff::civil::Date) -> i16 {
    let last_full = today.year() - 1;
    years
        .iter()
        .copied()
        .filter(|year| *year <= last_full)
        .max()
        .or_else(|| years.iter().copied().max())
        .unwrap_or(last_full)
}

/// Reads the chosen year, area and goal; unknown values fall back to the defaults.
fn read_request(
    form: &FormData,
    settings: &Settings,
    years: &[i16],
    today: jiff::civil::Date,
) -> ReportRequest {
    let year = form
        .get("jaar")
        .and_then(|text| text.parse::<i16>().ok())
        .filter(|year| (1900..=2200).contains(year))
        .unwrap_or_else(|| default_year(years, today));
    let area = form
        .get("gebied")
        .and_then(|id| AreaId::parse(id).ok())
        .filter(|id| settings.municipality.area(id).is_some());
    let goal = form
        .get("doel")
        .and_then(|id| GoalId::parse(id).ok())
        .filter(|id| settings.goals.goal(id).is_some());
    ReportRequest { year, area, goal }
}

fn query_of(request: &ReportRequest) -> String {
    let mut pairs = vec![("jaar", request.year.to_string())];
    if let Some(area) = &request.area {
        pairs.push(("gebied", area.to_string()));
    }
    if let Some(goal) = &request.goal {
        pairs.push(("doel", goal.to_string()));
    }
    serde_urlencoded::to_string(&pairs).unwrap_or_default()
}

type Loaded = (
    std::sync::Arc<Settings>,
    Vec<i16>,
    ReportRequest,
    YearlyReport,
    Vec<Session>,
);

async fn load(state: &AppState, pairs: Vec<(String, String)>) -> Result<Loaded, AppError> {
    let today = state.today();
    let form = FormData::new(pairs);
    state
        .run(move |bank| {
            let settings = bank.settings()?;
            let years = bank.years()?;
            let request = read_request(&form, &settings, &years, today);
            let report = bank.yearly_report(&request, today)?;
            Ok((settings, years, request, report, bank.sessions()?))
        })
        .await
}

pub async fn page(
    ctx: PageCtx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<ReportPage, AppError> {
    let t = ctx.t;
    let (settings, mut years, request, report, sessions) = load(&ctx.state, pairs).await?;
    if !years.contains(&request.year) {
        years.push(request.year);
        years.sort_unstable();
    }
    let view = ReportView::new(t, &settings, &sessions, &report, ctx.state.today());
    let filter = EvidenceFilter {
        area: request.area.clone(),
        period: None,
    };
    let mut page = ctx.page(&settings, "report_year.title", Nav::Report);
    page.title = format!("{} – {}", view.title, view.scope);
    Ok(ReportPage {
        filter: filter_view(t, &settings.municipality, &filter, &years),
        years: years
            .iter()
            .rev()
            .map(|year| Choice {
                value: year.to_string(),
                label: year.to_string(),
                selected: *year == request.year,
            })
            .collect(),
        goals: goal_choices(t, &settings, request.goal.as_ref()),
        query: query_of(&request),
        report: view,
        page,
    })
}

fn goal_choices(t: &Texts, settings: &Settings, chosen: Option<&GoalId>) -> Vec<Choice> {
    let mut goals = vec![Choice {
        value: String::new(),
        label: t.get("report_year.all_goals").to_string(),
        selected: chosen.is_none(),
    }];
    goals.extend(settings.goals.goals.iter().map(|goal| Choice {
        value: goal.id.to_string(),
        label: goal.title.clone(),
        selected: chosen == Some(&goal.id),
    }));
    goals
}

/// The same report as a Markdown file.
pub async fn markdown(
    State(state): State<AppState>,
    Lang(t): Lang,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let (settings, _, request, report, sessions) = load(&state, pairs).await?;
    let view = ReportView::new(t, &settings, &sessions, &report, state.today());
    Ok(attachment(Download {
        file_name: file_name(&request),
        content_type: "text/markdown; charset=utf-8",
        bytes: view.markdown(t).into_bytes(),
    }))
}

/// `verantwoording-2025.md`, `verantwoording-2025-noord-meedoen.md`.
pub fn file_name(request: &ReportRequest) -> String {
    let mut name = format!("verantwoording-{}", request.year);
    for part in [
        request.area.as_ref().map(AreaId::as_str),
        request.goal.as_ref().map(GoalId::as_str),
    ]
    .into_iter()
    .flatten()
    {
        name.push('-');
        name.push_str(part);
    }
    name + ".md"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_year_is_the_last_full_one_with_evidence() {
        let today = jiff::civil::date(2026, 11, 23);
        assert_eq!(default_year(&[2023, 2024, 2025, 2026], today), 2025);
        assert_eq!(default_year(&[2023], today), 2023);
        assert_eq!(default_year(&[2026], today), 2026);
        assert_eq!(default_year(&[], today), 2025);
    }
}
