//! Reading figures from a measurements CSV: one row per indicator, period and area.
//!
//! The number cells of the whole file are looked at first, to tell whether it writes decimals with a
//! comma (Dutch) or a point ([`crate::number`]); then each row is read with that convention. A value
//! that could be read two ways in this file is an error on its row, and the other rows still count.

use crate::evidence::{Measurement, Period};
use crate::ids::{AreaId, IndicatorId};
use crate::number::Convention;
use crate::source::LineError;
use crate::story::Catalog;

use super::table::{Row, Table, read_table};

/// The columns that hold numbers.
const NUMBER_COLUMNS: [&str; 3] = ["value", "numerator", "denominator"];

/// Accepted column names (lowercase) and the canonical names they stand for.
pub const MEASUREMENT_COLUMNS: &[(&str, &str)] = &[
    ("periode", "period"),
    ("gebied", "area"),
    ("waarde", "value"),
    ("teller", "numerator"),
    ("noemer", "denominator"),
    ("bron", "source"),
];

/// Whether a CSV header (lowercase column names) belongs to a measurements file: an indicator column
/// and no story text (a stories file may name the indicator each story speaks to).
pub fn is_measurements_header(columns: &[String]) -> bool {
    columns.iter().any(|column| column == "indicator")
        && !super::stories_csv::is_stories_header(columns)
}

/// Reads every row; good rows become figures, bad rows become errors with their line and field.
pub fn read_measurements(text: &str, catalog: Catalog<'_>) -> (Vec<Measurement>, Vec<LineError>) {
    let table = match read_table(text, MEASUREMENT_COLUMNS) {
        Ok(table) => table,
        Err(error) => return (Vec::new(), vec![error]),
    };
    parse_measurement_rows(table, catalog)
}

fn parse_measurement_rows(
    table: Table,
    catalog: Catalog<'_>,
) -> (Vec<Measurement>, Vec<LineError>) {
    for required in ["indicator", "period", "value"] {
        if !table.columns.iter().any(|column| column == required) {
            let message = format!(
                "the header has no {required} column; expected indicator, period, area, value"
            );
            return (Vec::new(), vec![LineError::new(1, Some(required), message)]);
        }
    }
    let convention = Convention::of(table.rows.iter().flatten().flat_map(|row| {
        NUMBER_COLUMNS
            .iter()
            .filter_map(|column| row.cells.get(*column))
            .map(|text| (row.line, text.as_str()))
    }));
    let mut measurements = Vec::new();
    let mut errors = Vec::new();
    for row in table.rows {
        match row.and_then(|row| parse_row(&row, catalog, &convention)) {
            Ok(measurement) => measurements.push(measurement),
            Err(error) => errors.push(error),
        }
    }
    (measurements, errors)
}

