//! The personal details that have a shape: e-mail addresses, IBANs, BSNs, phone numbers, postcodes and
//! addresses, found with regular expressions and then checked where a check exists.
//!
//! A regular expression finds what looks right; the checks decide. A BSN must pass the elfproef and
//! an IBAN its mod-97 check digits (through the `iban_validate` crate, which also knows each
//! country's account format), so a nine-digit client number or a mistyped account is left alone.
//! Everything here works in byte offsets; `super` turns them into character offsets once.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::Kind;

/// A detail found in the text, in byte offsets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub kind: Kind,
    pub range: Range<usize>,
}

fn regex(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?i)\b[a-z0-9][a-z0-9._%+-]*@[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*\.[a-z]{2,}\b",
    )
});

/// Two letters, two check digits, then letters and digits in groups of four (or none).
static IBAN: LazyLock<Regex> =
    LazyLock::new(|| regex(r"(?i)\b[a-z]{2}[0-9]{2}(?: ?[a-z0-9]){11,30}"));

/// Nine digits, or three groups of three joined by the same dot or space.
static BSN: LazyLock<Regex> =
    LazyLock::new(|| regex(r"\b(?:[0-9]{9}|[0-9]{3}([. ])[0-9]{3}[. ][0-9]{3})\b"));

/// Dutch phone numbers: ten digits from a leading 0, nine after +31 or 0031, with a space, a dash or a
/// dot (a dash or dot may have spaces around it) anywhere between the digits, and the area code
/// optionally in brackets.
static PHONE: LazyLock<Regex> = LazyLock::new(|| {
    regex(
        r"(?x)
        (?:\+|\b00)31(?:\ ?[.-]\ ?|\ )?(?:\(0\)\ ?)?[1-9](?:(?:\ ?[.-]\ ?|\ )?[0-9]){8}\b
        | \(0[1-9][0-9]{1,2}\)\ ?[0-9](?:(?:\ ?[.-]\ ?|\ )?[0-9]){5,7}\b
        | \b0[1-9](?:(?:\ ?[.-]\ ?|\ )?[0-9]){8}\b
        ",
    )
});

/// Four digits (the first not 0), an optional space, two capital letters.
static POSTCODE: LazyLock<Regex> = LazyLock::new(|| regex(r"\b[1-9][0-9]{3} ?[A-Z]{2}\b"));

/// A day-month-year date, which a phone number must not contain.
static DATE: LazyLock<Regex> =
    LazyLock::new(|| regex(r"[0-9]{1,2}[-/.][0-9]{1,2}[-/.](?:19|20)[0-9]{2}"));

/// The endings of Dutch street names.
const STREET_ENDINGS: &str = "straat|straatje|laan|weg|plein|pleintje|singel|gracht|kade|dijk|dreef|hof|pad|steeg|park|markt|plantsoen|erf|baan|boulevard|wal|ring|akker|hoek|zijde|poort|haven|oord|dam";

/// A street ending in one of [`STREET_ENDINGS`] (with capitalised words and particles before it, as in
/// "Burgemeester de Withstraat"), or a street type followed by a name ("Laan van Meerdervoort"), then
/// a house number with an optional letter or addition ("3a", "141-B", "31-2").
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    regex(&format!(
        r"(?x)
        (?:
            \b(?:\p{{Lu}}[\p{{L}}'’.-]*\ (?:(?:van|de|der|den|het|ter|ten|'t)\ )*){{0,3}}
            \p{{Lu}}[\p{{L}}'’-]*?(?:{STREET_ENDINGS})
          | \b(?:Laan|Weg|Plein|Kade|Hof|Dreef)(?:\ (?:van|de|der|den|het|ter|ten|op))+\ \p{{Lu}}[\p{{L}}'’-]+
        )
        \ [1-9][0-9]{{0,4}}(?:-?[A-Za-z]{{1,2}}|-[0-9]{{1,4}}|\ [A-Z])?\b
        "
    ))
});

