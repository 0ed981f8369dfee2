//! The word lists name detection leans on, shipped with the product as text files under
//! `src/redact/names/` (see the README there for where each came from) and read once into sets.
//!
//! Every list is lowercase, one entry a line, sorted. A test below keeps them so, because a list that
//! drifts out of order or case is a list nobody can review.

use std::collections::HashSet;
use std::sync::LazyLock;

/// The lists as shipped, by file name, so the test can check their shape.
const LISTS: &[(&str, &str)] = &[
    ("first_names.txt", include_str!("names/first_names.txt")),
    (
        "first_names_dutch.txt",
        include_str!("names/first_names_dutch.txt"),
    ),
    (
        "first_names_turkish_kurdish.txt",
        include_str!("names/first_names_turkish_kurdish.txt"),
    ),
    (
        "first_names_moroccan_arabic.txt",
        include_str!("names/first_names_moroccan_arabic.txt"),
    ),
    (
        "first_names_surinamese_caribbean.txt",
        include_str!("names/first_names_surinamese_caribbean.txt"),
    ),
    (
        "first_names_eastern_european.txt",
        include_str!("names/first_names_eastern_european.txt"),
    ),
    (
        "first_names_middle_east_africa.txt",
        include_str!("names/first_names_middle_east_africa.txt"),
    ),
    ("last_names.txt", include_str!("names/last_names.txt")),
    (
        "surnames_dutch.txt",
        include_str!("names/surnames_dutch.txt"),
    ),
    (
        "surnames_turkish_kurdish.txt",
        include_str!("names/surnames_turkish_kurdish.txt"),
    ),
    (
        "surnames_moroccan_arabic.txt",
        include_str!("names/surnames_moroccan_arabic.txt"),
    ),
    (
        "surnames_surinamese_caribbean.txt",
        include_str!("names/surnames_surinamese_caribbean.txt"),
    ),
    (
        "surnames_eastern_european.txt",
        include_str!("names/surnames_eastern_european.txt"),
    ),
    (
        "surnames_middle_east_africa.txt",
        include_str!("names/surnames_middle_east_africa.txt"),
    ),
    ("dutch_words.txt", include_str!("names/dutch_words.txt")),
    ("places.txt", include_str!("names/places.txt")),
    ("not_names.txt", include_str!("names/not_names.txt")),
    ("org_words.txt", include_str!("names/org_words.txt")),
    ("cues.txt", include_str!("names/cues.txt")),
];

/// Name particles: the small words inside a name ("Jan van der Berg", "Fatima el Amrani").
pub const PARTICLES: &[&str] = &[
    "van", "de", "der", "den", "het", "'t", "ter", "ten", "te", "el", "al", "ben", "bin", "ibn",
    "bint", "abu", "abou", "ait", "ould", "da", "di", "du", "dos", "das", "del", "della", "la",
    "le", "von", "zu", "in", "op", "uit",
];

/// Particles that only join a name when another particle follows ("in 't Veld", "op den Akker"):
/// on their own they are the everyday prepositions.
pub const LEADING_ONLY_PARTICLES: &[&str] = &["in", "op", "uit", "te"];

fn list(name: &str) -> &'static str {
    LISTS
        .iter()
        .find(|(file, _)| *file == name)
        .map(|(_, text)| *text)
        .expect("a shipped list")
}

fn set_of(names: &[&str]) -> HashSet<&'static str> {
    names
        .iter()
        .flat_map(|name| list(name).lines())
        .filter(|line| !line.is_empty())
        .collect()
}

/// First names: the zxcvbn-ts Dutch (Belgian) lists and the curated lists of the communities that
/// live in Dutch municipalities.
pub static FIRST_NAMES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    set_of(&[
        "first_names.txt",
        "first_names_dutch.txt",
        "first_names_turkish_kurdish.txt",
        "first_names_moroccan_arabic.txt",
        "first_names_surinamese_caribbean.txt",
        "first_names_eastern_european.txt",
        "first_names_middle_east_africa.txt",
    ])
});

