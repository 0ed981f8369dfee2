//! Export of the bank: as plain files (Markdown stories with TOML front matter, `municipality.toml`,
//! `goals.toml`, `sessions.toml`, `rounds.toml`, `synonyms.toml`, `questions.toml`, `signals.toml`, a measurements CSV) that `import` reads back into the same bank; as
//! spreadsheet tables (CSV for Dutch spreadsheets, or one Excel workbook); and as JSON.
//!
//! The spreadsheet exports share one table model ([`tables`]); the web offers the same tables as
//! downloads of what a page shows ([`csv_download`], [`xlsx_download`]).

pub mod media_files;
pub mod tables;
pub mod xlsx;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use jiff::civil::Date;
use serde::Serialize;

use crate::rounds::file::rounds_to_toml;
use crate::sessions::file::SessionsFile;
use crate::store::Store;
use crate::story::Story;
use crate::story::file::{story_file_name, story_to_file};

pub use tables::{
    ANSWER_COLUMN_PREFIX, Audience, Cell, Table, actions_table, answer_column, dutch_number,
    interpretations_table, measurements_table, needs_protection, protect_cell, stories_table,
    to_csv,
};
pub use xlsx::to_xlsx;

/// The name of the workbook that the XLSX export writes.
pub const WORKBOOK_FILE: &str = "verhalenbank.xlsx";
/// The media type of a CSV download.
pub const CSV_CONTENT_TYPE: &str = "text/csv; charset=utf-8";
/// The media type of an Excel workbook.
pub const XLSX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ExportFormat {
    /// The whole bank as plain files that `import` reads back.
    Markdown,
    /// Stories, measurements, interpretations and actions as spreadsheet CSV (semicolons, UTF-8 with BOM).
    Csv,
    /// Stories, measurements, interpretations and actions as one Excel workbook, a worksheet each.
    Xlsx,
    /// Stories, measurements, goal tree, municipality, sessions, interpretations and actions as JSON.
    Json,
}

/// What an export wrote.
#[derive(Debug, Default)]
pub struct ExportSummary {
    pub stories: usize,
    pub measurements: usize,
    pub interpretations: usize,
    pub actions: usize,
    pub files: Vec<PathBuf>,
}

/// A file to download: its name, media type and contents.
#[derive(Debug, Clone)]
pub struct Download {
    pub file_name: String,
    pub content_type: &'static str,
    pub bytes: Vec<u8>,
}

/// One table as a CSV download named after the table and the day, like `verhalen-2026-11-23.csv`.
pub fn csv_download(table: &Table, today: Date) -> anyhow::Result<Download> {
    Ok(Download {
        file_name: format!("{}-{today}.csv", table.name),
        content_type: CSV_CONTENT_TYPE,
        bytes: to_csv(table)?,
    })
}

/// Tables as an Excel download named after the first table and the day, like `acties-2026-11-23.xlsx`.
pub fn xlsx_download(tables: &[Table], today: Date) -> anyhow::Result<Download> {
    let name = tables.first().map_or("verhalenbank", |table| table.name);
    Ok(Download {
        file_name: format!("{name}-{today}.xlsx"),
        content_type: XLSX_CONTENT_TYPE,
        bytes: to_xlsx(tables)?,
    })
}

/// Exports the whole bank in `format` into `out`, which must be empty or not exist yet, so that files
/// of an earlier export never mix with this one.
pub fn export(store: &Store, format: ExportFormat, out: &Path) -> anyhow::Result<ExportSummary> {
    export_on(store, format, out, jiff::Zoned::now().date())
}

/// [`export`] as on `today`, which decides which actions are overdue.
pub fn export_on(
    store: &Store,
    format: ExportFormat,
    out: &Path,
    today: Date,
) -> anyhow::Result<ExportSummary> {
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
    let rounds = store.rounds()?;
    let synonyms = store.synonyms()?;
    let questions = store.questions()?;
    let signals = store.signals()?;

    let mut summary = ExportSummary {
        stories: stories.len(),
        measurements: measurements.len(),
        interpretations: sessions.interpretations.len(),
        actions: sessions.actions.len(),
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
    // The answer columns follow the bank's questions; a stored file that does not read would drop
    // them silently, so the export stops instead.
    let question_set = match &questions {
        Some(stored) => crate::questions::QuestionSet::from_toml(&stored.item).map_err(|problems| {
            anyhow::anyhow!(
                "the stored questions.toml does not read ({} problems); import a corrected one first",
                problems.len()
            )
        })?,
        None => crate::questions::QuestionSet::default(),
    };
    let tables = || {
        [
            stories_table(&stories, Audience::Internal, &question_set),
            measurements_table(&measurements),
            interpretations_table(&sessions.interpretations),
            actions_table(&sessions.actions, today),
        ]
    };
    match format {
        ExportFormat::Markdown => {
            write("municipality.toml", municipality.to_toml().as_bytes())?;
            write("goals.toml", goals.to_toml().as_bytes())?;
            if sessions != SessionsFile::default() {
                write("sessions.toml", sessions.to_toml().as_bytes())?;
            }
            if !rounds.is_empty() {
                write("rounds.toml", rounds_to_toml(&rounds).as_bytes())?;
            }
            // As it was imported or saved, comments and all.
            if let Some(synonyms) = &synonyms {
                write(crate::synonyms::FILE_NAME, synonyms.item.as_bytes())?;
            }
            if let Some(questions) = &questions {
                write(crate::questions::FILE_NAME, questions.item.as_bytes())?;
            }
            if let Some(signals) = &signals {
                write(crate::signals::FILE_NAME, signals.item.as_bytes())?;
            }
            write(
                "measurements.csv",
                &to_csv(&measurements_table(&measurements))?,
            )?;
            for story in &stories {
                let name = story_file_name(story);
                write(&format!("stories/{name}"), story_to_file(story).as_bytes())?;
                // Photos and a recording in a folder beside the story's file.
                let media = store
                    .media(story.id)
                    .context("reading a story's photos and recording")?;
                if !media.is_empty() {
                    let folder = name.trim_end_matches(".md");
                    for (file, bytes) in media_files::files(&media) {
                        write(&format!("stories/{folder}/{file}"), &bytes)?;
                    }
                }
            }
        }
        ExportFormat::Csv => {
            for table in tables() {
                write(&format!("{}.csv", table.file), &to_csv(&table)?)?;
            }
            // The stories' `vraag:` columns refer to the questions by id: beside them, the folder
            // imports again as it is.
            if let Some(questions) = &questions {
                write(crate::questions::FILE_NAME, questions.item.as_bytes())?;
            }
        }
        ExportFormat::Xlsx => write(WORKBOOK_FILE, &to_xlsx(&tables())?)?,
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
                    "rounds": rounds,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downloads_are_named_after_the_table_and_the_day() {
        let today = jiff::civil::date(2026, 11, 23);
        let table = measurements_table(&[]);
        let csv = csv_download(&table, today).unwrap();
        assert_eq!(csv.file_name, "metingen-2026-11-23.csv");
        assert_eq!(csv.content_type, "text/csv; charset=utf-8");
        assert!(
            csv.bytes
                .starts_with("\u{feff}indicator;period;".as_bytes())
        );
        let xlsx = xlsx_download(&[table], today).unwrap();
        assert_eq!(xlsx.file_name, "metingen-2026-11-23.xlsx");
        assert!(xlsx.bytes.starts_with(b"PK"), "a zip archive");
    }
}
