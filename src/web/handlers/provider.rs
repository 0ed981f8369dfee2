//! The provider form: staff of a provider submit a resident's story with all its details (provider,
//! activity, area, subgoals, tags, statement scores). The story enters moderation; the page gives a
//! receipt code to pass on to the resident.

use crate::web::auth::Staff;
use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{OriginalUri, State};
use axum::response::{IntoResponse, Response};

use crate::web::forms::FormErrors;
use crate::web::i18n::Lang;
use crate::web::page::{Nav, Page};
use crate::web::receipt::{store_with_receipt, with_media_errors};
use crate::web::story_form::{FormView, read_full_story};
use crate::web::upload::Upload;
use crate::web::{AppError, AppState, unprocessable};

#[derive(Template, WebTemplate)]
#[template(path = "provider.html")]
pub struct ProviderPage {
    pub page: Page,
    pub form: FormView,
}

pub async fn form(
    Staff(user): Staff,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
) -> Result<ProviderPage, AppError> {
    let settings = state.run(|bank| bank.settings()).await?;
    let mut values = BTreeMap::new();
    values.insert("datum".to_string(), vec![state.today().to_string()]);
    if let Some(provider) = user.role.provider() {
        values.insert("aanbieder".to_string(), vec![provider.to_string()]);
    }
    Ok(ProviderPage {
        page: state.page(t, &settings, "provider.title", Nav::Provider, &uri),
        form: FormView::new(t, &settings, values, &FormErrors::default(), false),
    })
}

pub async fn submit(
    Staff(user): Staff,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    upload: Upload,
) -> Result<Response, AppError> {
    let form = upload.form();
    let settings = state.run(|bank| bank.settings()).await?;
    let mut media_errors = FormErrors::default();
    let media = upload.media(&mut media_errors).await?;
    match with_media_errors(
        read_full_story(&form, &settings, None, state.today()),
        media_errors,
    ) {
        Err(errors) => Ok(unprocessable(ProviderPage {
            page: state.page(t, &settings, "provider.title_error", Nav::Provider, &uri),
            form: FormView::new(t, &settings, form.values(), &errors, false)
                .files_again(upload.has_files()),
        })),
        Ok(mut story) => {
            // Provider staff submit for their own organisation, whatever the form says.
            if user.role.provider().is_some() {
                story.provider = user.role.provider().cloned();
            }
            let page = state.page(t, &settings, "tell.done_title", Nav::Provider, &uri);
            Ok(store_with_receipt(&state, page, story, media)
                .await?
                .0
                .into_response())
        }
    }
}
