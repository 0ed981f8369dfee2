//! Text analysis per language: how story text and query words become index terms.
//!
//! Each analysed language has its own text fields in the index and its own analyzer: words split on
//! anything that is not a letter or digit, lowercased, diacritics folded (so "cliënt" and "client" meet),
//! then stemmed with that language's Snowball stemmer (so "gesprekken" meets "gesprek"). Stemmers come
//! from `frostem`, the Snowball port tantivy itself uses, called directly so we can pick the algorithm:
//! for Dutch the Porter variant, which keeps "schulden"/"schuld", "dagen"/"dag" and "gezonde"/"gezond"
//! together where Kraaij-Pohlmann splits them (and merges "gezond" with "zon").
//!
//! Dutch then gets what Snowball leaves out ([`dutch_spelling`] and [`DUTCH_WORDS`]): a final double
//! consonant is undoubled ("krentenboll" → "krentenbol"); a final z or v becomes s or f ("huiz" →
//! "huis"); an s left after a consonant once -en is gone goes too, as it does for the singular
//! ("huisartsen" → "huisart" like "huisarts"); "ideeën" loses its -en; plurals in -eren and words the
//! stemmer would merge with another meaning ("ouders"/"ouderen", "kans"/"kan") are looked up in a short
//! list.
//!
//! Turkish is stemmed before folding, because its stemmer needs ü, ş and ı to see vowel harmony. A word
//! typed without those letters ("gonulluler") is left unstemmed by it; then a plural ending (-lar/-ler
//! with its case endings) is cut from the folded word, so it still meets "gönüllüler". Languages without a
//! stemmer share the `other` fields: lowercase and folding only.

use frostem::Algorithm;
use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, Token,
    TokenFilter, TokenStream, Tokenizer,
};

use crate::language::Language;

/// An analysed language: its code (the suffix of its index fields) and its stemmer, if any.
#[derive(Debug, Clone, Copy)]
pub struct AnalysedLanguage {
    pub code: &'static str,
    stemmer: Option<Algorithm>,
}

/// The languages with their own fields. `other` takes every language not listed.
pub const ANALYSED_LANGUAGES: &[AnalysedLanguage] = &[
    AnalysedLanguage {
        code: "nl",
        stemmer: Some(Algorithm::DutchPorter),
    },
    AnalysedLanguage {
        code: "en",
        stemmer: Some(Algorithm::English),
    },
    AnalysedLanguage {
        code: "tr",
        stemmer: Some(Algorithm::Turkish),
    },
    AnalysedLanguage {
        code: "ar",
        stemmer: Some(Algorithm::Arabic),
    },
    AnalysedLanguage {
        code: "pl",
        stemmer: Some(Algorithm::Polish),
    },
    AnalysedLanguage {
        code: "de",
        stemmer: Some(Algorithm::German),
    },
    AnalysedLanguage {
        code: "fr",
        stemmer: Some(Algorithm::French),
    },
    AnalysedLanguage {
        code: "es",
        stemmer: Some(Algorithm::Spanish),
    },
    AnalysedLanguage {
        code: "pt",
        stemmer: Some(Algorithm::Portuguese),
    },
    AnalysedLanguage {
        code: "it",
        stemmer: Some(Algorithm::Italian),
    },
    AnalysedLanguage {
        code: "ro",
        stemmer: Some(Algorithm::Romanian),
    },
    AnalysedLanguage {
        code: "ru",
        stemmer: Some(Algorithm::Russian),
    },
    AnalysedLanguage {
        code: "fa",
        stemmer: Some(Algorithm::Persian),
    },
    AnalysedLanguage {
        code: "other",
        stemmer: None,
    },
];

/// Tokens longer than this are dropped (they are never words people search for).
const MAX_TOKEN_LENGTH: usize = 60;

