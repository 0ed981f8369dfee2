//! The screen that shows a new story's receipt code once, with the questions about the story below it,
//! and storing a story for it: shared by every way a story comes in through the web (`/vertel`, the
//! provider form, a session's and a round's phone link, paper typed in).

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;

use crate::media::StoryMedia;
use crate::story::Story;
use crate::story::receipt::ReceiptCode;
use crate::web::answer_form::{self, QuestionField};
use crate::web::forms::FormErrors;
use crate::web::page::Page;
use crate::web::{AppError, AppState};

#[derive(Template, WebTemplate)]
#[template(path = "tell_done.html")]
pub struct TellDone {
    pub page: Page,
    pub code: String,
    /// The questions about the story still to answer, on the same screen as the code.
    pub questions: Vec<QuestionField>,
    /// The message key of what became of the answers just sent.
    pub notice: Option<&'static str>,
}

impl TellDone {
    /// Whether an answer sent did not read, so the screen starts with a list of the problems.
    pub fn question_problems(&self) -> bool {
        self.questions
            .iter()
            .any(|question| question.error.is_some())
    }
}

/// A story read from its form, refused too when one of its files has a problem.
pub fn with_media_errors(
    read: Result<Story, FormErrors>,
    media_errors: FormErrors,
) -> Result<Story, FormErrors> {
    match read {
        Ok(story) if media_errors.is_empty() => Ok(story),
        Ok(_) => Err(media_errors),
        Err(mut errors) => {
            errors.0.extend(media_errors.0);
            Err(errors)
        }
    }
}

/// Stores a story durably with a fresh receipt code; returns the page that shows the code once and the
/// outbox sequence number to wait on for the story to be searchable.
pub async fn store_with_receipt(
    state: &AppState,
    page: Page,
    story: Story,
    media: StoryMedia,
) -> Result<(TellDone, u64), AppError> {
    let code = ReceiptCode::generate();
    let shown = code.to_string();
    crate::web::audit::note_story(story.id);
    let (seq, questions) = state
        .run(move |bank| {
            let questions = bank.questions_for_story(&story)?;
            let seq = if media.is_empty() {
                bank.submit(&story, Some(&code))?
            } else {
                bank.submit_with_media(&story, &code, &media)?
            };
            Ok((seq, questions))
        })
        .await?;
    let questions = answer_form::fields(page.t, &questions, &BTreeMap::new(), &BTreeMap::new());
    Ok((
        TellDone {
            page,
            code: shown,
            questions,
            notice: None,
        },
        seq,
    ))
}
