//! The query language people type, parsed by hand so that it never fails.
//!
//! Words must all match (ranked by BM25), except Dutch stop words ([`STOP_WORDS`]), which are dropped
//! unless they are all there is; `"exact phrases"`; `-word` or `-"phrase"` excludes; `a OR b`
//! (or `a OF b`) makes either do; `word*` finds the words that begin with it (see `expand.rs`);
//! `field:value` filters on a keyword field (`gebied:noord`, `tag:"sociaal netwerk"`).
//! Anything else is read as words: unbalanced quotes close at the end, lone operators and brackets are
//! dropped, and very long input is cut at a fixed number of words, so every input gives a result.

use super::schema::FacetField;

/// Snowball's Dutch stop words: dropped from a query's words (not from phrases), so "hulp bij de post"
/// looks for "hulp" and "post". A query of stop words alone keeps them.
pub const STOP_WORDS: &[&str] = &[
    "aan", "al", "alles", "als", "altijd", "andere", "ben", "bij", "daar", "dan", "dat", "de",
    "der", "deze", "die", "dit", "doch", "doen", "door", "dus", "een", "eens", "en", "er", "ge",
    "geen", "geweest", "haar", "had", "heb", "hebben", "heeft", "hem", "het", "hier", "hij", "hoe",
    "hun", "iemand", "iets", "ik", "in", "is", "ja", "je", "kan", "kon", "kunnen", "maar", "me",
    "meer", "men", "met", "mij", "mijn", "moet", "na", "naar", "niet", "niets", "nog", "nu", "of",
    "om", "omdat", "onder", "ons", "ook", "op", "over", "reeds", "te", "tegen", "toch", "toen",
    "tot", "u", "uit", "uw", "van", "veel", "voor", "want", "waren", "was", "wat", "werd", "wezen",
    "wie", "wil", "worden", "wordt", "zal", "ze", "zelf", "zich", "zij", "zijn", "zo", "zonder",
    "zou",
];

/// At most this many words and phrases are used from one query.
pub const MAX_QUERY_ITEMS: usize = 32;
/// Characters beyond this are ignored.
pub const MAX_QUERY_CHARS: usize = 2_000;

/// One thing to look for in the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item {
    Word(String),
    Phrase(String),
    /// `buurt*`: the words that begin with it (the text without the star).
    Prefix(String),
}

impl Item {
    /// The text looked for: the word, the phrase or the beginning of words.
    pub fn text(&self) -> &str {
        match self {
            Item::Word(text) | Item::Phrase(text) | Item::Prefix(text) => text,
        }
    }
}

/// A parsed query: groups that must all match (the items in a group are alternatives), items that must
/// not match, and keyword filters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ParsedQuery {
    pub required: Vec<Vec<Item>>,
    pub excluded: Vec<Item>,
    pub filters: Vec<(FacetField, String)>,
}

