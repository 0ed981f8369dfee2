//! "Vertel uw verhaal": the public form for residents (no account, plain Dutch, phone-friendly), the
//! receipt page with the code to find the story again, and looking a story up by that code.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{OriginalUri, State};
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

use crate::story::receipt::ReceiptCode;
use crate::story::render::{SafeHtml, render_markdown};
use crate::web::forms::{FormData, FormErrors};
use crate::web::i18n::Lang;
use crate::web::page::{Nav, Page};
use crate::web::story_form::{FormView, read_public_story};
use crate::web::{AppError, AppState};

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
        page: Page::new(
            t,
            &settings.municipality.name,
            t.get("tell.title").to_string(),
            Nav::Tell,
            &uri,
            state.demo,
        ),
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
    let today = state.today();
    let settings = state.run(|bank| bank.settings()).await?;
    let page = |title: &str| {
        Page::new(
            t,
            &settings.municipality.name,
            t.get(title).to_string(),
            Nav::Tell,
            &uri,
            state.demo,
        )
    };
    match read_public_story(&form, &settings, today) {
        Err(errors) => {
            let view = FormView::new(t, &settings, form.values(), &errors, true);
            let mut response = TellPage {
                page: page("tell.title_error"),
                form: view,
            }
            .into_response();
            *response.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
            Ok(response)
        }
        Ok(story) => {
            let code = ReceiptCode::generate();
            let shown = code.to_string();
            state
                .run(move |bank| bank.submit(&story, Some(&code)))
                .await?;
            Ok(TellDone {
                page: page("tell.done_title"),
                code: shown,
            }
            .into_response())
        }
    }
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
        page: Page::new(
            t,
            &settings.municipality.name,
            t.get("lookup.title").to_string(),
            Nav::Lookup,
            &uri,
            state.demo,
        ),
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
        page: Page::new(
            t,
            &settings.municipality.name,
            t.get("lookup.title").to_string(),
            Nav::Lookup,
            &uri,
            state.demo,
        ),
        not_found: found.is_none(),
        code: typed,
        story: found,
    })
}
