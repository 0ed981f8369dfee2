//! The goal-tree pages (doelenboom): the whole tree with what is retired, and the forms that add,
//! change (rename and move), retire and bring back goals, subgoals, indicators and statements.
//! Ids never change, so every story, figure and interpretation keeps its link.

use crate::web::auth::Analyst;
use std::collections::{BTreeMap, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query};
use axum::response::{IntoResponse, Redirect, Response};

use crate::bank::Settings;
use crate::goals::{GoalTree, ItemKind};
use crate::index::{FacetField, Scope, SearchRequest};
use crate::web::forms::{FormData, FormErrors};
use crate::web::i18n::Texts;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::story_form::FormView;
use crate::web::tree_forms::{edit_problem, read_item, values_of};
use crate::web::{AppError, unprocessable};

/// An indicator or statement in the tree.
pub struct LeafNode {
    pub id: String,
    pub title: String,
    pub detail: String,
    pub retired: Option<String>,
}

pub struct SubgoalNode {
    pub id: String,
    pub title: String,
    pub plain: Option<String>,
    pub retired: Option<String>,
    pub stories: String,
    pub indicators: Vec<LeafNode>,
    pub statements: Vec<LeafNode>,
}

pub struct GoalNode {
    pub id: String,
    pub title: String,
    pub theme: Option<String>,
    pub retired: Option<String>,
    pub subgoals: Vec<SubgoalNode>,
}

#[derive(Template, WebTemplate)]
#[template(path = "tree.html")]
pub struct TreePage {
    pub page: Page,
    pub goals: Vec<GoalNode>,
    pub saved: Option<String>,
}

fn retired_text(t: &Texts, tree: &GoalTree, kind: ItemKind, id: &str) -> Option<String> {
    tree.retired_on(kind, id)
        .map(|date| t.with("tree.retired_since", &t.date(&date)))
}

