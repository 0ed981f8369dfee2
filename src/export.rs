//! Export of the bank: as plain files (Markdown stories with TOML front matter, `municipality.toml`,
//! `goals.toml`, a measurements CSV) that `import` reads back into the same bank; as spreadsheet CSV;
//! and as JSON.
//!
//! CSV is written the way Dutch spreadsheet programs open it without garbled characters: UTF-8 with a
//! byte order mark, semicolons, decimal commas; cells that a spreadsheet would run as a formula get a
//! leading `'`, which import removes again.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use serde::Serialize;

use crate::evidence::Measurement;
use crate::sessions::file::SessionsFile;
use crate::store::Store;
use crate::story::file::{story_file_name, story_to_file};
use crate::story::{Coded, Moderation, Story};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// The whole bank as plain files that `import` reads back.
    Markdown,
    /// Stories and measurements as spreadsheet CSV (semicolons, UTF-8 with BOM).
    Csv,
    /// Stories, measurements, goal tree and municipality as JSON.
    Json,
}

/// What an export wrote.
#[derive(Debug, Default)]
pub struct ExportSummary {
    pub stories: usize,
    pub measurements: usize,
    pub files: Vec<PathBuf>,
}

/// Exports the whole bank in `format` into `out`, which must be empty or not exist yet, so that files
/// of an earlier export never mix with this one.
pub fn export(store: &Store, format: ExportFormat, out: &Path) -> anyhow::Result<ExportSummary> {
    prepare_empty_dir(out)?;
    let mut stories: Vec<Story> = store
        .stories()
        .collect::<Result<_, _>>()
        .context("reading stories from the store")?;
    stories.sort_by(|a, b| a.date.cmp(&b.date).then(a.id.cmp(&b.id)));
    let measurements = store
        .measurements()
        .context("reading measurements from the store")?;
    let municipality = store.municipality()?.unwrap_or_default();
    let goals = store.goal_tree()?.unwrap_or_default();
    let sessions = SessionsFile {
        sessions: store.sessions()?,
        interpretations: store.interpretations()?,
        actions: store.actions()?,
    };

    let mut summary = ExportSummary {
        stories: stories.len(),
        measurements: measurements.len(),
        files: Vec::new(),
    };
    let mut write = |name: &str, contents: &[u8]| -> anyhow::Result<()> {
        let path = out.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).with_context(|| format!("creating {}", parent.display()))?;
        }
        fs::write(&path, contents).with_context(|| format!("writing {}", path.display()))?;
        summary.files.push(path);
        Ok(())
    };
    match format {
        ExportFormat::Markdown => {
            write("municipality.toml", municipality.to_toml().as_bytes())?;
            write("goals.toml", goals.to_toml().as_bytes())?;
            if sessions != SessionsFile::default() {
                write("sessions.toml", sessions.to_toml().as_bytes())?;
            }
            write("measurements.csv", &measurements_csv(&measurements)?)?;
            for story in &stories {
                write(
                    &format!("stories/{}", story_file_name(story)),
                    story_to_file(story).as_bytes(),
                )?;
            }
        }
        ExportFormat::Csv => {
            write("stories.csv", &stories_csv(&stories)?)?;
            write("measurements.csv", &measurements_csv(&measurements)?)?;
        }
        ExportFormat::Json => {
            write("stories.json", &pretty_json(&stories)?)?;
            write("measurements.json", &pretty_json(&measurements)?)?;
            write("goals.json", &pretty_json(&goals)?)?;
            write("municipality.json", &pretty_json(&municipality)?)?;
            write(
                "sessions.json",
                &pretty_json(&serde_json::json!({
                    "sessions": sessions.sessions,
                    "interpretations": sessions.interpretations,
                    "actions": sessions.actions,
                }))?,
            )?;
        }
    }
    Ok(summary)
}

