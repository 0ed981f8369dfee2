//! The pattern page (`/patronen`): the tellers' answers to the questions about their stories,
//! counted over the stories the visitor may see (and the search filters in the address, such as
//! `round=…`). Three views chosen with plain forms: a question by group, two questions crossed with
//! the chi-square test, two sliders as points. Every count opens the stories behind it on the search
//! page. Without a login, groups under five stories are left out so no teller can be singled out.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Query;

use crate::index::Scope;
use crate::web::AppError;
use crate::web::auth::CurrentUser;
use crate::web::forms::FormData;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::pattern_view::{Choice, Links, PatternsView, patterns_view};
use crate::web::search_request::read_request;

#[derive(Template, WebTemplate)]
#[template(path = "patterns.html")]
pub struct PatternsPage {
    pub page: Page,
    pub view: PatternsView,
    /// The filters the page was opened with, kept by its forms: (name, value).
    pub hidden: Vec<(String, String)>,
    /// The same filters on the search page, to see the stories counted.
    pub search_href: String,
    /// Whether small groups are left out (no login).
    pub public: bool,
}

/// What the query string chooses to show.
pub fn read_choice(form: &FormData) -> Choice {
    let get = |name: &str| form.get(name).map(str::to_string);
    Choice {
        question: get("vraag"),
        grouping: get("groep"),
        rows: get("rij"),
        columns: get("kolom"),
        x: get("x"),
        y: get("y"),
    }
}

pub async fn page(
    user: CurrentUser,
    ctx: PageCtx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<PatternsPage, AppError> {
    let t = ctx.t;
    let form = FormData::new(pairs.clone());
    let scope = user.scope();
    let public = scope == Scope::Public;
    let request = read_request(&form, scope);
    let (settings, questions, stories) = ctx
        .state
        .run(move |bank| {
            Ok((
                bank.settings()?,
                bank.all_questions()?,
                bank.all_stories(request)?,
            ))
        })
        .await?;
    let links = Links::from_query(&pairs);
    let view = patterns_view(
        t,
        &settings,
        &questions,
        &stories,
        &read_choice(&form),
        &links,
        public,
    );
    Ok(PatternsPage {
        page: ctx.page(&settings, "patterns.title", Nav::Patterns),
        view,
        hidden: links.hidden(),
        search_href: format!("{}{}", paths::SEARCH, links.query()),
        public,
    })
}
