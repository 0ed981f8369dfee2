//! Interface text in Dutch (the default) and English, from the message files in `locales/`.
//!
//! No user-facing text is written in a template: templates ask [`Texts::get`] for a key. The message
//! files are compiled into the binary and flattened from nested TOML tables into dotted keys. A test
//! checks that both languages have the same keys and that every key a template uses exists.
//!
//! The language of a request comes from the `taal` cookie (set by the language switch), else the
//! browser's `Accept-Language`, else Dutch.

use std::collections::HashMap;
use std::sync::OnceLock;

use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use jiff::civil::Date;

const DUTCH: &str = include_str!("../../locales/nl.toml");
const ENGLISH: &str = include_str!("../../locales/en.toml");

/// The name of the cookie that remembers the chosen language.
pub const LANGUAGE_COOKIE: &str = "taal";

/// The texts of one language.
pub struct Texts {
    /// `nl` or `en`, also the page's `lang` attribute.
    pub lang: &'static str,
    messages: HashMap<String, String>,
}

fn flatten(prefix: &str, table: &toml::Table, out: &mut HashMap<String, String>) {
    for (key, value) in table {
        let key = if prefix.is_empty() {
            key.clone()
        } else {
            format!("{prefix}.{key}")
        };
        match value {
            toml::Value::Table(inner) => flatten(&key, inner, out),
            toml::Value::String(text) => {
                out.insert(key, text.clone());
            }
            other => panic!("message {key} must be text, found {other}"),
        }
    }
}

fn load(lang: &'static str, source: &str) -> Texts {
    let table: toml::Table =
        toml::from_str(source).unwrap_or_else(|error| panic!("locales/{lang}.toml: {error}"));
    let mut messages = HashMap::new();
    flatten("", &table, &mut messages);
    Texts { lang, messages }
}

pub fn dutch() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    TEXTS.get_or_init(|| load("nl", DUTCH))
}

pub fn english() -> &'static Texts {
    static TEXTS: OnceLock<Texts> = OnceLock::new();
    TEXTS.get_or_init(|| load("en", ENGLISH))
}

pub fn texts_for(lang: &str) -> &'static Texts {
    if lang == "en" { english() } else { dutch() }
}

const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl Texts {
    /// The text for a key; the key itself when it is missing (a test keeps that from happening).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.messages.get(key).map_or(key, String::as_str)
    }

    /// The text for `group.code`, such as `valence.negative`.
    pub fn code(&self, group: &str, code: &str) -> String {
        let key = format!("{group}.{code}");
        self.messages
            .get(&key)
            .cloned()
            .unwrap_or_else(|| code.to_string())
    }

    /// The text for a key with `{n}` replaced by a number, choosing `key.one` or `key.other`.
    pub fn count<N: Copy + TryInto<u64>>(&self, key: &str, n: &N) -> String {
        let n: u64 = (*n).try_into().unwrap_or(u64::MAX);
        let form = if n == 1 { "one" } else { "other" };
        self.code(key, form).replace("{n}", &self.number(n as f64))
    }

    /// A text with `{x}` replaced.
    pub fn with(&self, key: &str, value: &str) -> String {
        self.get(key).replace("{x}", value)
    }

    /// A number as this language writes it: `1.234,5` in Dutch, `1,234.5` in English; at most two decimals.
    pub fn number(&self, value: f64) -> String {
        let rounded = (value * 100.0).round() / 100.0;
        let negative = rounded < 0.0;
        let text = format!("{}", rounded.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let (group, decimal) = if self.lang == "en" {
            (',', '.')
        } else {
            ('.', ',')
        };
        let mut grouped = String::new();
        for (index, digit) in whole.chars().enumerate() {
            if index > 0 && (whole.len() - index) % 3 == 0 {
                grouped.push(group);
            }
            grouped.push(digit);
        }
        let sign = if negative { "-" } else { "" };
        if fraction.is_empty() {
            format!("{sign}{grouped}")
        } else {
            format!("{sign}{grouped}{decimal}{fraction}")
        }
    }

    /// A percentage, rounded the same way on every page: at most one decimal ("68,3%", "70%").
    pub fn percent(&self, value: f64) -> String {
        format!("{}%", self.number((value * 10.0).round() / 10.0))
    }

    /// A date written out: "14 maart 2025" or "14 March 2025".
    pub fn date(&self, date: &Date) -> String {
        let months = if self.lang == "en" {
            MONTHS_EN
        } else {
            MONTHS_NL
        };
        format!(
            "{} {} {}",
            date.day(),
            months[date.month() as usize - 1],
            date.year()
        )
    }

    /// A period label: "2025", "2025 K1" / "2025 Q1", "maart 2025".
    pub fn period(&self, period: &crate::evidence::Period) -> String {
        use crate::evidence::Period;
        let months = if self.lang == "en" {
            MONTHS_EN
        } else {
            MONTHS_NL
        };
        match period {
            Period::Year(year) => year.to_string(),
            Period::Quarter(year, quarter) => format!(
                "{year} {}{quarter}",
                if self.lang == "en" { "Q" } else { "K" }
            ),
            Period::Month(year, month) => format!("{} {year}", months[*month as usize - 1]),
        }
    }

    /// The other language, for the switch in the header: (code, name in that language).
    pub fn other(&self) -> (&'static str, &'static str) {
        if self.lang == "en" {
            ("nl", "Nederlands")
        } else {
            ("en", "English")
        }
    }
}

