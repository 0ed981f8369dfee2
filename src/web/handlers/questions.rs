//! The questions page (`/vragen`), for analysts: the bank's `questions.toml` in a text box, saved as a
//! whole, as the synonyms page does it. A text with problems comes back with each problem in Dutch
//! (line, question, field, value) beside the box (422); a save made from a file someone else changed
//! meanwhile is refused (409) and shows both texts. Beside the box, the questions as they are now, in
//! the words a teller reads, so an analyst sees what residents will be asked.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::Query;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use crate::bank::QuestionsSaved;
use crate::questions::{Kind, Problem, ProblemKind, Question, Scope};
use crate::web::auth::Analyst;
use crate::web::forms::FormData;
use crate::web::i18n::Texts;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::{AppError, AppState, unprocessable};

#[derive(Template, WebTemplate)]
#[template(path = "questions.html")]
pub struct QuestionsPage {
    pub page: Page,
    /// The text in the box.
    pub text: String,
    /// The version the text was read at, sent back with the save.
    pub version: u64,
    /// The problems of the text sent, in Dutch.
    pub problems: Vec<String>,
    /// After a refused save: the file as someone else left it.
    pub current: Option<String>,
    /// Questions in the file, after a save.
    pub saved: Option<usize>,
    /// The questions as they are now, statements included.
    pub questions: Vec<QuestionSummary>,
}

/// One question as the page lists it.
pub struct QuestionSummary {
    pub id: String,
    pub version: u32,
    pub kind: String,
    pub place: String,
    pub text: String,
    /// The poles or the options, in words.
    pub answers: String,
}

impl QuestionSummary {
    fn of(t: &Texts, question: &Question, names: &dyn Fn(&Scope) -> String) -> QuestionSummary {
        let language = t.lang;
        let answers = match &question.kind {
            Kind::Slider { left, right } => {
                format!("{} … {}", left.get(language), right.get(language))
            }
            Kind::Choice { options } | Kind::Choices { options } => options
                .iter()
                .map(|choice| choice.text.get(language))
                .collect::<Vec<_>>()
                .join(" · "),
            Kind::Agreement { .. } | Kind::Text => String::new(),
        };
        QuestionSummary {
            id: question.id.to_string(),
            version: question.version,
            kind: t.code("questions.kind", question.kind.code()),
            place: names(&question.scope),
            text: question.text.get(language).to_string(),
            answers,
        }
    }
}

/// One problem as the page says it: where, then what.
pub fn problem_text(t: &Texts, problem: &Problem) -> String {
    let mut place = vec![t.with("questions.at_line", &problem.line.to_string())];
    if let Some(question) = &problem.question {
        place.push(t.with("questions.at_question", question));
    }
    if let Some(field) = &problem.field {
        place.push(t.with("questions.at_field", field));
    }
    if let Some(value) = &problem.value {
        place.push(format!("“{value}”"));
    }
    let what = match &problem.kind {
        ProblemKind::Syntax(message) | ProblemKind::BadId(message) => t.with(
            &format!("questions.problem.{}", problem.kind.code()),
            message,
        ),
        ProblemKind::SameVersion { version } => {
            t.with("questions.problem.same_version", &version.to_string())
        }
        ProblemKind::VersionDown { stored } => {
            t.with("questions.problem.version_down", &stored.to_string())
        }
        ProblemKind::RemovedWithAnswers { stories } => t.with(
            "questions.problem.removed_with_answers",
            &stories.to_string(),
        ),
        kind => t.code("questions.problem", kind.code()),
    };
    format!("{}: {what}", place.join(", "))
}

fn page(ctx: &PageCtx, name: &str) -> Page {
    let t = ctx.t;
    ctx.titled(name, t.get("questions.title").to_string(), Nav::Questions)
}

/// The questions as they are now, with their places named.
async fn summaries(
    state: &AppState,
    t: &'static Texts,
) -> Result<(String, Vec<QuestionSummary>), AppError> {
    let (settings, questions) = state
        .run(|bank| Ok((bank.settings()?, bank.all_questions()?)))
        .await?;
    let names = |scope: &Scope| match scope {
        Scope::Bank => t.get("questions.everywhere").to_string(),
        Scope::Subgoal(id) => t.with(
            "questions.with_subgoal",
            settings
                .goals
                .subgoal(id)
                .map_or(id.as_str(), |subgoal| subgoal.title.as_str()),
        ),
        Scope::Round(id) => t.with("questions.with_round", id.as_str()),
        Scope::Session(id) => t.with("questions.with_session", id.as_str()),
    };
    let summaries = questions
        .iter()
        .map(|question| QuestionSummary::of(t, question, &names))
        .collect();
    Ok((settings.municipality.name.clone(), summaries))
}

/// `GET /vragen`.
pub async fn form(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<QuestionsPage, AppError> {
    let t = ctx.t;
    let (name, questions) = summaries(&ctx.state, t).await?;
    let text = ctx.state.run(|bank| bank.questions_text()).await?;
    Ok(QuestionsPage {
        page: page(&ctx, &name),
        text: text.item,
        version: text.version,
        problems: Vec::new(),
        current: None,
        // After a save: how many questions the file has (only a number is shown).
        saved: FormData::new(pairs)
            .get("vragen")
            .and_then(|count| count.parse().ok()),
        questions,
    })
}

/// `POST /vragen`: `inhoud` (the whole file) and `versie` (the version it was read at).
pub async fn save(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let t = ctx.t;
    let form = FormData::new(pairs);
    let version = form.version()?;
    let text = form.file_text("inhoud");
    let sent = text.clone();
    let saved = ctx
        .state
        .run(move |bank| bank.replace_questions(&sent, version))
        .await?;
    let (problems, current) = match saved {
        QuestionsSaved::Saved { questions, .. } => {
            return Ok(
                Redirect::to(&format!("{}?vragen={questions}", paths::QUESTIONS)).into_response(),
            );
        }
        QuestionsSaved::Invalid(problems) => {
            (problems.iter().map(|p| problem_text(t, p)).collect(), None)
        }
        QuestionsSaved::Changed(current) => (Vec::new(), Some(current)),
    };
    let (name, questions) = summaries(&ctx.state, t).await?;
    let conflict = current.is_some();
    let shown = QuestionsPage {
        page: page(&ctx, &name),
        text,
        // Saving again after a conflict replaces what the other person saved, knowingly.
        version: current.as_ref().map_or(version, |current| current.version),
        problems,
        current: current.map(|current| current.item),
        saved: None,
        questions,
    };
    Ok(if conflict {
        (StatusCode::CONFLICT, shown).into_response()
    } else {
        unprocessable(shown)
    })
}
