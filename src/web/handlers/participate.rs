//! The short link of a storytelling session (`/s/CODE`), opened on participants' phones: before the
//! session it says when it is; during it, a form as light as the public one that puts a story on the
//! board; afterwards, the participants' page with what was heard and what will change (na-waarderen).

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::Path;
use axum::response::{IntoResponse, Response};

use crate::index::Scope;
use crate::present::session_views::{ActionView, action_view};
use crate::sessions::{Session, SessionStatus, is_code};
use crate::story::render::{SafeHtml, render_markdown};
use crate::web::cards::{StoryCard, hit_card};
use crate::web::forms::FormErrors;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::{PageCtx, ResidentCtx};
use crate::web::phone_link::{self, Told};
use crate::web::story_form::FormView;
use crate::web::{AppError, AppState, unprocessable};

#[derive(Template, WebTemplate)]
#[template(path = "participate.html")]
pub struct ParticipatePage {
    pub page: Page,
    pub code: String,
    pub title: String,
    pub status: &'static str,
    pub when: String,
    pub form: FormView,
    pub heard: Option<SafeHtml>,
    pub actions: Vec<ActionView>,
    pub stories: Vec<StoryCard>,
}

async fn find(state: &AppState, code: &str) -> Result<Session, AppError> {
    if !is_code(code) {
        return Err(AppError::NotFound);
    }
    let code = code.to_string();
    state
        .run(move |bank| bank.session_by_code(&code))
        .await?
        .ok_or(AppError::NotFound)
}

async fn participate_page(
    ctx: &PageCtx,
    session: Session,
    values: BTreeMap<String, Vec<String>>,
    errors: &FormErrors,
) -> Result<ParticipatePage, AppError> {
    let t = ctx.t;
    let today = ctx.state.today();
    let id = session.id.clone();
    let (settings, board, actions) = ctx
        .state
        .run(move |bank| {
            // Participants see the published stories that may be public, as any visitor would.
            let board = bank.session_board(&id, &Scope::Public, today)?;
            let actions: Vec<_> = bank
                .actions()?
                .into_iter()
                .filter(|a| a.session.as_ref() == Some(&id))
                .collect();
            Ok((bank.settings()?, board, actions))
        })
        .await?;
    let mut page = ctx.page(&settings, "participate.title", Nav::None);
    page.title = session.title.clone();
    let closed = session.status == SessionStatus::Closed;
    Ok(ParticipatePage {
        page,
        code: session.code.clone(),
        title: session.title.clone(),
        status: match session.status {
            SessionStatus::Planned => "planned",
            SessionStatus::Live => "live",
            SessionStatus::Closed => "closed",
        },
        when: format!("{}, {}", t.date(&session.date), session.place),
        form: FormView::new(t, &settings, values, errors, true),
        heard: session
            .heard
            .as_ref()
            .filter(|_| closed)
            .map(|text| render_markdown(&crate::story::Markdown::new(text))),
        actions: if closed {
            actions
                .iter()
                .map(|a| action_view(t, &settings, a, today))
                .collect()
        } else {
            Vec::new()
        },
        stories: if closed {
            board
                .map(|b| {
                    b.stories
                        .iter()
                        .map(|hit| hit_card(t, &settings.municipality, hit))
                        .collect()
                })
                .unwrap_or_default()
        } else {
            Vec::new()
        },
    })
}

pub async fn page(
    ResidentCtx(ctx): ResidentCtx,
    Path(code): Path<String>,
) -> Result<ParticipatePage, AppError> {
    let session = find(&ctx.state, &code).await?;
    participate_page(&ctx, session, BTreeMap::new(), &FormErrors::default()).await
}

/// A story told in the session: linked to the session, its area and the subgoals on its agenda; it
/// enters moderation like every story and appears on the board at once.
pub async fn submit(
    ResidentCtx(ctx): ResidentCtx,
    Path(code): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let session = find(&ctx.state, &code).await?;
    if session.status != SessionStatus::Live {
        return Ok(
            participate_page(&ctx, session, BTreeMap::new(), &FormErrors::default())
                .await?
                .into_response(),
        );
    }
    match phone_link::tell(&ctx, &session, pairs).await? {
        Told::Mistakes(values, errors) => Ok(unprocessable(
            participate_page(&ctx, session, values, &errors).await?,
        )),
        Told::Stored(done, seq) => {
            // Boards listen for this; no board open is not an error.
            let bank = ctx.state.bank.clone();
            let events = ctx.state.session_events.clone();
            let id = session.id.clone();
            tokio::task::spawn_blocking(move || {
                // Wait until the story is searchable, so the board shows it when it reloads; boards
                // are told either way, and a story late for the index appears on a later reload.
                if !bank.wait_until_indexed(seq, std::time::Duration::from_secs(2)) {
                    tracing::warn!(session = %id, "a session's story not yet searchable after 2 s: its board shows it once the index catches up");
                }
                let _ = events.send(id);
            });
            Ok(done.into_response())
        }
    }
}