impl ParsedQuery {
    pub fn has_text(&self) -> bool {
        !self.required.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Item { item: Item, negated: bool },
    Filter(FacetField, String),
    Or,
}

/// Splits the raw text into tokens.
fn tokenize(text: &str) -> Vec<Token> {
    let text: String = text.chars().take(MAX_QUERY_CHARS).collect();
    let mut tokens = Vec::new();
    let mut chars = text.chars().peekable();
    while let Some(&c) = chars.peek() {
        if c.is_whitespace() || matches!(c, '(' | ')' | '+') {
            chars.next();
            continue;
        }
        let negated = c == '-';
        if negated {
            chars.next();
        }
        if chars.peek() == Some(&'"') {
            chars.next();
            let phrase: String = chars.by_ref().take_while(|&c| c != '"').collect();
            if !phrase.trim().is_empty() {
                tokens.push(Token::Item {
                    item: Item::Phrase(phrase.trim().to_string()),
                    negated,
                });
            }
            continue;
        }
        let mut word = String::new();
        while let Some(&c) = chars.peek() {
            if c.is_whitespace() || matches!(c, '(' | ')' | '"') {
                break;
            }
            word.push(c);
            chars.next();
        }
        if word.is_empty() {
            continue;
        }
        // OR, and OF as Dutch speakers write it, in capitals so the word "of" in a query stays a word.
        if !negated && (word == "OR" || word == "OF") {
            tokens.push(Token::Or);
            continue;
        }
        if !negated && (word == "AND" || word == "EN") {
            continue;
        }
        if let Some((name, value)) = word.split_once(':')
            && let Some(field) = FacetField::parse(name)
        {
            let value = if value.is_empty() && chars.peek() == Some(&'"') {
                chars.next();
                chars.by_ref().take_while(|&c| c != '"').collect()
            } else {
                value.to_string()
            };
            if !value.trim().is_empty() && !negated {
                tokens.push(Token::Filter(field, value.trim().to_lowercase()));
            }
            continue;
        }
        let prefix = word
            .trim_end_matches(|c: char| !c.is_alphanumeric() && c != '*')
            .ends_with('*');
        let word = word
            .trim_matches(|c: char| !c.is_alphanumeric())
            .to_string();
        if !word.is_empty() {
            tokens.push(Token::Item {
                item: if prefix {
                    Item::Prefix(word)
                } else {
                    Item::Word(word)
                },
                negated,
            });
        }
    }
    tokens
}

/// Parses what a person typed. Never fails.
pub fn parse_query(text: &str) -> ParsedQuery {
    let mut parsed = ParsedQuery::default();
    let mut items = 0;
    let mut join_next = false;
    for token in tokenize(text) {
        match token {
            Token::Or => join_next = !parsed.required.is_empty(),
            Token::Filter(field, value) => {
                parsed.filters.push((field, value));
                join_next = false;
            }
            Token::Item { item, negated } => {
                if items >= MAX_QUERY_ITEMS {
                    break;
                }
                items += 1;
                if negated {
                    parsed.excluded.push(item);
                    join_next = false;
                } else if join_next {
                    parsed
                        .required
                        .last_mut()
                        .expect("a group exists to join")
                        .push(item);
                    join_next = false;
                } else {
                    parsed.required.push(vec![item]);
                }
            }
        }
    }
    let is_stop_word = |group: &Vec<Item>| matches!(group.as_slice(), [Item::Word(word)] if STOP_WORDS.contains(&word.to_lowercase().as_str()));
    if parsed.required.iter().any(|group| !is_stop_word(group)) {
        parsed.required.retain(|group| !is_stop_word(group));
    }
    parsed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn word(text: &str) -> Item {
        Item::Word(text.to_string())
    }

    fn phrase(text: &str) -> Item {
        Item::Phrase(text.to_string())
    }

    #[test]
    fn parses_the_query_language() {
        let cases: Vec<(&str, ParsedQuery)> = vec![
            (
                "buurt",
                ParsedQuery {
                    required: vec![vec![word("buurt")]],
                    ..Default::default()
                },
            ),
            (
                "koffie buurthuis",
                ParsedQuery {
                    required: vec![vec![word("koffie")], vec![word("buurthuis")]],
                    ..Default::default()
                },
            ),
            (
                "\"elke dinsdag\" -wachtlijst",
                ParsedQuery {
                    required: vec![vec![phrase("elke dinsdag")]],
                    excluded: vec![word("wachtlijst")],
                    ..Default::default()
                },
            ),
            (
                "schulden OR geldzorgen buurt",
                ParsedQuery {
                    required: vec![
                        vec![word("schulden"), word("geldzorgen")],
                        vec![word("buurt")],
                    ],
                    ..Default::default()
                },
            ),
            (
                "gebied:Noord tag:\"sociaal netwerk\" koffie",
                ParsedQuery {
                    required: vec![vec![word("koffie")]],
                    filters: vec![
                        (FacetField::Area, "noord".to_string()),
                        (FacetField::Tag, "sociaal netwerk".to_string()),
                    ],
                    ..Default::default()
                },
            ),
            (
                "schulden OF geldzorgen of",
                ParsedQuery {
                    required: vec![vec![word("schulden"), word("geldzorgen")]],
                    ..Default::default()
                },
            ),
            (
                "de eenzame ouderen in de wijk",
                ParsedQuery {
                    required: vec![
                        vec![word("eenzame")],
                        vec![word("ouderen")],
                        vec![word("wijk")],
                    ],
                    ..Default::default()
                },
            ),
            (
                "hulp bij \"in de wijk\" -de",
                ParsedQuery {
                    required: vec![vec![word("hulp")], vec![phrase("in de wijk")]],
                    excluded: vec![word("de")],
                    ..Default::default()
                },
            ),
            (
                "De of",
                ParsedQuery {
                    required: vec![vec![word("De")], vec![word("of")]],
                    ..Default::default()
                },
            ),
            (
                "buurt* -koffie* bu* (zorg*)",
                ParsedQuery {
                    required: vec![
                        vec![Item::Prefix("buurt".to_string())],
                        vec![Item::Prefix("bu".to_string())],
                        vec![Item::Prefix("zorg".to_string())],
                    ],
                    excluded: vec![Item::Prefix("koffie".to_string())],
                    ..Default::default()
                },
            ),
            (
                "tijd:nu",
                ParsedQuery {
                    required: vec![vec![word("tijd:nu")]],
                    ..Default::default()
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse_query(text), want, "{text}");
        }
    }

    #[test]
    fn malformed_input_never_fails() {
        let long = "a".repeat(10_000);
        let many = "woord ".repeat(500);
        for text in [
            "\"onafgesloten",
            "OR",
            "-",
            "AND AND (",
            "\"\"",
            "-\"",
            ")(",
            "::",
            ":",
            "OR OR x",
            &long,
            &many,
        ] {
            let parsed = parse_query(text);
            assert!(
                parsed.required.iter().flatten().count() <= MAX_QUERY_ITEMS,
                "{text}"
            );
        }
        assert_eq!(
            parse_query("\"onafgesloten zin").required,
            vec![vec![phrase("onafgesloten zin")]]
        );
        assert_eq!(parse_query("OR buurt").required, vec![vec![word("buurt")]]);
        assert_eq!(parse_query(&many).required.len(), MAX_QUERY_ITEMS);
    }
}
