//! Reading figures from a measurements CSV: one row per indicator, period and area.

use crate::evidence::{Measurement, Period};
use crate::ids::{AreaId, IndicatorId};
use crate::source::LineError;
use crate::story::Catalog;

use super::table::{Row, Table, parse_number, read_table};

/// Accepted column names (lowercase) and the canonical names they stand for.
pub const MEASUREMENT_COLUMNS: &[(&str, &str)] = &[
    ("periode", "period"),
    ("gebied", "area"),
    ("waarde", "value"),
    ("teller", "numerator"),
    ("noemer", "denominator"),
    ("bron", "source"),
];

/// Whether a CSV header (lowercase column names) belongs to a measurements file.
pub fn is_measurements_header(columns: &[String]) -> bool {
    columns.iter().any(|column| column == "indicator")
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
    let mut measurements = Vec::new();
    let mut errors = Vec::new();
    for row in table.rows {
        match row.and_then(|row| parse_row(&row, catalog)) {
            Ok(measurement) => measurements.push(measurement),
            Err(error) => errors.push(error),
        }
    }
    (measurements, errors)
}

fn parse_row(row: &Row, catalog: Catalog<'_>) -> Result<Measurement, LineError> {
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
                parse_number(text).ok_or_else(|| {
                    error(
                        field,
                        format!("expected a number such as 42 or 42,5, found {text:?}"),
                    )
                })
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
        let municipality = testing::municipality();
        let goals = testing::goal_tree();
        let catalog = Catalog {
            municipality: &municipality,
            goals: &goals,
            sessions: &[],
            rounds: &[],
        };
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
}
