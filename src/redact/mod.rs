//! Redaction suggestions: the personal details in a story that a moderator may want to black out before
//! it is published (names, addresses, postcodes, phone numbers, e-mail addresses, IBANs and BSNs).
//!
//! [`suggest`] offers spans; people decide. [`apply`] replaces the spans someone accepted with Dutch
//! placeholders such as `[naam]`. [`strip_bsn`] is not a suggestion: the product never stores a BSN, so
//! every valid one is replaced before a story is kept.
//!
//! Offsets are in characters (Unicode scalar values), not bytes, because they travel to a browser and
//! to people counting along the text; `patterns` and `names` work in bytes and are converted here once.
//! The detector does no IO and logs nothing: story text is personal data.

mod evaluate;
pub(crate) mod lexicon;
mod names;
mod patterns;

use std::ops::Range;

pub use evaluate::{Evaluation, EvaluationError, Score, evaluate};

/// What kind of personal detail a span is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Name,
    Address,
    Postcode,
    Phone,
    Email,
    Iban,
    Bsn,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Name,
        Kind::Address,
        Kind::Postcode,
        Kind::Phone,
        Kind::Email,
        Kind::Iban,
        Kind::Bsn,
    ];

    /// The text that takes the detail's place in a redacted story.
    pub fn placeholder(self) -> &'static str {
        match self {
            Kind::Name => "[naam]",
            Kind::Address => "[adres]",
            Kind::Postcode => "[postcode]",
            Kind::Phone => "[telefoonnummer]",
            Kind::Email => "[e-mailadres]",
            Kind::Iban => "[IBAN]",
            Kind::Bsn => "[BSN]",
        }
    }

    /// The name used in JSON and in the evaluation set.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Name => "name",
            Kind::Address => "address",
            Kind::Postcode => "postcode",
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::Iban => "iban",
            Kind::Bsn => "bsn",
        }
    }

    /// Which kind wins when two spans of the same length overlap: the one whose shape is checked.
    fn specificity(self) -> u8 {
        match self {
            Kind::Iban => 7,
            Kind::Bsn => 6,
            Kind::Email => 5,
            Kind::Phone => 4,
            Kind::Postcode => 3,
            Kind::Address => 2,
            Kind::Name => 1,
        }
    }
}

/// A span of the text that may be a personal detail; `start` and `end` are character offsets, `end`
/// exclusive, and `text` is what lies between them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Suggestion {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// The personal details in `text`, sorted by start and never overlapping: where two candidates
/// overlap the longer one stays, and at equal length the more specific kind.
pub fn suggest(text: &str) -> Vec<Suggestion> {
    let candidates = patterns::find(text)
        .into_iter()
        .map(|found| (found.kind, found.range))
        .chain(
            names::find(text)
                .into_iter()
                .map(|range| (Kind::Name, range)),
        )
        .collect();
    resolve(text, candidates)
}

/// Keeps the candidates that do not overlap a longer (or equally long, more specific) one, in order.
fn resolve(text: &str, mut candidates: Vec<(Kind, Range<usize>)>) -> Vec<Suggestion> {
    candidates.sort_by(|(a_kind, a), (b_kind, b)| {
        let length = |range: &Range<usize>| text[range.clone()].chars().count();
        length(b)
            .cmp(&length(a))
            .then(b_kind.specificity().cmp(&a_kind.specificity()))
            .then(a.start.cmp(&b.start))
    });
    let mut kept: Vec<(Kind, Range<usize>)> = Vec::new();
    for (kind, range) in candidates {
        let overlaps = kept
            .iter()
            .any(|(_, other)| range.start < other.end && other.start < range.end);
        if !overlaps {
            kept.push((kind, range));
        }
    }
    kept.sort_by_key(|(_, range)| range.start);
    let offsets = CharOffsets::new(text);
    kept.into_iter()
        .map(|(kind, range)| Suggestion {
            kind,
            start: offsets.char_at(range.start),
            end: offsets.char_at(range.end),
            text: text[range].to_string(),
        })
        .collect()
}

/// `text` with every accepted span replaced by its kind's placeholder. Spans that overlap one taken
/// earlier, or that reach past the end of the text, are left out.
pub fn apply(text: &str, accepted: &[Suggestion]) -> String {
    let mut spans: Vec<&Suggestion> = accepted.iter().collect();
    spans.sort_by_key(|suggestion| (suggestion.start, suggestion.end));
    let bytes = ByteOffsets::new(text);
    let mut result = String::with_capacity(text.len());
    let mut done = 0;
    for suggestion in spans {
        let (Some(start), Some(end)) = (
            bytes.byte_at(suggestion.start),
            bytes.byte_at(suggestion.end),
        ) else {
            continue;
        };
        if start < done || end <= start {
            continue;
        }
        result.push_str(&text[done..start]);
        result.push_str(suggestion.kind.placeholder());
        done = end;
    }
    result.push_str(&text[done..]);
    result
}

/// `text` with every valid BSN replaced by `[BSN]`.
/// Only the shaped patterns are looked for (no names), so this is cheap enough for every story stored.
pub fn strip_bsn(text: &str) -> String {
    let shaped = patterns::find(text)
        .into_iter()
        .map(|found| (found.kind, found.range))
        .collect();
    let bsns: Vec<Suggestion> = resolve(text, shaped)
        .into_iter()
        .filter(|suggestion| suggestion.kind == Kind::Bsn)
        .collect();
    apply(text, &bsns)
}

/// Byte offsets to character offsets, for offsets on character boundaries.
struct CharOffsets {
    starts: Vec<usize>,
}

