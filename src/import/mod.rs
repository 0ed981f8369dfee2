//! Bulk import: a file or a folder (recursively) of story files, stories and measurements CSVs,
//! `municipality.toml`, `goals.toml`, `sessions.toml`, `rounds.toml`, `synonyms.toml`,
//! `questions.toml` and `signals.toml`.
//!
//! Shaped like ripgrep's search over files: every problem is reported with its file and line, counted,
//! and the run goes on; whatever was read correctly is stored. Settings come first (municipality, then
//! the goal tree, then sessions, rounds, synonyms and the questions about the story), then figures, then stories, because stories and figures are checked against them.
//! Stories are written in batches, each durable before the next is read, so an interrupted import keeps
//! what it acknowledged. Importing the same files again changes nothing: stories are stored by id.

mod measurements;
mod stories_csv;
pub mod table;

pub use measurements::read_measurements;
pub use stories_csv::read_stories;

use std::collections::HashMap;
use std::fmt;
use std::path::{Path, PathBuf};

use indicatif::ProgressBar;

use crate::goals::GoalTree;
use crate::ids::{RoundId, SessionId};
use crate::municipality::Municipality;
use crate::questions::{QuestionSet, References};
use crate::rounds::file::rounds_from_toml;
use crate::sessions::file::SessionsFile;
use crate::source::LineError;
use crate::store::{Store, StoreError};
use crate::story::front_matter::parse_story_file;
use crate::story::{Catalog, Story, StoryId};
use crate::synonyms::Synonyms;

/// Stories are stored in batches of this many, each flushed to disk.
const STORY_BATCH: usize = 500;

/// A problem in one file, at one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    pub path: PathBuf,
    pub error: LineError,
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path.display(), self.error)
    }
}

/// What an import did.
#[derive(Debug, Default)]
pub struct ImportReport {
    pub files: usize,
    pub stories: usize,
    pub measurements: usize,
    pub municipality: bool,
    pub goal_tree: bool,
    /// Storytelling sessions read from sessions.toml.
    pub sessions: usize,
    /// Narrative evaluation rounds read from rounds.toml.
    pub rounds: usize,
    /// Groups of the synonyms list read from synonyms.toml, when there was one.
    pub synonym_groups: Option<usize>,
    /// Questions about the story read from questions.toml, when there was one.
    pub questions: Option<usize>,
    /// Words of the urgent-signal list read from signals.toml, when there was one.
    pub signal_words: Option<usize>,
    /// Stories left out because they were erased after the files were made: an erased story never
    /// comes back, not even from an older export.
    pub erased: usize,
    /// Stories stored as submitted: they wait for moderation before the public sees them.
    pub awaiting_moderation: usize,
    /// Stories stored as published without a link to any subgoal: moderation lists them, with
    /// suggested subgoals, until someone links them.
    pub unlinked: usize,
    /// Files that are not something Verhalenbank reads (images, notes without front matter named README).
    pub skipped: Vec<PathBuf>,
    pub errors: Vec<FileError>,
    /// Files with at least one error.
    pub failed_files: usize,
}

