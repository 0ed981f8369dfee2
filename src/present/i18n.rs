//! Interface text in six languages, from the message files in `locales/`.
//!
//! No user-facing text is written in a template: templates ask [`Texts::get`] for a key. The message
//! files are compiled into the binary and flattened from nested TOML tables into dotted keys.
//!
//! Every page exists in Dutch (the default) and English. The pages a resident uses — telling a story
//! (`/vertel`) and its receipt, looking it up, changing consent and withdrawing it (`/mijn-verhaal`), and
//! the phone pages of sessions (`/s/CODE`) and rounds (`/r/CODE`) — exist in Turkish, Arabic, Polish and
//! Ukrainian too ([`RESIDENT_LANGUAGES`]): those locale files hold the resident keys only
//! ([`is_resident_key`]). Tests check that every key exists in Dutch and English, that every resident
//! key exists in all six languages, and that every key a template uses exists.
//!
//! Which language a request asks for (`?taal=xx`, the `taal` cookie, `Accept-Language`) is the web's
//! business: `web::i18n` reads it, gives handlers `Lang` (Dutch or English) or `ResidentLang` (any of
//! the six), and re-exports this module. The command line's report takes [`dutch`] or [`english`].

use std::collections::HashMap;
use std::sync::OnceLock;

use jiff::civil::Date;

/// The name of the cookie that remembers the chosen language, and of the query parameter that chooses it.
pub const LANGUAGE_COOKIE: &str = "taal";

/// The languages of the resident pages, in the order the language switch shows them.
pub const RESIDENT_LANGUAGES: [&str; 6] = ["nl", "en", "tr", "ar", "pl", "uk"];
/// The languages of every other page.
pub const STAFF_LANGUAGES: [&str; 2] = ["nl", "en"];

/// (code, locale file, name in the language itself, right to left).
const LOCALES: [(&str, &str, &str, bool); 6] = [
    (
        "nl",
        include_str!("../../locales/nl.toml"),
        "Nederlands",
        false,
    ),
    (
        "en",
        include_str!("../../locales/en.toml"),
        "English",
        false,
    ),
    ("tr", include_str!("../../locales/tr.toml"), "Türkçe", false),
    ("ar", include_str!("../../locales/ar.toml"), "العربية", true),
    ("pl", include_str!("../../locales/pl.toml"), "Polski", false),
    (
        "uk",
        include_str!("../../locales/uk.toml"),
        "Українська",
        false,
    ),
];

/// The keys the resident pages use, as prefixes of dotted keys (a prefix ending in `.` is a whole
/// group). Their texts exist in all six languages; a test checks that every key a resident template
/// asks for is one of these.
const RESIDENT_KEYS: &[&str] = &[
    "app.",
    "a11y.",
    "nav.",
    "footer.",
    "language.",
    "meta.default",
    "meta.tell",
    "meta.lookup",
    "login.link",
    "login.logout",
    "password.link",
    "tell.",
    "lookup.",
    "hearing.",
    "participate.",
    "form.optional",
    "form.errors_title",
    "form.error_text_short",
    "form.error_text_long",
    "form.error_valence",
    "form.error_consent",
    "form.error_choice",
    "form.error_spam",
    "valence.",
    "teller.",
    "status_explained.",
    "consent_explained.",
    "actions.status.",
    "actions.outcome",
    "actions.overdue",
    "actions.owner",
    "actions.due",
    "actions.for_indicator",
    "rounds.public_",
    "rounds.why",
    "paper.",
    "media.",
];

/// Whether a key is one of the resident pages' texts, which exist in all six languages.
pub fn is_resident_key(key: &str) -> bool {
    RESIDENT_KEYS.iter().any(|prefix| {
        if prefix.ends_with('.') || prefix.ends_with('_') {
            key.starts_with(prefix)
        } else {
            key == *prefix
        }
    })
}

/// The texts of one language.
pub struct Texts {
    /// `nl`, `en`, `tr`, `ar`, `pl` or `uk`, also the page's `lang` attribute.
    pub lang: &'static str,
    /// The language's name in itself, for the language switch.
    pub name: &'static str,
    rtl: bool,
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

/// Reads a locale file. Its `[about]` table (who wrote and who checked the texts) is not interface text.
fn load(lang: &'static str, name: &'static str, rtl: bool, source: &str) -> Texts {
    let mut table: toml::Table =
        toml::from_str(source).unwrap_or_else(|error| panic!("locales/{lang}.toml: {error}"));
    table.remove("about");
    let mut messages = HashMap::new();
    flatten("", &table, &mut messages);
    Texts {
        lang,
        name,
        rtl,
        messages,
    }
}

fn all() -> &'static [Texts] {
    static TEXTS: OnceLock<Vec<Texts>> = OnceLock::new();
    TEXTS.get_or_init(|| {
        LOCALES
            .iter()
            .map(|(lang, source, name, rtl)| load(lang, name, *rtl, source))
            .collect()
    })
}