impl CharOffsets {
    fn new(text: &str) -> CharOffsets {
        CharOffsets {
            starts: text.char_indices().map(|(byte, _)| byte).collect(),
        }
    }

    fn char_at(&self, byte: usize) -> usize {
        self.starts.partition_point(|&start| start < byte)
    }
}

/// Character offsets to byte offsets; the end of the text is a valid offset.
struct ByteOffsets {
    starts: Vec<usize>,
}

impl ByteOffsets {
    fn new(text: &str) -> ByteOffsets {
        let mut starts: Vec<usize> = text.char_indices().map(|(byte, _)| byte).collect();
        starts.push(text.len());
        ByteOffsets { starts }
    }

    fn byte_at(&self, char_offset: usize) -> Option<usize> {
        self.starts.get(char_offset).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds_and_texts(text: &str) -> Vec<(Kind, String)> {
        suggest(text)
            .into_iter()
            .map(|suggestion| (suggestion.kind, suggestion.text))
            .collect()
    }

    #[test]
    fn offsets_are_characters() {
        let text = "Cliënt Jan Kloosterboer belde op 06-12345678 naar Café Zoë.";
        let suggestions = suggest(text);
        let chars: Vec<char> = text.chars().collect();
        for suggestion in &suggestions {
            let span: String = chars[suggestion.start..suggestion.end].iter().collect();
            assert_eq!(span, suggestion.text);
        }
        assert_eq!(
            suggestions[0],
            Suggestion {
                kind: Kind::Name,
                start: 7,
                end: 23,
                text: "Jan Kloosterboer".into()
            }
        );
        assert_eq!((suggestions[1].start, suggestions[1].end), (33, 44));
    }

    #[test]
    fn overlaps_keep_the_longer_and_more_specific_span() {
        let cases: &[(&str, &[(Kind, &str)])] = &[
            // The street looks like a name; the address is longer.
            (
                "Stuur het naar Van Goghlaan 141-B, 2514BA Den Haag.",
                &[
                    (Kind::Address, "Van Goghlaan 141-B"),
                    (Kind::Postcode, "2514BA"),
                ],
            ),
            // Nine digits inside a phone number are not a BSN.
            (
                "Bel 0031 645290415 maar.",
                &[(Kind::Phone, "0031 645290415")],
            ),
            // A name inside an e-mail address is the e-mail address.
            (
                "Mail naar Fatima.Yildiz@hotmail.com vandaag.",
                &[(Kind::Email, "Fatima.Yildiz@hotmail.com")],
            ),
        ];
        for (text, expected) in cases {
            let expected: Vec<(Kind, String)> = expected
                .iter()
                .map(|(kind, text)| (*kind, text.to_string()))
                .collect();
            assert_eq!(kinds_and_texts(text), expected, "{text}");
        }
    }

    #[test]
    fn suggestions_are_sorted_and_disjoint() {
        let text = "Mevrouw Jansen, Beukenlaan 7, 7413 XY, BSN 425774624, tel. 06-98765432, \
                    e.jansen@ziggo.nl, NL84 ABNA 4610 0330 76.";
        let suggestions = suggest(text);
        let kinds: Vec<Kind> = suggestions.iter().map(|s| s.kind).collect();
        assert_eq!(
            kinds,
            [
                Kind::Name,
                Kind::Address,
                Kind::Postcode,
                Kind::Bsn,
                Kind::Phone,
                Kind::Email,
                Kind::Iban
            ]
        );
        for pair in suggestions.windows(2) {
            assert!(pair[0].end <= pair[1].start);
        }
    }

    #[test]
    fn placeholders() {
        let expected = [
            "[naam]",
            "[adres]",
            "[postcode]",
            "[telefoonnummer]",
            "[e-mailadres]",
            "[IBAN]",
            "[BSN]",
        ];
        let placeholders: Vec<&str> = Kind::ALL.iter().map(|kind| kind.placeholder()).collect();
        assert_eq!(placeholders, expected);
        assert_eq!(serde_json::to_string(&Kind::Iban).unwrap(), "\"iban\"");
    }

    #[test]
    fn apply_replaces_accepted_spans_by_character_offsets() {
        let text = "Cliënt Zoë Çelik woont op Kerkweg 3a en belt 06-12345678.";
        let suggestions = suggest(text);
        assert_eq!(
            apply(text, &suggestions),
            "Cliënt [naam] woont op [adres] en belt [telefoonnummer]."
        );
        let only_phone: Vec<Suggestion> = suggestions
            .iter()
            .filter(|s| s.kind == Kind::Phone)
            .cloned()
            .collect();
        assert_eq!(
            apply(text, &only_phone),
            "Cliënt Zoë Çelik woont op Kerkweg 3a en belt [telefoonnummer]."
        );
        assert_eq!(apply(text, &[]), text);
        let out_of_range = Suggestion {
            kind: Kind::Name,
            start: 500,
            end: 510,
            text: String::new(),
        };
        assert_eq!(apply(text, &[out_of_range]), text);
    }

    #[test]
    fn strip_bsn_replaces_only_valid_bsns() {
        let cases = [
            ("BSN 111222333.", "BSN [BSN]."),
            ("bsn 123.456.782 en 123 456 782", "bsn [BSN] en [BSN]"),
            ("klantnummer 123456789", "klantnummer 123456789"),
            ("Fatima, 06-12345678", "Fatima, 06-12345678"),
            ("één BSN: 645290415", "één BSN: [BSN]"),
        ];
        for (text, expected) in cases {
            assert_eq!(strip_bsn(text), expected, "{text}");
        }
    }
}