impl ImportReport {
    pub fn is_success(&self) -> bool {
        self.errors.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum FileKind {
    Municipality,
    Goals,
    Sessions,
    Rounds,
    Synonyms,
    Questions,
    Signals,
    Csv,
    Story,
}

fn kind_of(path: &Path) -> Option<FileKind> {
    let name = path.file_name()?.to_str()?.to_lowercase();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase);
    match (name.as_str(), extension.as_deref()) {
        ("municipality.toml", _) => Some(FileKind::Municipality),
        ("goals.toml", _) => Some(FileKind::Goals),
        ("sessions.toml", _) => Some(FileKind::Sessions),
        ("rounds.toml", _) => Some(FileKind::Rounds),
        (crate::synonyms::FILE_NAME, _) => Some(FileKind::Synonyms),
        (crate::questions::FILE_NAME, _) => Some(FileKind::Questions),
        (crate::signals::FILE_NAME, _) => Some(FileKind::Signals),
        ("readme.md", _) => None,
        (_, Some("csv")) => Some(FileKind::Csv),
        (_, Some("md" | "markdown")) => Some(FileKind::Story),
        _ => None,
    }
}

/// Whether a CSV header is that of the interpretations or actions table a spreadsheet export writes.
/// Those tables are for reading; import takes interpretations and actions from `sessions.toml`.
fn is_sessions_table_header(columns: &[String]) -> bool {
    let has = |name: &str| columns.iter().any(|column| column == name);
    (has("recognise") && has("improve")) || (has("owner") && has("due"))
}

/// Whether a file is in the media folder of a story file beside it (`x/` next to `x.md`).
fn in_media_folder(path: &Path) -> bool {
    path.parent()
        .is_some_and(|folder| folder.with_extension("md").is_file())
}

/// Lists the files under `paths` (folders recursively, hidden folders left out), sorted, with their kind.
fn collect_files(paths: &[PathBuf], report: &mut ImportReport) -> Vec<(FileKind, PathBuf)> {
    let mut files = Vec::new();
    for root in paths {
        let walker = walkdir::WalkDir::new(root)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|entry| {
                entry.depth() == 0 || !entry.file_name().to_string_lossy().starts_with('.')
            });
        for entry in walker {
            match entry {
                Ok(entry) if entry.file_type().is_file() => match kind_of(entry.path()) {
                    // A story's photos and recording are read with the story.
                    _ if in_media_folder(entry.path()) => {}
                    Some(kind) => files.push((kind, entry.into_path())),
                    None => report.skipped.push(entry.into_path()),
                },
                Ok(_) => {}
                Err(error) => {
                    let path = error.path().unwrap_or(root).to_path_buf();
                    report.errors.push(FileError {
                        path,
                        error: LineError::new(0, None, format!("cannot read: {error}")),
                    });
                    report.failed_files += 1;
                }
            }
        }
    }
    // Settings before figures before stories; within a kind, in path order.
    files.sort();
    files
}

/// An import that a failing store (a full disk, say) ended early: how many stories were stored durably
/// before it stopped, and why.
#[derive(Debug, thiserror::Error)]
#[error("the import stopped after {stored} stories were stored: {error}")]
pub struct ImportStopped {
    pub stored: usize,
    #[source]
    pub error: StoreError,
}

/// Imports everything under `paths` into the store. Problems in files are reported in the returned
/// report; only a failing store ends the import early, and the stories stored before are kept.
pub fn import_paths(
    store: &Store,
    paths: &[PathBuf],
    progress: &ProgressBar,
) -> Result<ImportReport, ImportStopped> {
    let mut report = ImportReport::default();
    match import_into(store, paths, progress, &mut report) {
        Ok(()) => Ok(report),
        Err(error) => Err(ImportStopped {
            stored: report.stories,
            error,
        }),
    }
}

