//! Reading numbers as Dutch people write them, and refusing to guess when a number can be read two
//! ways. A comma is the decimal sign (`42,5`); a point separates thousands (`2.710` is 2710,
//! `1.234.567`, `1.234,5`); spaces may separate thousands too (`12 000`). Files made by other systems
//! write decimals with a point (`88.5`), so a file's numbers are read together: a value with one reading
//! always counts, and a value with two readings (`2.710`: 2710 or 2.71; `12,345`: 12.345 or 12345)
//! takes the Dutch one only when no value in the file writes a decimal point. Otherwise it is an error
//! that names both readings, so a figure is never off by a factor of a thousand without a word.
//!
//! A comma never groups thousands (`1,234.5` is refused): it is the decimal sign, and reading it as
//! anything else is exactly the guess this module exists to avoid. A single form field has no file to
//! look at, so it follows the Dutch reading alone and refuses a decimal point (`2.71`).
//!
//! Pure functions on text, no IO: import, the web forms and story front matter share them.

use std::fmt;

/// What one number text can mean.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reading {
    /// The same in every way of writing: digits, perhaps grouped by spaces (`2710`, `12 000`, `-3`).
    Plain(f64),
    /// Readable only with a decimal comma and points or spaces between thousands (`42,5`, `1.234,5`,
    /// `1.234.567`).
    Comma(f64),
    /// Readable only with a decimal point (`88.5`, `0.710`, `1234.567`).
    Point(f64),
    /// A point before three digits: thousands in Dutch, a decimal point elsewhere (`2.710`).
    PointOrThousands { thousands: f64, decimal: f64 },
    /// A comma before three digits: a decimal comma in Dutch, thousands elsewhere (`12,345`).
    CommaOrThousands { decimal: f64, thousands: f64 },
}

/// Why a number text was not read.
#[derive(Debug, Clone, PartialEq)]
pub enum NumberError {
    /// Not a number at all (`veel`, `1.23.4`, `NaN`).
    NotANumber { found: String },
    /// Thousands grouped with commas, English style (`1,234.5`, `1,234,567`).
    CommaGrouping { found: String, value: f64 },
    /// A decimal point where only a decimal comma is read: a form field (`2.71`).
    PointDecimal { found: String, value: f64 },
    /// Two readings, and the file also writes decimals with a point, so neither can be chosen.
    Ambiguous {
        found: String,
        /// The reading with the point or comma as thousands separator.
        thousands: f64,
        /// The reading with the point or comma as decimal sign.
        decimal: f64,
        conflict: Conflict,
    },
}

/// The values in a file that show it writes decimals with a point (and, if mixed, with a comma).
#[derive(Debug, Clone, PartialEq)]
pub enum Conflict {
    PointFile { point: Evidence },
    MixedFile { comma: Evidence, point: Evidence },
}

/// A value whose one reading shows how a file writes numbers: its line and its text.
#[derive(Debug, Clone, PartialEq)]
pub struct Evidence {
    pub line: usize,
    pub text: String,
}

/// How one file writes numbers, decided from the values that have only one reading.
#[derive(Debug, Clone, PartialEq)]
pub enum Convention {
    /// Decimal comma, or nothing that says otherwise: two-way values take the Dutch reading.
    Comma,
    /// Decimal point somewhere in the file (perhaps a decimal comma elsewhere too): two-way values are
    /// errors.
    Conflicting(Conflict),
}

