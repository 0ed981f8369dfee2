//! The provider form: staff of a provider submit a resident's story with all its details (provider,
//! activity, area, subgoals, tags, statement scores). The story enters moderation; the page gives a
//! receipt code to pass on to the resident. Before sending, the form can show suggestions for the
//! valence and subgoals from what is written; each is chosen with its own button and the form comes
//! back, so nothing is chosen for the person and nothing is stored until they send.

use crate::web::auth::Staff;
use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::response::{IntoResponse, Response};

use crate::bank::Settings;
use crate::ids::SubgoalId;
use crate::story::{Coded, Scope, Valence};
use crate::web::forms::{FormData, FormErrors};
use crate::web::i18n::Texts;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::receipt::{store_with_receipt, with_media_errors};
use crate::web::story_form::{FormView, chosen_tag, read_full_story, tags_field};
use crate::web::suggestion_view::{subgoal_views, tag_views, valence_view};
use crate::web::upload::Upload;
use crate::web::{AppError, AppState, unprocessable};

#[derive(Template, WebTemplate)]
#[template(path = "provider.html")]
pub struct ProviderPage {
    pub page: Page,
    pub form: FormView,
}

pub async fn form(Staff(user): Staff, ctx: PageCtx) -> Result<ProviderPage, AppError> {
    let t = ctx.t;
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    let mut values = BTreeMap::new();
    values.insert("datum".to_string(), vec![ctx.state.today().to_string()]);
    if let Some(provider) = user.role.provider() {
        values.insert("aanbieder".to_string(), vec![provider.to_string()]);
    }
    Ok(ProviderPage {
        page: ctx.page(&settings, "provider.title", Nav::Provider),
        form: FormView::new(t, &settings, values, &FormErrors::default(), false).suggesting(
            false,
            None,
            Vec::new(),
            Vec::new(),
        ),
    })
}

/// What the provider form asks besides sending: suggestions, or one of them chosen.
enum Step {
    Send,
    /// "Voorstellen bekijken".
    Suggest,
    /// A suggested valence chosen with its button.
    ChooseValence(Valence),
    /// A suggested subgoal ticked with its button.
    TickSubgoal(SubgoalId),
    /// A suggested tag added with its button.
    AddTag(String),
}

impl Step {
    fn of(form: &FormData) -> Step {
        if let Some(valence) = form.get("kies-gevoel").and_then(Valence::parse_code) {
            Step::ChooseValence(valence)
        } else if let Some(subgoal) = form
            .get("kies-subdoel")
            .and_then(|id| SubgoalId::parse(id).ok())
        {
            Step::TickSubgoal(subgoal)
        } else if let Some(tag) = form.get("kies-onderwerp").and_then(chosen_tag) {
            Step::AddTag(tag)
        } else if form.get("stap") == Some("voorstellen") {
            Step::Suggest
        } else {
            Step::Send
        }
    }
}

/// The form again with the suggestions for what it holds: the valence (while none is chosen) and
/// the subgoals not yet ticked. Nothing is stored.
async fn with_suggestions(
    state: &AppState,
    t: &'static Texts,
    settings: &Settings,
    form: FormView,
    asked: bool,
    scope: Scope,
) -> Result<FormView, AppError> {
    let (title, text) = (
        form.value("titel").to_string(),
        form.value("verhaal").to_string(),
    );
    if text.trim().is_empty() && title.trim().is_empty() {
        return Ok(form.suggesting(asked, None, Vec::new(), Vec::new()));
    }
    let ticked: Vec<SubgoalId> = form
        .values
        .get("subdoel")
        .into_iter()
        .flatten()
        .filter_map(|id| SubgoalId::parse(id).ok())
        .collect();
    let tags = tags_field(form.value("tags"));
    // A valence is suggested only while none is chosen.
    let wants_valence = form.value("gevoel").is_empty();
    let (valence, links) = state
        .run(move |bank| {
            let valence = if wants_valence {
                bank.suggest_valence(&title, &text)?
            } else {
                None
            };
            Ok((
                valence,
                bank.suggest_links_for(&title, &text, None, &scope)?,
            ))
        })
        .await?;
    Ok(form.suggesting(
        asked,
        valence.as_ref().map(|guess| valence_view(t, guess)),
        subgoal_views(t, settings, &ticked, &links.subgoals),
        tag_views(t, &tags, &links.tags),
    ))
}

pub async fn submit(
    Staff(user): Staff,
    ctx: PageCtx,
    upload: Upload,
) -> Result<Response, AppError> {
    let t = ctx.t;
    let form = upload.form();
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    let step = Step::of(&form);
    if !matches!(step, Step::Send) {
        // The form comes back with the choice made and the suggestions; nothing is sent yet.
        let mut values = form.values();
        for button in ["stap", "kies-gevoel", "kies-subdoel", "kies-onderwerp"] {
            values.remove(button);
        }
        match &step {
            Step::ChooseValence(valence) => {
                values.insert("gevoel".to_string(), vec![valence.code().to_string()]);
            }
            Step::TickSubgoal(subgoal) if settings.goals.subgoal(subgoal).is_some() => {
                let ticked = values.entry("subdoel".to_string()).or_default();
                if !ticked.contains(&subgoal.to_string()) {
                    ticked.push(subgoal.to_string());
                }
            }
            Step::AddTag(tag) => {
                let field = values.entry("tags".to_string()).or_default();
                let typed = field.first().map(String::as_str).unwrap_or_default();
                if !tags_field(typed).contains(tag) {
                    let joined = if typed.trim().is_empty() {
                        tag.clone()
                    } else {
                        format!("{}, {tag}", typed.trim().trim_end_matches(','))
                    };
                    *field = vec![joined];
                }
            }
            _ => {}
        }
        let view = FormView::new(t, &settings, values, &FormErrors::default(), false)
            .files_again(upload.has_files());
        return Ok(ProviderPage {
            page: ctx.page(&settings, "provider.title", Nav::Provider),
            form: with_suggestions(&ctx.state, t, &settings, view, true, user.scope()).await?,
        }
        .into_response());
    }
    let mut media_errors = FormErrors::default();
    let media = upload.media(&mut media_errors).await?;
    match with_media_errors(
        read_full_story(&form, &settings, None, ctx.state.today()),
        media_errors,
    ) {
        Err(errors) => {
            let view = FormView::new(t, &settings, form.values(), &errors, false)
                .files_again(upload.has_files());
            Ok(unprocessable(ProviderPage {
                page: ctx.page(&settings, "provider.title_error", Nav::Provider),
                form: with_suggestions(&ctx.state, t, &settings, view, false, user.scope()).await?,
            }))
        }
        Ok(mut story) => {
            // Provider staff submit for their own organisation, whatever the form says.
            if user.role.provider().is_some() {
                story.provider = user.role.provider().cloned();
            }
            let page = ctx.page(&settings, "tell.done_title", Nav::Provider);
            Ok(store_with_receipt(&ctx.state, page, story, media)
                .await?
                .0
                .into_response())
        }
    }
}
