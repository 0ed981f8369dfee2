//! Reading stories from a spreadsheet: one story per row, columns as the front matter fields plus
//! `text`. Each row goes through the same typed conversion as a story file, so the rules and messages
//! are the same; errors point at the row's line and the column.

use std::collections::BTreeMap;

use crate::export::ANSWER_COLUMN_PREFIX;
use crate::source::LineError;
use crate::story::front_matter::{RawStory, RawValue};
use crate::story::{Catalog, Story};

use super::table::{Table, read_table};

/// Accepted Dutch column names (lowercase) and the canonical names they stand for.
pub const STORY_COLUMNS: &[(&str, &str)] = &[
    ("titel", "title"),
    ("datum", "date"),
    ("verteller", "teller"),
    ("valentie", "valence"),
    ("toestemming", "consent"),
    ("aanbieder", "provider"),
    ("gebied", "area"),
    ("activiteit", "activity"),
    ("indicator", "indicator"),
    ("vertaling", "translation"),
    ("subdoelen", "subgoals"),
    ("taal", "language"),
    ("naam", "name"),
    ("sessie", "session"),
    ("ronde", "round"),
    ("tekst", "text"),
    ("verhaal", "text"),
    ("scores", "scores"),
];

/// Whether a CSV header (lowercase column names) belongs to a stories file.
pub fn is_stories_header(columns: &[String]) -> bool {
    columns.iter().any(|column| {
        STORY_COLUMNS.iter().any(|(alias, canonical)| {
            *canonical == "text" && (column == alias || column == canonical)
        })
    })
}

/// Reads every row; good rows become stories, bad rows become errors with their line and column.
pub fn read_stories(text: &str, catalog: Catalog<'_>) -> (Vec<Story>, Vec<LineError>) {
    match read_table(text, STORY_COLUMNS) {
        Ok(table) => parse_story_rows(table, catalog),
        Err(error) => (Vec::new(), vec![error]),
    }
}

