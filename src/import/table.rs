//! Reading spreadsheet files (CSV) as people save them: comma or semicolon separated, UTF-8 with or
//! without a byte order mark, headers in any case, English or Dutch column names.
//!
//! Gives every row as a map from canonical column name to cell text, with its line number, so the
//! readers of stories and figures only deal with meaning. Numbers are read by [`crate::number`], which
//! looks at a file's number cells together.

use std::collections::BTreeMap;

use crate::source::{LineError, line_at};

/// One data row: its line in the file and its non-empty cells by canonical column name.
pub struct Row {
    pub line: usize,
    pub cells: BTreeMap<String, String>,
}

/// A CSV file's header and rows.
pub struct Table {
    pub columns: Vec<String>,
    pub rows: Vec<Result<Row, LineError>>,
}

/// Strips a UTF-8 byte order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Guesses the separator from the header line: the one of `;` and `,` that occurs most.
fn separator(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or("");
    if header.matches(';').count() > header.matches(',').count() {
        b';'
    } else {
        b','
    }
}

/// Undoes the protection against formula injection that exports add: one leading `'` before `=`,
/// `+`, `-`, `@`, tab or carriage return (possibly after more apostrophes the text itself began with).
pub fn unprotect_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if crate::export::needs_protection(rest) => rest,
        _ => cell,
    }
}

/// The column names of the header row, trimmed and lowercase, to tell what kind of table a file holds.
pub fn header_columns(text: &str) -> Vec<String> {
    let text = strip_bom(text);
    csv::ReaderBuilder::new()
        .delimiter(separator(text))
        .from_reader(text.as_bytes())
        .headers()
        .map(|header| {
            header
                .iter()
                .map(|name| name.trim().to_lowercase())
                .collect()
        })
        .unwrap_or_default()
}

/// Reads CSV text; `aliases` maps accepted column names (lowercase) to canonical ones.
pub fn read_table(text: &str, aliases: &[(&str, &str)]) -> Result<Table, LineError> {
    let text = strip_bom(text);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(separator(text))
        .flexible(true)
        .from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|error| LineError::new(1, None, format!("cannot read the header row: {error}")))?
        .clone();
    let columns: Vec<String> = header
        .iter()
        .map(|name| {
            let name = name.trim().to_lowercase();
            aliases
                .iter()
                .find(|(alias, _)| *alias == name)
                .map_or(name.clone(), |(_, canonical)| canonical.to_string())
        })
        .collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        rows.push(match record {
            Ok(record) => {
                let line = record
                    .position()
                    .map_or(0, |position| record_line(text, position));
                if record.len() > columns.len() {
                    Err(LineError::new(
                        line,
                        None,
                        format!(
                            "row has {} cells, the header has {} columns",
                            record.len(),
                            columns.len()
                        ),
                    ))
                } else {
                    let cells = columns
                        .iter()
                        .zip(record.iter())
                        .map(|(column, cell)| {
                            (column.clone(), unprotect_cell(cell.trim()).to_string())
                        })
                        .filter(|(_, cell)| !cell.is_empty())
                        .collect();
                    Ok(Row { line, cells })
                }
            }
            Err(error) => {
                let line = error
                    .position()
                    .map_or(0, |position| record_line(text, position));
                Err(LineError::new(
                    line,
                    None,
                    format!("cannot read this row: {error}"),
                ))
            }
        });
    }
    Ok(Table { columns, rows })
}

/// The line a record starts on. The reader's position is where the previous record ended, before any
/// blank lines it skipped, so those are stepped over first.
fn record_line(text: &str, position: &csv::Position) -> usize {
    let bytes = text.as_bytes();
    let mut offset = position.byte() as usize;
    while matches!(bytes.get(offset), Some(b'\n' | b'\r')) {
        offset += 1;
    }
    line_at(text, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_semicolons_bom_and_aliases() {
        let text = "\u{feff}Indicator;Periode;Waarde\nx;2025;42,5\n\ny;2024;\n";
        let table = read_table(text, &[("periode", "period"), ("waarde", "value")]).unwrap();
        assert_eq!(table.columns, vec!["indicator", "period", "value"]);
        let rows: Vec<Row> = table.rows.into_iter().map(Result::unwrap).collect();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].line, 2);
        assert_eq!(rows[0].cells["value"], "42,5");
        assert_eq!(rows[1].line, 4);
        assert!(!rows[1].cells.contains_key("value"));
    }

    #[test]
    fn protected_cells_are_restored() {
        assert_eq!(unprotect_cell("'=SOM(A1)"), "=SOM(A1)");
        assert_eq!(unprotect_cell("'gewoon"), "'gewoon");
    }
}
