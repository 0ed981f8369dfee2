//! One table model for every spreadsheet export (stories, measurements, interpretations, actions) and
//! the CSV writer for Dutch spreadsheets.
//!
//! CSV is written the way Dutch spreadsheet programs open it without garbled characters: UTF-8 with a
//! byte order mark, semicolons, decimal commas; text cells that a spreadsheet would run as a formula
//! get a leading `'`, which import removes again.

use std::fmt::Display;

use jiff::civil::Date;

use crate::evidence::Measurement;
use crate::ids::QuestionId;
use crate::questions::{AnswerValue, QuestionSet, SliderAnswer};
use crate::sessions::{Action, Interpretation};
use crate::story::{Coded, Moderation, Story};

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(Date),
    Empty,
}

impl Cell {
    /// A text cell; an empty text is an empty cell.
    pub fn text(text: impl Into<String>) -> Cell {
        let text = text.into();
        if text.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(text)
        }
    }

    /// The value's text, or an empty cell for `None`.
    fn optional<T: Display>(value: Option<&T>) -> Cell {
        value.map_or(Cell::Empty, |value| Cell::text(value.to_string()))
    }

    fn number(value: Option<f64>) -> Cell {
        value.map_or(Cell::Empty, Cell::Number)
    }

    /// Items separated by `|`, as import reads lists.
    fn list<T: Display>(items: impl IntoIterator<Item = T>) -> Cell {
        Cell::text(
            items
                .into_iter()
                .map(|item| item.to_string())
                .collect::<Vec<_>>()
                .join("|"),
        )
    }
}

/// A table to export: a CSV file or a worksheet.
#[derive(Debug, Clone, PartialEq)]
pub struct Table {
    /// The Dutch name: the worksheet's name and the start of a downloaded file's name.
    pub name: &'static str,
    /// The file name (without `.csv`) in an export folder, which `import` reads back.
    pub file: &'static str,
    pub columns: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// Who a stories table is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Audience {
    /// The municipality's own staff: every column, the teller's name too.
    Internal,
    /// Anyone, as on the public search page: without the teller's name.
    Public,
}

/// The stories, one per row, with the columns the stories CSV import reads.
/// A table's column names.
fn names(columns: &[&str]) -> Vec<String> {
    columns.iter().map(ToString::to_string).collect()
}

/// The column of a question's answers: `vraag:` and its id; answers given under an earlier version
/// of the question get a column of their own, `vraag:ID@VERSION`, so that each column means one thing
/// (as R and SPSS expect) and an import reads each answer back under its own version.
pub fn answer_column(question: &QuestionId, version: Option<u32>) -> String {
    match version {
        None => format!("{ANSWER_COLUMN_PREFIX}{question}"),
        Some(version) => format!("{ANSWER_COLUMN_PREFIX}{question}@{version}"),
    }
}

/// What an answer column's name starts with.
pub const ANSWER_COLUMN_PREFIX: &str = "vraag:";

