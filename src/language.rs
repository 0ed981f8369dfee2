//! Languages of stories: a validated ISO 639-1 code, the languages Verhalenbank recognises, and
//! detection with whatlang restricted to that list.
//!
//! Detection is limited to an allowlist of languages spoken in Dutch municipalities. Without the list,
//! whatlang readily takes Dutch for Afrikaans; with it, a Dutch story is Dutch. Texts too short to tell
//! fall back to the municipality's default language.

use std::fmt;

use whatlang::{Detector, Lang};

/// An ISO 639-1 language code such as `nl`, `en` or `tr`.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, utoipa::ToSchema,
)]
#[serde(transparent)]
#[schema(pattern = "^[a-z]{2}$", example = "nl")]
pub struct Language(String);

/// The languages the product knows by name and can detect: (ISO 639-1 code, whatlang language,
/// name in Dutch, name in the language itself).
pub const KNOWN_LANGUAGES: &[(&str, Lang, &str, &str)] = &[
    ("nl", Lang::Nld, "Nederlands", "Nederlands"),
    ("en", Lang::Eng, "Engels", "English"),
    ("tr", Lang::Tur, "Turks", "Türkçe"),
    ("ar", Lang::Ara, "Arabisch", "العربية"),
    ("pl", Lang::Pol, "Pools", "Polski"),
    ("de", Lang::Deu, "Duits", "Deutsch"),
    ("fr", Lang::Fra, "Frans", "Français"),
    ("es", Lang::Spa, "Spaans", "Español"),
    ("pt", Lang::Por, "Portugees", "Português"),
    ("it", Lang::Ita, "Italiaans", "Italiano"),
    ("ro", Lang::Ron, "Roemeens", "Română"),
    ("bg", Lang::Bul, "Bulgaars", "Български"),
    ("uk", Lang::Ukr, "Oekraïens", "Українська"),
    ("ru", Lang::Rus, "Russisch", "Русский"),
    ("fa", Lang::Pes, "Perzisch", "فارسی"),
];

/// Texts with fewer letters than this are too short to detect their language reliably.
const MIN_LETTERS_TO_DETECT: usize = 24;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("expected a two-letter language code such as nl, en or tr, found {0:?}")]
pub struct LanguageError(String);

impl Language {
    pub fn parse(code: &str) -> Result<Self, LanguageError> {
        let code = code.trim().to_ascii_lowercase();
        if code.len() == 2 && code.chars().all(|c| c.is_ascii_lowercase()) {
            Ok(Language(code))
        } else {
            Err(LanguageError(code))
        }
    }

    pub fn dutch() -> Self {
        Language("nl".to_string())
    }

    pub fn code(&self) -> &str {
        &self.0
    }

    /// The language's name in Dutch, or its code when it is not a known language.
    pub fn dutch_name(&self) -> &str {
        KNOWN_LANGUAGES
            .iter()
            .find(|(code, ..)| *code == self.0)
            .map_or(self.0.as_str(), |(_, _, dutch, _)| dutch)
    }

    /// The language's name in itself, or its code when it is not a known language.
    pub fn native_name(&self) -> &str {
        KNOWN_LANGUAGES
            .iter()
            .find(|(code, ..)| *code == self.0)
            .map_or(self.0.as_str(), |(_, _, _, native)| native)
    }
}

impl fmt::Display for Language {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for Language {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Language::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Detects languages among [`KNOWN_LANGUAGES`]; build once and reuse.
pub struct LanguageDetector {
    detector: Detector,
}

impl Default for LanguageDetector {
    fn default() -> Self {
        let allowlist = KNOWN_LANGUAGES.iter().map(|(_, lang, ..)| *lang).collect();
        LanguageDetector {
            detector: Detector::with_allowlist(allowlist),
        }
    }
}

impl LanguageDetector {
    /// The language of `text`, or `fallback` when the text is too short or unclear.
    pub fn detect(&self, text: &str, fallback: &Language) -> Language {
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        if letters < MIN_LETTERS_TO_DETECT {
            return fallback.clone();
        }
        // Loan words with western accents ("café", "ideeën") can tip whatlang towards French in an English
        // text; the same text without those accents is asked too, and the surer answer wins. Letters that
        // mark Turkish and Polish (ş, ğ, ı, ą, ł, ...) are kept in both.
        // Most texts have no such accent; asking whatlang twice about the same text would double the
        // work of every import and edit for the same answer.
        let folded = fold_western_accents(text);
        let best = if folded == text {
            self.detector.detect(text)
        } else {
            [self.detector.detect(text), self.detector.detect(&folded)]
                .into_iter()
                .flatten()
                .max_by(|a, b| a.confidence().total_cmp(&b.confidence()))
        };
        best.and_then(|info| {
            KNOWN_LANGUAGES
                .iter()
                .find(|(_, lang, ..)| *lang == info.lang())
        })
        .map_or_else(|| fallback.clone(), |(code, ..)| Language(code.to_string()))
    }
}

/// Replaces accented vowels and ç, ñ as western European languages write them by their base letter.
fn fold_western_accents(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' => 'o',
            'ù' | 'ú' | 'û' => 'u',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_languages_of_the_municipality() {
        let detector = LanguageDetector::default();
        let dutch = Language::dutch();
        let cases = [
            (
                "Ik ga elke dinsdag naar de koffie-inloop in het buurthuis. Daar ken ik nu veel mensen.",
                "nl",
            ),
            // Short Dutch sentences that whatlang without an allowlist tends to call Afrikaans.
            (
                "Die vrijwilliger is heel aardig en hij helpt mij met de brieven van de gemeente.",
                "nl",
            ),
            (
                "I moved here two years ago and the language café helped me find my first friends.",
                "en",
            ),
            (
                "Mahallede yeni arkadaşlar buldum ve artık her hafta kahve saatine gidiyorum.",
                "tr",
            ),
            (
                "Dzięki kawiarni językowej poznałam sąsiadów i czuję się tu lepiej niż wcześniej.",
                "pl",
            ),
            (
                "ساعدني المتطوع في فهم الرسائل من البلدية وأشعر الآن بأنني لست وحدي",
                "ar",
            ),
            ("Fijn!", "nl"),
            (
                "Café The language café helped me to meet volunteers in my neighbourhood.",
                "en",
            ),
            (
                "De cliënt had veel ideeën over het café in de buurt en wilde graag meedoen.",
                "nl",
            ),
        ];
        for (text, want) in cases {
            assert_eq!(detector.detect(text, &dutch).code(), want, "{text}");
        }
    }

    #[test]
    fn short_text_falls_back() {
        let detector = LanguageDetector::default();
        let english = Language::parse("en").unwrap();
        assert_eq!(detector.detect("Goed zo", &english), english);
    }

    #[test]
    fn parses_codes() {
        assert_eq!(Language::parse("NL").unwrap().code(), "nl");
        assert!(Language::parse("nld").is_err());
        assert!(Language::parse("").is_err());
        assert_eq!(Language::parse("tr").unwrap().dutch_name(), "Turks");
    }
}
