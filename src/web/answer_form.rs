//! The questions about the story as a form: one screen after the story is stored, asking the
//! questions of the bank, of the story's subgoals (their statements), round and session, in the
//! teller's language. Without JavaScript a slider is five radio buttons between its two poles, with
//! "weet ik niet" and "past niet" beside them; every question may be left open.

use std::collections::BTreeMap;

use crate::ids::StatementId;
use crate::questions::{Answer, Answers, Kind, Question, SliderAnswer};
use crate::web::forms::FormData;
use crate::web::i18n::Texts;

/// The points a slider offers without JavaScript: its two poles, the middle, and a step each way.
pub const SLIDER_POINTS: [u8; 5] = [0, 25, 50, 75, 100];

/// One option of a question as shown.
pub struct OptionField {
    pub value: String,
    pub label: String,
    pub checked: bool,
}

/// One question as shown on the form.
pub struct QuestionField {
    /// The form field's name: `vraag-` and the question's id.
    pub name: String,
    /// `slider`, `choice`, `choices`, `agreement` or `text`.
    pub kind: &'static str,
    pub text: String,
    /// The language the question's texts are in: the page's, or Dutch when they have none in it.
    pub lang: String,
    /// A slider's poles.
    pub left: String,
    pub right: String,
    /// The points of a slider, the options of a choice, the steps of an agreement scale.
    pub options: Vec<OptionField>,
    /// A slider's "weet ik niet" and "past niet".
    pub extra: Vec<OptionField>,
    /// A text answer as typed.
    pub value: String,
    pub error: Option<String>,
}

impl QuestionField {
    /// The id of the form element a problem links to.
    pub fn first_input(&self) -> String {
        match self.kind {
            "text" => self.name.clone(),
            _ => format!(
                "{}-{}",
                self.name,
                self.options
                    .first()
                    .map_or("", |option| option.value.as_str())
            ),
        }
    }
}

/// The form's fields for `questions`, with what was filled in and the problems found.
pub fn fields(
    t: &Texts,
    questions: &[Question],
    values: &BTreeMap<String, Vec<String>>,
    problems: &BTreeMap<String, String>,
) -> Vec<QuestionField> {
    questions
        .iter()
        .map(|question| {
            let name = format!("vraag-{}", question.id);
            let given = values.get(&name).cloned().unwrap_or_default();
            let option = |value: String, label: String| OptionField {
                checked: given.contains(&value),
                value,
                label,
            };
            let lang = if question.text.all().any(|(code, _)| code == t.lang) {
                t.lang
            } else {
                "nl"
            };
            let mut field = QuestionField {
                name: name.clone(),
                kind: "text",
                text: question.text.get(t.lang).to_string(),
                lang: lang.to_string(),
                left: String::new(),
                right: String::new(),
                options: Vec::new(),
                extra: Vec::new(),
                value: given.first().cloned().unwrap_or_default(),
                error: problems.get(&name).cloned(),
            };
            match &question.kind {
                Kind::Slider { left, right } => {
                    field.kind = "slider";
                    field.left = left.get(t.lang).to_string();
                    field.right = right.get(t.lang).to_string();
                    // "Helemaal: Alleen", "Een beetje: Alleen", "In het midden", ...
                    field.options = SLIDER_POINTS
                        .iter()
                        .map(|point| {
                            let how = t.code("tell.q_point", &point.to_string());
                            let label = match point {
                                0..50 => format!("{how}: {}", field.left),
                                51.. => format!("{how}: {}", field.right),
                                50 => how,
                            };
                            option(point.to_string(), label)
                        })
                        .collect();
                    field.extra = vec![
                        option(
                            SliderAnswer::DONT_KNOW.to_string(),
                            t.get("tell.q_dont_know").to_string(),
                        ),
                        option(
                            SliderAnswer::DOES_NOT_APPLY.to_string(),
                            t.get("tell.q_does_not_apply").to_string(),
                        ),
                    ];
                }
                Kind::Choice { options } | Kind::Choices { options } => {
                    field.kind = if matches!(question.kind, Kind::Choice { .. }) {
                        "choice"
                    } else {
                        "choices"
                    };
                    field.options = options
                        .iter()
                        .map(|choice| {
                            option(choice.id.to_string(), choice.text.get(t.lang).to_string())
                        })
                        .collect();
                }
                Kind::Agreement { scale } => {
                    field.kind = "agreement";
                    let group = format!("tell.q_{:?}", scale).to_lowercase();
                    field.options = scale
                        .range()
                        .map(|score| option(score.to_string(), t.code(&group, &score.to_string())))
                        .collect();
                }
                Kind::Text => {}
            }
            field
        })
        .collect()
}

/// What the form's answers come to: the answers to the file's questions, the scores on the
/// statements, and a problem per question that does not read (keyed by field name, in the
/// teller's language).
pub struct ReadAnswers {
    pub answers: Answers,
    pub scores: BTreeMap<StatementId, u8>,
    pub problems: BTreeMap<String, String>,
}

/// Reads the answers to `questions` from the form; a question left open has no answer.
pub fn read(t: &Texts, questions: &[Question], form: &FormData) -> ReadAnswers {
    let mut read = ReadAnswers {
        answers: Answers::new(),
        scores: BTreeMap::new(),
        problems: BTreeMap::new(),
    };
    for question in questions {
        let name = format!("vraag-{}", question.id);
        let given = form.all(&name);
        let parsed = match &question.kind {
            Kind::Choices { .. } => question.read_answer_list(&given),
            // One value only; a second one for the same question is a form nobody sent by hand.
            _ if given.len() > 1 => Err(String::new()),
            _ => question.read_answer(given.first().map_or("", String::as_str)),
        };
        match parsed {
            Ok(None) => {}
            Ok(Some(value)) => match question.statement() {
                Some(statement) => {
                    if let crate::questions::AnswerValue::Agreement(score) = value {
                        read.scores.insert(statement, score);
                    }
                }
                None => read.answers.insert(
                    question.id.clone(),
                    Answer {
                        version: question.version,
                        value,
                    },
                ),
            },
            Err(_) => {
                let message = match question.kind {
                    Kind::Text => t.get("tell.q_error_text"),
                    _ => t.get("tell.q_error_choice"),
                };
                read.problems.insert(name, message.to_string());
            }
        }
    }
    read
}
