//! Dutch word forms the Snowball stemmer does not join, and Dutch compounds, both decided with the
//! OpenTaal word list the product ships (`src/redact/names/dutch_words.txt`, 353k words with their
//! inflected forms).
//!
//! [`lemma`] turns a word into the form the stemmer should see: a strong verb's form into its
//! infinitive (`dutch/irregular_verbs.txt`: "hielp" → "helpen"); a regular
//! verb's past tense, participle or present form into its infinitive ("bereikte", "bereikt" →
//! "bereiken", "voelde" → "voelen") when the word list holds that verb's infinitive, past tense and
//! participle, and the ending fits the stem ("'t kofschip": "voelde" but "bereikte", so "ruimte" is
//! never read as a past tense of "ruimen"); a plural in -s after a vowel into its singular
//! ("situaties" → "situatie", "bureaus" → "bureau", "maatjes" → "maatje"). [`fixed_term`] then gives
//! the words the stemmer would merge with another word their own term (`dutch/terms.txt`:
//! "kopen" to buy is not "koppen" cups).
//!
//! [`parts`] splits a compound into the words it is made of ("buurthuis" → "buurt", "huis";
//! "mantelzorgsalon" → "mantelzorg", "salon", "mantel", "zorg"), with the linking -s-, -e- or -en-
//! between them (the split with the longest first part, and the one with the longest last part:
//! "houtwerkplaats" is "houtwerk" + "plaats" and "hout" + "werkplaats"), and gives a compound agent
//! noun its base ("mantelzorger" → "mantelzorg"). A split needs both parts in the word list, each at
//! least four letters; prefixes and suffixes that are also words ("voor", "heid", "schap") never
//! count as a part. The index keeps parts in a field of their own, weighted below the words
//! themselves (see `analysis.rs`).
//!
//! The word list is the set name detection already reads (`redact::lexicon::DUTCH_WORDS`, references
//! into the text the binary holds), so search and redaction share one copy.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::redact::lexicon::DUTCH_WORDS;

const IRREGULAR_VERBS: &str = include_str!("dutch/irregular_verbs.txt");
const TERMS: &str = include_str!("dutch/terms.txt");

/// Parts shorter than this are not split off: three-letter words ("ver", "bij", "aan") are mostly
/// prefixes.
const MIN_PART: usize = 4;
/// A word's base (without -er) must be at least this long to count as its part.
const MIN_AGENT_BASE: usize = 6;
/// How deep parts are split again ("buurthuiskamer" → "buurthuis", "kamer" → "buurt", "huis").
const MAX_DEPTH: usize = 3;

/// First parts that are prefixes or particles more than words: "voorstel" is not a "stel".
const NOT_HEADS: &[&str] = &[
    "aller", "achter", "binnen", "buiten", "door", "heen", "langs", "mede", "neer", "onder",
    "open", "over", "rond", "samen", "tegen", "terug", "tussen", "voor", "vooraf", "weder",
    "wederom",
];

/// Last parts that are suffixes more than words: "eenzaamheid" is not a kind of "heid" (heath).
const NOT_TAILS: &[&str] = &[
    "aard", "aards", "achtig", "achtige", "baar", "bare", "dom", "eren", "heden", "heid", "ing",
    "ingen", "isch", "ische", "lijk", "lijke", "lijker", "ling", "lingen", "loos", "loze", "nis",
    "nissen", "schap", "schappen", "ster", "sters", "tjes", "waardig", "zaam", "zame", "elijk",
    "elijke", "erij", "erijen", "ende", "enden", "tje", "tjes", "heid", "igen", "tigen",
];

/// Folded forms of the listed words with diacritics ("cafe" for "café"), as analysed text has them.
static FOLDED: LazyLock<HashSet<String>> = LazyLock::new(|| {
    DUTCH_WORDS
        .iter()
        .filter(|word| !word.is_ascii())
        .map(|word| fold(word))
        .collect()
});

/// Strong verbs' forms, each with its infinitive.
static IRREGULAR: LazyLock<HashMap<&'static str, &'static str>> =
    LazyLock::new(|| table(IRREGULAR_VERBS));

/// Forms the stemmer would merge with another word, each with the term it is indexed as.
static FIXED: LazyLock<HashMap<&'static str, &'static str>> = LazyLock::new(|| table(TERMS));