impl Convention {
    /// Decides a file's convention from all its number cells, given as (line, text).
    pub fn of<'a>(cells: impl IntoIterator<Item = (usize, &'a str)>) -> Convention {
        let mut comma = None;
        let mut point = None;
        for (line, text) in cells {
            let evidence = || Evidence {
                line,
                text: text.trim().to_string(),
            };
            match classify(text) {
                Ok(Reading::Comma(_)) if comma.is_none() => comma = Some(evidence()),
                Ok(Reading::Point(_)) if point.is_none() => point = Some(evidence()),
                _ => {}
            }
        }
        match (comma, point) {
            (_, None) => Convention::Comma,
            (None, Some(point)) => Convention::Conflicting(Conflict::PointFile { point }),
            (Some(comma), Some(point)) => {
                Convention::Conflicting(Conflict::MixedFile { comma, point })
            }
        }
    }

    /// Reads one cell of a file with this convention.
    pub fn read(&self, text: &str) -> Result<f64, NumberError> {
        let found = || text.trim().to_string();
        match (classify(text)?, self) {
            (Reading::Plain(value) | Reading::Comma(value) | Reading::Point(value), _) => Ok(value),
            (Reading::PointOrThousands { thousands, .. }, Convention::Comma) => Ok(thousands),
            (Reading::CommaOrThousands { decimal, .. }, Convention::Comma) => Ok(decimal),
            (
                Reading::PointOrThousands { thousands, decimal }
                | Reading::CommaOrThousands { decimal, thousands },
                Convention::Conflicting(conflict),
            ) => Err(NumberError::Ambiguous {
                found: found(),
                thousands,
                decimal,
                conflict: conflict.clone(),
            }),
        }
    }
}

/// Reads a number typed into one form field: the Dutch way only. `2.710` is 2710, `42,5` is 42.5,
/// `12,345` is 12.345; a decimal point (`2.71`) is refused with the two ways to write what was meant.
pub fn read_form_number(text: &str) -> Result<f64, NumberError> {
    match classify(text)? {
        Reading::Plain(value) | Reading::Comma(value) => Ok(value),
        Reading::PointOrThousands { thousands, .. } => Ok(thousands),
        Reading::CommaOrThousands { decimal, .. } => Ok(decimal),
        Reading::Point(value) => Err(NumberError::PointDecimal {
            found: text.trim().to_string(),
            value,
        }),
    }
}

/// Every reading a number text has, or why it has none.
pub fn classify(text: &str) -> Result<Reading, NumberError> {
    let found = text.trim();
    let not_a_number = || NumberError::NotANumber {
        found: found.to_string(),
    };
    let (negative, body) = match found.chars().next() {
        Some('-' | '\u{2212}') => (
            true,
            &found[found.chars().next().map_or(0, char::len_utf8)..],
        ),
        Some('+') => (false, &found[1..]),
        _ => (false, found),
    };
    // Every kind of space people or spreadsheets put between thousands counts as one plain space.
    let body: String = body
        .chars()
        .map(|c| {
            if matches!(c, '\u{a0}' | '\u{202f}') {
                ' '
            } else {
                c
            }
        })
        .collect();
    let signed = |digits: String| -> Option<f64> {
        let value: f64 = digits.parse().ok()?;
        let value = if negative { -value } else { value };
        value.is_finite().then_some(value)
    };
    let comma = dutch_digits(&body).and_then(signed);
    let point = point_digits(&body).and_then(signed);
    let comma_grouped = comma_grouped_digits(&body).and_then(signed);
    match (comma, point, comma_grouped) {
        (Some(comma), Some(point), _) if comma == point => Ok(Reading::Plain(comma)),
        (Some(thousands), Some(decimal), _) => Ok(Reading::PointOrThousands { thousands, decimal }),
        (Some(decimal), None, Some(thousands)) => {
            Ok(Reading::CommaOrThousands { decimal, thousands })
        }
        (Some(value), None, None) => Ok(Reading::Comma(value)),
        (None, Some(value), _) => Ok(Reading::Point(value)),
        (None, None, Some(value)) => Err(NumberError::CommaGrouping {
            found: found.to_string(),
            value,
        }),
        (None, None, None) => Err(not_a_number()),
    }
}

fn is_digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// The digits of a whole part written plainly or with `separator` between thousands (`2710`, `2.710`,
/// `1.234.567`); a group of thousands never starts at zero (`0.710` is not 710).
fn whole_digits(text: &str, separator: char) -> Option<String> {
    if is_digits(text) {
        return Some(text.to_string());
    }
    let mut groups = text.split(separator);
    let first = groups.next()?;
    let rest: Vec<&str> = groups.collect();
    let grouped = !rest.is_empty()
        && is_digits(first)
        && first.len() <= 3
        && !first.starts_with('0')
        && rest
            .iter()
            .all(|group| group.len() == 3 && is_digits(group));
    grouped.then(|| std::iter::once(first).chain(rest).collect())
}

