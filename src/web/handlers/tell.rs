//! "Vertel uw verhaal": the public form for residents (no account, plain Dutch, phone-friendly), the
//! receipt page with the code to find the story again, and looking a story up by that code.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::response::{IntoResponse, Response};
use std::collections::BTreeMap;

use crate::bank::Answered;
use crate::hearing::HearingBack;
use crate::story::Story;
use crate::story::receipt::ReceiptCode;
use crate::story::render::{SafeHtml, render_markdown};
use crate::web::answer_form;
use crate::web::forms::{FormData, FormErrors};
use crate::web::hearing_view::HearingView;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::{PageCtx, ResidentCtx};
use crate::web::receipt::{TellDone, store_with_receipt, with_media_errors};
use crate::web::story_form::{FormView, read_public_story};
use crate::web::upload::Upload;
use crate::web::{AppError, unprocessable};

#[derive(Template, WebTemplate)]
#[template(path = "tell.html")]
pub struct TellPage {
    pub page: Page,
    pub form: FormView,
}

pub async fn form(ResidentCtx(ctx): ResidentCtx) -> Result<TellPage, AppError> {
    let t = ctx.t;
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    Ok(TellPage {
        page: ctx.page(&settings, "tell.title", Nav::Tell),
        form: FormView::new(t, &settings, BTreeMap::new(), &FormErrors::default(), true),
    })
}

pub async fn submit(ResidentCtx(ctx): ResidentCtx, upload: Upload) -> Result<Response, AppError> {
    let t = ctx.t;
    let form = upload.form();
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    let mut media_errors = FormErrors::default();
    let media = upload.media(&mut media_errors).await?;
    match with_media_errors(
        read_public_story(&form, &settings, ctx.state.today()),
        media_errors,
    ) {
        Err(errors) => Ok(unprocessable(TellPage {
            page: ctx.page(&settings, "tell.title_error", Nav::Tell),
            form: FormView::new(t, &settings, form.values(), &errors, true)
                .files_again(upload.has_files()),
        })),
        Ok(story) => {
            let page = ctx.page(&settings, "tell.done_title", Nav::Tell);
            Ok(store_with_receipt(&ctx.state, page, story, media)
                .await?
                .0
                .into_response())
        }
    }
}

/// The teller answers the questions about the story, on the screen that shows their code. A
/// problem shows the screen again with the answers kept; the answers are stored only as a whole.
pub async fn answer(
    ResidentCtx(ctx): ResidentCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let t = ctx.t;
    let form = FormData::new(pairs);
    let (typed, code) = receipt_code(&form);
    let Some(code) = code else {
        return Err(AppError::NotFound);
    };
    let lookup = code.clone();
    let (settings, found) = ctx
        .state
        .run(move |bank| {
            let found = match bank.story_by_receipt(&lookup)? {
                Some(story) => Some((story.id, bank.questions_for_story(&story)?)),
                None => None,
            };
            Ok((bank.settings()?, found))
        })
        .await?;
    let Some((story_id, asked)) = found else {
        return Err(AppError::NotFound);
    };
    let read = answer_form::read(t, &asked, &form);
    let page = ctx.page(&settings, "tell.done_title", Nav::Tell);
    if !read.problems.is_empty() {
        let questions = answer_form::fields(t, &asked, &form.values(), &read.problems);
        return Ok(unprocessable(TellDone {
            page,
            code: typed,
            questions,
            notice: None,
        }));
    }
    let outcome = ctx
        .state
        .run(move |bank| bank.answer_by_receipt(&code, &read.answers, &read.scores))
        .await?;
    crate::web::audit::note_story(story_id);
    match outcome {
        Answered::Unknown => Err(AppError::NotFound),
        Answered::Saved | Answered::Moderated => Ok(TellDone {
            page,
            code: typed,
            questions: Vec::new(),
            notice: Some(if outcome == Answered::Saved {
                "tell.q_saved"
            } else {
                "tell.q_moderated"
            }),
        }
        .into_response()),
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "lookup.html")]
pub struct LookupPage {
    pub page: Page,
    pub code: String,
    pub not_found: bool,
    pub story: Option<FoundStory>,
    /// The message key of what was just done, such as a consent saved.
    pub notice: Option<&'static str>,
    /// The withdrawal was asked without ticking the box that confirms it.
    pub confirm_missing: bool,
}

pub struct FoundStory {
    pub title: String,
    pub date: String,
    pub status: String,
    pub status_code: &'static str,
    pub reason: Option<String>,
    pub consent: String,
    pub consent_code: &'static str,
    pub consent_date: Option<String>,
    pub body: SafeHtml,
    /// The language the story was told in, which may differ from the page's.
    pub lang: String,
    /// What the story took part in: sessions, rounds, interpretations, actions.
    pub hearing: HearingView,
}

impl FoundStory {
    pub fn consent_is(&self, code: &str) -> bool {
        self.consent_code == code
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "withdrawn.html")]
pub struct WithdrawnPage {
    pub page: Page,
}

pub async fn lookup_form(ResidentCtx(ctx): ResidentCtx) -> Result<LookupPage, AppError> {
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    Ok(LookupPage {
        page: ctx.page(&settings, "lookup.title", Nav::Lookup),
        code: String::new(),
        not_found: false,
        story: None,
        notice: None,
        confirm_missing: false,
    })
}