/// The texts of a language code, if it is one of the six.
pub fn find(lang: &str) -> Option<&'static Texts> {
    all().iter().find(|texts| texts.lang == lang)
}

pub fn dutch() -> &'static Texts {
    &all()[0]
}

pub fn english() -> &'static Texts {
    &all()[1]
}

/// The texts of a language; Dutch for a code that is not one of the six.
pub fn texts_for(lang: &str) -> &'static Texts {
    find(lang).unwrap_or_else(dutch)
}

/// Month names as a date is written in each language ("14 maart", "14 marca": the genitive where the
/// language uses it).
fn months(lang: &str) -> [&'static str; 12] {
    match lang {
        "en" => [
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
        ],
        "tr" => [
            "Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül",
            "Ekim", "Kasım", "Aralık",
        ],
        "ar" => [
            "يناير",
            "فبراير",
            "مارس",
            "أبريل",
            "مايو",
            "يونيو",
            "يوليو",
            "أغسطس",
            "سبتمبر",
            "أكتوبر",
            "نوفمبر",
            "ديسمبر",
        ],
        "pl" => [
            "stycznia",
            "lutego",
            "marca",
            "kwietnia",
            "maja",
            "czerwca",
            "lipca",
            "sierpnia",
            "września",
            "października",
            "listopada",
            "grudnia",
        ],
        "uk" => [
            "січня",
            "лютого",
            "березня",
            "квітня",
            "травня",
            "червня",
            "липня",
            "серпня",
            "вересня",
            "жовтня",
            "листопада",
            "грудня",
        ],
        _ => [
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
        ],
    }
}

/// The plural form of a count (CLDR's rules for whole numbers): `one` or `other`, and `few` or `many`
/// in Polish and Ukrainian, `zero`, `two`, `few` and `many` in Arabic. A message without `few` or `many` uses `other`.
fn plural_form(lang: &str, n: u64) -> &'static str {
    let (ten, hundred) = (n % 10, n % 100);
    match lang {
        "pl" if n == 1 => "one",
        "pl" | "uk" if (2..=4).contains(&ten) && !(12..=14).contains(&hundred) => "few",
        "pl" => "many",
        "uk" if ten == 1 && hundred != 11 => "one",
        "uk" => "many",
        "ar" => match (n, hundred) {
            (0, _) => "zero",
            (1, _) => "one",
            (2, _) => "two",
            (_, 3..=10) => "few",
            (_, 11..=99) => "many",
            _ => "other",
        },
        _ if n == 1 => "one",
        _ => "other",
    }
}

