//! Text analysis per language: how story text and query words become index terms.
//!
//! Each analysed language has its own text fields in the index and its own analyzer: words split on
//! anything that is not a letter or digit, lowercased, diacritics folded (so "cliënt" and "client" meet),
//! then stemmed with that language's Snowball stemmer (so "gesprekken" meets "gesprek"). Stemmers come
//! from `frostem`, the Snowball port tantivy itself uses, called directly so we can pick the algorithm:
//! for Dutch the Porter variant, which keeps "schulden"/"schuld", "dagen"/"dag" and "gezonde"/"gezond"
//! together where Kraaij-Pohlmann splits them (and merges "gezond" with "zon"). Dutch then gets two
//! spelling rules Snowball leaves out: a final double consonant is undoubled ("krentenboll" → "krentenbol",
//! "less" → "les") and a final z or v becomes s or f ("huiz" → "huis", "briev" → "brief"). Turkish is
//! stemmed before folding, because its stemmer needs the dotless ı and ş. Languages without a stemmer
//! share the `other` fields: lowercase and folding only.

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
}

impl Stem {
    pub fn new(algorithm: Algorithm) -> Stem {
        Stem {
            stemmer: frostem::Stemmer::new(algorithm),
            dutch: matches!(algorithm, Algorithm::DutchPorter | Algorithm::Dutch),
        }
    }

    fn apply(&self, word: &str) -> String {
        let mut stem = self.stemmer.stem(word).into_owned();
        if self.dutch {
            dutch_spelling(&mut stem);
        }
        stem
    }
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
    if a == b && b.is_ascii_lowercase() && !b"aeiouy".contains(&b) {
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
        ];
        for (a, b) in pairs {
            assert_eq!(terms("nl", a), terms("nl", b), "{a} / {b}");
        }
        assert_ne!(terms("nl", "buurt"), terms("nl", "boot"));
        assert_ne!(terms("nl", "gezond"), terms("nl", "zon"));
    }

    #[test]
    fn other_languages_stem_or_fold() {
        assert_eq!(terms("en", "volunteers"), terms("en", "volunteer"));
        assert_eq!(terms("tr", "arkadaşlar"), terms("tr", "arkadaş"));
        assert_eq!(terms("pl", "Sąsiadów"), terms("pl", "sąsiad"));
        assert_eq!(terms("uk", "Привіт"), vec!["привіт"]);
        assert_eq!(terms("nl", "koffie-inloop"), vec!["koffie", "inlop"]);
        assert!(terms("nl", &"a".repeat(100)).is_empty());
    }
}
