//! The search page: a search box, facets as checkboxes with counts, snippets, sorting and pages. All
//! state is in the query string, so a search can be shared as a link and works without JavaScript.
//! The same query string downloads every story the search finds as CSV or Excel.

use crate::web::auth::CurrentUser;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::Response;

use crate::bank::Settings;
use crate::export::{Audience, stories_table};
use crate::index::{FacetCount, FacetField, Scope, SortOrder};
use crate::questions::Question;
use crate::web::answer_labels::{answer_label, value_label};
use crate::web::cards::{StoryCard, hit_card};
use crate::web::download::{Sheet, attachment, query_string};
use crate::web::forms::FormData;
use crate::web::i18n::Texts;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::search_notice::SearchNotice;
use crate::web::search_request::{facet_label, read_request};
use crate::web::{AppError, AppState};

/// The facets shown on the public search page, in this order.
const SHOWN: [FacetField; 9] = crate::present::views::SEARCH_PAGE_FACETS;
/// At most this many values per facet (the selected ones always show).
const MAX_VALUES: usize = 12;

pub struct FacetOption {
    pub value: String,
    pub label: String,
    pub count: u32,
    pub selected: bool,
    pub id: String,
    /// A wijk under its stadsdeel, shown indented below it.
    pub nested: bool,
}

/// A chosen filter as a chip: a link to the same search without it.
pub struct ChosenFilter {
    pub label: String,
    pub remove_href: String,
}

pub struct FacetGroup {
    pub name: &'static str,
    pub legend: String,
    pub options: Vec<FacetOption>,
}

pub struct PageLink {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "search.html")]
pub struct SearchPage {
    pub page: Page,
    pub query: String,
    pub sort: &'static str,
    pub total: usize,
    pub cards: Vec<StoryCard>,
    pub facets: Vec<FacetGroup>,
    pub pages: Vec<PageLink>,
    /// The search's query string for the download links (`?q=...`), or empty.
    pub download_query: String,
    pub notice: SearchNotice,
    /// Whether words also find their synonyms (the checkbox).
    pub synonyms: bool,
    /// The filters chosen, each a link that removes it.
    pub chosen: Vec<ChosenFilter>,
}