/// `whole` and `fraction` as digits with a point, the way Rust parses them.
fn joined(whole: String, fraction: Option<&str>) -> Option<String> {
    match fraction {
        None => Some(whole),
        Some(fraction) if is_digits(fraction) => Some(format!("{whole}.{fraction}")),
        Some(_) => None,
    }
}

/// The Dutch reading: a decimal comma, points or spaces between thousands.
fn dutch_digits(text: &str) -> Option<String> {
    let (whole, fraction) = split_once_only(text, ',')?;
    let whole = whole_digits(whole, '.').or_else(|| whole_digits(whole, ' '))?;
    joined(whole, fraction)
}

/// The decimal-point reading: a decimal point, spaces between thousands.
fn point_digits(text: &str) -> Option<String> {
    let (whole, fraction) = split_once_only(text, '.')?;
    joined(whole_digits(whole, ' ')?, fraction)
}

/// The English reading with commas between thousands (`1,234.5`), which is recognised only to say
/// what is wrong or that `12,345` could mean twelve thousand.
fn comma_grouped_digits(text: &str) -> Option<String> {
    let (whole, fraction) = split_once_only(text, '.')?;
    if !whole.contains(',') {
        return None;
    }
    joined(whole_digits(whole, ',')?, fraction)
}

/// Splits at `separator` when it occurs at most once; `None` when it occurs twice or more.
fn split_once_only(text: &str, separator: char) -> Option<(&str, Option<&str>)> {
    match text.split_once(separator) {
        None => Some((text, None)),
        Some((_, after)) if after.contains(separator) => None,
        Some((before, after)) => Some((before, Some(after))),
    }
}

/// `value` written so it has one reading: with `sign` as decimal sign, no thousands separator, and
/// never exactly three decimals (`2.710` → `2.71`, `1.234` → `1.2340`).
pub fn unambiguous(value: f64, sign: char) -> String {
    let mut text = value.to_string();
    if let Some((_, fraction)) = text.split_once('.')
        && fraction.len() == 3
    {
        text = text.trim_end_matches('0').to_string();
        if text.split_once('.').is_some_and(|(_, f)| f.len() == 3) {
            text.push('0');
        }
    }
    text.replace('.', &sign.to_string())
}

/// `value` as it can be written without doubt: `1234,5 or 1234.5`, or just `1234567` when whole.
fn both_ways(value: f64) -> String {
    let comma = unambiguous(value, ',');
    let point = unambiguous(value, '.');
    if comma == point {
        comma
    } else {
        format!("{comma} or {point}")
    }
}

impl fmt::Display for Evidence {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {:?}", self.line, self.text)
    }
}

impl fmt::Display for Conflict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Conflict::PointFile { point } => {
                write!(f, "this file writes decimals with a point ({point})")
            }
            Conflict::MixedFile { comma, point } => write!(
                f,
                "this file writes decimals both with a comma ({comma}) and with a point ({point})"
            ),
        }
    }
}

impl fmt::Display for NumberError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NumberError::NotANumber { found } => write!(
                f,
                "expected a number such as 42, 42,5 or 2.710 (two thousand seven hundred and ten), found {found:?}"
            ),
            NumberError::CommaGrouping { found, value } => write!(
                f,
                "found {found:?}, which groups thousands with a comma; a comma is read as the decimal sign, so expected {} without a thousands separator",
                both_ways(*value),
            ),
            NumberError::PointDecimal { found, value } => write!(
                f,
                "found {found:?}: a point only separates thousands (2.710 is 2710); expected a decimal comma such as {} or, if thousands were meant, {}",
                unambiguous(*value, ','),
                found.replace(['.', ' ', '\u{a0}', '\u{202f}'], ""),
            ),
            NumberError::Ambiguous {
                found,
                thousands,
                decimal,
                conflict,
            } => write!(
                f,
                "found {found:?}, which could be {} or {} because {conflict}; expected {} or {} to say which",
                thousands,
                decimal,
                unambiguous(*thousands, '.'),
                unambiguous(*decimal, '.'),
            ),
        }
    }
}

