//! The synonyms page (`/zoeken/synoniemen`), for analysts: the bank's `synonyms.toml` in a text box,
//! saved as a whole. A text with problems comes back with each problem in Dutch (line, group, field,
//! value) beside the box (422); a save made from a list someone else changed meanwhile is refused (409)
//! and shows both texts, so nothing typed is lost and nobody's change is undone unseen.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::bank::SynonymsSaved;
use crate::synonyms::{Problem, ProblemKind};
use crate::web::auth::Analyst;
use crate::web::forms::FormData;
use crate::web::i18n::Texts;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::{AppError, unprocessable};

#[derive(Template, WebTemplate)]
#[template(path = "synonyms.html")]
pub struct SynonymsPage {
    pub page: Page,
    /// The text in the box.
    pub text: String,
    /// The version the text was read at, sent back with the save.
    pub version: u64,
    /// The problems of the text sent, in Dutch.
    pub problems: Vec<String>,
    /// After a refused save: the list as someone else left it.
    pub current: Option<String>,
    /// Groups in the list, after a save.
    pub saved: Option<usize>,
}

/// One problem as the page says it: where, then what.
pub fn problem_text(t: &Texts, problem: &Problem) -> String {
    let mut place = vec![t.with("synonyms.at_line", &problem.line.to_string())];
    if let Some(group) = problem.group {
        place.push(t.with("synonyms.at_group", &group.to_string()));
    }
    if let Some(field) = &problem.field {
        place.push(t.with("synonyms.at_field", field));
    }
    if let Some(value) = &problem.value {
        place.push(format!("“{value}”"));
    }
    let what = match &problem.kind {
        ProblemKind::Syntax(message) => t.with("synonyms.problem.syntax", message),
        ProblemKind::InTwoGroups { first } => {
            t.with("synonyms.problem.in_two_groups", &first.to_string())
        }
        kind => t.code("synonyms.problem", kind.code()),
    };
    format!("{}: {what}", place.join(", "))
}

/// `GET /zoeken/synoniemen`.
pub async fn form(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<SynonymsPage, AppError> {
    let (settings, synonyms) = ctx
        .state
        .run(|bank| Ok((bank.settings()?, bank.synonyms()?)))
        .await?;
    Ok(SynonymsPage {
        page: ctx.page(&settings, "synonyms.title", Nav::Synonyms),
        text: synonyms.item,
        version: synonyms.version,
        problems: Vec::new(),
        current: None,
        // After a save: how many groups the list has (only a number is shown).
        saved: FormData::new(pairs)
            .get("groepen")
            .and_then(|groups| groups.parse().ok()),
    })
}

/// `POST /zoeken/synoniemen`: `inhoud` (the whole file) and `versie` (the version it was read at).
pub async fn save(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let t = ctx.t;
    let form = FormData::new(pairs);
    let version = form.version()?;
    let text = form.file_text("inhoud");
    let sent = text.clone();
    let (settings, saved) = ctx
        .state
        .run(move |bank| Ok((bank.settings()?, bank.replace_synonyms(&sent, version)?)))
        .await?;
    let mut shown = SynonymsPage {
        page: ctx.page(&settings, "synonyms.title", Nav::Synonyms),
        text,
        version,
        problems: Vec::new(),
        current: None,
        saved: None,
    };
    Ok(match saved {
        SynonymsSaved::Saved { groups, .. } => {
            Redirect::to(&format!("{}?groepen={groups}", paths::SYNONYMS)).into_response()
        }
        SynonymsSaved::Invalid(problems) => {
            shown.problems = problems.iter().map(|p| problem_text(t, p)).collect();
            unprocessable(shown)
        }
        SynonymsSaved::Changed(current) => {
            // Saving again from here replaces what the other person saved, knowingly.
            shown.version = current.version;
            shown.current = Some(current.item);
            (StatusCode::CONFLICT, shown).into_response()
        }
    })
}
