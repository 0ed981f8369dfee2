//! How answers to the questions about the story are named on pages: a facet value `question=value`
//! (see [`crate::questions::AnswerValue::filter_values`]) as the question's text and the answer's
//! words — an option's text, a slider's band, "weet ik niet", an agreement score.

use crate::questions::{Kind, Question, SliderAnswer};
use crate::web::i18n::Texts;

/// The question a facet value answers, when the bank knows it.
pub fn question_of<'a>(questions: &'a [Question], value: &str) -> Option<&'a Question> {
    let (id, _) = value.split_once('=')?;
    questions.iter().find(|question| question.id.as_str() == id)
}

/// The words for one value (after `question=`) of a question.
pub fn value_label(t: &Texts, question: &Question, value: &str) -> String {
    match &question.kind {
        Kind::Slider { .. } => match value {
            SliderAnswer::DONT_KNOW => t.get("patterns.dont_know").to_string(),
            SliderAnswer::DOES_NOT_APPLY => t.get("patterns.does_not_apply").to_string(),
            band => band.replace('-', "–"),
        },
        Kind::Choice { options } | Kind::Choices { options } => options
            .iter()
            .find(|choice| choice.id.as_str() == value)
            .map_or_else(
                || value.to_string(),
                |choice| choice.text.get(t.lang).to_string(),
            ),
        Kind::Agreement { scale } => {
            let group = match scale {
                crate::goals::Scale::FivePoint => "scale.fivepoint",
                crate::goals::Scale::AgreeDisagree => "scale.agreedisagree",
            };
            t.code(group, value)
        }
        Kind::Text => value.to_string(),
    }
}

/// A facet value as the question's text and the answer's words; the value itself for a question
/// the bank no longer has.
pub fn answer_label(t: &Texts, questions: &[Question], value: &str) -> (String, String) {
    match question_of(questions, value) {
        Some(question) => {
            let (_, answer) = value.split_once('=').unwrap_or(("", value));
            (
                question.text.get(t.lang).to_string(),
                value_label(t, question, answer),
            )
        }
        None => (t.get("facet.answer").to_string(), value.to_string()),
    }
}