fn parse_story_rows(table: Table, catalog: Catalog<'_>) -> (Vec<Story>, Vec<LineError>) {
    let mut stories = Vec::new();
    let mut errors = Vec::new();
    for row in table.rows {
        let row = match row {
            Ok(row) => row,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        let mut cells: BTreeMap<String, RawValue> = BTreeMap::new();
        let mut body = String::new();
        let mut answers: BTreeMap<String, RawValue> = BTreeMap::new();
        for (column, cell) in row.cells {
            if let Some(question) = column.strip_prefix(ANSWER_COLUMN_PREFIX) {
                if !cell.trim().is_empty() {
                    answers.insert(question.to_string(), RawValue::Text(cell));
                }
                continue;
            }
            match column.as_str() {
                "text" => body = cell,
                "scores" => {
                    cells.insert(column, scores_cell(&cell));
                }
                _ => {
                    cells.insert(column, RawValue::Text(cell));
                }
            }
        }
        if !answers.is_empty() {
            cells.insert("answers".to_string(), answers_cell(answers));
        }
        match RawStory::from_row(row.line, cells, body).into_story(catalog) {
            Ok(story) => stories.push(story),
            Err(row_errors) => errors.extend(row_errors),
        }
    }
    (stories, errors)
}

/// The `vraag:ID` and `vraag:ID@VERSION` cells of a row as the front matter's `answers` table: a
/// value alone under the question's current version, or a version with its value.
fn answers_cell(cells: BTreeMap<String, RawValue>) -> RawValue {
    let mut answers = BTreeMap::new();
    for (column, value) in cells {
        let entry = match column.split_once('@') {
            Some((question, version)) => (
                question.to_string(),
                RawValue::Table(vec![
                    (
                        "version".to_string(),
                        version.trim().parse::<i64>().map_or_else(
                            |_| RawValue::Text(version.to_string()),
                            RawValue::Integer,
                        ),
                    ),
                    ("value".to_string(), value),
                ]),
            ),
            None => (column, value),
        };
        answers.insert(entry.0, entry.1);
    }
    RawValue::Table(answers.into_iter().collect())
}

/// `statement-id=4|other=2` as a table of scores; what is not plain digits stays text, which the typed
/// conversion reads as a Dutch number (`4,0`) or says what is wrong with it.
fn scores_cell(cell: &str) -> RawValue {
    RawValue::Table(
        cell.split('|')
            .filter(|pair| !pair.trim().is_empty())
            .map(|pair| {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                let value = value.trim();
                let value = value
                    .parse::<i64>()
                    .map_or_else(|_| RawValue::Text(value.to_string()), RawValue::Integer);
                (key.trim().to_string(), value)
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::table::header_columns;
    use crate::story::{TellerRole, Valence};
    use crate::testing;

    #[test]
    fn reads_rows_like_story_files() {
        let demo = testing::CatalogParts::demo();
        let catalog = demo.catalog();
        let text = "titel;datum;verteller;valentie;toestemming;gebied;subdoelen;tags;scores;tekst\n\
Hulp bij de post;2025-02-03;vrijwilliger;mixed;internal;zuid;grip-op-geld;schulden|post;;\"Ik help meneer\nelke week.\"\n\
Koffie;2025-02-04;resident;positive;public;;sterker-netwerk;;ken-meer-mensen=5;Fijn.\n\
Kapot;2025-02-30;resident;positive;public;;;;;Tekst\n\
Score;2025-02-04;resident;positive;public;;;;ken-meer-mensen=veel;Tekst\n\
Komma;2025-02-05;resident;positive;public;;;;ken-meer-mensen=4,0;Tekst\n\
Half;2025-02-05;resident;positive;public;;;;ken-meer-mensen=3,5;Tekst\n\
Punt;2025-02-05;resident;positive;public;;;;ken-meer-mensen=2.710;Tekst\n";
        assert!(is_stories_header(&header_columns(text)));
        let (stories, errors) = read_stories(text, catalog);
        assert_eq!(stories.len(), 3);
        assert_eq!(stories[0].teller, TellerRole::Volunteer);
        assert_eq!(stories[0].valence, Valence::Mixed);
        assert_eq!(stories[0].tags, vec!["schulden", "post"]);
        assert_eq!(stories[0].text.as_str(), "Ik help meneer\nelke week.");
        assert_eq!(stories[1].scores.len(), 1);
        assert_eq!(stories[2].scores.values().copied().collect::<Vec<_>>(), [4]);
        let got: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.field.as_deref().unwrap()))
            .collect();
        assert_eq!(
            got,
            vec![(5, "date"), (6, "scores"), (8, "scores"), (9, "scores")]
        );
        assert!(
            errors[3].message.contains("from 1 to 5, found \"2.710\""),
            "{}",
            errors[3].message
        );
    }
    #[test]
    fn a_row_names_its_indicator_and_a_translation_and_exports_them_again() {
        let text = "titel;datum;verteller;valentie;toestemming;indicator;vertaling;tekst\n\
Koffie;2025-02-04;resident;positive;public;bezoekers-koffie-inloop;Ik drink koffie.;Kahve içiyorum.\n\
Fout;2025-02-04;resident;positive;public;bestaat-niet;;Tekst\n";
        let (stories, errors) = read_stories(text, testing::shared_catalog());
        assert_eq!(stories.len(), 1);
        let story = &stories[0];
        assert_eq!(
            story.indicator.as_ref().map(|id| id.as_str()),
            Some("bezoekers-koffie-inloop")
        );
        assert_eq!(story.subgoals[0].as_str(), "sterker-netwerk");
        assert_eq!(story.translation.as_deref(), Some("Ik drink koffie."));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].field.as_deref(), Some("indicator"));

        let table = crate::export::stories_table(
            &stories,
            crate::export::Audience::Internal,
            &Default::default(),
        );
        let csv = crate::export::to_csv(&table).unwrap();
        let (again, errors) = read_stories(
            std::str::from_utf8(&csv).unwrap(),
            testing::shared_catalog(),
        );
        assert_eq!(errors, vec![]);
        assert_eq!(again[0].indicator, story.indicator);
        assert_eq!(again[0].translation, story.translation);
    }

    #[test]
    fn a_story_longer_than_a_spreadsheet_cell_goes_through_csv_whole() {
        let text: String = "Een lange zin over de wijk, met een komma; en een puntkomma.\n"
            .repeat(1_200)
            .trim_end()
            .to_string();
        assert!(text.chars().count() > 70_000);
        let story = testing::story("Een lang verhaal", &text);
        let table = crate::export::stories_table(
            &[story],
            crate::export::Audience::Internal,
            &Default::default(),
        );
        let csv = crate::export::to_csv(&table).unwrap();
        let (stories, errors) = read_stories(
            std::str::from_utf8(&csv).unwrap(),
            testing::shared_catalog(),
        );
        assert_eq!(errors, vec![]);
        assert_eq!(stories[0].text.as_str(), text);
    }
}
