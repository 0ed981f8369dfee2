//! Positions in the text files people write: turning byte offsets and parser errors into a line number
//! and, where it can be told, the field on that line.
//!
//! Every file format Verhalenbank reads (story front matter, goals.toml, municipality.toml, CSV) reports
//! problems as a [`LineError`], so a user always hears which line and which field to fix.

use std::fmt;

/// A problem found at one line of a text file, optionally in one named field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineError {
    /// 1-based line number in the file.
    pub line: usize,
    /// The field (front matter key, TOML key, CSV column) the problem is in, when known.
    pub field: Option<String>,
    /// What was wrong and what was expected, lowercase without a trailing period.
    pub message: String,
}

impl LineError {
    pub fn new(line: usize, field: Option<&str>, message: impl Into<String>) -> Self {
        LineError {
            line,
            field: field.map(str::to_string),
            message: message.into(),
        }
    }
}

impl fmt::Display for LineError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.field {
            Some(field) => write!(f, "{}: field {}: {}", self.line, field, self.message),
            None => write!(f, "{}: {}", self.line, self.message),
        }
    }
}

impl std::error::Error for LineError {}

/// The 1-based line that holds byte `offset` of `text`.
pub fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// A TOML parser error of a list file made of `[[header]]` tables, as the file's author needs it:
/// the line, which of the tables it is in (1-based, when it is in one), and either the unknown key
/// or the parser's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TomlProblem {
    pub line: usize,
    pub table: Option<usize>,
    pub unknown_key: Option<String>,
    pub message: String,
}

impl TomlProblem {
    /// A list file's problem as the import words it: the table it is in (`group 2: `), the value
    /// when one is at fault, then what was expected.
    pub fn line_error(
        line: usize,
        table: Option<(&str, usize)>,
        field: Option<&str>,
        value: Option<&str>,
        expected: &str,
    ) -> LineError {
        let mut message = String::new();
        if let Some((name, number)) = table {
            message += &format!("{name} {number}: ");
        }
        if let Some(value) = value {
            message += &format!("{value:?}: ");
        }
        message += expected;
        LineError::new(line, field, message)
    }

    /// `error`, found in `text`, whose tables start with the line `header` (e.g. `[[groep]]`).
    pub fn of(text: &str, error: &toml::de::Error, header: &str) -> TomlProblem {
        let message = error.message().trim().to_string();
        let line = error.span().map_or(1, |span| line_at(text, span.start));
        let table = error
            .span()
            .map(|span| {
                text[..span.start.min(text.len())]
                    .lines()
                    .filter(|line| line.trim() == header)
                    .count()
            })
            .filter(|count| *count > 0);
        let unknown_key = message
            .strip_prefix("unknown field `")
            .and_then(|rest| rest.split_once('`'))
            .map(|(key, _)| key.to_string());
        TomlProblem {
            line,
            table,
            unknown_key,
            message,
        }
    }
}

/// The key a `key = value` (TOML) or `key: value` (YAML) line sets, if it is such a line.
pub fn key_of_line(line: &str) -> Option<&str> {
    let line = line.trim_start().trim_start_matches("- ");
    let end = line.find(['=', ':'])?;
    let key = line[..end].trim().trim_matches('"');
    let valid = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_alphanumeric() || c == '_' || c == '-' || c == '.');
    valid.then_some(key)
}

/// The 1-based line (counted from `first_line`) where `key` is first set in a TOML or YAML text, or
/// where a TOML table `[key]` starts.
pub fn line_of_key(text: &str, key: &str, first_line: usize) -> Option<usize> {
    text.lines()
        .position(|line| {
            key_of_line(line) == Some(key)
                || line
                    .trim()
                    .strip_prefix('[')
                    .and_then(|rest| rest.strip_suffix(']'))
                    == Some(key)
        })
        .map(|index| first_line + index)
}

/// The 1-based lines of every `field = "value"` (TOML) or `field: value` (YAML) assignment.
pub fn assignment_lines<'a>(
    text: &'a str,
    field: &'a str,
    value: &'a str,
) -> impl Iterator<Item = usize> + 'a {
    let quoted = format!("\"{value}\"");
    text.lines().enumerate().filter_map(move |(index, line)| {
        let assigns = key_of_line(line) == Some(field)
            && (line.contains(&quoted) || line.trim_end().ends_with(value));
        assigns.then_some(index + 1)
    })
}

/// The 1-based line of the first `field = "value"` assignment; when there is none, the line where
/// `value` first appears, or line 1.
pub fn line_of_assignment(text: &str, field: &str, value: &str) -> usize {
    assignment_lines(text, field, value)
        .next()
        .unwrap_or_else(|| line_at(text, text.find(value).unwrap_or(0)))
}

/// The error for an id of `kind` (area, goal, ...) that is used twice, at the line of its second use.
pub fn duplicate_id(text: &str, kind: &str, id: &str) -> LineError {
    let line = assignment_lines(text, "id", id)
        .nth(1)
        .unwrap_or_else(|| line_of_assignment(text, "id", id));
    LineError::new(line, Some("id"), format!("{kind} id {id} is used twice"))
}

/// Turns a TOML parser error into a [`LineError`]; `first_line` is the file line the TOML text starts on.
pub fn toml_error(text: &str, error: &toml::de::Error, first_line: usize) -> LineError {
    let message = error.message().trim().to_string();
    match error.span() {
        Some(span) => {
            let line_in_text = line_at(text, span.start);
            let field = text
                .lines()
                .nth(line_in_text - 1)
                .and_then(key_of_line)
                .map(str::to_string);
            LineError {
                line: first_line + line_in_text - 1,
                field,
                message,
            }
        }
        None => LineError::new(first_line, None, message),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_keys() {
        let text = "a = 1\nb = \"x\"\n\nsubgoals: [x]\n";
        assert_eq!(line_at(text, 0), 1);
        assert_eq!(line_at(text, 6), 2);
        assert_eq!(line_at(text, 1000), 5);
        assert_eq!(key_of_line("title = \"x\""), Some("title"));
        assert_eq!(key_of_line("  date: 2025-01-01"), Some("date"));
        assert_eq!(key_of_line("[scores]"), None);
        assert_eq!(key_of_line("Gewoon een zin, geen sleutel"), None);
        assert_eq!(line_of_key(text, "subgoals", 2), Some(5));
        assert_eq!(line_of_key(text, "missing", 2), None);
    }

    #[test]
    fn toml_errors_carry_line_and_field() {
        let text = "title = \"ok\"\ndate = 2024-13-45\n";
        let error = toml::from_str::<toml::Table>(text).unwrap_err();
        let line_error = toml_error(text, &error, 2);
        assert_eq!(line_error.line, 3);
        assert_eq!(line_error.field.as_deref(), Some("date"));
    }
}
