//! Finding people's names in Dutch story text.
//!
//! Names have no shape, so this weighs clues. A run of capitalised words (with particles such as
//! "van der" or "el" between them) is a name when one of its words is a known first name or surname
//! (from the lists in [`super::lexicon`]), when a relation or honorific comes right before it ("mijn
//! dochter Sanne", "mevrouw De Vries"), or when, in the middle of a sentence, one of its words is not a
//! Dutch word at all ("Kloosterboer"). Against that weigh: a capitalised word that only starts a
//! sentence, places, nationalities, holidays, shops and public bodies, organisations ("Stichting
//! Buurtwerk", "de Voedselbank", "buurthuis De Pijler"), streets, and the town after a postcode.
//! A known first name typed in lowercase ("fatima") counts too. The Dutch word list only speaks for
//! Dutch text: in a story in another language, lists and cues alone decide.
//!
//! It errs on the side of suggesting: a moderator accepts or ignores each suggestion, and a name left
//! in a published story costs more than a word needlessly offered for redaction.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use crate::language::{Language, LanguageDetector};

use super::lexicon::{self, CUES, LEADING_ONLY_PARTICLES, LONGEST_NOT_NAME, NOT_NAMES, ORG_WORDS};

/// Words before which a capitalised word names a place, unless it is a known first name ("naar
/// Almere" but "naar Ahmed"); many surnames are place names too ("in Oosterbroek").
const LOCATIVES: &[&str] = &[
    "in", "uit", "naar", "vanuit", "richting", "te", "nabij", "rond", "buiten", "binnen", "vanaf",
];

/// Honorifics: the cues a surname with a lowercase particle follows.
const HONORIFICS: &[&str] = &[
    "meneer", "mevrouw", "mevr", "mw", "mvr", "dhr", "hr", "heer", "familie", "fam", "t.n.v",
    "tnv", "dokter", "dr", "juf", "meester",
];

/// Articles: Dutch puts none before a person's name, but does before a shop, a venue or an
/// organisation ("de Jumbo", "het Taalhuis").
const ARTICLES: &[&str] = &["de", "het", "een", "'t"];

/// Endings that make an unknown capitalised word an organisation, a place or a street.
const NOT_NAME_ENDINGS: &[&str] = &[
    "huis",
    "centrum",
    "team",
    "bank",
    "school",
    "kerk",
    "zorg",
    "werk",
    "hulp",
    "loket",
    "dienst",
    "winkel",
    "club",
    "vereniging",
    "groep",
    "punt",
    "café",
    "markt",
    "fonds",
    "raad",
    "stichting",
    "academie",
    "college",
    "kliniek",
    "praktijk",
    "brigade",
    "bureau",
    "kantoor",
    "wijk",
    "dorp",
    "stad",
    "park",
    "kwartier",
    "buurt",
    "polder",
    "straat",
    "laan",
    "weg",
    "plein",
    "singel",
    "gracht",
    "kade",
    "dreef",
    "steeg",
    "plantsoen",
    "boulevard",
];

/// Month abbreviations, which follow a day number ("3 jan").
const MONTH_ABBREVIATIONS: &[&str] = &[
    "jan", "feb", "mrt", "apr", "jun", "jul", "aug", "sep", "sept", "okt", "nov", "dec",
];

/// Abbreviations whose full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "dhr", "mw", "mevr", "mvr", "hr", "dr", "mr", "drs", "ir", "ing", "prof", "bijv", "o.a", "ca",
    "nr", "tel", "t.n.v", "tnv", "evt", "st", "fam", "z.s.m", "i.p.v", "m.b.v",
];

/// Detects the language of a story once per call; building the detector is the costly part.
static LANGUAGES: LazyLock<LanguageDetector> = LazyLock::new(LanguageDetector::default);

/// A postcode right before a word makes that word the town.
static AFTER_POSTCODE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\b[1-9][0-9]{3} ?[A-Z]{2},?$").expect("a valid pattern"));

/// A word of the text.
#[derive(Debug)]
struct Token {
    range: Range<usize>,
    /// Where the name part ends: before a possessive "'s".
    name_end: usize,
    /// Lowercase, without a possessive "'s".
    lower: String,
}