fn tree_nodes(t: &Texts, tree: &GoalTree, stories: &HashMap<String, u32>) -> Vec<GoalNode> {
    let leaf = |kind: ItemKind, id: &str, title: &str, detail: String| LeafNode {
        id: id.to_string(),
        title: title.to_string(),
        detail,
        retired: retired_text(t, tree, kind, id),
    };
    tree.goals
        .iter()
        .map(|goal| GoalNode {
            id: goal.id.to_string(),
            title: goal.title.clone(),
            theme: goal
                .theme
                .as_ref()
                .and_then(|id| tree.theme(id))
                .map(|theme| theme.name.clone()),
            retired: retired_text(t, tree, ItemKind::Goal, goal.id.as_str()),
            subgoals: tree
                .subgoals_of(&goal.id)
                .map(|subgoal| SubgoalNode {
                    id: subgoal.id.to_string(),
                    title: subgoal.title.clone(),
                    plain: subgoal.plain.clone(),
                    retired: retired_text(t, tree, ItemKind::Subgoal, subgoal.id.as_str()),
                    stories: t.count(
                        "stories",
                        &stories.get(subgoal.id.as_str()).copied().unwrap_or(0),
                    ),
                    indicators: tree
                        .indicators_of(&subgoal.id)
                        .map(|i| {
                            let detail = t.code("level", i.level.code());
                            leaf(ItemKind::Indicator, i.id.as_str(), &i.title, detail)
                        })
                        .collect(),
                    statements: tree
                        .statements_of(&subgoal.id)
                        .map(|s| {
                            let detail =
                                t.code("tree.scale", crate::web::tree_forms::scale_code(s.scale));
                            leaf(ItemKind::Statement, s.id.as_str(), &s.text, detail)
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

#[derive(serde::Deserialize)]
pub struct TreeQuery {
    opgeslagen: Option<String>,
}

pub async fn tree(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Query(query): Query<TreeQuery>,
) -> Result<TreePage, AppError> {
    let t = ctx.t;
    let (settings, stories) = ctx
        .state
        .run(|bank| {
            let mut request = SearchRequest::new("", Scope::Municipality);
            request.per_page = 1;
            request.facets = Some(vec![FacetField::Subgoal]);
            let results = bank.search(&request)?;
            let stories: HashMap<String, u32> = results
                .facets
                .get(&FacetField::Subgoal)
                .into_iter()
                .flatten()
                .map(|count| (count.value.clone(), count.count))
                .collect();
            Ok((bank.settings()?, stories))
        })
        .await?;
    // Only a title of an item that exists is echoed back.
    let saved = query.opgeslagen.and_then(|path| {
        let (kind, id) = path.split_once('/')?;
        let kind = ItemKind::from_segment(kind)?;
        item_title(&settings.goals, kind, id)
    });
    Ok(TreePage {
        page: ctx.page(&settings, "tree.title", Nav::Tree),
        goals: tree_nodes(t, &settings.goals, &stories),
        saved,
    })
}

fn item_title(tree: &GoalTree, kind: ItemKind, id: &str) -> Option<String> {
    let values = values_of(tree, kind, id)?;
    values.get("titel")?.first().cloned()
}

/// The form of one item, new or existing.
#[derive(Template, WebTemplate)]
#[template(path = "tree_item.html")]
pub struct ItemPage {
    pub page: Page,
    pub form: FormView,
    pub kind: &'static str,
    pub new: bool,
    pub id: String,
    pub action: String,
    pub heading: String,
    pub retired: Option<String>,
    /// Retired because its parent is; it comes back with the parent.
    pub parent_retired: bool,
    pub usage: Option<String>,
    pub goals: Vec<(String, String)>,
    pub subgoals: Vec<(String, Vec<(String, String)>)>,
    pub themes: Vec<(String, String)>,
    pub statements: Vec<(String, String)>,
    pub levels: Vec<(String, String)>,
}

fn kind_of(segment: &str) -> Result<ItemKind, AppError> {
    ItemKind::from_segment(segment).ok_or(AppError::NotFound)
}

#[allow(clippy::too_many_arguments)]
fn item_page(
    ctx: &PageCtx,
    settings: &Settings,
    kind: ItemKind,
    existing: Option<&str>,
    values: BTreeMap<String, Vec<String>>,
    errors: &FormErrors,
    usage: Option<String>,
) -> ItemPage {
    let t = ctx.t;
    let tree = &settings.goals;
    let segment = kind.segment();
    // Parents on offer: those in use, and the current one so a form about an item under a retired
    // parent still shows where it is.
    let current = |name: &str| values.get(name).and_then(|v| v.first()).cloned();
    let current_goal = current("doel");
    let current_subgoal = current("subdoel");
    let current_statement = current("stelling");
    let goals = tree
        .goals
        .iter()
        .filter(|g| g.retired.is_none() || current_goal.as_deref() == Some(g.id.as_str()))
        .map(|g| (g.id.to_string(), g.title.clone()))
        .collect();
    let subgoals = tree
        .goals
        .iter()
        .map(|goal| {
            let items: Vec<(String, String)> = tree
                .subgoals_of(&goal.id)
                .filter(|s| {
                    tree.subgoal_in_use(&s.id) || current_subgoal.as_deref() == Some(s.id.as_str())
                })
                .map(|s| (s.id.to_string(), s.title.clone()))
                .collect();
            (goal.title.clone(), items)
        })
        .filter(|(_, items)| !items.is_empty())
        .collect();
    let statements = tree
        .statements
        .iter()
        .filter(|s| {
            tree.statement_in_use(&s.id) || current_statement.as_deref() == Some(s.id.as_str())
        })
        .map(|s| (s.id.to_string(), s.text.clone()))
        .collect();
    let themes = tree
        .themes
        .iter()
        .map(|theme| (theme.id.to_string(), theme.name.clone()))
        .collect();
    let levels = crate::goals::IndicatorLevel::ALL
        .iter()
        .map(|level| (level.code().to_string(), t.code("level", level.code())))
        .collect();
    let (action, heading, retired, parent_retired, id) = match existing {
        None => (
            paths::tree_new(segment),
            t.code("tree.new", kind.code()),
            None,
            false,
            String::new(),
        ),
        Some(id) => {
            let retired = tree.retired_on(kind, id);
            (
                paths::tree_item(segment, id),
                t.code("tree.change", kind.code()),
                retired.map(|date| t.with("tree.retired_since", &t.date(&date))),
                retired.is_some() && tree.retired_itself(kind, id).is_none(),
                id.to_string(),
            )
        }
    };
    let title_key = if errors.is_empty() {
        "tree.title"
    } else {
        "tree.title_error"
    };
    let mut page = ctx.page(settings, title_key, Nav::Tree);
    page.title = format!("{heading} – {}", page.title);
    ItemPage {
        page,
        form: FormView::new(t, settings, values, errors, false),
        kind: kind.code(),
        new: existing.is_none(),
        id,
        action,
        heading,
        retired,
        parent_retired,
        usage,
        goals,
        subgoals,
        themes,
        statements,
        levels,
    }
}

#[derive(serde::Deserialize)]
pub struct NewQuery {
    onder: Option<String>,
}

pub async fn new_form(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Path(segment): Path<String>,
    Query(query): Query<NewQuery>,
) -> Result<ItemPage, AppError> {
    let kind = kind_of(&segment)?;
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    let mut values = BTreeMap::new();
    if let (Some(parent), Some(field)) = (query.onder, crate::web::tree_forms::parent_field(kind)) {
        values.insert(field.to_string(), vec![parent]);
    }
    if kind == ItemKind::Indicator {
        for (field, value) in [("richting", "up"), ("frequentie", "year")] {
            values.insert(field.to_string(), vec![value.to_string()]);
        }
    }
    Ok(item_page(
        &ctx,
        &settings,
        kind,
        None,
        values,
        &FormErrors::default(),
        None,
    ))
}

/// Stories and figures that refer to an item, said in words, for its form.
fn usage_text(
    t: &Texts,
    bank: &crate::bank::Bank,
    kind: ItemKind,
    id: &str,
) -> anyhow::Result<Option<String>> {
    let stories = |field: FacetField| -> anyhow::Result<String> {
        let mut request = SearchRequest::new("", Scope::Municipality).filter(field, id);
        request.per_page = 1;
        request.facets = Some(Vec::new());
        let total = bank.search(&request)?.total;
        Ok(t.count("stories", &total))
    };
    Ok(match kind {
        ItemKind::Goal => Some(stories(FacetField::Goal)?),
        ItemKind::Subgoal => Some(stories(FacetField::Subgoal)?),
        ItemKind::Indicator => {
            let figures = bank
                .measurements()?
                .iter()
                .filter(|m| m.indicator.as_str() == id)
                .count();
            Some(t.count("tree.figures", &figures))
        }
        ItemKind::Statement => None,
    })
}

pub async fn edit_form(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Path((segment, id)): Path<(String, String)>,
) -> Result<ItemPage, AppError> {
    let t = ctx.t;
    let kind = kind_of(&segment)?;
    let lookup = id.clone();
    let (settings, usage) = ctx
        .state
        .run(move |bank| {
            let settings = bank.settings()?;
            let usage = usage_text(t, bank, kind, &lookup)?;
            Ok((settings, usage))
        })
        .await?;
    let values = values_of(&settings.goals, kind, &id).ok_or(AppError::NotFound)?;
    Ok(item_page(
        &ctx,
        &settings,
        kind,
        Some(&id),
        values,
        &FormErrors::default(),
        usage,
    ))
}

/// Saves a new or changed item; shows the form again with its problems when it cannot.
async fn save(
    ctx: PageCtx,
    kind: ItemKind,
    existing: Option<String>,
    form: FormData,
) -> Result<Response, AppError> {
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    if let Some(id) = &existing
        && !settings.goals.has(kind, id)
    {
        return Err(AppError::NotFound);
    }
    let again = |errors: FormErrors| {
        unprocessable(item_page(
            &ctx,
            &settings,
            kind,
            existing.as_deref(),
            form.values(),
            &errors,
            None,
        ))
    };
    let item = match read_item(&form, kind, &settings.goals, existing.as_deref()) {
        Ok(item) => item,
        Err(errors) => return Ok(again(errors)),
    };
    let id = item.id().to_string();
    let new = existing.is_none();
    match ctx
        .state
        .run(move |bank| bank.edit_goal_tree(|tree| item.apply(tree, new)))
        .await?
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "/doelenboom?opgeslagen={}/{id}#{}-{id}",
            kind.segment(),
            kind.segment()
        ))
        .into_response()),
        Err(error) => {
            let (field, key) = edit_problem(kind, &error);
            let mut errors = FormErrors::default();
            errors.add(field, key);
            Ok(again(errors))
        }
    }
}

pub async fn create(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Path(segment): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&segment)?;
    save(ctx, kind, None, FormData::new(pairs)).await
}

pub async fn update(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Path((segment, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&segment)?;
    save(ctx, kind, Some(id), FormData::new(pairs)).await
}

/// Retires an item (`actie=vervallen`) or brings it back (`actie=terug`).
pub async fn status(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Path((segment, id)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let kind = kind_of(&segment)?;
    let form = FormData::new(pairs);
    let retire = match form.get("actie") {
        Some("vervallen") => true,
        Some("terug") => false,
        _ => return Err(AppError::BadRequest("error.bad_request")),
    };
    let today = ctx.state.today();
    let target = id.clone();
    let outcome = ctx
        .state
        .run(move |bank| {
            bank.edit_goal_tree(|tree| {
                if retire {
                    tree.retire(kind, &target, today)
                } else {
                    tree.reinstate(kind, &target)
                }
            })
        })
        .await?;
    match outcome {
        Ok(()) => Ok(Redirect::to(&format!(
            "/doelenboom?opgeslagen={}/{id}#{}-{id}",
            kind.segment(),
            kind.segment()
        ))
        .into_response()),
        Err(crate::goals::EditError::Unknown { .. }) => Err(AppError::NotFound),
        Err(error) => {
            let settings = ctx.state.run(|bank| bank.settings()).await?;
            let values = values_of(&settings.goals, kind, &id).ok_or(AppError::NotFound)?;
            let (field, key) = edit_problem(kind, &error);
            let mut errors = FormErrors::default();
            errors.add(field, key);
            Ok(unprocessable(item_page(
                &ctx,
                &settings,
                kind,
                Some(&id),
                values,
                &errors,
                None,
            )))
        }
    }
}
