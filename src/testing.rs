//! Builders for tests and benchmarks: a small municipality and goal tree, and stories to vary.
//!
//! Public (but hidden from the docs) so unit tests, the integration tests and the benches share one set of
//! fixtures instead of each writing their own.

use std::collections::BTreeMap;

use crate::goals::GoalTree;
use crate::municipality::Municipality;
use crate::questions::QuestionSet;
use crate::story::Catalog;
use crate::story::{Consent, Markdown, Moderation, Story, StoryId, TellerRole, Valence};

pub const MUNICIPALITY_TOML: &str = r#"
name = "Gemeente Proefstad"
default_language = "nl"

[[areas]]
id = "noord"
name = "Noord"
kind = "stadsdeel"

[[areas]]
id = "de-hoven"
name = "De Hoven"
kind = "wijk"
parent = "noord"

[[areas]]
id = "zuid"
name = "Zuid"
kind = "stadsdeel"

[[providers]]
id = "buurtwerk"
name = "Stichting Buurtwerk"

[[providers]]
id = "schuldhulp"
name = "Schuldhulp Proefstad"

[[activities]]
id = "koffie-inloop"
name = "Koffie-inloop"
provider = "buurtwerk"
"#;

pub const GOALS_TOML: &str = r#"
[[themes]]
id = "meedoen"
name = "Meedoen"

[[goals]]
id = "meedoen"
title = "Inwoners doen mee"
theme = "meedoen"

[[subgoals]]
id = "sterker-netwerk"
goal = "meedoen"
title = "Inwoners hebben een sterker sociaal netwerk"
plain = "Mensen leren kennen"

[[subgoals]]
id = "grip-op-geld"
goal = "meedoen"
title = "Inwoners hebben grip op hun geld"

[[indicators]]
id = "bezoekers-koffie-inloop"
subgoal = "sterker-netwerk"
title = "Bezoekers koffie-inloop"
level = "reach"
unit = "personen"
direction = "up"
baseline = 100
target = 150
source = "Registratie"
frequency = "quarter"
target_group = 3000

[[statements]]
id = "ken-meer-mensen"
subgoal = "sterker-netwerk"
text = "Doordat ik meedoe ken ik meer mensen"
scale = "five_point"
"#;

/// The test bank's questions about the story: a slider, a single and a multiple choice, a text and
/// an agreement question asked with stories about `grip-op-geld`.
pub const QUESTIONS_TOML: &str = r#"
[[vraag]]
id = "alleen-of-samen"
versie = 1
soort = "schuifbalk"
tekst.nl = "Hoe voelde u zich?"
tekst.en = "How did you feel?"
links.nl = "Alleen"
rechts.nl = "Samen"

[[vraag]]
id = "gevoel"
versie = 2
soort = "keuze"
tekst.nl = "Welk woord past?"

[[vraag.keuze]]
id = "blij"
tekst.nl = "Blij"

[[vraag.keuze]]
id = "bezorgd"
tekst.nl = "Bezorgd"

[[vraag]]
id = "veranderd"
versie = 1
soort = "meerkeuze"
tekst.nl = "Wat veranderde?"

[[vraag.keuze]]
id = "contact"
tekst.nl = "Meer contact"

[[vraag.keuze]]
id = "rust"
tekst.nl = "Meer rust"

[[vraag]]
id = "overzicht"
versie = 1
soort = "stelling"
subdoel = "grip-op-geld"
tekst.nl = "Ik heb meer overzicht"

[[vraag]]
id = "meegeven"
versie = 1
soort = "tekst"
tekst.nl = "Wat wilt u meegeven?"
"#;

/// The test bank's questions, checked.
pub fn question_set() -> crate::questions::QuestionSet {
    crate::questions::QuestionSet::from_toml(QUESTIONS_TOML).expect("test questions parse")
}

pub fn municipality() -> Municipality {
    Municipality::from_toml(MUNICIPALITY_TOML).expect("test municipality parses")
}

/// The test municipality and goal tree as the bank's settings.
pub fn settings() -> crate::bank::Settings {
    crate::bank::Settings {
        version: 1,
        municipality: municipality(),
        goals: goal_tree(),
    }
}

/// Form fields as a browser would send them.
#[cfg(test)]
pub(crate) fn form(pairs: &[(&str, &str)]) -> crate::web::forms::FormData {
    crate::web::forms::FormData::new(
        pairs
            .iter()
            .map(|(key, value)| (key.to_string(), value.to_string()))
            .collect(),
    )
}