/// What is known about a word, on its own and from its neighbours.
#[derive(Debug, Default, Clone)]
struct Facts {
    capitalised: bool,
    particle: bool,
    cue: bool,
    org: bool,
    not_name: bool,
    first_name: bool,
    known: bool,
    dutch_word: bool,
    not_name_ending: bool,
    sentence_start: bool,
    /// A known first name written in lowercase ("fatima"), as people type on a phone.
    lowercase_name: bool,
    /// Bytes of a possessive "s" written without an apostrophe ("Ahmeds moeder").
    possessive: usize,
}

/// Byte ranges of the names in `text`.
pub fn find(text: &str) -> Vec<Range<usize>> {
    let tokens = tokenize(text);
    let facts = facts(text, &tokens);
    let words = Words {
        text,
        tokens: &tokens,
        facts: &facts,
        dutch: LANGUAGES.detect(text, &Language::dutch()).code() == "nl",
    };
    let mut names = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match words.chain_end(i) {
            Some(last) => {
                names.extend(words.judge(i, last));
                i = last + 1;
            }
            None => i += 1,
        }
    }
    names
}

/// Splits text into words: letters, with hyphens and apostrophes inside ("Al-Hassan", "O'Neill").
fn tokenize(text: &str) -> Vec<Token> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if let Some(token) = apostrophe_word(text, &chars, i) {
            tokens.push(token);
            i += 2;
            continue;
        }
        if !chars[i].1.is_alphabetic() {
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() {
            let c = chars[i].1;
            let joiner = matches!(c, '-' | '\'' | '’')
                && i > start
                && chars
                    .get(i + 1)
                    .is_some_and(|(_, next)| next.is_alphabetic());
            if c.is_alphabetic() || joiner {
                i += 1;
            } else {
                break;
            }
        }
        let begin = chars[start].0;
        let end = chars.get(i).map_or(text.len(), |(byte, _)| *byte);
        let word = &text[begin..end];
        let name = word
            .strip_suffix("'s")
            .or_else(|| word.strip_suffix("’s"))
            .filter(|name| name.chars().count() > 1)
            .unwrap_or(word);
        tokens.push(Token {
            range: begin..end,
            name_end: begin + name.len(),
            lower: name.to_lowercase(),
        });
    }
    tokens
}

/// The shortened article "'t" (as in "in 't Veld") at `i`.
fn apostrophe_word(text: &str, chars: &[(usize, char)], i: usize) -> Option<Token> {
    let is_letter = |at: usize| chars.get(at).is_some_and(|(_, c)| c.is_alphabetic());
    let apostrophe = matches!(chars[i].1, '\'' | '’');
    let short = chars.get(i + 1).is_some_and(|(_, c)| *c == 't');
    let alone = !is_letter(i + 2) && (i == 0 || !is_letter(i - 1));
    if !(apostrophe && short && alone) {
        return None;
    }
    let begin = chars[i].0;
    let end = chars.get(i + 2).map_or(text.len(), |(byte, _)| *byte);
    Some(Token {
        range: begin..end,
        name_end: end,
        lower: text[begin..end].replace('’', "'"),
    })
}

fn facts(text: &str, tokens: &[Token]) -> Vec<Facts> {
    let mut facts: Vec<Facts> = tokens
        .iter()
        .enumerate()
        .map(|(i, token)| word_facts(text, tokens, i, token))
        .collect();
    mark_not_name_phrases(text, tokens, &mut facts);
    facts
}

