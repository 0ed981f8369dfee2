//! The Excel workbook (XLSX): one worksheet per table, a bold and frozen header row with a filter,
//! numbers as numbers, dates as real dates (dd-mm-yyyy) and text always as text, never as a formula.
//! Excel keeps at most 32,767 characters in a cell; a longer text (a long story) continues in extra
//! columns after its own, so the workbook holds every word.

use rust_xlsxwriter::{ColNum, Format, RowNum, Workbook, XlsxError};

use super::tables::{Cell, Table};

/// The longest text Excel keeps in one cell, in UTF-16 code units.
const MAX_CELL_TEXT: usize = 32_767;
/// Column widths in characters.
const MIN_WIDTH: usize = 8;
const MAX_WIDTH: usize = 60;
/// How a date looks: the Dutch way.
const DATE_FORMAT: &str = "dd-mm-yyyy";

/// The tables as one workbook, a worksheet per table in the given order.
pub fn to_xlsx(tables: &[Table]) -> anyhow::Result<Vec<u8>> {
    workbook(tables).map_err(|error| anyhow::anyhow!("writing the Excel file: {error}"))
}

fn workbook(tables: &[Table]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format(DATE_FORMAT);
    for table in tables {
        let sheet = workbook.add_worksheet();
        sheet.set_name(table.name)?;
        let layout = Layout::of(table);
        let mut widths: Vec<usize> = layout.headers.iter().map(|name| name.len()).collect();
        for (col, name) in layout.headers.iter().enumerate() {
            sheet.write_string_with_format(0, col as ColNum, name, &bold)?;
        }
        for (index, row) in table.rows.iter().enumerate() {
            let row_number = index as RowNum + 1;
            for (col, cell) in row.iter().enumerate() {
                let Some(&first) = layout.first.get(col) else {
                    continue;
                };
                let col_number = first as ColNum;
                let width = match cell {
                    // write_string stores a shared string: Excel never runs it as a formula.
                    Cell::Text(text) => {
                        for (piece, part) in pieces(text).into_iter().enumerate() {
                            let col = first + piece;
                            sheet.write_string(row_number, col as ColNum, part)?;
                            let width = part.lines().map(|line| line.chars().count()).max();
                            if let (Some(width), Some(widest)) = (width, widths.get_mut(col)) {
                                *widest = (*widest).max(width);
                            }
                        }
                        None
                    }
                    Cell::Number(number) => {
                        sheet.write_number(row_number, col_number, *number)?;
                        Some(number.to_string().len())
                    }
                    Cell::Date(day) => {
                        sheet.write_date_with_format(row_number, col_number, *day, &date)?;
                        Some(DATE_FORMAT.len())
                    }
                    Cell::Empty => None,
                };
                if let (Some(width), Some(widest)) = (width, widths.get_mut(first)) {
                    *widest = (*widest).max(width);
                }
            }
        }
        for (col, width) in widths.into_iter().enumerate() {
            // Room for the filter button beside the header.
            let width = (width + 3).clamp(MIN_WIDTH, MAX_WIDTH);
            sheet.set_column_width(col as ColNum, width as f64)?;
        }
        let last_col = layout.headers.len().saturating_sub(1) as ColNum;
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, table.rows.len() as RowNum, last_col)?;
    }
    workbook.save_to_buffer()
}

/// Where a table's columns go in the worksheet. A text longer than a cell holds continues in the
/// columns right after its own, headed `text (vervolg)`, `text (vervolg 2)`, ..., so joining a row's
/// cells from its column onwards gives the whole text back and nothing is cut.
struct Layout {
    headers: Vec<String>,
    /// The worksheet column where each table column starts.
    first: Vec<usize>,
}

