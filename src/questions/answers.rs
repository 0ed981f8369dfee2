//! The teller's answers to the questions about their story, stored with the story: per question its
//! id, the version of the question it was given under, and the value.
//!
//! A value is typed by the kind of question it answers, so it keeps its meaning when the question
//! changes later. Answers come in as text (a form field, a spreadsheet cell, a file value) and are read
//! against the question with [`Question::read_answer`]; [`AnswerValue::as_text`] writes them back in
//! the same form, so a file or spreadsheet round-trips. The statements' scores are not here: they
//! stay the story's statement scores (see the module above).

use std::collections::BTreeMap;

use super::{Kind, MAX_TEXT_ANSWER, Question};
use crate::ids::{ChoiceId, QuestionId};
use crate::number::read_form_number;

/// A slider's answer: a point between the poles, or one of the two ways out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SliderAnswer {
    /// 0 (the left pole) to 100 (the right pole).
    At(u8),
    /// "Weet ik niet".
    DontKnow,
    /// "Past niet": the question does not fit this story.
    DoesNotApply,
}

impl SliderAnswer {
    /// How "weet ik niet" is written in files and spreadsheets.
    pub const DONT_KNOW: &'static str = "weet-niet";
    /// How "past niet" is written in files and spreadsheets.
    pub const DOES_NOT_APPLY: &'static str = "past-niet";
}

/// The bands a slider's answers are counted and filtered in: 0–20, 21–40, 41–60, 61–80, 81–100.
pub const SLIDER_BANDS: [(u8, u8); 5] = [(0, 20), (21, 40), (41, 60), (61, 80), (81, 100)];

/// The band of [`SLIDER_BANDS`] a point falls in, written as the index writes it (`21-40`).
pub fn slider_band(point: u8) -> String {
    let (low, high) = SLIDER_BANDS
        .iter()
        .copied()
        .find(|(_, high)| point <= *high)
        .unwrap_or(SLIDER_BANDS[SLIDER_BANDS.len() - 1]);
    format!("{low}-{high}")
}

/// How an answer is written as a search filter and facet value: `question=value`.
pub fn filter_value(question: &str, value: &str) -> String {
    format!("{question}={value}")
}

/// One answer's value.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum AnswerValue {
    Slider(SliderAnswer),
    Choice(ChoiceId),
    /// The options chosen, in the question's order; at least one.
    Choices(Vec<ChoiceId>),
    /// 1 to 5 (or 0 to 1 on a statement's two-point scale).
    Agreement(u8),
    /// Trimmed, at most [`MAX_TEXT_ANSWER`] characters, never empty.
    Text(String),
}

impl AnswerValue {
    /// The value as it is written in files and spreadsheet cells: a number, `weet-niet`, `past-niet`,
    /// an option id, option ids separated by `, `, or the text.
    pub fn as_text(&self) -> String {
        match self {
            AnswerValue::Slider(SliderAnswer::At(point)) => point.to_string(),
            AnswerValue::Slider(SliderAnswer::DontKnow) => SliderAnswer::DONT_KNOW.to_string(),
            AnswerValue::Slider(SliderAnswer::DoesNotApply) => {
                SliderAnswer::DOES_NOT_APPLY.to_string()
            }
            AnswerValue::Choice(id) => id.to_string(),
            AnswerValue::Choices(ids) => ids
                .iter()
                .map(ChoiceId::as_str)
                .collect::<Vec<_>>()
                .join(", "),
            AnswerValue::Agreement(score) => score.to_string(),
            AnswerValue::Text(text) => text.clone(),
        }
    }

    /// The values this answer is counted and filtered by (after `question=` in the index): a
    /// slider's band or its way out, the option or each option chosen, the agreement score. A text
    /// answer has none: it is not a pattern and stays out of the index.
    pub fn filter_values(&self) -> Vec<String> {
        match self {
            AnswerValue::Slider(SliderAnswer::At(point)) => vec![slider_band(*point)],
            AnswerValue::Slider(_) | AnswerValue::Choice(_) | AnswerValue::Agreement(_) => {
                vec![self.as_text()]
            }
            AnswerValue::Choices(ids) => ids.iter().map(|id| id.to_string()).collect(),
            AnswerValue::Text(_) => Vec::new(),
        }
    }

