//! "Vertel uw verhaal": the public form for residents (no account, plain Dutch, phone-friendly), the
//! receipt page with the code to find the story again, and looking a story up by that code.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{OriginalUri, State};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

use crate::story::Story;
use crate::story::receipt::ReceiptCode;
use crate::story::render::{SafeHtml, render_markdown};
use crate::web::forms::{FormData, FormErrors};
use crate::web::i18n::Lang;
use crate::web::page::{Nav, Page};
use crate::web::story_form::{FormView, read_public_story};
use crate::web::{AppError, AppState, unprocessable};

#[derive(Template, WebTemplate)]
#[template(path = "tell.html")]
pub struct TellPage {
    pub page: Page,
    pub form: FormView,
}

#[derive(Template, WebTemplate)]
#[template(path = "tell_done.html")]
pub struct TellDone {
    pub page: Page,
    pub code: String,
}

pub async fn form(
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
) -> Result<TellPage, AppError> {
    let settings = state.run(|bank| bank.settings()).await?;
    Ok(TellPage {
        page: state.page(t, &settings, "tell.title", Nav::Tell, &uri),
        form: FormView::new(t, &settings, BTreeMap::new(), &FormErrors::default(), true),
    })
}

pub async fn submit(
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormData::new(pairs);
    let settings = state.run(|bank| bank.settings()).await?;
    match read_public_story(&form, &settings, state.today()) {
        Err(errors) => Ok(unprocessable(TellPage {
            page: state.page(t, &settings, "tell.title_error", Nav::Tell, &uri),
            form: FormView::new(t, &settings, form.values(), &errors, true),
        })),
        Ok(story) => {
            let page = state.page(t, &settings, "tell.done_title", Nav::Tell, &uri);
            Ok(store_with_receipt(&state, page, story)
                .await?
                .0
                .into_response())
        }
    }
}

/// Stores a story durably with a fresh receipt code; returns the page that shows the code once and the
/// outbox sequence number to wait on for the story to be searchable.
pub async fn store_with_receipt(
    state: &AppState,
    page: Page,
    story: Story,
) -> Result<(TellDone, u64), AppError> {
    let code = ReceiptCode::generate();
    let shown = code.to_string();
    let seq = state
        .run(move |bank| bank.submit(&story, Some(&code)))
        .await?;
    Ok((TellDone { page, code: shown }, seq))
}

#[derive(Template, WebTemplate)]
#[template(path = "lookup.html")]
pub struct LookupPage {
    pub page: Page,
    pub code: String,
    pub not_found: bool,
    pub story: Option<FoundStory>,
}

pub struct FoundStory {
    pub title: String,
    pub date: String,
    pub status: String,
    pub status_code: &'static str,
    pub reason: Option<String>,
    pub consent: String,
    pub body: SafeHtml,
}

pub async fn lookup_form(
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
) -> Result<LookupPage, AppError> {
    let settings = state.run(|bank| bank.settings()).await?;
    Ok(LookupPage {
        page: state.page(t, &settings, "lookup.title", Nav::Lookup, &uri),
        code: String::new(),
        not_found: false,
        story: None,
    })
}

/// The code comes in a POST body, never in a URL, so it does not end up in logs or browser history.
pub async fn lookup(
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<LookupPage, AppError> {
    let form = FormData::new(pairs);
    let typed = form.text("code");
    let code = ReceiptCode::parse(&typed);
    let (settings, story) = state
        .run(move |bank| {
            let story = match code {
                Some(code) => bank.store.story_by_receipt(&code.hash())?,
                None => None,
            };
            Ok((bank.settings()?, story))
        })
        .await?;
    let found = story.map(|story| {
        use crate::story::{Coded, Moderation};
        FoundStory {
            title: story.title.clone(),
            date: t.date(&story.date),
            status: t.code("status_explained", story.moderation.code()),
            status_code: story.moderation.code(),
            reason: match &story.moderation {
                Moderation::Rejected(reason) => Some(reason.clone()),
                _ => None,
            },
            consent: t.code("consent_explained", story.consent.code()),
            body: render_markdown(&story.text),
        }
    });
    Ok(LookupPage {
        page: state.page(t, &settings, "lookup.title", Nav::Lookup, &uri),
        not_found: found.is_none(),
        code: typed,
        story: found,
    })
}
