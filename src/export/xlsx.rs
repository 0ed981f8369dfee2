//! The Excel workbook (XLSX): one worksheet per table, a bold and frozen header row with a filter,
//! numbers as numbers, dates as real dates (dd-mm-yyyy) and text always as text, never as a formula.

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
        let mut widths: Vec<usize> = table.columns.iter().map(|name| name.len()).collect();
        for (col, name) in table.columns.iter().enumerate() {
            sheet.write_string_with_format(0, col as ColNum, *name, &bold)?;
        }
        for (index, row) in table.rows.iter().enumerate() {
            let row_number = index as RowNum + 1;
            for (col, cell) in row.iter().enumerate() {
                let col_number = col as ColNum;
                let width = match cell {
                    // write_string stores a shared string: Excel never runs it as a formula.
                    Cell::Text(text) => {
                        let text = fit(text);
                        sheet.write_string(row_number, col_number, text)?;
                        text.lines().map(|line| line.chars().count()).max()
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
                if let (Some(width), Some(widest)) = (width, widths.get_mut(col)) {
                    *widest = (*widest).max(width);
                }
            }
        }
        for (col, width) in widths.into_iter().enumerate() {
            // Room for the filter button beside the header.
            let width = (width + 3).clamp(MIN_WIDTH, MAX_WIDTH);
            sheet.set_column_width(col as ColNum, width as f64)?;
        }
        let last_col = table.columns.len().saturating_sub(1) as ColNum;
        sheet.set_freeze_panes(1, 0)?;
        sheet.autofilter(0, 0, table.rows.len() as RowNum, last_col)?;
    }
    workbook.save_to_buffer()
}

/// The text cut to what Excel keeps in a cell.
fn fit(text: &str) -> &str {
    let mut units = 0;
    for (at, c) in text.char_indices() {
        units += c.len_utf16();
        if units > MAX_CELL_TEXT {
            return &text[..at];
        }
    }
    text
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
        let stories = stories_table(&[story], crate::export::Audience::Internal);
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
    fn long_texts_are_cut_to_what_a_cell_holds() {
        let long = "é".repeat(MAX_CELL_TEXT + 10);
        assert_eq!(fit(&long).chars().count(), MAX_CELL_TEXT);
        let emoji = "😀".repeat(MAX_CELL_TEXT);
        assert_eq!(fit(&emoji).chars().count(), MAX_CELL_TEXT / 2);
        assert_eq!(fit("kort"), "kort");
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