fn parse_row(
    row: &Row,
    catalog: Catalog<'_>,
    convention: &Convention,
) -> Result<Measurement, LineError> {
    let error = |field: &str, message: String| LineError::new(row.line, Some(field), message);
    let cell = |field: &str| row.cells.get(field).map(String::as_str);
    let required =
        |field: &str| cell(field).ok_or_else(|| error(field, "missing value".to_string()));

    let indicator_text = required("indicator")?;
    let indicator =
        IndicatorId::parse(indicator_text).map_err(|e| error("indicator", e.to_string()))?;
    if catalog.goals.indicator(&indicator).is_none() {
        return Err(error(
            "indicator",
            format!("unknown indicator {indicator}; expected an indicator id from goals.toml"),
        ));
    }
    let period: Period = required("period")?
        .parse()
        .map_err(|e: crate::evidence::period::PeriodError| error("period", e.to_string()))?;
    let area = match cell("area") {
        None => None,
        Some(text) => {
            let id = AreaId::parse(text).map_err(|e| error("area", e.to_string()))?;
            if catalog.municipality.area(&id).is_none() {
                return Err(error(
                    "area",
                    format!(
                        "unknown area {id}; expected an area id from municipality.toml, or empty for the whole municipality"
                    ),
                ));
            }
            Some(id)
        }
    };
    let number = |field: &str| -> Result<Option<f64>, LineError> {
        cell(field)
            .map(|text| {
                convention
                    .read(text)
                    .map_err(|number_error| error(field, number_error.to_string()))
            })
            .transpose()
    };
    let value = number("value")?.ok_or_else(|| error("value", "missing value".to_string()))?;
    Ok(Measurement {
        indicator,
        period,
        area,
        value,
        numerator: number("numerator")?,
        denominator: number("denominator")?,
        source: cell("source").map(str::to_string),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn reads_good_rows_and_reports_bad_ones() {
        let demo = testing::CatalogParts::demo();
        let catalog = demo.catalog();
        let text = "indicator,period,area,value,numerator,denominator,source\n\
bezoekers-koffie-inloop,2025-Q1,noord,120,,,Registratie\n\
bezoekers-koffie-inloop,2025-Q2,,\"130,5\",,,\n\
onbekend,2025-Q1,,1,,,\n\
bezoekers-koffie-inloop,2025-Q9,,1,,,\n\
bezoekers-koffie-inloop,2025-Q3,west,1,,,\n\
bezoekers-koffie-inloop,2025-Q3,,veel,,,\n";
        let (measurements, errors) = read_measurements(text, catalog);
        assert_eq!(measurements.len(), 2);
        assert_eq!(measurements[1].value, 130.5);
        assert_eq!(measurements[0].area.as_ref().unwrap().as_str(), "noord");
        let got: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.field.as_deref().unwrap()))
            .collect();
        assert_eq!(
            got,
            vec![(4, "indicator"), (5, "period"), (6, "area"), (7, "value")]
        );
    }
    fn read(text: &str) -> (Vec<Measurement>, Vec<LineError>) {
        let demo = testing::CatalogParts::demo();
        let catalog = demo.catalog();
        read_measurements(text, catalog)
    }

    #[test]
    fn a_dutch_file_reads_points_as_thousands() {
        let text = "indicator;period;area;value;numerator;denominator;source\n\
bezoekers-koffie-inloop;2019-Q1;;2.710;;;\n\
bezoekers-koffie-inloop;2019-Q2;;42,5;1.275;3.000;\n\
bezoekers-koffie-inloop;2019-Q3;;1.234.567;;;\n\
bezoekers-koffie-inloop;2019-Q4;;12,345;;;\n";
        let (measurements, errors) = read(text);
        assert_eq!(errors, vec![]);
        let values: Vec<f64> = measurements.iter().map(|m| m.value).collect();
        assert_eq!(values, vec![2710.0, 42.5, 1234567.0, 12.345]);
        assert_eq!(measurements[1].numerator, Some(1275.0));
        assert_eq!(measurements[1].denominator, Some(3000.0));
    }

    #[test]
    fn a_value_with_two_readings_in_a_decimal_point_file_is_an_error_and_the_rest_counts() {
        let text = "indicator,period,area,value,numerator,denominator,source\n\
bezoekers-koffie-inloop,2019-Q1,,88.5,,,\n\
bezoekers-koffie-inloop,2019-Q2,,2.710,,,\n\
bezoekers-koffie-inloop,2019-Q3,,\"1,234.5\",,,\n\
bezoekers-koffie-inloop,2019-Q4,,130,\"12,345\",,\n\
bezoekers-koffie-inloop,2020-Q1,,0.25,,,\n";
        let (measurements, errors) = read(text);
        let values: Vec<f64> = measurements.iter().map(|m| m.value).collect();
        assert_eq!(values, vec![88.5, 0.25]);
        let got: Vec<String> = errors.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            vec![
                "3: field value: found \"2.710\", which could be 2710 or 2.71 because this file writes decimals with a point (line 2: \"88.5\"); expected 2710 or 2.71 to say which",
                "4: field value: found \"1,234.5\", which groups thousands with a comma; a comma is read as the decimal sign, so expected 1234,5 or 1234.5 without a thousands separator",
                "5: field numerator: found \"12,345\", which could be 12345 or 12.345 because this file writes decimals with a point (line 2: \"88.5\"); expected 12345 or 12.3450 to say which",
            ]
        );
    }
}