impl AnalysedLanguage {
    /// The analysed language whose fields hold a story in `language`.
    pub fn for_language(language: &Language) -> &'static AnalysedLanguage {
        ANALYSED_LANGUAGES
            .iter()
            .find(|analysed| analysed.code == language.code())
            .unwrap_or_else(|| ANALYSED_LANGUAGES.last().expect("the list ends with other"))
    }

    /// The name this language's analyzer is registered under.
    pub fn analyzer_name(&self) -> String {
        format!("verhalenbank_{}", self.code)
    }

    pub fn analyzer(&self) -> TextAnalyzer {
        let base = TextAnalyzer::builder(SimpleTokenizer::default())
            .filter(RemoveLongFilter::limit(MAX_TOKEN_LENGTH))
            .filter(LowerCaser);
        match self.stemmer {
            None => base.filter(AsciiFoldingFilter).build(),
            Some(algorithm @ (Algorithm::Turkish | Algorithm::Polish)) => base
                .filter(Stem::new(algorithm))
                .filter(AsciiFoldingFilter)
                .build(),
            Some(algorithm) => base
                .filter(AsciiFoldingFilter)
                .filter(Stem::new(algorithm))
                .build(),
        }
    }
}

/// The Dutch analysis, for matching Dutch text outside the index (such as interpretations).
pub fn dutch() -> &'static AnalysedLanguage {
    &ANALYSED_LANGUAGES[0]
}

/// Registers every language's analyzer with the index.
pub fn register_analyzers(index: &tantivy::Index) {
    for language in ANALYSED_LANGUAGES {
        index
            .tokenizers()
            .register(&language.analyzer_name(), language.analyzer());
    }
}

/// The terms a text becomes under an analyzer.
pub fn analyse(analyzer: &mut TextAnalyzer, text: &str) -> Vec<String> {
    let mut stream = analyzer.token_stream(text);
    let mut terms = Vec::new();
    while stream.advance() {
        terms.push(stream.token().text.clone());
    }
    terms
}

/// Stems each token with a Snowball algorithm; for Dutch, applies the spelling rules described above.
#[derive(Clone, Copy)]
pub struct Stem {
    stemmer: frostem::Stemmer,
    dutch: bool,
    turkish: bool,
}

impl Stem {
    pub fn new(algorithm: Algorithm) -> Stem {
        Stem {
            stemmer: frostem::Stemmer::new(algorithm),
            dutch: matches!(algorithm, Algorithm::DutchPorter | Algorithm::Dutch),
            turkish: algorithm == Algorithm::Turkish,
        }
    }

    fn apply(&self, word: &str) -> String {
        if self.dutch
            && let Some((_, term)) = DUTCH_WORDS.iter().find(|(surface, _)| *surface == word)
        {
            return (*term).to_string();
        }
        let word = match word.strip_suffix("en") {
            Some(base) if self.dutch && (base.ends_with("ee") || base.ends_with("ie")) => base,
            _ => word,
        };
        let mut stem = self.stemmer.stem(word).into_owned();
        if self.dutch {
            // An s left after a consonant (not j) once -en is gone is what the stemmer cuts from the
            // singular ("huisarts" → "huisart"); cut it and stem again, as the singular was.
            let bytes = stem.as_bytes();
            let n = bytes.len();
            if n > 3 && bytes[n - 1] == b's' && is_consonant(bytes[n - 2]) && bytes[n - 2] != b'j' {
                stem = self.stemmer.stem(&stem[..n - 1]).into_owned();
            }
            dutch_spelling(&mut stem);
        } else if self.turkish && stem == word {
            strip_turkish_plural(&mut stem);
        }
        stem
    }
}

/// Dutch words the stemmer gets wrong, with the term they are indexed as: plurals in -eren, and pairs
/// it would merge although they mean different things (ouders are parents, ouderen the elderly).
pub const DUTCH_WORDS: &[(&str, &str)] = &[
    ("kinderen", "kind"),
    ("eieren", "ei"),
    ("liederen", "lied"),
    ("bladeren", "blad"),
    ("kalveren", "kalf"),
    ("lammeren", "lam"),
    ("goederen", "goed"),
    ("volkeren", "volk"),
    ("beenderen", "been"),
    ("raderen", "rad"),
    ("gelederen", "gelid"),
    ("ouderen", "oudere"),
    ("oudere", "oudere"),
    ("jongeren", "jongere"),
    ("jongere", "jongere"),
    ("kans", "kans"),
    ("kansen", "kans"),
];

/// Cuts a Turkish plural ending, with the case or possessive ending after it, from a word the stemmer
/// left alone (typed without Turkish letters).
fn strip_turkish_plural(word: &mut String) {
    const ENDINGS: &[&str] = &[
        "lardan", "lerden", "larda", "lerde", "larin", "lerin", "lara", "lere", "lari", "leri",
        "lar", "ler",
    ];
    for ending in ENDINGS {
        if word.len() > ending.len() + 2 && word.ends_with(ending) {
            word.truncate(word.len() - ending.len());
            return;
        }
    }
}