/// Reads a `key: form form …` table into form → key.
fn table(text: &'static str) -> HashMap<&'static str, &'static str> {
    text.lines()
        .filter(|line| !line.starts_with('#'))
        .filter_map(|line| line.split_once(':'))
        .flat_map(|(key, forms)| {
            let key = key.trim();
            forms.split_whitespace().map(move |form| (form, key))
        })
        .collect()
}

/// Whether the word list holds a (folded, lowercase) word.
pub fn is_word(word: &str) -> bool {
    DUTCH_WORDS.contains(word) || FOLDED.contains(word)
}

/// Folds the Latin letters with diacritics Dutch uses to their plain letter.
fn fold(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ý' | 'ÿ' => 'y',
            'ç' => 'c',
            'ñ' => 'n',
            other => other,
        })
        .collect()
}

/// The term a word is indexed as when the stemmer would merge it with a different word.
pub fn fixed_term(word: &str) -> Option<&'static str> {
    FIXED.get(word).copied()
}

fn is_vowel(c: u8) -> bool {
    b"aeiouy".contains(&c)
}

/// Whether a verb stem takes -te/-t (rather than -de/-d) in the past tense: it ends in one of the
/// consonants of "'t kofschip" (t, k, f, s, ch, p) or x.
fn takes_t(stem: &str) -> bool {
    stem.ends_with("ch")
        || matches!(
            stem.as_bytes().last(),
            Some(b't' | b'k' | b'f' | b's' | b'p' | b'x')
        )
}

/// The infinitive of a verb stem, if the word list holds it: "voel" → "voelen", "maak" → "maken",
/// "leef" → "leven", "reis" → "reizen", "plan" → "plannen".
fn infinitive(stem: &str) -> Option<String> {
    let bytes = stem.as_bytes();
    let n = bytes.len();
    if n < 2 {
        return None;
    }
    let last = bytes[n - 1];
    // A short vowel keeps its consonant doubled: "plan" → "plannen", "zet" → "zetten" (and
    // "mat" is not "maten"); an unstressed one does not ("regel" → "regelen").
    if !is_vowel(last) && is_vowel(bytes[n - 2]) && (n < 3 || !is_vowel(bytes[n - 3])) {
        let doubled = format!("{stem}{}en", last as char);
        if is_word(&doubled) {
            return Some(doubled);
        }
    }
    let mut candidates = vec![format!("{stem}en")];
    // A long vowel in a closed syllable is written single in an open one: "maak" → "maken".
    let body =
        if n >= 3 && bytes[n - 2] == bytes[n - 3] && is_vowel(bytes[n - 2]) && !is_vowel(last) {
            format!("{}{}", &stem[..n - 2], last as char)
        } else {
            stem.to_string()
        };
    let voiced = |body: &str| match body.as_bytes().last() {
        Some(b'f') => format!("{}ven", &body[..body.len() - 1]),
        Some(b's') => format!("{}zen", &body[..body.len() - 1]),
        _ => format!("{body}en"),
    };
    candidates.push(voiced(&body));
    if body != stem {
        candidates.push(format!("{body}en"));
    }
    candidates.into_iter().find(|candidate| is_word(candidate))
}

/// The endings a regular verb stem takes in the past tense and participle: -t for a stem ending in
/// one of the consonants of "'t kofschip" (t, k, f, s, ch, p, x), -d otherwise, and either after f
/// and s, which stand for v and z in the infinitive ("leefde", "reisde" but "blafte", "fietste").
fn endings(stem: &str) -> &'static [char] {
    if stem.ends_with('f') || stem.ends_with('s') {
        &['t', 'd']
    } else if takes_t(stem) {
        &['t']
    } else {
        &['d']
    }
}

/// Prefixes after which a participle may have no ge- ("bereikt", "ondersteund").
const UNSTRESSED_PREFIXES: &[&str] = &[
    "be", "ge", "ver", "ont", "her", "er", "onder", "over", "door", "mis", "vol", "achter",
];