fn import_into(
    store: &Store,
    paths: &[PathBuf],
    progress: &ProgressBar,
    report: &mut ImportReport,
) -> Result<(), StoreError> {
    let files = collect_files(paths, report);
    progress.set_length(files.len() as u64);
    report.files = files.len();

    let mut municipality = store.municipality()?.unwrap_or_default();
    let mut goals = store.goal_tree()?.unwrap_or_default();
    let mut sessions: Vec<SessionId> = store
        .sessions()?
        .into_iter()
        .map(|session| session.id)
        .collect();
    let mut rounds: Vec<RoundId> = store.rounds()?.into_iter().map(|r| r.id).collect();
    let mut questions = match store.questions()? {
        Some(stored) => QuestionSet::from_toml(&stored.item).unwrap_or_default(),
        None => QuestionSet::default(),
    };
    let mut pending: Vec<Story> = Vec::new();
    let mut with_media: Vec<(StoryId, crate::media::StoryMedia)> = Vec::new();
    let mut seen: HashMap<StoryId, PathBuf> = HashMap::new();

    for (kind, path) in files {
        progress.inc(1);
        let text = match std::fs::read(&path) {
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(text) => text,
                Err(_) => {
                    report.fail(
                        &path,
                        vec![LineError::new(1, None, "the file is not UTF-8 text")],
                    );
                    continue;
                }
            },
            Err(error) => {
                report.fail(
                    &path,
                    vec![LineError::new(0, None, format!("cannot read: {error}"))],
                );
                continue;
            }
        };
        match kind {
            FileKind::Municipality => match Municipality::from_toml(table::strip_bom(&text)) {
                Ok(parsed) => {
                    store.set_municipality(&parsed)?;
                    municipality = parsed;
                    report.municipality = true;
                }
                Err(error) => report.fail(&path, vec![error]),
            },
            FileKind::Goals => match GoalTree::from_toml(table::strip_bom(&text)) {
                Ok(parsed) => {
                    store.set_goal_tree(&parsed)?;
                    goals = parsed;
                    report.goal_tree = true;
                }
                Err(error) => report.fail(&path, vec![error]),
            },
            FileKind::Sessions => {
                let catalog = Catalog {
                    municipality: &municipality,
                    goals: &goals,
                    sessions: &sessions,
                    rounds: &rounds,
                    questions: &questions,
                };
                match SessionsFile::from_toml(table::strip_bom(&text), catalog) {
                    Ok(parsed) => {
                        for session in &parsed.sessions {
                            store.put_session(session)?;
                            if !sessions.contains(&session.id) {
                                sessions.push(session.id.clone());
                            }
                        }
                        for interpretation in &parsed.interpretations {
                            store.put_interpretation(interpretation)?;
                        }
                        for action in &parsed.actions {
                            store.put_action(action)?;
                        }
                        report.sessions += parsed.sessions.len();
                    }
                    Err(error) => report.fail(&path, vec![error]),
                }
            }
            FileKind::Rounds => {
                let catalog = Catalog {
                    municipality: &municipality,
                    goals: &goals,
                    sessions: &sessions,
                    rounds: &rounds,
                    questions: &questions,
                };
                match rounds_from_toml(table::strip_bom(&text), catalog) {
                    Ok(parsed) => {
                        for round in &parsed {
                            store.put_round(round)?;
                            if !rounds.contains(&round.id) {
                                rounds.push(round.id.clone());
                            }
                        }
                        report.rounds += parsed.len();
                    }
                    Err(error) => report.fail(&path, vec![error]),
                }
            }
            FileKind::Signals => {
                let text = table::strip_bom(&text);
                match crate::signals::Signals::from_toml(text) {
                    Ok(parsed) => {
                        store.set_signals(text)?;
                        report.signal_words = Some(parsed.words().count());
                    }
                    Err(problems) => report.fail(
                        &path,
                        problems
                            .iter()
                            .map(|problem| problem.line_error())
                            .collect(),
                    ),
                }
            }
            FileKind::Synonyms => {
                let text = table::strip_bom(&text);
                match Synonyms::from_toml(text) {
                    Ok(parsed) => {
                        store.set_synonyms(text)?;
                        report.synonym_groups = Some(parsed.groups.len());
                    }
                    Err(problems) => report.fail(
                        &path,
                        problems
                            .iter()
                            .map(|problem| problem.line_error())
                            .collect(),
                    ),
                }
            }
            FileKind::Questions => {
                let text = table::strip_bom(&text);
                let references = References {
                    goals: &goals,
                    sessions: &sessions,
                    rounds: &rounds,
                };
                match QuestionSet::check(text, Some(references), None) {
                    Ok(parsed) => {
                        store.set_questions(text)?;
                        report.questions = Some(parsed.questions.len());
                        questions = parsed;
                    }
                    Err(problems) => report.fail(
                        &path,
                        problems
                            .iter()
                            .map(|problem| problem.line_error())
                            .collect(),
                    ),
                }
            }
            FileKind::Csv => {
                let catalog = Catalog {
                    municipality: &municipality,
                    goals: &goals,
                    sessions: &sessions,
                    rounds: &rounds,
                    questions: &questions,
                };
                let columns = table::header_columns(&text);
                if is_sessions_table_header(&columns) {
                    // sessions.toml is what carries them back in.
                    report.skipped.push(path);
                } else if measurements::is_measurements_header(&columns) {
                    let (figures, errors) = read_measurements(&text, catalog);
                    store.put_measurements(&figures)?;
                    report.measurements += figures.len();
                    report.fail(&path, errors);
                } else if stories_csv::is_stories_header(&columns) {
                    let (stories, errors) = stories_csv::read_stories(&text, catalog);
                    report.fail(&path, errors);
                    for story in stories {
                        report.queue(story, &path, &mut seen, &mut pending);
                    }
                } else {
                    let message = "a CSV file needs an indicator column (measurements) or a text column (stories)";
                    report.fail(&path, vec![LineError::new(1, None, message)]);
                }
            }
            FileKind::Story => {
                let catalog = Catalog {
                    municipality: &municipality,
                    goals: &goals,
                    sessions: &sessions,
                    rounds: &rounds,
                    questions: &questions,
                };
                match parse_story_file(&text, catalog) {
                    Ok(story) => {
                        // Photos and a recording in a folder beside the file, as the export writes.
                        let folder = path.with_extension("");
                        if folder.join(crate::export::media_files::LIST_FILE).is_file() {
                            match crate::export::media_files::read_folder(&folder) {
                                Ok(media) => with_media.push((story.id, media)),
                                Err(message) => {
                                    report.fail(&path, vec![LineError::new(0, None, message)])
                                }
                            }
                        }
                        report.queue(story, &path, &mut seen, &mut pending)
                    }
                    Err(errors) => report.fail(&path, errors),
                }
            }
        }
        if pending.len() >= STORY_BATCH {
            report.store(store, &mut pending)?;
        }
    }
    if !pending.is_empty() {
        report.store(store, &mut pending)?;
    }
    // After their stories are stored; an erased story's media are left out with it.
    for (id, media) in with_media {
        match store.put_media(id, &media) {
            Ok(_) | Err(StoreError::Erased(_)) => {}
            Err(error) => return Err(error),
        }
    }
    progress.finish_and_clear();
    Ok(())
}