impl std::error::Error for NumberError {}

#[cfg(test)]
mod tests {
    use super::*;

    /// What a text gives in a file that writes decimal commas (or nothing that says otherwise), in a
    /// file that writes decimal points, and in a form field. `Err` holds a word of the expected message.
    type Want = Result<f64, &'static str>;

    fn check(text: &str, comma_file: Want, point_file: Want, form: Want) {
        let point = Convention::Conflicting(Conflict::PointFile {
            point: Evidence {
                line: 3,
                text: "88.5".to_string(),
            },
        });
        let got = [
            ("comma file", Convention::Comma.read(text), comma_file),
            ("point file", point.read(text), point_file),
            ("form", read_form_number(text), form),
        ];
        for (place, got, want) in got {
            match (got, want) {
                (Ok(got), Ok(want)) => assert_eq!(got, want, "{text:?} in a {place}"),
                (Err(error), Err(word)) => {
                    let message = error.to_string();
                    assert!(
                        message.contains(word),
                        "{text:?} in a {place}: {message:?} lacks {word:?}"
                    );
                    assert!(message.contains(&format!("{:?}", text.trim())), "{message}");
                }
                (got, want) => panic!("{text:?} in a {place}: got {got:?}, want {want:?}"),
            }
        }
    }

    #[test]
    fn every_way_of_writing_a_number() {
        #[rustfmt::skip]
        let cases: &[(&str, Want, Want, Want)] = &[
            // Whole numbers read the same everywhere.
            ("2710", Ok(2710.0), Ok(2710.0), Ok(2710.0)),
            ("0", Ok(0.0), Ok(0.0), Ok(0.0)),
            ("-3", Ok(-3.0), Ok(-3.0), Ok(-3.0)),
            ("+7", Ok(7.0), Ok(7.0), Ok(7.0)),
            ("\u{2212}12", Ok(-12.0), Ok(-12.0), Ok(-12.0)),
            ("12 000", Ok(12000.0), Ok(12000.0), Ok(12000.0)),
            ("12\u{a0}000", Ok(12000.0), Ok(12000.0), Ok(12000.0)),
            (" 42 ", Ok(42.0), Ok(42.0), Ok(42.0)),
            // A decimal comma: one reading, accepted everywhere.
            ("42,5", Ok(42.5), Ok(42.5), Ok(42.5)),
            ("0,125", Ok(0.125), Ok(0.125), Ok(0.125)),
            ("1.234,5", Ok(1234.5), Ok(1234.5), Ok(1234.5)),
            ("1.234.567", Ok(1234567.0), Ok(1234567.0), Ok(1234567.0)),
            ("1.234.567,89", Ok(1234567.89), Ok(1234567.89), Ok(1234567.89)),
            ("12 000,5", Ok(12000.5), Ok(12000.5), Ok(12000.5)),
            ("-1.234,5", Ok(-1234.5), Ok(-1234.5), Ok(-1234.5)),
            ("1234,5678", Ok(1234.5678), Ok(1234.5678), Ok(1234.5678)),
            // A decimal point that cannot be thousands: read in files, refused on a form.
            ("88.5", Ok(88.5), Ok(88.5), Err("decimal comma such as 88,5")),
            ("2.71", Ok(2.71), Ok(2.71), Err("2,71 or, if thousands were meant, 271")),
            ("0.710", Ok(0.71), Ok(0.71), Err("0,71")),
            ("1234.567", Ok(1234.567), Ok(1234.567), Err("1234,567")),
            ("1 234.5", Ok(1234.5), Ok(1234.5), Err("1234,5")),
            // A point before three digits: Dutch thousands, unless the file writes decimal points.
            ("2.710", Ok(2710.0), Err("could be 2710 or 2.71 because this file writes decimals with a point (line 3: \"88.5\"); expected 2710 or 2.71"), Ok(2710.0)),
            ("1.234", Ok(1234.0), Err("expected 1234 or 1.2340"), Ok(1234.0)),
            ("-2.710", Ok(-2710.0), Err("could be -2710 or -2.71"), Ok(-2710.0)),
            // A comma before three digits: a Dutch decimal, unless the file writes decimal points.
            ("12,345", Ok(12.345), Err("could be 12345 or 12.345 because this file writes decimals with a point (line 3: \"88.5\"); expected 12345 or 12.3450 to say which"), Ok(12.345)),
            ("1,500", Ok(1.5), Err("could be 1500 or 1.5"), Ok(1.5)),
            // Thousands grouped with commas are never read.
            ("1,234.5", Err("groups thousands with a comma"), Err("expected 1234,5 or 1234.5"), Err("groups thousands with a comma")),
            ("1,234,567", Err("groups thousands with a comma"), Err("so expected 1234567 without"), Err("groups thousands")),
            // Not numbers at all.
            ("veel", Err("expected a number such as 42"), Err("found \"veel\""), Err("expected a number")),
            ("1.23.4", Err("expected a number"), Err("expected a number"), Err("expected a number")),
            ("1,2,3", Err("expected a number"), Err("expected a number"), Err("expected a number")),
            ("0.710.000", Err("expected a number"), Err("expected a number"), Err("expected a number")),
            ("1.2345,6", Err("expected a number"), Err("expected a number"), Err("expected a number")),
            ("12 00", Err("expected a number"), Err("expected a number"), Err("expected a number")),
            ("5,", Err("expected a number"), Err("expected a number"), Err("expected a number")),
            (",5", Err("expected a number"), Err("expected a number"), Err("expected a number")),
            ("NaN", Err("expected a number"), Err("expected a number"), Err("expected a number")),
            ("inf", Err("expected a number"), Err("expected a number"), Err("expected a number")),
            ("1e5", Err("expected a number"), Err("expected a number"), Err("expected a number")),
            ("42,5%", Err("expected a number"), Err("expected a number"), Err("expected a number")),
            ("--3", Err("expected a number"), Err("expected a number"), Err("expected a number")),
            ("", Err("expected a number"), Err("expected a number"), Err("expected a number")),
        ];
        assert!(cases.len() >= 30);
        for (text, comma_file, point_file, form) in cases {
            check(text, *comma_file, *point_file, *form);
        }
    }