impl Layout {
    fn of(table: &Table) -> Layout {
        let mut headers = Vec::new();
        let mut first = Vec::new();
        for (col, name) in table.columns.iter().enumerate() {
            let cells = table
                .rows
                .iter()
                .filter_map(|row| match row.get(col) {
                    Some(Cell::Text(text)) => Some(pieces(text).len()),
                    _ => None,
                })
                .max()
                .unwrap_or(1);
            first.push(headers.len());
            headers.push(name.to_string());
            for piece in 1..cells {
                headers.push(match piece {
                    1 => format!("{name} (vervolg)"),
                    n => format!("{name} (vervolg {n})"),
                });
            }
        }
        Layout { headers, first }
    }
}

/// The text in parts that each fit in a cell, cut between characters.
fn pieces(text: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut units = 0;
    for (at, c) in text.char_indices() {
        if units + c.len_utf16() > MAX_CELL_TEXT {
            parts.push(&text[start..at]);
            start = at;
            units = 0;
        }
        units += c.len_utf16();
    }
    parts.push(&text[start..]);
    parts
}

#[cfg(test)]
mod tests {
    use calamine::{Data, Reader, Xlsx};

    use super::*;
    use crate::export::tables::{measurements_table, stories_table};

    fn read(bytes: Vec<u8>) -> Xlsx<std::io::Cursor<Vec<u8>>> {
        Xlsx::new(std::io::Cursor::new(bytes)).unwrap()
    }

    #[test]
    fn a_workbook_has_a_sheet_per_table_with_typed_cells() {
        let mut story = crate::testing::story(
            "=HYPERLINK(\"http://x\")",
            "Eén keer per week naar café ’t Hoekje, € 2,50 voor koffie.",
        );
        story.date = jiff::civil::date(2025, 3, 14);
        let measurement = crate::evidence::Measurement {
            indicator: crate::ids::IndicatorId::parse("aandeel-eenzaam").unwrap(),
            period: "2024".parse().unwrap(),
            area: None,
            value: 42.5,
            numerator: Some(1275.0),
            denominator: Some(3000.0),
            source: Some("-GGD".to_string()),
        };
        let stories = stories_table(
            &[story],
            crate::export::Audience::Internal,
            &Default::default(),
        );
        let bytes = to_xlsx(&[stories.clone(), measurements_table(&[measurement])]).unwrap();
        let mut workbook = read(bytes.clone());
        assert_eq!(workbook.sheet_names(), ["verhalen", "metingen"]);

        let sheet = workbook.worksheet_range("verhalen").unwrap();
        let header: Vec<String> = sheet
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        assert_eq!(header, stories.columns);
        let column = |name: &str| stories.columns.iter().position(|c| *c == name).unwrap();
        let row = sheet.rows().nth(1).unwrap();
        assert_eq!(
            row[column("text")],
            Data::String("Eén keer per week naar café ’t Hoekje, € 2,50 voor koffie.".to_string())
        );
        assert_eq!(
            row[column("title")],
            Data::String("=HYPERLINK(\"http://x\")".to_string()),
            "text that starts with = stays text"
        );
        match &row[column("date")] {
            Data::DateTime(date) => {
                assert!(date.is_datetime());
                assert_eq!(
                    date.as_f64(),
                    45730.0,
                    "14 March 2025 as an Excel day number"
                );
            }
            other => panic!("expected a date, found {other:?}"),
        }
        assert_eq!(row[column("name")], Data::Empty);

        let figures = workbook.worksheet_range("metingen").unwrap();
        let row = figures.rows().nth(1).unwrap();
        assert_eq!(row[3], Data::Float(42.5));
        assert_eq!(row[4], Data::Float(1275.0));
        assert_eq!(row[6], Data::String("-GGD".to_string()));

        let formulas = workbook.worksheet_formula("verhalen").unwrap();
        assert!(
            formulas
                .used_cells()
                .all(|(_, _, formula)| formula.is_empty()),
            "no formulas at all"
        );

        // The sheet's XML itself: a header with a filter and a frozen first row, a date style.
        let xml = unzip(&bytes, "xl/worksheets/sheet1.xml");
        assert!(xml.contains("<autoFilter ref=\"A1:"), "{xml}");
        assert!(xml.contains("state=\"frozen\""), "{xml}");
        assert!(!xml.contains("<f>"), "{xml}");
        let styles = unzip(&bytes, "xl/styles.xml");
        assert!(styles.contains("formatCode=\"dd-mm-yyyy\""), "{styles}");
        assert!(styles.contains("<b/>"), "{styles}");
    }