/// What stories may refer to in the test municipality (no sessions or rounds), parsed once for the
/// whole process: for fuzz targets, which run millions of times.
pub fn shared_catalog() -> crate::story::Catalog<'static> {
    type Parts = (Municipality, GoalTree, crate::questions::QuestionSet);
    static SETTINGS: std::sync::OnceLock<Parts> = std::sync::OnceLock::new();
    let (municipality, goals, questions) =
        SETTINGS.get_or_init(|| (municipality(), goal_tree(), question_set()));
    crate::story::Catalog {
        municipality,
        goals,
        sessions: &[],
        rounds: &[],
        questions,
    }
}

pub fn goal_tree() -> GoalTree {
    GoalTree::from_toml(GOALS_TOML).expect("test goal tree parses")
}

/// A closed storytelling session in Noord, `noord-2026-03`, with the visitors indicator on its agenda.
pub fn session() -> crate::sessions::Session {
    crate::sessions::Session {
        id: crate::ids::SessionId::parse("noord-2026-03").expect("valid id"),
        title: "Vertelsessie Noord".to_string(),
        area: crate::ids::AreaId::parse("noord").expect("valid id"),
        date: jiff::civil::date(2026, 3, 10),
        place: "Buurthuis De Hoven".to_string(),
        facilitator: "Gemeente, team Sociaal Domein".to_string(),
        indicators: vec![
            crate::ids::IndicatorId::parse("bezoekers-koffie-inloop").expect("valid id"),
        ],
        status: crate::sessions::SessionStatus::Closed,
        code: "k7pm4x".to_string(),
        heard: Some("We hoorden dat de koffie-inloop werkt.".to_string()),
    }
}

/// A published, public, positive resident story with the given title and text.
pub fn story(title: &str, text: &str) -> Story {
    let date = jiff::civil::date(2025, 3, 14);
    Story {
        id: StoryId::derived(title, date, text),
        title: title.to_string(),
        date,
        teller: TellerRole::Resident,
        valence: Valence::Positive,
        consent: Consent::Public,
        consent_date: None,
        provider: None,
        area: None,
        activity: None,
        indicator: None,
        translation: None,
        subgoals: Vec::new(),
        tags: Vec::new(),
        language: None,
        teller_name: None,
        session: None,
        round: None,
        channel: None,
        received: None,
        scores: BTreeMap::new(),
        answers: Default::default(),
        moderation: Moderation::Published,
        text: Markdown::new(text),
    }
}

/// A JPEG of `width` × `height` with an EXIF block that names the camera ("CanaryCam") and says to
/// turn the photo right, as a phone held upright writes it.
pub fn jpeg_with_exif(width: u32, height: u32) -> Vec<u8> {
    let image = ::image::RgbImage::from_fn(width, height, |x, y| {
        ::image::Rgb([(x % 256) as u8, (y % 256) as u8, 120])
    });
    let mut plain = Vec::new();
    ::image::codecs::jpeg::JpegEncoder::new_with_quality(&mut plain, 90)
        .encode_image(&image)
        .unwrap();
    // An APP1 segment right after SOI, as cameras write it.
    let exif = exif_segment();
    let mut out = plain[..2].to_vec();
    out.extend_from_slice(&exif);
    out.extend_from_slice(&plain[2..]);
    out
}

/// An APP1 "Exif" segment: a little-endian TIFF header, IFD0 with Make ("CanaryCam") and
/// orientation 6 (turn right).
fn exif_segment() -> Vec<u8> {
    let mut tiff = Vec::new();
    tiff.extend_from_slice(b"II*\0");
    tiff.extend_from_slice(&8u32.to_le_bytes());
    // IFD0: two entries.
    tiff.extend_from_slice(&2u16.to_le_bytes());
    // Make (0x010F), ASCII, count 10, offset to the string after the IFD.
    let string_at = 8 + 2 + 2 * 12 + 4;
    tiff.extend_from_slice(&0x010Fu16.to_le_bytes());
    tiff.extend_from_slice(&2u16.to_le_bytes());
    tiff.extend_from_slice(&10u32.to_le_bytes());
    tiff.extend_from_slice(&(string_at as u32).to_le_bytes());
    // Orientation (0x0112), SHORT, count 1, value 6.
    tiff.extend_from_slice(&0x0112u16.to_le_bytes());
    tiff.extend_from_slice(&3u16.to_le_bytes());
    tiff.extend_from_slice(&1u32.to_le_bytes());
    tiff.extend_from_slice(&6u16.to_le_bytes());
    tiff.extend_from_slice(&0u16.to_le_bytes());
    tiff.extend_from_slice(&0u32.to_le_bytes());
    tiff.extend_from_slice(b"CanaryCam\0");
    let mut body = b"Exif\0\0".to_vec();
    body.extend_from_slice(&tiff);
    let mut segment = vec![0xFF, 0xE1];
    segment.extend_from_slice(&((body.len() + 2) as u16).to_be_bytes());
    segment.extend_from_slice(&body);
    segment
}