    /// The kind of question this value answers, as the file names kinds.
    pub fn kind_code(&self) -> &'static str {
        match self {
            AnswerValue::Slider(_) => "schuifbalk",
            AnswerValue::Choice(_) => "keuze",
            AnswerValue::Choices(_) => "meerkeuze",
            AnswerValue::Agreement(_) => "stelling",
            AnswerValue::Text(_) => "tekst",
        }
    }
}

/// As files write it: a number, a word, or a list of option ids.
impl serde::Serialize for AnswerValue {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            AnswerValue::Slider(SliderAnswer::At(number)) | AnswerValue::Agreement(number) => {
                serializer.serialize_u8(*number)
            }
            AnswerValue::Choices(ids) => ids.serialize(serializer),
            other => serializer.serialize_str(&other.as_text()),
        }
    }
}

/// One answer: the version of the question it was given under, and its value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Answer {
    pub version: u32,
    pub value: AnswerValue,
}

/// A story's answers by question id.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
#[serde(transparent)]
pub struct Answers(BTreeMap<QuestionId, Answer>);

impl Answers {
    pub fn new() -> Answers {
        Answers::default()
    }

    pub fn get(&self, id: &QuestionId) -> Option<&Answer> {
        self.0.get(id)
    }

    /// Sets the answer to a question, replacing an earlier one.
    pub fn insert(&mut self, id: QuestionId, answer: Answer) {
        self.0.insert(id, answer);
    }

    pub fn remove(&mut self, id: &QuestionId) -> Option<Answer> {
        self.0.remove(id)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&QuestionId, &Answer)> {
        self.0.iter()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }
}

impl FromIterator<(QuestionId, Answer)> for Answers {
    fn from_iter<I: IntoIterator<Item = (QuestionId, Answer)>>(iter: I) -> Self {
        Answers(iter.into_iter().collect())
    }
}

/// Words that mean "weet ik niet" and "past niet", lowercase, as people write them.
const DONT_KNOW_WORDS: &[&str] = &[
    SliderAnswer::DONT_KNOW,
    "weet ik niet",
    "weet niet",
    "dont_know",
    "dont-know",
    "don't know",
];
const DOES_NOT_APPLY_WORDS: &[&str] = &[
    SliderAnswer::DOES_NOT_APPLY,
    "past niet",
    "n.v.t.",
    "nvt",
    "does_not_apply",
    "not applicable",
];

impl Question {
    /// Reads an answer written as text, checked against this question as it is now: `None` for an
    /// empty text (not answered), an error (lowercase, saying what was expected) for a value that does
    /// not fit. Options are given by id or by their Dutch text; several options are separated by
    /// commas. Numbers are read the Dutch way, as the other form numbers are.
    pub fn read_answer(&self, text: &str) -> Result<Option<AnswerValue>, String> {
        self.read(text, true)
    }

    /// Reads an answer given under an earlier version of this question: only its shape is checked
    /// (options need not be among today's), as the question may have changed since.
    pub fn read_earlier_answer(&self, text: &str) -> Result<Option<AnswerValue>, String> {
        self.read(text, false)
    }

    /// Reads several options of a multiple-choice question given as a list.
    pub fn read_answer_list(&self, items: &[String]) -> Result<Option<AnswerValue>, String> {
        self.read(&items.join(","), true)
    }