    #[test]
    fn an_empty_table_still_has_its_header() {
        let bytes = to_xlsx(&[measurements_table(&[])]).unwrap();
        let mut workbook = read(bytes);
        let sheet = workbook.worksheet_range("metingen").unwrap();
        assert_eq!(sheet.rows().count(), 1);
        assert_eq!(
            sheet.rows().next().unwrap()[0],
            Data::String("indicator".to_string())
        );
    }

    #[test]
    fn long_texts_are_split_into_parts_that_fit_a_cell() {
        let long = "é".repeat(MAX_CELL_TEXT + 10);
        let parts = pieces(&long);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].chars().count(), MAX_CELL_TEXT);
        assert_eq!(parts.concat(), long);
        // An emoji takes two UTF-16 units and is never cut in half.
        let emoji = "😀".repeat(MAX_CELL_TEXT);
        let parts = pieces(&emoji);
        assert_eq!(parts.len(), 3);
        assert_eq!(parts[0].chars().count(), MAX_CELL_TEXT / 2);
        assert!(
            parts
                .iter()
                .all(|part| part.encode_utf16().count() <= MAX_CELL_TEXT)
        );
        assert_eq!(parts.concat(), emoji);
        assert_eq!(pieces("kort"), ["kort"]);
        assert_eq!(pieces(&"a".repeat(MAX_CELL_TEXT)).len(), 1);
    }

    #[test]
    fn a_story_longer_than_a_cell_continues_in_the_next_columns() {
        // 70,000 characters: more than two cells' worth, with a line break and a marker at the end.
        let mut text = String::new();
        let mut n = 0;
        while text.chars().count() < 70_000 {
            text.push_str(&format!("Zin {n} over de buurt en het buurthuis.\n"));
            n += 1;
        }
        let text: String = text.chars().take(69_990).collect::<String>() + "EINDE-ÉÉN";
        assert_eq!(text.chars().count(), 69_999);
        let long = crate::testing::story("Een lang verhaal", &text);
        let short = crate::testing::story("Een kort verhaal", "Kort.");
        let stories = stories_table(
            &[long, short],
            crate::export::Audience::Internal,
            &Default::default(),
        );
        let bytes = to_xlsx(&[stories]).unwrap();
        let mut workbook = read(bytes);
        let sheet = workbook.worksheet_range("verhalen").unwrap();
        let header: Vec<String> = sheet
            .rows()
            .next()
            .unwrap()
            .iter()
            .map(|c| c.to_string())
            .collect();
        let start = header.iter().position(|c| c == "text").unwrap();
        assert_eq!(
            &header[start..],
            ["text", "text (vervolg)", "text (vervolg 2)"],
            "{header:?}"
        );
        let joined = |row: &[Data]| -> String {
            row[start..]
                .iter()
                .map(|cell| match cell {
                    Data::String(part) => part.as_str(),
                    _ => "",
                })
                .collect()
        };
        let rows: Vec<&[Data]> = sheet.rows().skip(1).collect();
        let long_row = rows
            .iter()
            .find(|row| row[1] == Data::String("Een lang verhaal".to_string()))
            .unwrap();
        assert_eq!(joined(long_row), text);
        let short_row = rows
            .iter()
            .find(|row| row[1] == Data::String("Een kort verhaal".to_string()))
            .unwrap();
        assert_eq!(joined(short_row), "Kort.");
    }

    fn unzip(bytes: &[u8], name: &str) -> String {
        use std::io::Read;
        let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    }
}
