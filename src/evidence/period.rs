//! Periods of figures: a year (`2025`), a quarter (`2025-Q1`) or a month (`2025-03`).
//!
//! Periods order by their start and, for the same start, longer first; they know their first and last
//! day, so "is this figure stale" and "which figures fall in this year" are simple date questions.

use std::fmt;
use std::str::FromStr;

use jiff::civil::{Date, date};
use serde::{Deserialize, Serialize};

use crate::goals::Frequency;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Period {
    Year(i16),
    Quarter(i16, u8),
    Month(i16, u8),
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a period as 2025, 2025-Q1 or 2025-03, found {0:?}")]
pub struct PeriodError(String);

impl Period {
    pub fn year(self) -> i16 {
        match self {
            Period::Year(year) | Period::Quarter(year, _) | Period::Month(year, _) => year,
        }
    }

    pub fn frequency(self) -> Frequency {
        match self {
            Period::Year(_) => Frequency::Year,
            Period::Quarter(..) => Frequency::Quarter,
            Period::Month(..) => Frequency::Month,
        }
    }

    pub fn first_day(self) -> Date {
        match self {
            Period::Year(year) => date(year, 1, 1),
            Period::Quarter(year, quarter) => date(year, (quarter as i8 - 1) * 3 + 1, 1),
            Period::Month(year, month) => date(year, month as i8, 1),
        }
    }

    pub fn last_day(self) -> Date {
        let last_month = match self {
            Period::Year(year) => return date(year, 12, 31),
            Period::Quarter(year, quarter) => date(year, quarter as i8 * 3, 1),
            Period::Month(year, month) => date(year, month as i8, 1),
        };
        last_month.last_of_month()
    }

    /// Whether a day falls in this period.
    pub fn contains(self, day: Date) -> bool {
        self.first_day() <= day && day <= self.last_day()
    }

    /// The quarter a day falls in.
    pub fn quarter_of(day: Date) -> Period {
        Period::Quarter(day.year(), ((day.month() - 1) / 3 + 1) as u8)
    }

    /// The period of the same length just before this one.
    pub fn previous(self) -> Period {
        match self {
            Period::Year(year) => Period::Year(year - 1),
            Period::Quarter(year, 1) => Period::Quarter(year - 1, 4),
            Period::Quarter(year, quarter) => Period::Quarter(year, quarter - 1),
            Period::Month(year, 1) => Period::Month(year - 1, 12),
            Period::Month(year, month) => Period::Month(year, month - 1),
        }
    }

    /// A short Dutch label: "2025", "2025 K1", "mrt 2025".
    pub fn dutch_label(self) -> String {
        const MONTHS: [&str; 12] = [
            "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
        ];
        match self {
            Period::Year(year) => year.to_string(),
            Period::Quarter(year, quarter) => format!("{year} K{quarter}"),
            Period::Month(year, month) => format!("{} {year}", MONTHS[month as usize - 1]),
        }
    }
}

impl Ord for Period {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.first_day()
            .cmp(&other.first_day())
            .then_with(|| other.last_day().cmp(&self.last_day()))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Year(year) => write!(f, "{year}"),
            Period::Quarter(year, quarter) => write!(f, "{year}-Q{quarter}"),
            Period::Month(year, month) => write!(f, "{year}-{month:02}"),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || PeriodError(text.to_string());
        let trimmed = text.trim();
        let parse_year = |part: &str| -> Result<i16, PeriodError> {
            if part.len() != 4 {
                return Err(error());
            }
            part.parse::<i16>()
                .ok()
                .filter(|year| (1900..=2999).contains(year))
                .ok_or_else(error)
        };
        match trimmed.split_once('-') {
            None => Ok(Period::Year(parse_year(trimmed)?)),
            Some((year, rest)) => {
                let year = parse_year(year)?;
                if let Some(quarter) = rest.strip_prefix(['Q', 'q', 'K', 'k']) {
                    let quarter: u8 = quarter.parse().map_err(|_| error())?;
                    if (1..=4).contains(&quarter) {
                        return Ok(Period::Quarter(year, quarter));
                    }
                    return Err(error());
                }
                let month: u8 = rest.parse().map_err(|_| error())?;
                if (1..=12).contains(&month) && rest.len() == 2 {
                    Ok(Period::Month(year, month))
                } else {
                    Err(error())
                }
            }
        }
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

// A period is written as text (see `Display`), so its schema is a string of those three shapes.
impl utoipa::PartialSchema for Period {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        utoipa::openapi::schema::ObjectBuilder::new()
            .schema_type(utoipa::openapi::schema::Type::String)
            .pattern(Some(r"^(19[0-9]{2}|2[0-9]{3})(-Q[1-4]|-(0[1-9]|1[0-2]))?$"))
            .examples(["2025-Q1"])
            .description(Some("A year (2025), quarter (2025-Q1) or month (2025-03)"))
            .into()
    }
}

impl utoipa::ToSchema for Period {}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        let cases = [
            ("2025", Some(Period::Year(2025))),
            ("2025-Q1", Some(Period::Quarter(2025, 1))),
            ("2025-k4", Some(Period::Quarter(2025, 4))),
            ("2025-03", Some(Period::Month(2025, 3))),
            ("2025-Q5", None),
            ("2025-13", None),
            ("2025-3", None),
            ("25", None),
            ("", None),
            ("twintig", None),
        ];
        for (text, want) in cases {
            assert_eq!(text.parse::<Period>().ok(), want, "{text}");
        }
        assert_eq!(Period::Quarter(2025, 1).to_string(), "2025-Q1");
        assert_eq!(Period::Month(2025, 3).to_string(), "2025-03");
    }

    #[test]
    fn days_order_and_neighbours() {
        let q4 = Period::Quarter(2024, 4);
        assert_eq!(q4.first_day(), date(2024, 10, 1));
        assert_eq!(q4.last_day(), date(2024, 12, 31));
        assert_eq!(Period::Month(2024, 2).last_day(), date(2024, 2, 29));
        assert_eq!(Period::Quarter(2025, 1).previous(), q4);
        assert!(Period::Year(2024) < Period::Quarter(2024, 1));
        assert!(Period::Quarter(2024, 1) < Period::Month(2024, 2));
        assert_eq!(
            Period::quarter_of(date(2025, 8, 9)),
            Period::Quarter(2025, 3)
        );
        assert_eq!(Period::Quarter(2025, 2).dutch_label(), "2025 K2");
    }
}