fn word_facts(text: &str, tokens: &[Token], i: usize, token: &Token) -> Facts {
    let word = &text[token.range.clone()];
    let lower = token.lower.as_str();
    let parts: Vec<&str> = lower.split('-').collect();
    let first_part = word.split('-').next().unwrap_or(word);
    let acronym = first_part.chars().count() > 1 && first_part.chars().all(|c| !c.is_lowercase());
    let capitalised = word.chars().next().is_some_and(char::is_uppercase) && !acronym;
    let hyphenated = parts.len() > 1;
    let part_is_name = |part: &&str| lexicon::is_first_name(part) || lexicon::is_surname(part);
    let first_name = lexicon::is_first_name(lower)
        || (hyphenated
            && parts
                .iter()
                .all(|part| lexicon::is_first_name(part) || lexicon::is_particle(part)));
    let surname = lexicon::is_surname(lower)
        || (hyphenated
            && parts.iter().any(part_is_name)
            && parts
                .iter()
                .all(|part| part_is_name(part) || lexicon::is_particle(part)));
    let dutch_word = lexicon::is_dutch_word(lower);
    // "Ahmeds moeder": the possessive without an apostrophe.
    let possessive = lower
        .strip_suffix('s')
        .filter(|base| !dutch_word && !first_name && !surname && lexicon::is_first_name(base))
        .map_or(0, |_| 1);
    let first_name = first_name || possessive > 0;
    // Capitals inside a word mark a brand or product ("WhatsApp", "FaceTime"), not a person.
    let camel_case = word
        .chars()
        .zip(word.chars().skip(1))
        .any(|(a, b)| a.is_lowercase() && b.is_uppercase());
    let after_day_number = text[..token.range.start]
        .trim_end()
        .ends_with(|c: char| c.is_ascii_digit());
    // "'s-Hertogenbosch" is listed with its apostrophe, which is not part of the word.
    let after_apostrophe = text[..token.range.start].ends_with(['\'', '’']);
    let not_name = NOT_NAMES.contains(lower)
        || (after_apostrophe && NOT_NAMES.contains(format!("'{lower}").as_str()))
        || (hyphenated && parts.iter().any(|part| NOT_NAMES.contains(part)))
        || (after_day_number && MONTH_ABBREVIATIONS.contains(&lower))
        || (camel_case && !first_name && !surname);
    let particle = lexicon::is_particle(lower);
    let cue = CUES.contains(lower);
    let lowercase_name = word.chars().all(char::is_lowercase)
        && word.chars().count() >= 4
        && lexicon::is_first_name(lower)
        && !dutch_word
        && !not_name
        && !particle
        && !cue;
    Facts {
        capitalised,
        particle,
        cue,
        org: ORG_WORDS.contains(lower),
        not_name,
        first_name,
        known: first_name || surname,
        dutch_word,
        not_name_ending: has_not_name_ending(lower),
        sentence_start: starts_sentence(text, tokens, i),
        lowercase_name,
        possessive,
    }
}

fn has_not_name_ending(lower: &str) -> bool {
    let length = lower.chars().count();
    NOT_NAME_ENDINGS
        .iter()
        .any(|ending| length > ending.chars().count() + 2 && lower.ends_with(ending))
}

/// Marks the words of multi-word places and organisations ("Den Haag", "Leger des Heils").
fn mark_not_name_phrases(text: &str, tokens: &[Token], facts: &mut [Facts]) {
    for start in 0..tokens.len() {
        let mut phrase = tokens[start].lower.clone();
        for end in start + 1..tokens.len().min(start + *LONGEST_NOT_NAME) {
            if gap(text, tokens, end - 1, end) != " " {
                break;
            }
            phrase.push(' ');
            phrase.push_str(&tokens[end].lower);
            if NOT_NAMES.contains(phrase.as_str()) {
                for fact in &mut facts[start..=end] {
                    fact.not_name = true;
                }
            }
        }
    }
}

fn gap<'t>(text: &'t str, tokens: &[Token], before: usize, after: usize) -> &'t str {
    &text[tokens[before].range.end..tokens[after].range.start]
}

/// Whether the word at `i` is the first of a sentence: at the start of the text, after a blank line,
/// or after a full stop (not an abbreviation's), question or exclamation mark, colon or semicolon,
/// with opening quotes, brackets and list bullets skipped.
fn starts_sentence(text: &str, tokens: &[Token], i: usize) -> bool {
    let before = &text[..tokens[i].range.start];
    let mut newlines = 0;
    let mut bullet = false;
    for (at, c) in before.char_indices().rev() {
        match c {
            // A list item starts a sentence.
            '\n' if bullet => return true,
            '\n' => newlines += 1,
            c if c.is_whitespace() => {}
            '-' | '*' | '•' => bullet = newlines == 0,
            '"' | '\'' | '“' | '‘' | '„' | '(' | '[' | '–' | '—' | '>' | '#' => {}
            '!' | '?' | ':' | ';' | '…' => return true,
            '.' => return !ends_with_abbreviation(&before[..at]),
            // A line that ends in a letter or comma and goes on is one sentence wrapped; after
            // anything else (a heading's mark, a blank line) a new sentence starts.
            c => return newlines > 1 || (newlines == 1 && !(c.is_alphanumeric() || c == ',')),
        }
    }
    true
}