/// The past participles a regular verb stem may have: "voel" → "gevoeld", "bereik" → "bereikt"
/// (no ge- after an unstressed prefix), "ondersteun" → "ondersteund".
fn participles(stem: &str) -> Vec<String> {
    let prefixed = UNSTRESSED_PREFIXES
        .iter()
        .any(|prefix| stem.len() > prefix.len() + 2 && stem.starts_with(prefix));
    let mut forms = Vec::new();
    for ending in endings(stem) {
        let ending = if stem.ends_with('t') || stem.ends_with('d') {
            String::new()
        } else {
            ending.to_string()
        };
        forms.push(format!("ge{stem}{ending}"));
        if prefixed {
            forms.push(format!("{stem}{ending}"));
        }
    }
    forms
}

/// The past tense singular forms a regular verb stem may have: "voel" → "voelde".
fn pasts(stem: &str) -> Vec<String> {
    endings(stem)
        .iter()
        .map(|ending| format!("{stem}{ending}e"))
        .collect()
}

/// Infinitives of the strong verbs, whose present forms follow the rules but whose past does not.
static STRONG: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| IRREGULAR.values().copied().collect());

/// The infinitive of a verb whose stem is `stem`, if the word list holds it: for a regular verb with
/// its past tense and participle, for a strong verb from the table when `present` (its past is in
/// the table itself).
fn verb_of(stem: &str, present: bool) -> Option<String> {
    if stem.len() < 3 {
        return None;
    }
    let infinitive = infinitive(stem)?;
    let regular = pasts(stem).iter().any(|form| is_word(form))
        && participles(stem).iter().any(|form| is_word(form));
    (regular || (present && STRONG.contains(infinitive.as_str()))).then_some(infinitive)
}

/// Whether `stem` + `consonant` is a word of its own rather than a form of the verb `stem`.
fn is_noun_in_en(stem: &str, consonant: &str) -> bool {
    let word = format!("{stem}{consonant}");
    is_word(&word) && word != format!("{stem}t") && !participles(stem).contains(&word)
}

/// The infinitive a verb form belongs to, for regular verbs and the present of strong ones.
fn verb_form(word: &str) -> Option<String> {
    // Past tense: "voelde", "voelden", "bereikte", "bereikten".
    for ending in ["te", "de", "ten", "den"] {
        if let Some(stem) = word.strip_suffix(ending)
            && endings(stem).contains(&ending.chars().next().unwrap_or('t'))
            // A noun in -te has a plural in -s ("ruimtes", "diepten" and "dieptes"); a past
            // tense has none.
            && !is_word(&format!("{stem}{}es", &ending[..1]))
            // A plural in -den/-ten of a word of its own is a noun ("maanden" of "maand", not
            // "manen"); "bereikten" of "bereikt" is a past tense.
            && !(ending.len() == 3 && is_noun_in_en(stem, &ending[..1]))
            && let Some(infinitive) = verb_of(stem, false)
        {
            return Some(infinitive);
        }
    }
    // Participle: "gevoeld", "gewerkt", "bereikt", "verteld", "geantwoord".
    if word.ends_with('t') || word.ends_with('d') {
        let inner = word.strip_prefix("ge").unwrap_or(word);
        for stem in [&inner[..inner.len() - 1], inner] {
            if participles(stem).iter().any(|form| form == word)
                && let Some(infinitive) = verb_of(stem, false)
            {
                return Some(infinitive);
            }
        }
    }
    // Present: "voelt", "werkt", "helpt". A word whose plural in -en is a word of its own and not
    // this verb's past tense is a noun ("plant", "planten").
    if let Some(stem) = word.strip_suffix('t')
        && (takes_t(stem) || !is_word(&format!("{word}en")))
        && let Some(infinitive) = verb_of(stem, true)
    {
        return Some(infinitive);
    }
    None
}

/// The form of a (lowercase, folded) Dutch word the stemmer should see: see the module comment.
pub fn lemma(word: &str) -> Option<String> {
    if let Some(infinitive) = IRREGULAR.get(word) {
        return Some((*infinitive).to_string());
    }
    if word.len() < 4 || !word.is_ascii() {
        return None;
    }
    // Diminutive plurals: "maatjes" → "maatje".
    if word.ends_with("jes") {
        return Some(word[..word.len() - 1].to_string());
    }
    // Plurals in -s after -en, which the stemmer takes for the whole ending: "jongens" → "jongen".
    if let Some(singular) = word.strip_suffix('s')
        && singular.len() > MIN_PART
        && singular.ends_with("en")
        && is_word(singular)
    {
        return Some(singular.to_string());
    }
    // Plurals in -s after a vowel: "situaties", "bureaus", "ruimtes", "cafes".
    if let Some(singular) = word.strip_suffix('s')
        && singular.len() >= MIN_PART
        && is_vowel(singular.as_bytes()[singular.len() - 1])
        && is_word(singular)
    {
        return Some(singular.to_string());
    }
    verb_form(word)
}