/// The stories, one per row, with the columns the stories CSV import reads, and a column per question
/// about the story (after the fixed ones, before the text).
pub fn stories_table(stories: &[Story], audience: Audience, questions: &QuestionSet) -> Table {
    // The same rule as every other door a story leaves by (`story::view`).
    let rule = match audience {
        Audience::Internal => crate::story::view::Audience::Municipality,
        Audience::Public => crate::story::view::Audience::Public,
    };
    let with_name = rule.sees_teller_name();
    let mut columns = names(&[
        "id",
        "title",
        "date",
        "teller",
        "valence",
        "consent",
        "provider",
        "area",
        "activity",
        "indicator",
        "subgoals",
        "tags",
        "language",
    ]);
    if with_name {
        columns.push("name".to_string());
    }
    columns.extend(names(&[
        "session",
        "round",
        "status",
        "rejection_reason",
        "scores",
        "translation",
    ]));
    // One column per question and version answered: today's version under the plain name, earlier
    // ones only when some story holds an answer given under them.
    let mut answer_columns: Vec<(QuestionId, u32, Option<u32>)> = Vec::new();
    for question in &questions.questions {
        answer_columns.push((question.id.clone(), question.version, None));
        let mut earlier: Vec<u32> = stories
            .iter()
            .filter_map(|story| story.answers.get(&question.id))
            .map(|answer| answer.version)
            .filter(|version| *version != question.version)
            .collect();
        earlier.sort_unstable();
        earlier.dedup();
        answer_columns.extend(
            earlier
                .into_iter()
                .map(|version| (question.id.clone(), version, Some(version))),
        );
    }
    columns.extend(
        answer_columns
            .iter()
            .map(|(id, _, shown)| answer_column(id, *shown)),
    );
    columns.push("text".to_string());
    let rows =
        stories
            .iter()
            .map(|story| {
                let mut row = vec![
                    Cell::text(story.id.to_string()),
                    Cell::text(story.title.clone()),
                    Cell::Date(story.date),
                    Cell::text(story.teller.code()),
                    Cell::text(story.valence.code()),
                    Cell::text(story.consent.code()),
                    Cell::optional(story.provider.as_ref()),
                    Cell::optional(story.area.as_ref()),
                    Cell::optional(story.activity.as_ref()),
                    Cell::optional(story.indicator.as_ref()),
                    Cell::list(&story.subgoals),
                    Cell::list(&story.tags),
                    Cell::optional(story.language.as_ref()),
                ];
                if with_name {
                    row.push(Cell::optional(story.teller_name.as_ref()));
                }
                row.extend([
                    Cell::optional(story.session.as_ref()),
                    Cell::optional(story.round.as_ref()),
                    Cell::text(story.moderation.code()),
                    match &story.moderation {
                        Moderation::Rejected(reason) if rule.sees_rejection_reason() => {
                            Cell::text(reason.clone())
                        }
                        _ => Cell::Empty,
                    },
                    Cell::list(
                        story
                            .scores
                            .iter()
                            .map(|(id, score)| format!("{id}={score}")),
                    ),
                    Cell::optional(story.translation.as_ref()),
                ]);
                row.extend(answer_columns.iter().map(
                    |(id, version, _)| match story.answers.get(id) {
                        Some(answer) if answer.version == *version => answer_cell(&answer.value),
                        _ => Cell::Empty,
                    },
                ));
                row.push(Cell::text(story.text.as_str()));
                row
            })
            .collect();
    Table {
        name: "verhalen",
        file: "stories",
        columns,
        rows,
    }
}

/// An answer as a cell: a slider's point or an agreement as a number (so a spreadsheet can count with
/// it), everything else as its text (`weet-niet`, an option id, option ids separated by commas).
fn answer_cell(value: &AnswerValue) -> Cell {
    match value {
        AnswerValue::Slider(SliderAnswer::At(number)) | AnswerValue::Agreement(number) => {
            Cell::Number(f64::from(*number))
        }
        other => Cell::text(other.as_text()),
    }
}

/// The figures, one per indicator, period and area, with the columns the measurements import reads.
pub fn measurements_table(measurements: &[Measurement]) -> Table {
    Table {
        name: "metingen",
        file: "measurements",
        columns: names(&[
            "indicator",
            "period",
            "area",
            "value",
            "numerator",
            "denominator",
            "source",
        ]),
        rows: measurements
            .iter()
            .map(|m| {
                vec![
                    Cell::text(m.indicator.to_string()),
                    Cell::text(m.period.to_string()),
                    Cell::optional(m.area.as_ref()),
                    Cell::Number(m.value),
                    Cell::number(m.numerator),
                    Cell::number(m.denominator),
                    Cell::optional(m.source.as_ref()),
                ]
            })
            .collect(),
    }
}

/// The interpretations (duiding) along the four questions, one per row.
pub fn interpretations_table(interpretations: &[Interpretation]) -> Table {
    Table {
        name: "duidingen",
        file: "interpretations",
        columns: names(&[
            "id",
            "indicator",
            "area",
            "period",
            "date",
            "participants",
            "recognise",
            "explain",
            "value",
            "improve",
            "stories",
            "session",
        ]),
        rows: interpretations
            .iter()
            .map(|i| {
                vec![
                    Cell::text(i.id.to_string()),
                    Cell::text(i.indicator.to_string()),
                    Cell::optional(i.area.as_ref()),
                    Cell::optional(i.period.as_ref()),
                    Cell::Date(i.date),
                    Cell::text(i.participants.clone()),
                    Cell::text(i.recognise.clone()),
                    Cell::text(i.explain.clone()),
                    Cell::text(i.value.clone()),
                    Cell::text(i.improve.clone()),
                    Cell::list(&i.stories),
                    Cell::optional(i.session.as_ref()),
                ]
            })
            .collect(),
    }
}

