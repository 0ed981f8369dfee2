//! A round's short link `/r/CODE` for participants: the story form while the round collects, and
//! the feedback with the significant stories they may see once the analysis has begun.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::Path;
use axum::response::{IntoResponse, Redirect, Response};

use crate::index::Scope;
use crate::rounds::{Round, RoundPhase};
use crate::sessions::is_code;
use crate::story::render::{SafeHtml, render_markdown};
use crate::story::{Coded, Markdown};
use crate::web::forms::FormErrors;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::{PageCtx, ResidentCtx};
use crate::web::paths;
use crate::web::phone_link::{self, Told};
use crate::web::story_form::FormView;
use crate::web::{AppError, AppState, unprocessable};

use super::{SignificantView, significant_views};

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
    ctx: &PageCtx,
    round: Round,
    values: BTreeMap<String, Vec<String>>,
    errors: &FormErrors,
) -> Result<PublicPage, AppError> {
    let t = ctx.t;
    let id = round.id.clone();
    let (settings, public, total) = ctx
        .state
        .run(move |bank| {
            // Participants see only the published stories whose tellers allowed public use.
            let public = bank.round_stories(&id, &Scope::Public)?;
            let total = bank.round_story_count(&id, &Scope::Municipality)?;
            Ok((bank.settings()?, public, total))
        })
        .await?;
    let mut page = ctx.page(&settings, "rounds.public_title", Nav::None);
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
    ResidentCtx(ctx): ResidentCtx,
    Path(code): Path<String>,
) -> Result<PublicPage, AppError> {
    let round = find(&ctx.state, &code).await?;
    public_page(&ctx, round, BTreeMap::new(), &FormErrors::default()).await
}

/// A story told for the round: gathered into it, linked to its subgoals; it enters moderation like
/// every story.
pub async fn submit(
    ResidentCtx(ctx): ResidentCtx,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let round = find(&ctx.state, &code).await?;
    if round.phase != RoundPhase::Collect {
        return Ok(Redirect::to(&paths::round_link(&round.code)).into_response());
    }
    match phone_link::tell(&ctx, &round, pairs).await? {
        Told::Mistakes(values, errors) => Ok(unprocessable(
            public_page(&ctx, round, values, &errors).await?,
        )),
        Told::Stored(done, _) => Ok(done.into_response()),
    }
}