fn ends_with_abbreviation(before: &str) -> bool {
    let word = last_word(before);
    ABBREVIATIONS.contains(&word.as_str())
        || (word.chars().count() == 1 && word.chars().all(char::is_alphabetic))
}

/// The word (letters and inner full stops) that `before` ends with, lowercase, without outer stops.
fn last_word(before: &str) -> String {
    let start = before
        .char_indices()
        .rev()
        .take_while(|(_, c)| c.is_alphabetic() || *c == '.')
        .last()
        .map_or(before.len(), |(at, _)| at);
    before[start..].trim_matches('.').to_lowercase()
}

struct Words<'a> {
    text: &'a str,
    tokens: &'a [Token],
    facts: &'a [Facts],
    /// Whether the text is Dutch: only then does a word missing from the Dutch word list say
    /// anything, and only then is a lowercase first name taken for a name.
    dutch: bool,
}

impl Words<'_> {
    /// A capitalised word that can be part of a name on its own merits.
    fn name_word(&self, i: usize) -> bool {
        let f = &self.facts[i];
        f.capitalised && !f.particle && !f.cue && !f.org && !f.not_name
    }

    fn particle(&self, i: usize) -> bool {
        self.facts.get(i).is_some_and(|f| f.particle)
    }

    fn joined(&self, before: usize, after: usize) -> bool {
        let gap = gap(self.text, self.tokens, before, after);
        let initial = self.text[self.tokens[before].range.clone()].chars().count() == 1
            && self.facts[before].capitalised;
        gap == " " || gap == "\u{a0}" || (initial && (gap == "." || gap == ". "))
    }

    /// Whether the particle at `i` can be part of a name: "in", "op", "uit" and "te" only before
    /// another particle written in lowercase ("in 't Veld"), or they are the everyday prepositions
    /// ("Danique uit De Hoven").
    fn particle_continues(&self, i: usize) -> bool {
        if !LEADING_ONLY_PARTICLES.contains(&self.tokens[i].lower.as_str()) {
            return true;
        }
        i + 1 < self.tokens.len()
            && self.joined(i, i + 1)
            && self.particle(i + 1)
            && !self.facts[i + 1].capitalised
    }

    /// The last word of the run of capitalised words and particles that starts at `i`, if one does.
    fn chain_end(&self, i: usize) -> Option<usize> {
        if self.facts[i].lowercase_name && self.dutch {
            return Some(i);
        }
        let starts = self.name_word(i)
            || (self.particle(i)
                && (self.facts[i].capitalised || self.honorific_before(i))
                && self.particle_continues(i));
        if !starts {
            return None;
        }
        let mut last = self.name_word(i).then_some(i);
        let mut k = i;
        while k + 1 < self.tokens.len() && self.joined(k, k + 1) {
            let next = k + 1;
            let particle = self.particle(next) && self.particle_continues(next);
            // A place that is also a surname is the surname after a particle ("Jan van Doorn").
            let surname_after_particle = self.facts[next].capitalised
                && self.facts[next].not_name
                && self.facts[next].known
                && self.particle(k);
            if self.name_word(next) || surname_after_particle {
                last = Some(next);
            } else if !particle {
                break;
            }
            k = next;
        }
        last
    }

    /// The name in the run `first..=last`, if the clues say it is one.
    fn judge(&self, first: usize, last: usize) -> Option<Range<usize>> {
        if self.facts[first].lowercase_name && self.dutch {
            let token = &self.tokens[first];
            return (!self.poisoned(first)).then_some(token.range.start..token.name_end);
        }
        let mut start = first;
        let cue = self.cue_before(start);
        if !cue && self.poisoned(start) {
            return None;
        }
        // A capitalised sentence start that is no name itself is left out ("Toen Fatima").
        let sentence_start = self.facts[start].sentence_start && self.name_word(start);
        if !cue && sentence_start && !self.keep_sentence_start(start, last) {
            start += 1;
            while start <= last && self.particle(start) && !self.facts[start].capitalised {
                start += 1;
            }
            if start > last {
                return None;
            }
        }
        if !cue && self.particle(start) && !self.surname_with_particle(start, last) {
            return None;
        }
        let words: Vec<usize> = (start..=last).filter(|&i| self.name_word(i)).collect();
        if !cue {
            let organisation = words
                .iter()
                .any(|&i| self.facts[i].not_name_ending && !self.facts[i].known);
            let evidence = words.iter().any(|&i| {
                let f = &self.facts[i];
                f.known || (self.dutch && !f.sentence_start && !f.dutch_word)
            });
            if organisation || !evidence {
                return None;
            }
        }
        let end = self.tokens[last].name_end - self.facts[last].possessive;
        Some(self.tokens[start].range.start..end)
    }

    /// A word that starts a sentence stays in the name only when it is a name itself.
    fn keep_sentence_start(&self, i: usize, last: usize) -> bool {
        let f = &self.facts[i];
        let more = (i + 1..=last).any(|k| self.name_word(k));
        let initial = self.text[self.tokens[i].range.clone()].chars().count() == 1;
        (f.first_name && (!f.dutch_word || more))
            || (!f.dutch_word && (f.known || more))
            || (initial && more)
    }

    /// "De Vries" or "El Amrani" without a cue is a name only as a known surname; otherwise it is a
    /// venue or a place ("De Akkers", "Het Anker").
    fn surname_with_particle(&self, start: usize, last: usize) -> bool {
        let phrase: Vec<&str> = (start..=last)
            .map(|i| self.tokens[i].lower.as_str())
            .collect();
        lexicon::is_surname(&phrase.join(" "))
    }

    /// Whether an honorific, relation or role comes right before the word at `i`.
    fn cue_before(&self, i: usize) -> bool {
        CUES.contains(self.word_before(i).as_str())
    }

    /// Whether an honorific comes right before the word at `i`: only then does a name start with a
    /// lowercase particle ("mevrouw van den Heuvel", but "bewoner van het Gouden Hart").
    fn honorific_before(&self, i: usize) -> bool {
        HONORIFICS.contains(&self.word_before(i).as_str())
    }

    /// The word before the word at `i`, across a comma or colon ("De wijkcoach, Thijs").
    /// A full stop in between counts only after an abbreviation ("dhr. Bakker"): "zei mijn
    /// dochter. Sinds" has no cue.
    fn word_before(&self, i: usize) -> String {
        let before = self.text[..self.tokens[i].range.start].trim_end();
        let before = before.strip_suffix([',', ':']).unwrap_or(before).trim_end();
        let word = last_word(before);
        if before.ends_with('.') && !ABBREVIATIONS.contains(&word.as_str()) {
            return String::new();
        }
        word
    }

    /// Whether what comes right before the word at `i` makes it a place or an organisation.
    fn poisoned(&self, i: usize) -> bool {
        let before = self.text[..self.tokens[i].range.start].trim_end();
        if AFTER_POSTCODE.is_match(before) {
            return true;
        }
        if i == 0 || gap(self.text, self.tokens, i - 1, i) != " " {
            return false;
        }
        let previous = self.tokens[i - 1].lower.as_str();
        let written = &self.text[self.tokens[i - 1].range.clone()];
        let first_word = (i..self.tokens.len())
            .find(|&k| !self.particle(k))
            .unwrap_or(i);
        ORG_WORDS.contains(previous)
            || ARTICLES.contains(&written)
            || (LOCATIVES.contains(&written) && !self.facts[first_word].first_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(text: &str, expected: &[&str]) {
        let found: Vec<&str> = find(text).into_iter().map(|range| &text[range]).collect();
        assert_eq!(found, expected, "{text}");
    }

    #[test]
    fn names_from_lists_cues_and_unknown_words() {
        let cases: &[(&str, &[&str])] = &[
            ("Mijn buurvrouw Ans kwam langs.", &["Ans"]),
            ("Fatima el Amrani helpt mee.", &["Fatima el Amrani"]),
            ("Gisteren zag ik Jan van der Berg.", &["Jan van der Berg"]),
            ("Mevrouw De Vries belde.", &["De Vries"]),
            ("Ik sprak mevrouw van den Heuvel.", &["van den Heuvel"]),
            ("Dhr. Bakker en mw. Chaouch kwamen.", &["Bakker", "Chaouch"]),
            ("Toen Mohamed Bouzid binnenkwam.", &["Mohamed Bouzid"]),
            ("Ik ging met Jan Kloosterboer mee.", &["Jan Kloosterboer"]),
            ("Rami Al-Hassan is elektricien.", &["Rami Al-Hassan"]),
            ("Ik ben Mehmet, ik ben 42.", &["Mehmet"]),
            ("Contactpersoon: Eva Hendriks.", &["Eva Hendriks"]),
            ("Zij kent J. de Vries al jaren.", &["J. de Vries"]),
            ("Het was Ahmed's fiets.", &["Ahmed"]),
            ("De familie Yılmaz woont hier.", &["Yılmaz"]),
            ("Danique uit De Hoven belde.", &["Danique"]),
            ("A. Bakker, Zonnebloemstraat 18", &["A. Bakker"]),
            ("Ahmeds moeder en Fatima's vader.", &["Ahmed", "Fatima"]),
            ("fatima had het al ingevuld.", &["fatima"]),
            ("Zij is bewoner van het Gouden Hart.", &[]),
            ("Dat zei mijn dochter.\n\nSinds januari gaan we samen.", &[]),
            ("Ik sprak een consulent. Ze vroeg niet veel.", &[]),
            (
                "+++\ntitle = \"Thuis\"\n+++\nElke maandag komt Joop.",
                &["Joop"],
            ),
            ("Meneer in 't Veld belde.", &["in 't Veld"]),
            ("Hij woont met zijn gezin in Oosterbroek.", &[]),
        ];
        for (text, expected) in cases {
            check(text, expected);
        }
    }

    #[test]
    fn capitalised_words_that_are_not_names() {
        let cases = [
            "Gisteren was de laatste bijeenkomst.",
            "Sinds januari kom ik bij Stichting Buurtwerk.",
            "De huiswerkklas in De Akkers is fijn.",
            "Met Sinterklaas hadden we een feest.",
            "Ik werk bij de GGD en het UWV.",
            "Vroeger ging ik naar de Jumbo en de Hema.",
            "Mijn moeder komt uit Turkije en spreekt Nederlands.",
            "Het Leger des Heils en het Rode Kruis hielpen.",
            "We gingen met de bus naar Den Haag.",
            "Ik kreeg hulp van het Wmo-loket in Veenstede-Zuid.",
            "Ik ben op 3 Jan begonnen.",
            "Ik woonde in 's-Hertogenbosch en 's-Gravenhage.",
            "## Hoe het begon\n\nHet begon in Oosterbroek, net buiten Oosterbroek.",
            "Ze belt me elke avond via FaceTime of WhatsApp.",
            "Het adres is Kerkweg 3a, 7411 AB Veenstede.",
            "In het Taalhuis leren we samen.",
            "Op maandag en in mei is het druk.",
            "Ik zei: Kom maar binnen.",
        ];
        for text in cases {
            check(text, &[]);
        }
    }

    #[test]
    fn sentence_starts() {
        let text = "Dat was fijn. Toen kwam ze. Dhr. Jansen\n\nNieuwe alinea,\nKlaas\n- Lijst";
        let tokens = tokenize(text);
        let starts: Vec<&str> = (0..tokens.len())
            .filter(|&i| starts_sentence(text, &tokens, i))
            .map(|i| &text[tokens[i].range.clone()])
            .collect();
        assert_eq!(starts, ["Dat", "Toen", "Dhr", "Nieuwe", "Lijst"]);
    }
}