/// Surnames as written with their particles ("de vries"), and their last word on its own ("vries"),
/// because a story writes "mevrouw De Vries" and "Vries" alike.
pub static SURNAMES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| {
    let full = set_of(&[
        "last_names.txt",
        "surnames_dutch.txt",
        "surnames_turkish_kurdish.txt",
        "surnames_moroccan_arabic.txt",
        "surnames_surinamese_caribbean.txt",
        "surnames_eastern_european.txt",
        "surnames_middle_east_africa.txt",
    ]);
    let cores: Vec<&'static str> = full
        .iter()
        .filter_map(|name| name.rsplit_once(' ').map(|(_, core)| core))
        .collect();
    full.into_iter().chain(cores).collect()
});

/// Dutch words as written in lowercase (the OpenTaal word list): a capitalised word that is one of
/// these is more likely a sentence start or a noun than a name.
pub static DUTCH_WORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| set_of(&["dutch_words.txt"]));

/// Capitalised words and phrases that are not people: places, countries, nationalities and
/// languages, holidays, shops and brands, public bodies, the product's own words, months and days.
pub static NOT_NAMES: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| set_of(&["places.txt", "not_names.txt"]));

/// The longest phrase in [`NOT_NAMES`], in words, so phrase look-ups know how far to look.
pub static LONGEST_NOT_NAME: LazyLock<usize> = LazyLock::new(|| {
    NOT_NAMES
        .iter()
        .map(|phrase| phrase.split(' ').count())
        .max()
        .unwrap_or(1)
});

/// Words that make the capitalised words after them an organisation or a venue ("Stichting
/// Buurtwerk", "buurthuis De Pijler").
pub static ORG_WORDS: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| set_of(&["org_words.txt"]));

/// Honorifics, relations and roles that a name follows ("mevrouw Bakker", "mijn zoon Daan").
pub static CUES: LazyLock<HashSet<&'static str>> = LazyLock::new(|| set_of(&["cues.txt"]));

pub fn is_first_name(lower: &str) -> bool {
    FIRST_NAMES.contains(lower)
}

pub fn is_surname(lower: &str) -> bool {
    SURNAMES.contains(lower)
}

pub fn is_dutch_word(lower: &str) -> bool {
    DUTCH_WORDS.contains(lower)
}

pub fn is_particle(lower: &str) -> bool {
    PARTICLES.contains(&lower)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_lowercase_sorted_and_without_duplicates() {
        for (name, text) in LISTS {
            let lines: Vec<&str> = text.lines().collect();
            assert!(!lines.is_empty(), "{name} is empty");
            for pair in lines.windows(2) {
                assert!(
                    pair[0] < pair[1],
                    "{name}: {:?} before {:?}",
                    pair[0],
                    pair[1]
                );
            }
            for line in &lines {
                assert_eq!(
                    *line,
                    line.to_lowercase(),
                    "{name}: {line:?} is not lowercase"
                );
                assert_eq!(*line, line.trim(), "{name}: {line:?} has spaces around it");
            }
        }
    }

    #[test]
    fn lists_answer() {
        type Check = fn(&str) -> bool;
        let cases: &[(&str, Check, bool)] = &[
            ("fatima", is_first_name, true),
            ("krzysztof", is_first_name, true),
            ("henk", is_first_name, true),
            ("vries", is_surname, true),
            ("de vries", is_surname, true),
            ("yılmaz", is_surname, true),
            ("voedselbank", is_dutch_word, true),
            ("kloosterboer", is_dutch_word, false),
            ("el", is_particle, true),
        ];
        for (word, check, expected) in cases {
            assert_eq!(check(word), *expected, "{word}");
        }
        assert!(NOT_NAMES.contains("albert heijn"));
        assert!(*LONGEST_NOT_NAME >= 4);
        assert!(CUES.contains("buurvrouw") && ORG_WORDS.contains("stichting"));
    }
}
