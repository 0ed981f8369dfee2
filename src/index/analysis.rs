//! Text analysis per language: how story text and query words become index terms.
//!
//! Each analysed language has its own text fields in the index and its own analyzer: words split on
//! anything that is not a letter or digit, lowercased, diacritics folded (so "cliënt" and "client" meet),
//! then stemmed with that language's Snowball stemmer (so "gesprekken" meets "gesprek"). Dutch gets one
//! more step: Snowball only undoubles a final kk, dd or tt, so "krentenbollen" would stem to
//! "krentenboll" and miss "krentenbol"; [`DutchUndouble`] undoubles every final consonant pair. Turkish is
//! stemmed before folding, because its stemmer needs the dotless ı and ş. Languages without a stemmer
//! (Polish among them) share the `other` fields: lowercase and folding only.

use std::mem;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language as StemmerLanguage, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, Token, TokenFilter, TokenStream, Tokenizer,
};

use crate::language::Language;

/// An analysed language: its code (the suffix of its index fields) and its stemmer, if any.
#[derive(Debug, Clone, Copy)]
pub struct AnalysedLanguage {
    pub code: &'static str,
    stemmer: Option<StemmerLanguage>,
}

/// The languages with their own fields. `other` takes every language not listed.
pub const ANALYSED_LANGUAGES: &[AnalysedLanguage] = &[
    AnalysedLanguage { code: "nl", stemmer: Some(StemmerLanguage::Dutch) },
    AnalysedLanguage { code: "en", stemmer: Some(StemmerLanguage::English) },
    AnalysedLanguage { code: "tr", stemmer: Some(StemmerLanguage::Turkish) },
    AnalysedLanguage { code: "ar", stemmer: Some(StemmerLanguage::Arabic) },
    AnalysedLanguage { code: "de", stemmer: Some(StemmerLanguage::German) },
    AnalysedLanguage { code: "fr", stemmer: Some(StemmerLanguage::French) },
    AnalysedLanguage { code: "es", stemmer: Some(StemmerLanguage::Spanish) },
    AnalysedLanguage { code: "pt", stemmer: Some(StemmerLanguage::Portuguese) },
    AnalysedLanguage { code: "it", stemmer: Some(StemmerLanguage::Italian) },
    AnalysedLanguage { code: "ro", stemmer: Some(StemmerLanguage::Romanian) },
    AnalysedLanguage { code: "ru", stemmer: Some(StemmerLanguage::Russian) },
    AnalysedLanguage { code: "other", stemmer: None },
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
            Some(StemmerLanguage::Turkish) => base
                .filter(Stemmer::new(StemmerLanguage::Turkish))
                .filter(AsciiFoldingFilter)
                .build(),
            Some(StemmerLanguage::Dutch) => base
                .filter(AsciiFoldingFilter)
                .filter(Stemmer::new(StemmerLanguage::Dutch))
                .filter(DutchUndouble)
                .build(),
            Some(stemmer) => base.filter(AsciiFoldingFilter).filter(Stemmer::new(stemmer)).build(),
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

/// Undoubles a final double consonant after Dutch stemming: "krentenboll" → "krentenbol",
/// "buss" → "bus". Dutch spelling writes no double consonant at the end of a word, so the pair only
/// comes from cutting off an ending.
#[derive(Clone)]
pub struct DutchUndouble;

impl TokenFilter for DutchUndouble {
    type Tokenizer<T: Tokenizer> = DutchUndoubleFilter<T>;

    fn transform<T: Tokenizer>(self, tokenizer: T) -> Self::Tokenizer<T> {
        DutchUndoubleFilter { tokenizer }
    }
}

#[derive(Clone)]
pub struct DutchUndoubleFilter<T> {
    tokenizer: T,
}

impl<T: Tokenizer> Tokenizer for DutchUndoubleFilter<T> {
    type TokenStream<'a> = DutchUndoubleStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        DutchUndoubleStream {
            tail: self.tokenizer.token_stream(text),
        }
    }
}

pub struct DutchUndoubleStream<T> {
    tail: T,
}

fn undouble(word: &mut String) {
    let bytes = word.as_bytes();
    let n = bytes.len();
    if n >= 4 {
        let (a, b) = (bytes[n - 2], bytes[n - 1]);
        if a == b && a.is_ascii_lowercase() && !b"aeiouy".contains(&a) {
            word.pop();
        }
    }
}

impl<T: TokenStream> TokenStream for DutchUndoubleStream<T> {
    fn advance(&mut self) -> bool {
        if !self.tail.advance() {
            return false;
        }
        let token = self.tail.token_mut();
        let mut text = mem::take(&mut token.text);
        undouble(&mut text);
        token.text = text;
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
        analyse(&mut AnalysedLanguage::for_language(&language).analyzer(), text)
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
        ];
        for (a, b) in pairs {
            assert_eq!(terms("nl", a), terms("nl", b), "{a} / {b}");
        }
        assert_ne!(terms("nl", "buurt"), terms("nl", "boot"));
    }

    #[test]
    fn other_languages_stem_or_fold() {
        assert_eq!(terms("en", "volunteers"), terms("en", "volunteer"));
        assert_eq!(terms("tr", "arkadaşlar"), terms("tr", "arkadaş"));
        assert_eq!(terms("pl", "Sąsiadów"), vec!["sasiadow"]);
        assert_eq!(terms("nl", "koffie-inloop"), vec!["koffie", "inlop"]);
        assert!(terms("nl", &"a".repeat(100)).is_empty());
    }
}