    fn read(&self, text: &str, current: bool) -> Result<Option<AnswerValue>, String> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        let lower = text.to_lowercase();
        let value = match &self.kind {
            Kind::Slider { .. } => {
                if DONT_KNOW_WORDS.contains(&lower.as_str()) {
                    AnswerValue::Slider(SliderAnswer::DontKnow)
                } else if DOES_NOT_APPLY_WORDS.contains(&lower.as_str()) {
                    AnswerValue::Slider(SliderAnswer::DoesNotApply)
                } else {
                    let point = whole_number(text, 0..=100).ok_or_else(|| {
                        format!(
                            "expected a whole number from 0 to 100, {} or {}, found {text:?}",
                            SliderAnswer::DONT_KNOW,
                            SliderAnswer::DOES_NOT_APPLY
                        )
                    })?;
                    AnswerValue::Slider(SliderAnswer::At(point))
                }
            }
            Kind::Agreement { scale } => {
                let range = scale.range();
                let score = whole_number(text, range.clone()).ok_or_else(|| {
                    format!(
                        "expected a whole number from {} to {}, found {text:?}",
                        range.start(),
                        range.end()
                    )
                })?;
                AnswerValue::Agreement(score)
            }
            Kind::Choice { .. } => AnswerValue::Choice(self.read_option(text, current)?),
            Kind::Choices { .. } => {
                let mut chosen = Vec::new();
                for item in text.split([',', ';', '|']).map(str::trim) {
                    if item.is_empty() {
                        continue;
                    }
                    let id = self.read_option(item, current)?;
                    if !chosen.contains(&id) {
                        chosen.push(id);
                    }
                }
                if chosen.is_empty() {
                    return Ok(None);
                }
                let options = self.kind.options();
                chosen.sort_by_key(|id| {
                    options
                        .iter()
                        .position(|choice| &choice.id == id)
                        .unwrap_or(usize::MAX)
                });
                AnswerValue::Choices(chosen)
            }
            Kind::Text => {
                let tidy = text.replace(['\r', '\n'], " ");
                if tidy.chars().count() > MAX_TEXT_ANSWER {
                    return Err(format!(
                        "expected at most {MAX_TEXT_ANSWER} characters, found {}",
                        tidy.chars().count()
                    ));
                }
                AnswerValue::Text(tidy.trim().to_string())
            }
        };
        Ok(Some(value))
    }

    /// An option by id or Dutch text; for an earlier version any valid id.
    fn read_option(&self, text: &str, current: bool) -> Result<ChoiceId, String> {
        let options = self.kind.options();
        let lower = text.to_lowercase();
        if let Some(choice) = options.iter().find(|choice| {
            choice.id.as_str() == lower || choice.text.get("nl").to_lowercase() == lower
        }) {
            return Ok(choice.id.clone());
        }
        let expected = options
            .iter()
            .map(|choice| choice.id.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        match ChoiceId::parse(&lower) {
            Ok(id) if !current => Ok(id),
            _ => Err(format!("expected one of {expected}, found {text:?}")),
        }
    }

    /// Every value its answers are counted and filtered by, in the order they are shown: a slider's
    /// bands low to high, then "weet ik niet" and "past niet"; the options; the scale's scores. None
    /// for a text question (see [`AnswerValue::filter_values`]).
    pub fn filter_values(&self) -> Vec<String> {
        match &self.kind {
            Kind::Slider { .. } => SLIDER_BANDS
                .iter()
                .map(|(low, high)| format!("{low}-{high}"))
                .chain([
                    SliderAnswer::DONT_KNOW.to_string(),
                    SliderAnswer::DOES_NOT_APPLY.to_string(),
                ])
                .collect(),
            Kind::Choice { options } | Kind::Choices { options } => {
                options.iter().map(|choice| choice.id.to_string()).collect()
            }
            Kind::Agreement { scale } => scale.range().map(|n| n.to_string()).collect(),
            Kind::Text => Vec::new(),
        }
    }

    /// Whether a typed value fits this question as it is now (a form or the API may build values
    /// without text).
    pub fn fits(&self, value: &AnswerValue) -> bool {
        match (&self.kind, value) {
            (Kind::Slider { .. }, AnswerValue::Slider(SliderAnswer::At(point))) => *point <= 100,
            (Kind::Slider { .. }, AnswerValue::Slider(_)) => true,
            (Kind::Agreement { scale }, AnswerValue::Agreement(score)) => {
                scale.range().contains(score)
            }
            (Kind::Choice { .. }, AnswerValue::Choice(id)) => self.option(id).is_some(),
            (Kind::Choices { .. }, AnswerValue::Choices(ids)) => {
                !ids.is_empty() && ids.iter().all(|id| self.option(id).is_some())
            }
            (Kind::Text, AnswerValue::Text(text)) => {
                !text.trim().is_empty() && text.chars().count() <= MAX_TEXT_ANSWER
            }
            _ => false,
        }
    }
}

/// A whole number in `range`, read the Dutch way (`4`, `4,0`).
fn whole_number(text: &str, range: std::ops::RangeInclusive<u8>) -> Option<u8> {
    read_form_number(text)
        .ok()
        .filter(|number| number.fract() == 0.0 && *number >= 0.0 && *number <= 255.0)
        .map(|number| number as u8)
        .filter(|number| range.contains(number))
}