fn prepare_empty_dir(out: &Path) -> anyhow::Result<()> {
    if out.exists() {
        let mut entries =
            fs::read_dir(out).with_context(|| format!("reading {}", out.display()))?;
        if entries.next().is_some() {
            bail!(
                "the folder {} is not empty; choose an empty or new folder so files of an earlier export do not mix with this one",
                out.display()
            );
        }
    } else {
        fs::create_dir_all(out).with_context(|| format!("creating {}", out.display()))?;
    }
    Ok(())
}

fn pretty_json<T: Serialize + ?Sized>(value: &T) -> anyhow::Result<Vec<u8>> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// A CSV writer for Dutch spreadsheets: byte order mark, semicolons.
fn spreadsheet_writer() -> csv::Writer<Vec<u8>> {
    let mut buffer = Vec::new();
    buffer.extend_from_slice("\u{feff}".as_bytes());
    csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(buffer)
}

fn finish(writer: csv::Writer<Vec<u8>>) -> anyhow::Result<Vec<u8>> {
    writer
        .into_inner()
        .map_err(|error| anyhow::anyhow!("writing CSV: {error}"))
}

/// Protects a text cell against formula injection: a spreadsheet runs cells that start with `=`, `+`,
/// `-`, `@`, tab or carriage return.
pub fn protect_cell(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// A number as Dutch spreadsheets write it: decimal comma.
pub fn dutch_number(number: f64) -> String {
    number.to_string().replace('.', ",")
}

pub fn measurements_csv(measurements: &[Measurement]) -> anyhow::Result<Vec<u8>> {
    let mut writer = spreadsheet_writer();
    writer.write_record([
        "indicator",
        "period",
        "area",
        "value",
        "numerator",
        "denominator",
        "source",
    ])?;
    for m in measurements {
        writer.write_record([
            m.indicator.to_string(),
            m.period.to_string(),
            m.area.as_ref().map(ToString::to_string).unwrap_or_default(),
            dutch_number(m.value),
            m.numerator.map(dutch_number).unwrap_or_default(),
            m.denominator.map(dutch_number).unwrap_or_default(),
            protect_cell(m.source.as_deref().unwrap_or("")),
        ])?;
    }
    finish(writer)
}

pub fn stories_csv(stories: &[Story]) -> anyhow::Result<Vec<u8>> {
    let mut writer = spreadsheet_writer();
    writer.write_record([
        "id",
        "title",
        "date",
        "teller",
        "valence",
        "consent",
        "provider",
        "area",
        "activity",
        "subgoals",
        "tags",
        "language",
        "name",
        "session",
        "status",
        "rejection_reason",
        "scores",
        "text",
    ])?;
    let join = |items: Vec<String>| items.join("|");
    for story in stories {
        writer.write_record([
            story.id.to_string(),
            protect_cell(&story.title),
            story.date.to_string(),
            story.teller.code().to_string(),
            story.valence.code().to_string(),
            story.consent.code().to_string(),
            story
                .provider
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            story
                .area
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            story
                .activity
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            join(story.subgoals.iter().map(ToString::to_string).collect()),
            protect_cell(&join(story.tags.clone())),
            story
                .language
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            protect_cell(story.teller_name.as_deref().unwrap_or("")),
            story
                .session
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            story.moderation.code().to_string(),
            match &story.moderation {
                Moderation::Rejected(reason) => protect_cell(reason),
                _ => String::new(),
            },
            join(
                story
                    .scores
                    .iter()
                    .map(|(id, score)| format!("{id}={score}"))
                    .collect(),
            ),
            protect_cell(story.text.as_str()),
        ])?;
    }
    finish(writer)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_that_look_like_formulas_are_protected() {
        assert_eq!(protect_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(protect_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(protect_cell("gewoon"), "gewoon");
        assert_eq!(
            crate::import::table::unprotect_cell(&protect_cell("-2+3")),
            "-2+3"
        );
        assert_eq!(dutch_number(42.5), "42,5");
        assert_eq!(dutch_number(3.0), "3");
    }
}