/// Capitalised words a sentence may start with before a street name; they are not part of it.
const NOT_STREET_WORDS: &[&str] = &[
    "aan", "achter", "adres", "bij", "en", "in", "langs", "naar", "of", "op", "over", "richting",
    "tot", "uit", "vanaf", "via", "voor", "woont",
];

/// Every shaped detail in `text`, possibly overlapping; `super` decides between overlaps.
pub fn find(text: &str) -> Vec<Found> {
    let mut found = Vec::new();
    found.extend(emails(text));
    found.extend(ibans(text));
    found.extend(bsns(text));
    found.extend(phones(text));
    found.extend(postcodes(text));
    found.extend(addresses(text));
    found
}

fn found(kind: Kind, range: Range<usize>) -> Found {
    Found { kind, range }
}

fn emails(text: &str) -> impl Iterator<Item = Found> + '_ {
    EMAIL.find_iter(text).map(|m| found(Kind::Email, m.range()))
}

/// IBANs: the longest stretch that ends at a group boundary and passes the checks.
fn ibans(text: &str) -> Vec<Found> {
    let mut result = Vec::new();
    for candidate in IBAN.find_iter(text) {
        let start = candidate.start();
        let ends: Vec<usize> = candidate
            .as_str()
            .char_indices()
            .filter(|(_, c)| c.is_ascii_alphanumeric())
            .map(|(i, c)| start + i + c.len_utf8())
            .collect();
        let valid_end = ends.iter().rev().copied().find(|&end| {
            let boundary = !text[end..]
                .chars()
                .next()
                .is_some_and(|c| c.is_alphanumeric());
            boundary && is_valid_iban(&text[start..end])
        });
        if let Some(end) = valid_end {
            result.push(found(Kind::Iban, start..end));
        }
    }
    result
}

/// Whether `text` (spaces allowed, any case) is an IBAN with valid check digits and account format.
pub fn is_valid_iban(text: &str) -> bool {
    let compact: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| c.to_ascii_uppercase())
        .collect();
    compact.parse::<iban::Iban>().is_ok()
}

fn bsns(text: &str) -> Vec<Found> {
    BSN.captures_iter(text)
        .filter_map(|captures| {
            let whole = captures.get(0)?;
            let separators_agree = captures
                .get(1)
                .is_none_or(|first| whole.as_str().matches(first.as_str()).count() == 2);
            (separators_agree && passes_elfproef(whole.as_str()))
                .then(|| found(Kind::Bsn, whole.range()))
        })
        .collect()
}

/// The BSN check: 9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11, and the number is not all zeros.
pub fn passes_elfproef(text: &str) -> bool {
    let digits: Vec<u32> = text.chars().filter_map(|c| c.to_digit(10)).collect();
    if digits.len() != 9 || digits.iter().all(|&d| d == 0) {
        return false;
    }
    let sum: i64 = digits
        .iter()
        .zip([9, 8, 7, 6, 5, 4, 3, 2, -1])
        .map(|(&d, weight)| i64::from(d) * weight)
        .sum();
    sum % 11 == 0
}

fn phones(text: &str) -> Vec<Found> {
    PHONE
        .find_iter(text)
        .filter(|m| is_personal_phone(m.as_str()))
        .map(|m| found(Kind::Phone, m.range()))
        .collect()
}

/// Leaves out free and paid service numbers (0800, 090x), which belong to organisations, and dates
/// that happen to run into a number.
fn is_personal_phone(number: &str) -> bool {
    let digits: String = number.chars().filter(char::is_ascii_digit).collect();
    let national = if let Some(rest) = digits.strip_prefix("0031") {
        format!("0{rest}")
    } else if let Some(rest) = digits
        .strip_prefix("31")
        .filter(|_| number.starts_with('+'))
    {
        format!("0{}", rest.trim_start_matches('0'))
    } else {
        digits
    };
    national.len() == 10
        && !national.starts_with("0800")
        && !national.starts_with("090")
        && !DATE.is_match(number)
}