impl ImportReport {
    /// Stores the pending stories durably, leaving out erased ones and counting them.
    fn store(&mut self, store: &Store, pending: &mut Vec<Story>) -> Result<(), StoreError> {
        let (_, erased) = store.put_stories_except_erased(pending)?;
        for story in pending.iter() {
            if store.is_erased(story.id)? {
                continue;
            }
            match story.moderation {
                crate::story::Moderation::Submitted => self.awaiting_moderation += 1,
                crate::story::Moderation::Published if story.subgoals.is_empty() => {
                    self.unlinked += 1;
                }
                _ => {}
            }
        }
        self.stories += pending.len() - erased;
        self.erased += erased;
        pending.clear();
        Ok(())
    }

    fn fail(&mut self, path: &Path, errors: Vec<LineError>) {
        if errors.is_empty() {
            return;
        }
        self.failed_files += 1;
        self.errors
            .extend(errors.into_iter().map(|error| FileError {
                path: path.to_path_buf(),
                error,
            }));
    }

    /// Queues a story for storing, unless another file of this import already holds the same id.
    fn queue(
        &mut self,
        story: Story,
        path: &Path,
        seen: &mut HashMap<StoryId, PathBuf>,
        pending: &mut Vec<Story>,
    ) {
        if let Some(first) = seen.get(&story.id) {
            let message = format!(
                "this story has the same id ({}) as {}; give one of them another id, or remove the copy",
                story.id,
                first.display()
            );
            self.fail(path, vec![LineError::new(1, Some("id"), message)]);
            return;
        }
        seen.insert(story.id, path.to_path_buf());
        pending.push(story);
    }
}