/// The language of a request, as an extractor.
pub struct Lang(pub &'static Texts);

/// Reads a cookie value from the request headers.
pub fn cookie<'a>(parts: &'a Parts, name: &str) -> Option<&'a str> {
    parts
        .headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value)
}

/// The language a request asks for: cookie first, then the browser's preference, then Dutch.
pub fn language_of(parts: &Parts) -> &'static Texts {
    if let Some(lang) = cookie(parts, LANGUAGE_COOKIE) {
        return texts_for(lang);
    }
    let accept = parts
        .headers
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("");
    // The first of nl or en the browser lists wins; anything else gets Dutch.
    for part in accept.split(',') {
        let tag = part.split(';').next().unwrap_or("").trim().to_lowercase();
        if tag.starts_with("nl") {
            return dutch();
        }
        if tag.starts_with("en") {
            return english();
        }
    }
    dutch()
}

impl<S: Send + Sync> FromRequestParts<S> for Lang {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Lang(language_of(parts)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_languages_have_the_same_keys() {
        let mut dutch: Vec<&String> = dutch().messages.keys().collect();
        let mut english: Vec<&String> = english().messages.keys().collect();
        dutch.sort();
        english.sort();
        let only_dutch: Vec<_> = dutch.iter().filter(|k| !english.contains(k)).collect();
        let only_english: Vec<_> = english.iter().filter(|k| !dutch.contains(k)).collect();
        assert!(
            only_dutch.is_empty() && only_english.is_empty(),
            "only nl: {only_dutch:?}; only en: {only_english:?}"
        );
    }

    /// Every `t.get("...")`, `t.count("...")` and `t.with("...")` in a template names a message that exists.
    #[test]
    fn every_key_used_in_templates_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut missing = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let source = std::fs::read_to_string(&path).unwrap();
            for call in ["t.get(\"", "t.with(\""] {
                for (start, _) in source.match_indices(call) {
                    let rest = &source[start + call.len()..];
                    let key = &rest[..rest.find('"').unwrap()];
                    if !dutch().messages.contains_key(key) {
                        missing.push(format!("{}: {key}", path.display()));
                    }
                }
            }
            for (start, _) in source.match_indices("t.count(\"") {
                let rest = &source[start + 9..];
                let key = &rest[..rest.find('"').unwrap()];
                if !dutch().messages.contains_key(&format!("{key}.one")) {
                    missing.push(format!("{}: {key}.one", path.display()));
                }
            }
        }
        assert!(missing.is_empty(), "{missing:#?}");
    }

    #[test]
    fn numbers_dates_and_counts() {
        assert_eq!(dutch().number(1234.5), "1.234,5");
        assert_eq!(english().number(1234.5), "1,234.5");
        assert_eq!(dutch().number(-0.333), "-0,33");
        assert_eq!(dutch().number(80000.0), "80.000");
        assert_eq!(
            dutch().date(&jiff::civil::date(2025, 3, 14)),
            "14 maart 2025"
        );
        assert_eq!(dutch().count("stories", &1u32), "1 verhaal");
        assert_eq!(dutch().count("stories", &1200u32), "1.200 verhalen");
    }
}