    #[test]
    fn a_file_decides_by_its_values_with_one_reading() {
        let cells = |texts: &[&'static str]| -> Vec<(usize, &'static str)> {
            texts
                .iter()
                .enumerate()
                .map(|(index, text)| (index + 2, *text))
                .collect()
        };
        // Nothing decides: the Dutch reading.
        assert_eq!(
            Convention::of(cells(&["2.710", "112", "12,345"])),
            Convention::Comma
        );
        // Decimal commas decide for the Dutch reading.
        assert_eq!(Convention::of(cells(&["2.710", "42,5"])), Convention::Comma);
        assert_eq!(
            Convention::of(cells(&["1.234.567", "2.710"])),
            Convention::Comma
        );
        // One decimal point makes two-way values errors, and the error says where it is.
        let point = Convention::of(cells(&["2.710", "112", "88.5", "0.5"]));
        assert_eq!(
            point,
            Convention::Conflicting(Conflict::PointFile {
                point: Evidence {
                    line: 4,
                    text: "88.5".to_string()
                }
            })
        );
        assert_eq!(point.read("88.5"), Ok(88.5));
        assert!(point.read("2.710").is_err());
        // Both signs: values with one reading still count, two-way values are errors naming both.
        let mixed = Convention::of(cells(&["42,5", "88.5", "2.710"]));
        assert_eq!(mixed.read("42,5"), Ok(42.5));
        assert_eq!(mixed.read("88.5"), Ok(88.5));
        let message = mixed.read("2.710").unwrap_err().to_string();
        assert!(
            message.contains(
                "this file writes decimals both with a comma (line 2: \"42,5\") and with a point (line 3: \"88.5\")"
            ),
            "{message}"
        );
    }
}