/// The words a (lowercase, folded) Dutch compound is made of, unstemmed; empty for a word that is
/// not one. See the module comment.
pub fn parts(word: &str) -> Vec<String> {
    let mut found = Vec::new();
    collect_parts(word, 0, &mut found);
    found.sort_unstable();
    found.dedup();
    found.retain(|part| part != word);
    found
}

fn collect_parts(word: &str, depth: usize, found: &mut Vec<String>) {
    if depth >= MAX_DEPTH || !word.is_ascii() {
        return;
    }
    if let Some(base) = agent_base(word) {
        found.push(base.to_string());
        collect_parts(base, depth + 1, found);
    }
    for (head, tail) in splits(word) {
        found.push(head.to_string());
        found.push(tail.to_string());
        collect_parts(head, depth + 1, found);
        collect_parts(tail, depth + 1, found);
    }
}

/// The split with the longest first part, and the one with the longest last part when the first
/// part splits there too: "houtwerkplaats" is "houtwerk" + "plaats" and "hout" + "werkplaats",
/// while "buurthuis" is only "buurt" + "huis" (not "buur" + "thuis").
fn splits(word: &str) -> Vec<(&str, &str)> {
    let Some((head, tail)) = split(word, true) else {
        return Vec::new();
    };
    let mut found = vec![(head, tail)];
    if let Some((short_head, long_tail)) = split(word, false)
        && long_tail != tail
        && split(head, false).is_some_and(|(inner, _)| inner == short_head)
    {
        found.push((short_head, long_tail));
    }
    found
}

/// The base of a compound agent noun in -er(s)/-ster(s): "mantelzorgers" → "mantelzorg",
/// "buurtwerker" → "buurtwerk". Only a compound base counts: "begeleiders" are not what was
/// "begeleid", and "wonder" is no "wond".
pub fn agent_base(word: &str) -> Option<&str> {
    ["sters", "ster", "ers", "er"]
        .iter()
        .filter_map(|ending| word.strip_suffix(ending))
        .find(|base| base.len() >= MIN_AGENT_BASE && is_word(base) && split(base, true).is_some())
}

/// The longest (or shortest) first part and the rest, both words of at least [`MIN_PART`] letters,
/// with an optional linking -s-, -e- or -en- between them.
fn split(word: &str, longest_head: bool) -> Option<(&str, &str)> {
    if word.len() < 2 * MIN_PART {
        return None;
    }
    let ends = MIN_PART..=word.len() - MIN_PART;
    let ends: Box<dyn Iterator<Item = usize>> = if longest_head {
        Box::new(ends.rev())
    } else {
        Box::new(ends)
    };
    for end in ends {
        let head = &word[..end];
        if NOT_HEADS.contains(&head) || !is_word(head) {
            continue;
        }
        for link in ["", "s", "en", "e"] {
            let Some(tail) = word[end..].strip_prefix(link) else {
                continue;
            };
            if tail.len() >= MIN_PART && !NOT_TAILS.contains(&tail) && is_word(tail) {
                return Some((head, tail));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compounds_split_into_words() {
        let cases: &[(&str, &[&str])] = &[
            ("buurthuis", &["buurt", "huis"]),
            ("vertelsessie", &["sessie", "vertel"]),
            ("eenzaamheid", &[]),
            ("ouderenadviseur", &["adviseur", "ouderen"]),
            ("begeleiders", &[]),
            ("voorstel", &[]),
            ("verhaal", &[]),
            ("wonder", &[]),
        ];
        for (word, want) in cases {
            assert_eq!(parts(word), *want, "{word}");
        }
        assert!(parts("mantelzorgsalon").contains(&"mantelzorg".to_string()));
        assert!(parts("mantelzorgers").contains(&"mantelzorg".to_string()));
        assert!(parts("buurtwerker").contains(&"buurtwerk".to_string()));
        assert!(parts("houtwerkplaats").contains(&"werkplaats".to_string()));
    }
}