/// The code comes in a POST body, never in a URL, so it does not end up in logs or browser history.
/// The forms to change consent or withdraw carry it the same way, in a hidden field.
pub async fn lookup(
    ResidentCtx(ctx): ResidentCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<LookupPage, AppError> {
    let form = FormData::new(pairs);
    let (typed, code) = receipt_code(&form);
    let (settings, found) = ctx
        .state
        .run(move |bank| {
            let story = match code {
                Some(code) => bank.story_by_receipt(&code)?,
                None => None,
            };
            Ok((bank.settings()?, with_hearing(bank, story)?))
        })
        .await?;
    Ok(lookup_page(&ctx, &settings, typed, found, None))
}

/// The teller changes what may be done with their story.
pub async fn change_consent(
    ResidentCtx(ctx): ResidentCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<LookupPage, AppError> {
    use crate::story::{Coded, Consent};
    let form = FormData::new(pairs);
    let (typed, code) = receipt_code(&form);
    let consent = form.get("toestemming").and_then(Consent::parse_code);
    let today = ctx.state.today();
    let (settings, found, changed) = ctx
        .state
        .run(move |bank| {
            let (story, changed) = match (code, consent) {
                (Some(code), Some(consent)) => (bank.change_consent(&code, consent, today)?, true),
                (Some(code), None) => (bank.story_by_receipt(&code)?, false),
                (None, _) => (None, false),
            };
            Ok((bank.settings()?, with_hearing(bank, story)?, changed))
        })
        .await?;
    let notice = (changed && found.is_some()).then_some("lookup.consent_saved");
    if let Some((story, _)) = &found {
        crate::web::audit::note_story(story.id);
    }
    Ok(lookup_page(&ctx, &settings, typed, found, notice))
}

/// The teller withdraws their story: once they have ticked the box, it is erased for good.
pub async fn withdraw(
    ResidentCtx(ctx): ResidentCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    /// What a withdrawal came to.
    enum Outcome {
        Erased(crate::story::StoryId),
        /// The code belongs to no story.
        Unknown,
        /// The box was not ticked: the story, if the code found one, is shown again.
        NotConfirmed(Option<Box<(Story, HearingBack)>>),
    }
    let form = FormData::new(pairs);
    let (typed, code) = receipt_code(&form);
    let confirmed = form.get("bevestig") == Some("ja");
    let today = ctx.state.today();
    let (settings, outcome) = ctx
        .state
        .run(move |bank| {
            let outcome = match code {
                Some(code) if confirmed => match bank.withdraw(&code, today)? {
                    Some(id) => Outcome::Erased(id),
                    None => Outcome::Unknown,
                },
                Some(code) => Outcome::NotConfirmed(
                    with_hearing(bank, bank.story_by_receipt(&code)?)?.map(Box::new),
                ),
                None => Outcome::Unknown,
            };
            Ok((bank.settings()?, outcome))
        })
        .await?;
    Ok(match outcome {
        Outcome::Erased(id) => {
            crate::web::audit::note_story(id);
            WithdrawnPage {
                page: ctx.page(&settings, "lookup.withdrawn_title", Nav::Lookup),
            }
            .into_response()
        }
        Outcome::Unknown => lookup_page(&ctx, &settings, typed, None, None).into_response(),
        Outcome::NotConfirmed(story) => {
            let mut page = lookup_page(&ctx, &settings, typed, story.map(|s| *s), None);
            page.confirm_missing = page.story.is_some();
            unprocessable(page)
        }
    })
}

/// The receipt code as typed (to show it again) and as read, from a form's `code` field.
fn receipt_code(form: &FormData) -> (String, Option<ReceiptCode>) {
    let typed = form.text("code");
    let code = ReceiptCode::parse(&typed);
    (typed, code)
}

/// A story found by its code, with what it took part in.
fn with_hearing(
    bank: &crate::bank::Bank,
    story: Option<Story>,
) -> anyhow::Result<Option<(Story, HearingBack)>> {
    story
        .map(|story| Ok((bank.hearing_back(&story)?, story)))
        .transpose()
        .map(|found| found.map(|(heard, story)| (story, heard)))
}

fn lookup_page(
    ctx: &PageCtx,
    settings: &crate::bank::Settings,
    typed: String,
    found: Option<(Story, HearingBack)>,
    notice: Option<&'static str>,
) -> LookupPage {
    let t = ctx.t;
    use crate::story::{Coded, Moderation};
    let today = ctx.state.today();
    let found = found.map(|(story, heard)| FoundStory {
        hearing: HearingView::new(t, settings, &heard, today),
        title: story.title.clone(),
        date: t.date(&story.date),
        status: t.code("status_explained", story.moderation.code()),
        status_code: story.moderation.code(),
        reason: match &story.moderation {
            Moderation::Rejected(reason) => Some(reason.clone()),
            _ => None,
        },
        consent: t.code("lookup.consent_yours", story.consent.code()),
        consent_code: story.consent.code(),
        consent_date: story.consent_date.map(|date| t.date(&date)),
        body: render_markdown(&story.text),
        lang: story
            .language_or_detect(
                &crate::story::render::plain_text(&story.text),
                &crate::language::LanguageDetector::default(),
                &settings.municipality.default_language,
            )
            .code()
            .to_string(),
    });
    LookupPage {
        page: ctx.page(settings, "lookup.title", Nav::Lookup),
        not_found: found.is_none(),
        code: typed,
        story: found,
        notice,
        confirm_missing: false,
    }
}
