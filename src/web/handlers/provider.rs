//! The provider form: staff of a provider submit a resident's story with all its details (provider,
//! activity, area, subgoals, tags, statement scores). The story enters moderation; the page gives a
//! receipt code to pass on to the resident.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{OriginalUri, State};
use axum::response::{IntoResponse, Response};

use crate::story::receipt::ReceiptCode;
use crate::web::forms::{FormData, FormErrors};
use crate::web::handlers::tell::TellDone;
use crate::web::i18n::Lang;
use crate::web::page::{Nav, Page};
use crate::web::story_form::{FormView, read_full_story};
use crate::web::{AppError, AppState};

#[derive(Template, WebTemplate)]
#[template(path = "provider.html")]
pub struct ProviderPage {
    pub page: Page,
    pub form: FormView,
}

pub async fn form(
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
) -> Result<ProviderPage, AppError> {
    let settings = state.run(|bank| bank.settings()).await?;
    let mut values = BTreeMap::new();
    values.insert("datum".to_string(), vec![state.today().to_string()]);
    Ok(ProviderPage {
        page: Page::new(
            t,
            &settings.municipality.name,
            t.get("provider.title").to_string(),
            Nav::Provider,
            &uri,
            state.demo,
        ),
        form: FormView::new(t, &settings, values, &FormErrors::default(), false),
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
    let page = |key: &str, nav| {
        Page::new(
            t,
            &settings.municipality.name,
            t.get(key).to_string(),
            nav,
            &uri,
            state.demo,
        )
    };
    match read_full_story(&form, &settings, None, state.today()) {
        Err(errors) => {
            let view = FormView::new(t, &settings, form.values(), &errors, false);
            let mut response = ProviderPage {
                page: page("provider.title_error", Nav::Provider),
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
                page: page("tell.done_title", Nav::Provider),
                code: shown,
            }
            .into_response())
        }
    }
}
