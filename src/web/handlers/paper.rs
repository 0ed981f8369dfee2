//! Paper: the printable A4 form per language (`/vertel/papier`) that a buurtwerker hands out, with the
//! questions of `/vertel` and a box for the receipt code; and the staff screen that types a filled-in
//! form in (`/aanbieder/papier`): the story is recorded as told on paper ([`crate::story::Channel`])
//! and gets a receipt code to write in that box and hand back.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::response::{IntoResponse, Response};

use crate::web::auth::Staff;
use crate::web::forms::{FormData, FormErrors};
use crate::web::i18n::{RESIDENT_LANGUAGES, texts_for};
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::{PageCtx, ResidentCtx};
use crate::web::receipt::store_with_receipt;
use crate::web::story_form::{FormView, read_paper_story};
use crate::web::{AppError, unprocessable};

#[derive(Template, WebTemplate)]
#[template(path = "paper.html")]
pub struct PaperForm {
    pub page: Page,
    pub form: FormView,
    /// The language the municipality writes its subgoals in.
    pub written_in: String,
}

/// The printable form, in the visitor's language.
pub async fn form(ResidentCtx(ctx): ResidentCtx) -> Result<PaperForm, AppError> {
    let t = ctx.t;
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    Ok(PaperForm {
        page: ctx.page(&settings, "paper.title", Nav::Tell),
        form: FormView::new(t, &settings, BTreeMap::new(), &FormErrors::default(), true),
        written_in: settings.municipality.default_language.code().to_string(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "paper_entry.html")]
pub struct EntryPage {
    pub page: Page,
    pub form: FormView,
    /// The printable forms: (language code, its name in itself).
    pub forms: Vec<(&'static str, &'static str)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "paper_done.html")]
pub struct EntryDone {
    pub page: Page,
    pub code: String,
}

fn printable() -> Vec<(&'static str, &'static str)> {
    RESIDENT_LANGUAGES
        .iter()
        .map(|code| {
            let texts = texts_for(code);
            (texts.lang, texts.name)
        })
        .collect()
}

pub async fn entry_form(Staff(_user): Staff, ctx: PageCtx) -> Result<EntryPage, AppError> {
    let t = ctx.t;
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    let mut values = BTreeMap::new();
    values.insert("datum".to_string(), vec![ctx.state.today().to_string()]);
    Ok(EntryPage {
        page: ctx.page(&settings, "paper_entry.title", Nav::Provider),
        form: FormView::new(t, &settings, values, &FormErrors::default(), true),
        forms: printable(),
    })
}

/// A paper form typed in: stored as told on paper, for the staff member's organisation when they work
/// for a provider; the page shows the code to write on the form.
pub async fn entry(
    Staff(user): Staff,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let t = ctx.t;
    let form = FormData::new(pairs);
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    match read_paper_story(&form, &settings, ctx.state.today()) {
        Err(errors) => Ok(unprocessable(EntryPage {
            page: ctx.page(&settings, "paper_entry.title_error", Nav::Provider),
            form: FormView::new(t, &settings, form.values(), &errors, true),
            forms: printable(),
        })),
        Ok(mut story) => {
            if user.role.provider().is_some() {
                story.provider = user.role.provider().cloned();
            }
            let page = ctx.page(&settings, "paper_entry.done_title", Nav::Provider);
            let (done, _) = store_with_receipt(&ctx.state, page, story, Default::default()).await?;
            Ok(EntryDone {
                page: done.page,
                code: done.code,
            }
            .into_response())
        }
    }
}