fn is_consonant(c: u8) -> bool {
    c.is_ascii_lowercase() && !b"aeiouy".contains(&c)
}

/// Dutch writes no double consonant at the end of a word and no final z or v, so a stem that has one
/// only has it because an ending was cut off.
fn dutch_spelling(stem: &mut String) {
    let bytes = stem.as_bytes();
    let n = bytes.len();
    if n < 3 {
        return;
    }
    let (a, b) = (bytes[n - 2], bytes[n - 1]);
    if a == b && is_consonant(b) {
        stem.pop();
    } else if b == b'z' || b == b'v' {
        stem.pop();
        stem.push(if b == b'z' { 's' } else { 'f' });
    }
}

impl TokenFilter for Stem {
    type Tokenizer<T: Tokenizer> = StemFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        StemFilter {
            tokenizer,
            stem: self,
        }
    }
}

#[derive(Clone)]
pub struct StemFilter<T> {
    tokenizer: T,
    stem: Stem,
}

impl<T: Tokenizer> Tokenizer for StemFilter<T> {
    type TokenStream<'a> = StemStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        StemStream {
            tail: self.tokenizer.token_stream(text),
            stem: self.stem,
        }
    }
}

pub struct StemStream<T> {
    tail: T,
    stem: Stem,
}

impl<T: TokenStream> TokenStream for StemStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let stemmed = self.stem.apply(&token.text);
        token.text = stemmed;
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms(code: &str, text: &str) -> Vec<String> {
        let language = Language::parse(code).unwrap();
        analyse(
            &mut AnalysedLanguage::for_language(&language).analyzer(),
            text,
        )
    }

    /// Pairs of words that must become the same term.
    #[test]
    fn dutch_inflections_and_diacritics_meet() {
        let pairs = [
            ("vrijwilligers", "vrijwilliger"),
            ("gesprekken", "gesprek"),
            ("krentenbollen", "krentenbol"),
            ("buurten", "buurt"),
            ("cliënt", "client"),
            ("beëindigd", "beeindigd"),
            ("ideeën", "ideeen"),
            ("Café", "cafe"),
            ("bussen", "bus"),
            ("schulden", "schuld"),
            ("dagen", "dag"),
            ("gezonde", "gezond"),
            ("huizen", "huis"),
            ("brieven", "brief"),
            ("lessen", "les"),
            ("eenzaamheid", "eenzaam"),
            ("wachtlijsten", "wachtlijst"),
            ("huisartsen", "huisarts"),
            ("mensen", "mens"),
            ("plaatsen", "plaats"),
            ("kinderen", "kind"),
            ("ideeën", "idee"),
            ("knieën", "knie"),
            ("prijzen", "prijs"),
            ("reizen", "reis"),
            ("kansen", "kans"),
        ];
        for (a, b) in pairs {
            assert_eq!(terms("nl", a), terms("nl", b), "{a} / {b}");
        }
        assert_ne!(terms("nl", "buurt"), terms("nl", "boot"));
        assert_ne!(terms("nl", "gezond"), terms("nl", "zon"));
        assert_ne!(terms("nl", "ouders"), terms("nl", "ouderen"));
        assert_ne!(terms("nl", "jongeren"), terms("nl", "jonger"));
        assert_ne!(terms("nl", "kans"), terms("nl", "kan"));
    }

    #[test]
    fn other_languages_stem_or_fold() {
        assert_eq!(terms("en", "volunteers"), terms("en", "volunteer"));
        assert_eq!(terms("tr", "arkadaşlar"), terms("tr", "arkadaş"));
        assert_eq!(terms("tr", "gonulluler"), terms("tr", "gönüllüler"));
        assert_eq!(terms("tr", "komsular"), terms("tr", "komşular"));
        assert_eq!(terms("pl", "Sąsiadów"), terms("pl", "sąsiad"));
        assert_eq!(terms("uk", "Привіт"), vec!["привіт"]);
        assert_eq!(terms("nl", "koffie-inloop"), vec!["koffie", "inlop"]);
        assert!(terms("nl", &"a".repeat(100)).is_empty());
    }
}
