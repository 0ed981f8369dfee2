//! The API's contract for answers to the questions about the story: the JSON Schema the OpenAPI
//! document publishes for each question of this bank, and the check that holds a request to exactly
//! that schema. Story files and CSV accept answers written as people write them (an option's Dutch
//! text, "weet ik niet", `4,0`); the API accepts only the typed values its schema names, so a client
//! that follows the schema is never refused and one that does not is always told.

use serde_json::{Value, json};

use crate::ids::{ChoiceId, QuestionId};
use crate::questions::{Kind, MAX_TEXT_ANSWER, Question, QuestionSet, SliderAnswer};

/// The ids' pattern, as the generated schemas state it.
const ID_PATTERN: &str = "^[a-z0-9][a-z0-9_-]{0,79}$";

/// The schema of the `answers` object: one property per question of the file, nothing else.
pub fn schema(questions: &QuestionSet) -> Value {
    let properties: serde_json::Map<String, Value> = questions
        .questions
        .iter()
        .map(|question| (question.id.to_string(), answer_schema(question)))
        .collect();
    json!({
        "type": ["object", "null"],
        "properties": properties,
        "additionalProperties": false,
        "description": "Question id (from the bank's questions about the story) → the teller's \
            answer: the value alone, given under the question's current version, or \
            {\"version\": N, \"value\": ...}",
    })
}

/// One question's answer: the value under today's version, or a value with the version it was
/// given under.
fn answer_schema(question: &Question) -> Value {
    let current = value_schema(question, true);
    let mut versioned = vec![json!({
        "type": "object",
        "properties": {
            "version": {"type": "integer", "minimum": question.version, "maximum": question.version},
            "value": current,
        },
        "required": ["version", "value"],
        "additionalProperties": false,
    })];
    if question.version > 1 {
        versioned.push(json!({
            "type": "object",
            "properties": {
                "version": {"type": "integer", "minimum": 1, "maximum": question.version - 1},
                "value": value_schema(question, false),
            },
            "required": ["version", "value"],
            "additionalProperties": false,
        }));
    }
    let mut any_of = vec![current];
    any_of.extend(versioned);
    json!({"anyOf": any_of})
}

/// The value of an answer; under an earlier version any option id may be given, as the options
/// may have changed since.
fn value_schema(question: &Question, current: bool) -> Value {
    let option = || {
        if current {
            let ids: Vec<&str> = question
                .kind
                .options()
                .iter()
                .map(|choice| choice.id.as_str())
                .collect();
            json!({"type": "string", "enum": ids})
        } else {
            json!({"type": "string", "pattern": ID_PATTERN})
        }
    };
    match &question.kind {
        Kind::Slider { .. } => json!({"anyOf": [
            {"type": "integer", "minimum": 0, "maximum": 100},
            {"type": "string", "enum": [SliderAnswer::DONT_KNOW, SliderAnswer::DOES_NOT_APPLY]},
        ]}),
        Kind::Agreement { scale } => {
            let range = scale.range();
            json!({"type": "integer", "minimum": range.start(), "maximum": range.end()})
        }
        Kind::Choice { .. } => option(),
        Kind::Choices { .. } => json!({
            "type": "array", "items": option(), "minItems": 1, "uniqueItems": true,
        }),
        Kind::Text => json!({
            "type": "string", "minLength": 1, "maxLength": MAX_TEXT_ANSWER, "pattern": r"\S",
        }),
    }
}

/// Every way `answers` in a request body departs from [`schema`], as messages naming the question;
/// empty when it follows it (or is absent or null).
pub fn check(answers: Option<&Value>, questions: &QuestionSet) -> Vec<String> {
    let object = match answers {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Object(object)) => object,
        Some(_) => return vec!["expected an object of question id → answer".to_string()],
    };
    let mut problems = Vec::new();
    for (key, answer) in object {
        let question = QuestionId::parse(key)
            .ok()
            .and_then(|id| questions.get(&id));
        let Some(question) = question else {
            problems.push(format!(
                "unknown question {key:?}; expected a question id from questions.toml"
            ));
            continue;
        };
        if let Err(message) = check_answer(question, answer) {
            problems.push(format!("answer to {key}: {message}"));
        }
    }
    problems
}

fn check_answer(question: &Question, answer: &Value) -> Result<(), String> {
    let Value::Object(fields) = answer else {
        return check_value(question, answer, true);
    };
    if let Some(other) = fields
        .keys()
        .find(|key| *key != "version" && *key != "value")
    {
        return Err(format!("unknown key {other:?}; expected version and value"));
    }
    let version = fields
        .get("version")
        .and_then(Value::as_u64)
        .filter(|version| (1..=u64::from(question.version)).contains(version))
        .ok_or_else(|| format!("expected a version from 1 to {}", question.version))?;
    let value = fields
        .get("value")
        .ok_or_else(|| "expected a value".to_string())?;
    check_value(question, value, version == u64::from(question.version))
}