pub async fn page(
    user: CurrentUser,
    ctx: PageCtx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<SearchPage, AppError> {
    let t = ctx.t;
    let form = FormData::new(pairs.clone());
    let mut request = read_request(&form, user.scope());
    // Only what the page shows is counted: the facets and the answers to questions.
    request.facets = Some(SHOWN.into_iter().chain([FacetField::Answer]).collect());
    let download_query = query_string(&pairs, &["pagina"]);
    let (settings, results, questions) = {
        let request = request.clone();
        ctx.state
            .run(move |bank| {
                Ok((
                    bank.settings()?,
                    bank.search(&request)?,
                    bank.all_questions()?,
                ))
            })
            .await?
    };
    let facets = SHOWN
        .iter()
        .filter_map(|field| {
            let counts = results.facets.get(field)?;
            let mut options: Vec<FacetOption> = counts
                .iter()
                .enumerate()
                .filter(|(rank, count)| *rank < MAX_VALUES || count.selected)
                .map(|(_, count)| FacetOption {
                    label: facet_label(t, &settings, *field, &count.value),
                    id: format!(
                        "f-{}-{}",
                        field.name(),
                        count.value.replace(|c: char| !c.is_alphanumeric(), "-")
                    ),
                    value: count.value.clone(),
                    count: count.count,
                    selected: count.selected,
                    nested: false,
                })
                .collect();
            if *field == FacetField::Year {
                options.sort_by(|a, b| b.value.cmp(&a.value));
            }
            if *field == FacetField::Area {
                nest_areas(&settings.municipality, &mut options);
            }
            (!options.is_empty()).then(|| FacetGroup {
                name: field.name(),
                legend: t.code("facet", field.name()),
                options,
            })
        })
        .collect::<Vec<FacetGroup>>();
    let mut facets = facets;
    facets.extend(answer_groups(
        t,
        &questions,
        results
            .facets
            .get(&FacetField::Answer)
            .map_or(&[][..], Vec::as_slice),
    ));

    let last_page = results.total.div_ceil(results.per_page).max(1);
    let page_href = |number: usize| {
        let mut pairs: Vec<(String, String)> = pairs
            .iter()
            .filter(|(key, _)| key != "pagina")
            .cloned()
            .collect();
        if number > 1 {
            pairs.push(("pagina".to_string(), number.to_string()));
        }
        format!(
            "/zoeken?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    };
    let notice = SearchNotice::of(t, &results, |text| {
        let mut pairs: Vec<(String, String)> = pairs
            .iter()
            .filter(|(key, _)| key != "pagina" && key != "q")
            .cloned()
            .collect();
        pairs.insert(0, ("q".to_string(), text.to_string()));
        format!(
            "/zoeken?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    });
    let pages = (1..=last_page)
        .filter(|n| *n == 1 || *n == last_page || n.abs_diff(results.page) <= 2)
        .map(|n| PageLink {
            href: page_href(n),
            label: n.to_string(),
            current: n == results.page,
        })
        .collect();
    let cards = results
        .hits
        .iter()
        .map(|hit| hit_card(t, &settings.municipality, hit))
        .collect();
    let chosen = chosen_filters(t, &settings, &questions, &pairs);
    Ok(SearchPage {
        page: ctx.page(&settings, "search.title", Nav::Search),
        query: request.text.clone(),
        sort: match request.sort {
            SortOrder::Newest => "nieuw",
            SortOrder::Oldest => "oud",
            SortOrder::Relevance => "relevant",
        },
        total: results.total,
        cards,
        facets,
        pages,
        download_query,
        notice,
        synonyms: request.synonyms,
        chosen,
    })
}

/// The answers' counts as one group per question, in the questions' order; each option or band in
/// its own order (bands low to high, then "weet ik niet" and "past niet"). Text answers are not
/// counted, so they have no group.
fn answer_groups(t: &Texts, questions: &[Question], counts: &[FacetCount]) -> Vec<FacetGroup> {
    questions
        .iter()
        .filter_map(|question| {
            let order = question.filter_values();
            let prefix = format!("{}=", question.id);
            let mut options: Vec<(usize, FacetOption)> = counts
                .iter()
                .filter_map(|count| {
                    let value = count.value.strip_prefix(&prefix)?;
                    let rank = order
                        .iter()
                        .position(|known| known == value)
                        .unwrap_or(usize::MAX);
                    Some((
                        rank,
                        FacetOption {
                            label: value_label(t, question, value),
                            id: format!(
                                "f-answer-{}",
                                count.value.replace(|c: char| !c.is_alphanumeric(), "-")
                            ),
                            value: count.value.clone(),
                            count: count.count,
                            selected: count.selected,
                            nested: false,
                        },
                    ))
                })
                .collect();
            options.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.value.cmp(&b.1.value)));
            (!options.is_empty()).then(|| FacetGroup {
                name: FacetField::Answer.name(),
                legend: question.text.get(t.lang).to_string(),
                options: options.into_iter().map(|(_, option)| option).collect(),
            })
        })
        .collect()
}

/// Areas in the municipality's order, each wijk right under its stadsdeel and marked as nested.
fn nest_areas(municipality: &crate::municipality::Municipality, options: &mut [FacetOption]) {
    let order = municipality.area_ids();
    let top: Vec<crate::ids::AreaId> = municipality.top_area_ids();
    let place = |value: &str| -> (usize, usize) {
        let Ok(id) = crate::ids::AreaId::parse(value) else {
            return (usize::MAX, usize::MAX);
        };
        let own = order.iter().position(|a| *a == id).unwrap_or(usize::MAX);
        let parent = municipality
            .area(&id)
            .and_then(|area| area.parent.clone())
            .unwrap_or(id);
        let group = top.iter().position(|a| *a == parent).unwrap_or(usize::MAX);
        (group, own)
    };
    options.sort_by_key(|option| place(&option.value));
    for option in options.iter_mut() {
        option.nested = crate::ids::AreaId::parse(&option.value)
            .ok()
            .and_then(|id| municipality.area(&id).map(|area| area.parent.is_some()))
            .unwrap_or(false);
    }
}

/// The filters in the query string, each with a link to the same search without it (and on page 1).
fn chosen_filters(
    t: &Texts,
    settings: &Settings,
    questions: &[Question],
    pairs: &[(String, String)],
) -> Vec<ChosenFilter> {
    pairs
        .iter()
        .enumerate()
        .filter_map(|(index, (key, value))| {
            let field = FacetField::ALL.iter().find(|f| f.name() == key)?;
            let rest: Vec<&(String, String)> = pairs
                .iter()
                .enumerate()
                .filter(|(other, (key, _))| *other != index && key != "pagina")
                .map(|(_, pair)| pair)
                .collect();
            let label = if *field == FacetField::Answer {
                let (question, answer) = answer_label(t, questions, &value.to_lowercase());
                format!("{question}: {answer}")
            } else {
                format!(
                    "{}: {}",
                    t.code("facet", field.name()),
                    facet_label(t, settings, *field, value)
                )
            };
            Some(ChosenFilter {
                label,
                remove_href: format!(
                    "/zoeken?{}",
                    serde_urlencoded::to_string(&rest).unwrap_or_default()
                ),
            })
        })
        .collect()
}

/// `/zoeken/export.csv`: every story the search page finds, as CSV.
pub async fn download_csv(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    download(state, user.scope(), pairs, Sheet::Csv).await
}

/// `/zoeken/export.xlsx`: every story the search page finds, as an Excel workbook.
pub async fn download_xlsx(
    user: CurrentUser,
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    download(state, user.scope(), pairs, Sheet::Xlsx).await
}

/// The search page's request for all its pages at once (see [`crate::bank::Bank::all_stories`]), in the page's
/// order, as a table without the tellers' names.
async fn download(
    state: AppState,
    scope: Scope,
    pairs: Vec<(String, String)>,
    sheet: Sheet,
) -> Result<Response, AppError> {
    let request = read_request(&FormData::new(pairs), scope);
    let today = state.today();
    let file = state
        .run(move |bank| {
            let stories = bank.all_stories(request)?;
            tracing::info!(stories = stories.len(), "search download");
            let questions = bank.question_set()?;
            sheet.file(
                &[stories_table(&stories, Audience::Public, &questions)],
                today,
            )
        })
        .await?;
    Ok(attachment(file))
}