/// The improvement actions, one per row; `overdue` says `ja` or `nee` on `today`.
pub fn actions_table(actions: &[Action], today: Date) -> Table {
    Table {
        name: "acties",
        file: "actions",
        columns: names(&[
            "id",
            "title",
            "owner",
            "due",
            "status",
            "overdue",
            "indicator",
            "area",
            "session",
            "outcome",
            "created",
        ]),
        rows: actions
            .iter()
            .map(|a| {
                vec![
                    Cell::text(a.id.to_string()),
                    Cell::text(a.title.clone()),
                    Cell::text(a.owner.clone()),
                    Cell::Date(a.due),
                    Cell::text(a.status.code()),
                    Cell::text(if a.is_overdue(today) { "ja" } else { "nee" }),
                    Cell::optional(a.indicator.as_ref()),
                    Cell::optional(a.area.as_ref()),
                    Cell::optional(a.session.as_ref()),
                    Cell::optional(a.outcome.as_ref()),
                    Cell::Date(a.created),
                ]
            })
            .collect(),
    }
}

/// Protects a text cell against formula injection: a spreadsheet runs cells that start with `=`, `+`,
/// `-`, `@`, tab or carriage return, so those get a leading `'`. Text that already starts with `'`
/// before such a character gets one more, so the import takes exactly one off and reads back the
/// text as it was.
pub fn protect_cell(text: &str) -> String {
    if needs_protection(text) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

/// Whether [`protect_cell`] puts a `'` before the text: it starts, after any apostrophes, with a
/// character a spreadsheet reads as the start of a formula.
pub fn needs_protection(text: &str) -> bool {
    text.trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@', '\t', '\r'])
}

/// A number as Dutch spreadsheets write it: decimal comma.
pub fn dutch_number(number: f64) -> String {
    number.to_string().replace('.', ",")
}

/// The table as CSV for Dutch spreadsheets: byte order mark, semicolons, decimal commas, dates as
/// `YYYY-MM-DD`, text cells protected against formula injection.
pub fn to_csv(table: &Table) -> anyhow::Result<Vec<u8>> {
    let mut writer = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer("\u{feff}".as_bytes().to_vec());
    writer.write_record(&table.columns)?;
    for row in &table.rows {
        writer.write_record(row.iter().map(|cell| match cell {
            Cell::Text(text) => protect_cell(text),
            Cell::Number(number) => dutch_number(*number),
            Cell::Date(date) => date.to_string(),
            Cell::Empty => String::new(),
        }))?;
    }
    writer
        .into_inner()
        .map_err(|error| anyhow::anyhow!("writing CSV: {error}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: Vec<Vec<Cell>>) -> Table {
        Table {
            name: "proef",
            file: "proef",
            columns: names(&["tekst", "getal", "datum"]),
            rows,
        }
    }

    fn csv_text(table: &Table) -> String {
        String::from_utf8(to_csv(table).unwrap()).unwrap()
    }

    #[test]
    fn cells_that_look_like_formulas_are_protected() {
        assert_eq!(protect_cell("=HYPERLINK(\"x\")"), "'=HYPERLINK(\"x\")");
        assert_eq!(protect_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(protect_cell("gewoon"), "gewoon");
        assert_eq!(protect_cell("'=al beschermd"), "''=al beschermd");
        assert_eq!(protect_cell("'gewoon"), "'gewoon");
        for text in ["'=x", "''-1", "'", "'a", "=", "''"] {
            assert_eq!(
                crate::import::table::unprotect_cell(&protect_cell(text)),
                text,
                "{text}"
            );
        }
        assert_eq!(
            crate::import::table::unprotect_cell(&protect_cell("-2+3")),
            "-2+3"
        );
        assert_eq!(dutch_number(42.5), "42,5");
        assert_eq!(dutch_number(3.0), "3");
    }

    #[test]
    fn csv_has_a_bom_semicolons_and_decimal_commas() {
        let text = csv_text(&table(vec![vec![
            Cell::text("Één café; €5,50"),
            Cell::Number(42.5),
            Cell::Date(jiff::civil::date(2026, 3, 10)),
        ]]));
        assert!(text.starts_with('\u{feff}'), "{text:?}");
        let lines: Vec<&str> = text.trim_start_matches('\u{feff}').lines().collect();
        assert_eq!(
            lines,
            ["tekst;getal;datum", "\"Één café; €5,50\";42,5;2026-03-10"]
        );
    }

    #[test]
    fn csv_guards_against_formulas_in_text_but_not_in_numbers() {
        let rows = [
            "=SUM(A1)",
            "+31612345678",
            "-5",
            "@x",
            "\tA1",
            "\rA1",
            "gewoon",
        ]
        .into_iter()
        .map(|text| vec![Cell::text(text), Cell::Number(-5.0), Cell::Empty])
        .collect();
        let text = csv_text(&table(rows));
        let cells: Vec<&str> = text
            .lines()
            .skip(1)
            .map(|line| line.split(';').next().unwrap())
            .collect();
        assert_eq!(
            cells,
            [
                "'=SUM(A1)",
                "'+31612345678",
                "'-5",
                "'@x",
                "'\tA1",
                "\"'\rA1\"",
                "gewoon"
            ]
        );
        assert!(text.lines().skip(1).all(|line| line.ends_with(";-5;")));
    }

    #[test]
    fn quotes_semicolons_and_newlines_stay_inside_their_cell() {
        let original = "Zij zei: \"kom maar\";\ndaarna =ging ze";
        let bytes = to_csv(&table(vec![vec![
            Cell::text(original),
            Cell::Empty,
            Cell::Empty,
        ]]))
        .unwrap();
        let text = String::from_utf8(bytes.clone()).unwrap();
        assert!(
            text.contains("\"Zij zei: \"\"kom maar\"\";\ndaarna =ging ze\""),
            "{text:?}"
        );
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(b';')
            .from_reader(&bytes[3..]);
        let records: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
        assert_eq!(records.len(), 1);
        assert_eq!(&records[0][0], original);
        assert_eq!(records[0].len(), 3);
    }

    #[test]
    fn actions_are_overdue_relative_to_today() {
        use crate::sessions::{ActionStatus, EntryId};
        let action = |status| Action {
            id: EntryId::new_random(),
            title: "Spreekuur op zaterdag".to_string(),
            owner: "Stichting Rond met Geld".to_string(),
            due: jiff::civil::date(2026, 6, 1),
            status,
            indicator: None,
            area: None,
            session: None,
            outcome: None,
            created: jiff::civil::date(2026, 3, 10),
        };
        let actions = [action(ActionStatus::Open), action(ActionStatus::Done)];
        let overdue = |today| {
            actions_table(&actions, today)
                .rows
                .iter()
                .map(|row| row[5].clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            overdue(jiff::civil::date(2026, 6, 2)),
            [Cell::text("ja"), Cell::text("nee")]
        );
        assert_eq!(
            overdue(jiff::civil::date(2026, 6, 1)),
            [Cell::text("nee"), Cell::text("nee")]
        );
        let table = actions_table(&actions, jiff::civil::date(2026, 6, 2));
        assert_eq!(table.columns.len(), table.rows[0].len());
        assert_eq!(table.rows[0][3], Cell::Date(jiff::civil::date(2026, 6, 1)));
    }

    #[test]
    fn the_public_stories_table_leaves_out_the_tellers_name() {
        let mut story = crate::testing::story("Weer onder de mensen", "Ik ga elke dinsdag.");
        story.teller_name = Some("Ans de Vries".to_string());
        let internal = stories_table(
            std::slice::from_ref(&story),
            Audience::Internal,
            &Default::default(),
        );
        let public = stories_table(&[story], Audience::Public, &Default::default());
        assert!(internal.columns.iter().any(|c| c == "name"));
        assert!(internal.rows[0].contains(&Cell::text("Ans de Vries")));
        assert!(!public.columns.iter().any(|c| c == "name"));
        assert!(!public.rows[0].contains(&Cell::text("Ans de Vries")));
        for table in [internal, public] {
            assert!(
                table
                    .rows
                    .iter()
                    .all(|row| row.len() == table.columns.len())
            );
        }
    }
}