fn check_value(question: &Question, value: &Value, current: bool) -> Result<(), String> {
    let option = |value: &Value| -> Result<(), String> {
        let Some(text) = value.as_str() else {
            return Err("expected an option id".to_string());
        };
        let known = if current {
            question
                .kind
                .options()
                .iter()
                .any(|choice| choice.id.as_str() == text)
        } else {
            ChoiceId::parse(text).is_ok()
        };
        if known {
            Ok(())
        } else {
            let ids: Vec<&str> = question
                .kind
                .options()
                .iter()
                .map(|choice| choice.id.as_str())
                .collect();
            Err(format!(
                "expected one of {}, found {text:?}",
                ids.join(", ")
            ))
        }
    };
    match &question.kind {
        Kind::Slider { .. } => match value {
            Value::String(word)
                if word == SliderAnswer::DONT_KNOW || word == SliderAnswer::DOES_NOT_APPLY =>
            {
                Ok(())
            }
            _ if value.as_u64().is_some_and(|point| point <= 100) => Ok(()),
            _ => Err(format!(
                "expected a whole number from 0 to 100, {:?} or {:?}",
                SliderAnswer::DONT_KNOW,
                SliderAnswer::DOES_NOT_APPLY
            )),
        },
        Kind::Agreement { scale } => {
            let range = scale.range();
            if value.as_u64().is_some_and(|score| {
                (u64::from(*range.start())..=u64::from(*range.end())).contains(&score)
            }) {
                Ok(())
            } else {
                Err(format!(
                    "expected a whole number from {} to {}",
                    range.start(),
                    range.end()
                ))
            }
        }
        Kind::Choice { .. } => option(value),
        Kind::Choices { .. } => {
            let Some(items) = value.as_array().filter(|items| !items.is_empty()) else {
                return Err("expected a list of one or more option ids".to_string());
            };
            for (index, item) in items.iter().enumerate() {
                option(item)?;
                if items[..index].contains(item) {
                    return Err(format!("option {item} is given twice"));
                }
            }
            Ok(())
        }
        Kind::Text => match value.as_str() {
            Some(text) if !text.trim().is_empty() && text.chars().count() <= MAX_TEXT_ANSWER => {
                Ok(())
            }
            _ => Err(format!(
                "expected a text of 1 to {MAX_TEXT_ANSWER} characters, not only spaces"
            )),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_check_accepts_exactly_what_the_schema_describes() {
        let questions = crate::testing::question_set();
        let cases = [
            (json!({"alleen-of-samen": 40}), true),
            (json!({"alleen-of-samen": "weet-niet"}), true),
            (json!({"alleen-of-samen": "weet ik niet"}), false),
            (json!({"alleen-of-samen": "40"}), false),
            (json!({"alleen-of-samen": 101}), false),
            (
                json!({"alleen-of-samen": {"version": 1, "value": 10}}),
                true,
            ),
            (
                json!({"alleen-of-samen": {"version": 2, "value": 10}}),
                false,
            ),
            (json!({"alleen-of-samen": {"version": 1}}), false),
            (json!({"gevoel": "blij"}), true),
            (json!({"gevoel": "Blij"}), false),
            (
                json!({"gevoel": {"version": 1, "value": "oude-optie"}}),
                true,
            ),
            (
                json!({"gevoel": {"version": 2, "value": "oude-optie"}}),
                false,
            ),
            (json!({"veranderd": ["contact", "rust"]}), true),
            (json!({"veranderd": ["contact", "contact"]}), false),
            (json!({"veranderd": []}), false),
            (json!({"overzicht": 5}), true),
            (json!({"overzicht": 6}), false),
            (json!({"meegeven": "fijn"}), true),
            (json!({"meegeven": "   "}), false),
            (json!({"onbekend": 1}), false),
            (json!(null), true),
        ];
        for (answers, valid) in cases {
            let problems = check(Some(&answers), &questions);
            assert_eq!(problems.is_empty(), valid, "{answers}: {problems:?}");
        }
    }

    #[test]
    fn the_schema_names_every_question_and_nothing_else() {
        let schema = schema(&crate::testing::question_set());
        assert_eq!(schema["additionalProperties"], json!(false));
        let mut names: Vec<&String> = schema["properties"].as_object().unwrap().keys().collect();
        names.sort_unstable();
        let mut expected = [
            "alleen-of-samen",
            "gevoel",
            "veranderd",
            "overzicht",
            "meegeven",
        ];
        expected.sort_unstable();
        assert_eq!(names, expected);
        assert_eq!(
            schema["properties"]["veranderd"]["anyOf"][0]["items"]["enum"],
            json!(["contact", "rust"])
        );
        // An earlier version of a question is described beside the current one.
        assert_eq!(
            schema["properties"]["gevoel"]["anyOf"]
                .as_array()
                .unwrap()
                .len(),
            3
        );
    }
}