fn postcodes(text: &str) -> Vec<Found> {
    POSTCODE
        .find_iter(text)
        .filter(|m| !matches!(&m.as_str()[m.as_str().len() - 2..], "SA" | "SD" | "SS"))
        .map(|m| found(Kind::Postcode, m.range()))
        .collect()
}

fn addresses(text: &str) -> Vec<Found> {
    ADDRESS
        .find_iter(text)
        .map(|m| {
            let mut start = m.start();
            // A capitalised sentence start ("Bij", "Naar", "De" before "Kerkstraat") is not part
            // of the street.
            while let Some((word, rest)) = text[start..m.end()].split_once(' ') {
                let lower = word.to_lowercase();
                let not_street = NOT_STREET_WORDS.contains(&lower.as_str())
                    || (matches!(word, "De" | "Het") && is_common_street(rest));
                if not_street && !rest.starts_with(char::is_numeric) {
                    start += word.len() + 1;
                } else {
                    break;
                }
            }
            found(Kind::Address, start..m.end())
        })
        .collect()
}

/// Whether `street` (what follows a capitalised "De") is an everyday word with a street ending, such as
/// "Kerkstraat 5", rather than a street named after someone, such as "Ruyterstraat 5" in "De
/// Ruyterstraat".
fn is_common_street(street: &str) -> bool {
    let word = street.split(' ').next().unwrap_or(street).to_lowercase();
    STREET_ENDINGS.split('|').any(|ending| {
        word.strip_suffix(ending).is_some_and(|stem| {
            let stem = stem
                .strip_suffix('s')
                .filter(|s| !s.is_empty())
                .unwrap_or(stem);
            !stem.is_empty() && super::lexicon::is_dutch_word(stem)
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The texts of every detail of `kind` found in `text`.
    fn check(kind: Kind, text: &str) -> Vec<&str> {
        let mut found: Vec<&Found> = Vec::new();
        let all = find(text);
        found.extend(all.iter().filter(|f| f.kind == kind));
        found.iter().map(|f| &text[f.range.clone()]).collect()
    }

    #[test]
    fn elfproef() {
        let cases = [
            ("111222333", true),
            ("123456782", true),
            ("123.456.782", true),
            ("123 456 782", true),
            ("645290415", true),
            ("123456789", false),
            ("000000000", false),
            ("12345678", false),
            ("1234567820", false),
            ("111222334", false),
        ];
        for (number, valid) in cases {
            assert_eq!(passes_elfproef(number), valid, "{number}");
        }
    }

    #[test]
    fn bsns_in_text() {
        let cases: &[(&str, &[&str])] = &[
            ("BSN 111222333.", &["111222333"]),
            ("bsn: 123.456.782, geboren", &["123.456.782"]),
            ("nummer 123 456 782 op de pas", &["123 456 782"]),
            ("klantnummer 123456789", &[]),
            ("gemengd 123.456 782", &[]),
            ("te lang 1112223334", &[]),
            ("rekening NL91ABNA0417164300", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(check(Kind::Bsn, text), *expected, "{text}");
        }
    }

    #[test]
    fn ibans() {
        let cases: &[(&str, &[&str])] = &[
            (
                "naar NL91 ABNA 0417 1643 00 van",
                &["NL91 ABNA 0417 1643 00"],
            ),
            ("naar NL91ABNA0417164300.", &["NL91ABNA0417164300"]),
            ("naar nl91abna0417164300", &["nl91abna0417164300"]),
            ("BE68 5390 0754 7034 graag", &["BE68 5390 0754 7034"]),
            (
                "DE89 3704 0044 0532 0130 00",
                &["DE89 3704 0044 0532 0130 00"],
            ),
            ("tikfout NL91ABNA0417164301", &[]),
            ("tikfout NL91 ABNA 0417 1643 01 hier", &[]),
            (
                "NL91 ABNA 0417 1643 00 EN NOG WAT",
                &["NL91 ABNA 0417 1643 00"],
            ),
        ];
        for (text, expected) in cases {
            assert_eq!(check(Kind::Iban, text), *expected, "{text}");
        }
        assert!(is_valid_iban("NL20INGB0001234567"));
        assert!(!is_valid_iban("NL20INGB000123456"));
    }

    #[test]
    fn phones() {
        let cases: &[(&str, &[&str])] = &[
            ("bel 06-12345678.", &["06-12345678"]),
            ("bel 06 1234 5678 nu", &["06 1234 5678"]),
            ("bel 0612345678", &["0612345678"]),
            ("bel 06 12 34 56 78", &["06 12 34 56 78"]),
            ("bel +31 6 12345678", &["+31 6 12345678"]),
            ("bel +31612345678", &["+31612345678"]),
            ("bel +31 (0)6 12345678", &["+31 (0)6 12345678"]),
            ("bel 0031 6 87654321", &["0031 6 87654321"]),
            ("bel 020-1234567", &["020-1234567"]),
            ("bel 010 123 4567", &["010 123 4567"]),
            ("bel 0570-123456", &["0570-123456"]),
            ("bel 06 - 123 456 78 nu", &["06 - 123 456 78"]),
            ("tel: 0570 - 12 34 56 (na vijven)", &["0570 - 12 34 56"]),
            ("bel (020) 123 45 67.", &["(020) 123 45 67"]),
            ("gratis 0800-1234567", &[]),
            ("betaald 0900-1234567", &[]),
            ("gemeente 14 0570", &[]),
            ("te kort 06-1234567", &[]),
            ("op 06-12-2023 12 mensen", &[]),
            ("om 10.30 uur, kamer 1.12", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(check(Kind::Phone, text), *expected, "{text}");
        }
    }

    #[test]
    fn postcodes() {
        let cases: &[(&str, &[&str])] = &[
            ("7411 AB Veenstede", &["7411 AB"]),
            ("1234AB.", &["1234AB"]),
            ("9999 ZZ", &["9999 ZZ"]),
            ("0123 AB", &[]),
            ("1000 SA", &[]),
            ("1000 SD", &[]),
            ("1000 SS", &[]),
            ("1234 ab", &[]),
            ("12345 AB", &[]),
            ("1234 ABC", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(check(Kind::Postcode, text), *expected, "{text}");
        }
    }

    #[test]
    fn emails() {
        let cases: &[(&str, &[&str])] = &[
            ("mail j.devries@gmail.com.", &["j.devries@gmail.com"]),
            (
                "(s.visser@jong-veenstede.nl)",
                &["s.visser@jong-veenstede.nl"],
            ),
            (
                "Fatma.Yildiz+buurt@Hotmail.COM",
                &["Fatma.Yildiz+buurt@Hotmail.COM"],
            ),
            ("geen adres @ hier", &[]),
            ("naam@localhost", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(check(Kind::Email, text), *expected, "{text}");
        }
    }

    #[test]
    fn addresses() {
        let cases: &[(&str, &[&str])] = &[
            ("aan de Dorpsstraat 12 en", &["Dorpsstraat 12"]),
            ("Kerkweg 3a, 7411 AB", &["Kerkweg 3a"]),
            ("naar Van Goghlaan 141-B, 2514BA", &["Van Goghlaan 141-B"]),
            ("op de Oude Kerkstraat 14 boven", &["Oude Kerkstraat 14"]),
            (
                "Burgemeester de Withstraat 5.",
                &["Burgemeester de Withstraat 5"],
            ),
            (
                "naar Laan van Meerdervoort 200 in",
                &["Laan van Meerdervoort 200"],
            ),
            ("Julianaplein 31-2 en", &["Julianaplein 31-2"]),
            ("Bij Stationsplein 1 van 9.00", &["Stationsplein 1"]),
            ("de Hoofdstraat 101 A", &["Hoofdstraat 101 A"]),
            ("De Kerkstraat 5 is verkocht", &["Kerkstraat 5"]),
            ("De Ruyterstraat 5 is verkocht", &["De Ruyterstraat 5"]),
            ("aan de Molenstraat is", &[]),
            ("Postbus 15, 7400 AA", &[]),
            ("de dorpsstraat 12", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(check(Kind::Address, text), *expected, "{text}");
        }
    }
}