impl Texts {
    /// The text for a key. A key missing in Turkish, Arabic, Polish or Ukrainian (a staff text on a
    /// resident page, such as the logout button) is read in English; a key missing in English or Dutch
    /// gives the key itself (tests keep both from happening on resident pages).
    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        match self.messages.get(key) {
            Some(text) => text,
            None if !STAFF_LANGUAGES.contains(&self.lang) => english().get(key),
            None => key,
        }
    }

    /// Whether this language has a text for the key.
    pub fn has(&self, key: &str) -> bool {
        self.messages.contains_key(key)
    }

    /// `rtl` for Arabic, `ltr` for the others: the page's `dir` attribute.
    pub fn dir(&self) -> &'static str {
        if self.rtl { "rtl" } else { "ltr" }
    }

    /// The text for `group.code`, such as `valence.negative`.
    pub fn code(&self, group: &str, code: &str) -> String {
        let key = format!("{group}.{code}");
        match self.messages.get(&key) {
            Some(text) => text.clone(),
            None if !STAFF_LANGUAGES.contains(&self.lang) => english().code(group, code),
            None => code.to_string(),
        }
    }

    /// The text for a key with `{n}` replaced by a number, choosing `key.one`, `key.few`, `key.many`
    /// or `key.other` by the language's plural rules.
    pub fn count<N: Copy + TryInto<u64>>(&self, key: &str, n: &N) -> String {
        let n: u64 = (*n).try_into().unwrap_or(u64::MAX);
        let form = plural_form(self.lang, n);
        let form = if self.messages.contains_key(&format!("{key}.{form}")) {
            form
        } else {
            "other"
        };
        self.code(key, form).replace("{n}", &self.number(n as f64))
    }

    /// A text with `{x}` replaced.
    pub fn with(&self, key: &str, value: &str) -> String {
        self.get(key).replace("{x}", value)
    }

    /// A number as this language writes it: `1.234,5` in Dutch and Turkish, `1,234.5` in English and
    /// Arabic (with the digits 0–9, as Arabic is written in the Netherlands), `1 234,5` (with a
    /// no-break space) in Polish and Ukrainian; at most two decimals.
    pub fn number(&self, value: f64) -> String {
        let rounded = (value * 100.0).round() / 100.0;
        let negative = rounded < 0.0;
        let text = format!("{}", rounded.abs());
        let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
        let (group, decimal) = match self.lang {
            "en" | "ar" => (',', '.'),
            "pl" | "uk" => ('\u{a0}', ','),
            _ => ('.', ','),
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

    /// A date written out: "14 maart 2025", "14 March 2025", "14 Mart 2025", "14 marca 2025".
    pub fn date(&self, date: &Date) -> String {
        format!(
            "{} {} {}",
            date.day(),
            months(self.lang)[date.month() as usize - 1],
            date.year()
        )
    }

    /// A period label: "2025", "2025 K1" / "2025 Q1", "maart 2025".
    pub fn period(&self, period: &crate::evidence::Period) -> String {
        use crate::evidence::Period;
        match period {
            Period::Year(year) => year.to_string(),
            Period::Quarter(year, quarter) => format!(
                "{year} {}{quarter}",
                if self.lang == "nl" { "K" } else { "Q" }
            ),
            Period::Month(year, month) => {
                format!("{} {year}", months(self.lang)[*month as usize - 1])
            }
        }
    }

    /// The other staff language, for the switch in the header of pages that exist in Dutch and English
    /// only: (code, name in that language).
    pub fn other(&self) -> (&'static str, &'static str) {
        if self.lang == "en" {
            ("nl", "Nederlands")
        } else {
            ("en", "English")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(texts: &Texts) -> Vec<&String> {
        let mut keys: Vec<&String> = texts.messages.keys().collect();
        keys.sort();
        keys
    }

    #[test]
    fn dutch_and_english_have_the_same_keys() {
        let dutch = keys(dutch());
        let english = keys(english());
        let only_dutch: Vec<_> = dutch.iter().filter(|k| !english.contains(k)).collect();
        let only_english: Vec<_> = english.iter().filter(|k| !dutch.contains(k)).collect();
        assert!(
            only_dutch.is_empty() && only_english.is_empty(),
            "only nl: {only_dutch:?}; only en: {only_english:?}"
        );
    }

    /// Every resident key is in all six languages, and the four resident-only files hold nothing else.
    #[test]
    fn every_resident_key_exists_in_all_six_languages() {
        let resident: Vec<&String> = keys(dutch())
            .into_iter()
            .filter(|key| is_resident_key(key))
            .collect();
        assert!(resident.len() > 100, "{} resident keys", resident.len());
        for lang in RESIDENT_LANGUAGES {
            let texts = find(lang).unwrap();
            let missing: Vec<_> = resident.iter().filter(|k| !texts.has(k)).collect();
            assert!(missing.is_empty(), "{lang} lacks {missing:#?}");
            if !STAFF_LANGUAGES.contains(&lang) {
                let extra: Vec<_> = keys(texts)
                    .into_iter()
                    .filter(|k| !is_resident_key(k) || !dutch().has(k))
                    .collect();
                assert!(
                    extra.is_empty(),
                    "{lang} has keys no page asks for: {extra:#?}"
                );
            }
        }
    }

    /// Each locale file says who wrote it and who checked it; `checked_by` stays empty until a native
    /// speaker has.
    #[test]
    fn every_locale_file_says_who_checked_it() {
        for (lang, source, ..) in LOCALES {
            let table: toml::Table = toml::from_str(source).unwrap();
            let about = table
                .get("about")
                .and_then(|about| about.as_table())
                .unwrap_or_else(|| panic!("locales/{lang}.toml has no [about]"));
            for field in ["language", "written_by", "checked_by"] {
                assert!(
                    about.get(field).is_some_and(toml::Value::is_str),
                    "locales/{lang}.toml: [about] {field}"
                );
            }
        }
    }

    /// The `t.get("...")`, `t.with("...")` and `t.count("...")` keys of a template, and the groups of its
    /// `t.code("...", ...)` calls (as `group.`).
    fn keys_in(source: &str) -> Vec<String> {
        let mut found = Vec::new();
        for call in ["t.get(\"", "t.with(\"", "t.count(\"", "t.code(\""] {
            for (start, _) in source.match_indices(call) {
                let rest = &source[start + call.len()..];
                let key = &rest[..rest.find('"').unwrap()];
                found.push(match call {
                    "t.count(\"" => format!("{key}.other"),
                    "t.code(\"" => format!("{key}."),
                    _ => key.to_string(),
                });
            }
        }
        found
    }

    fn templates() -> Vec<(String, String)> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut all = Vec::new();
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().to_string();
            all.push((name, std::fs::read_to_string(&path).unwrap()));
        }
        all
    }

    /// Every key a template uses exists in Dutch (and so, by the test above, in English).
    #[test]
    fn every_key_used_in_templates_exists() {
        let mut missing = Vec::new();
        for (name, source) in templates() {
            for key in keys_in(&source) {
                let exists = if let Some(group) = key.strip_suffix('.') {
                    dutch()
                        .messages
                        .keys()
                        .any(|k| k.starts_with(&format!("{group}.")))
                } else {
                    dutch().has(&key)
                };
                if !exists {
                    missing.push(format!("{name}: {key}"));
                }
            }
        }
        assert!(missing.is_empty(), "{missing:#?}");
    }

    /// The templates of the resident pages (and what they include).
    const RESIDENT_TEMPLATES: &[&str] = &[
        "base.html",
        "tell.html",
        "tell_text.html",
        "tell_valence.html",
        "tell_consent.html",
        "tell_done.html",
        "tell_questions.html",
        "lookup.html",
        "hearing.html",
        "withdrawn.html",
        "participate.html",
        "round_public.html",
        "form_errors.html",
        "story_card.html",
        "action_list.html",
        "action_head.html",
        "paper.html",
    ];

    /// A resident template asks only for resident keys, so it reads the same in all six languages.
    #[test]
    fn resident_templates_use_resident_keys_only() {
        let mut wrong = Vec::new();
        for (name, source) in templates() {
            if !RESIDENT_TEMPLATES.contains(&name.as_str()) {
                continue;
            }
            for key in keys_in(&source) {
                let resident = if key.ends_with('.') {
                    dutch()
                        .messages
                        .keys()
                        .filter(|k| k.starts_with(&key))
                        .all(|k| is_resident_key(k))
                } else {
                    is_resident_key(&key)
                };
                if !resident {
                    wrong.push(format!("{name}: {key}"));
                }
            }
        }
        assert!(wrong.is_empty(), "not resident keys: {wrong:#?}");
    }

    #[test]
    fn numbers_dates_and_counts() {
        assert_eq!(dutch().number(1234.5), "1.234,5");
        assert_eq!(english().number(1234.5), "1,234.5");
        assert_eq!(texts_for("tr").number(1234.5), "1.234,5");
        assert_eq!(texts_for("pl").number(1234.5), "1\u{a0}234,5");
        assert_eq!(texts_for("ar").number(1234.5), "1,234.5");
        assert_eq!(dutch().number(-0.333), "-0,33");
        assert_eq!(dutch().number(80000.0), "80.000");
        assert_eq!(
            dutch().date(&jiff::civil::date(2025, 3, 14)),
            "14 maart 2025"
        );
        assert_eq!(
            texts_for("pl").date(&jiff::civil::date(2025, 3, 14)),
            "14 marca 2025"
        );
        assert_eq!(
            texts_for("uk").date(&jiff::civil::date(2025, 3, 14)),
            "14 березня 2025"
        );
        assert_eq!(dutch().count("stories", &1u32), "1 verhaal");
        assert_eq!(dutch().count("stories", &1200u32), "1.200 verhalen");
    }

    #[test]
    fn plural_forms() {
        assert_eq!(plural_form("pl", 1), "one");
        assert_eq!(plural_form("pl", 3), "few");
        assert_eq!(plural_form("pl", 13), "many");
        assert_eq!(plural_form("pl", 22), "few");
        assert_eq!(plural_form("pl", 21), "many");
        assert_eq!(plural_form("uk", 21), "one");
        assert_eq!(plural_form("uk", 11), "many");
        assert_eq!(plural_form("ar", 2), "two");
        assert_eq!(plural_form("tr", 2), "other");
    }
}