/// A WAV file of silence, `seconds` long, at 8 kHz mono 8-bit (8,000 bytes a second).
pub fn wav(seconds: u32) -> Vec<u8> {
    let data = 8_000 * seconds;
    let mut out = Vec::new();
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes()); // PCM
    out.extend_from_slice(&1u16.to_le_bytes()); // mono
    out.extend_from_slice(&8_000u32.to_le_bytes());
    out.extend_from_slice(&8_000u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&8u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data.to_le_bytes());
    out.extend(std::iter::repeat_n(128u8, data as usize));
    out
}

/// A WAV recording of `seconds` whose samples spell `marker` over and over, so a test can look for
/// its bytes in every file.
pub fn wav_with(seconds: u32, marker: &str) -> Vec<u8> {
    let mut out = wav(seconds);
    let header = 44;
    for (at, byte) in (header..out.len()).zip(marker.bytes().cycle()) {
        out[at] = byte;
    }
    out
}

/// The demo's municipality and goal tree with no questions, for a [`Catalog`] without sessions or
/// rounds.
pub struct CatalogParts {
    pub municipality: Municipality,
    pub goals: GoalTree,
    pub questions: QuestionSet,
}

impl CatalogParts {
    pub fn demo() -> CatalogParts {
        CatalogParts {
            municipality: municipality(),
            goals: goal_tree(),
            questions: QuestionSet::default(),
        }
    }

    pub fn catalog(&self) -> Catalog<'_> {
        Catalog {
            municipality: &self.municipality,
            goals: &self.goals,
            sessions: &[],
            rounds: &[],
            questions: &self.questions,
        }
    }
}

/// A file's bytes followed by the contents of every zstd frame found in them, for tests that look
/// for a story's words in the files of a data folder: the store keeps story records compressed, so a
/// word that is still there must be found behind its compression too.
pub fn with_frames_unpacked(bytes: &[u8]) -> Vec<u8> {
    const ZSTD_MAGIC: [u8; 4] = [0x28, 0xB5, 0x2F, 0xFD];
    let mut out = bytes.to_vec();
    for (start, window) in bytes.windows(ZSTD_MAGIC.len()).enumerate() {
        if window != ZSTD_MAGIC {
            continue;
        }
        let rest = &bytes[start..];
        if let Ok(size) = zstd::zstd_safe::find_frame_compressed_size(rest)
            && let Ok(content) = zstd::stream::decode_all(&rest[..size])
        {
            out.extend_from_slice(&content);
        }
    }
    out
}

/// Whether any file under `dir` holds `needle`, plainly or inside a zstd frame, with the paths of
/// those that do.
pub fn files_holding(dir: &std::path::Path, needle: &[u8]) -> Vec<std::path::PathBuf> {
    fn walk(dir: &std::path::Path, found: &mut Vec<std::path::PathBuf>, needle: &[u8]) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                walk(&path, found, needle);
            } else if let Ok(bytes) = std::fs::read(&path)
                && with_frames_unpacked(&bytes)
                    .windows(needle.len())
                    .any(|window| window == needle)
            {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, &mut found, needle);
    found
}

#[cfg(test)]
mod frame_tests {
    #[test]
    fn a_word_inside_a_zstd_frame_in_a_file_is_found() {
        // Long enough that zstd codes the letters too, rather than storing them as they are.
        let text =
            "Het woord Pluizelbraam staat in een verhaal over de buurt en de buren. ".repeat(30);
        let frame = zstd::bulk::compress(text.as_bytes(), 3).unwrap();
        let file = [b"voor".as_slice(), &frame, b"na"].concat();
        let word = b"Pluizelbraam".as_slice();
        assert!(!file.windows(word.len()).any(|window| window == word));
        let unpacked = super::with_frames_unpacked(&file);
        assert!(unpacked.windows(word.len()).any(|window| window == word));
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("db"), &file).unwrap();
        assert_eq!(super::files_holding(dir.path(), b"Pluizelbraam").len(), 1);
        assert!(super::files_holding(dir.path(), b"Anderwoord").is_empty());
    }
}
