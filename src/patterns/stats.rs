//! Pearson's chi-square test of independence on a contingency table, with Cramér's V: whether the
//! answers to two questions go together more than chance would make them.
//!
//! Rows and columns without any story are left out first (they carry no information and would only
//! raise the degrees of freedom). No continuity correction is applied, as R's `chisq.test(correct =
//! FALSE)`. The test is not reliable when expected counts are small; [`ChiSquare::small_expected`]
//! says how many cells expect fewer than [`RELIABLE_EXPECTED`] stories, for the page to say so.

use statrs::distribution::{ChiSquared, ContinuousCDF};

/// Below this expected count in a cell the chi-square approximation is not to be trusted.
pub const RELIABLE_EXPECTED: f64 = 5.0;

/// The outcome of the test.
#[derive(Debug, Clone, PartialEq)]
pub struct ChiSquare {
    /// Pearson's X².
    pub statistic: f64,
    /// (rows − 1) × (columns − 1), over the rows and columns that have stories.
    pub degrees_of_freedom: u32,
    /// The chance of a difference at least this large if the answers were independent.
    pub p_value: f64,
    /// √(X² / (n × (min(rows, columns) − 1))): 0 for no association, 1 for complete.
    pub cramers_v: f64,
    /// Expected counts under independence, per cell of the table as given (0 in left-out rows or
    /// columns).
    pub expected: Vec<Vec<f64>>,
    /// How many cells (of the rows and columns kept) expect fewer than [`RELIABLE_EXPECTED`].
    pub small_expected: usize,
    /// The number of stories counted.
    pub total: u32,
}

/// The test on `table` (rows of equal length). `None` when fewer than two rows or two columns have
/// stories: there is nothing to compare then.
pub fn chi_square(table: &[Vec<u32>]) -> Option<ChiSquare> {
    let columns = table.first().map_or(0, Vec::len);
    let row_totals: Vec<u64> = table
        .iter()
        .map(|row| row.iter().map(|&n| u64::from(n)).sum())
        .collect();
    let column_totals: Vec<u64> = (0..columns)
        .map(|c| table.iter().map(|row| u64::from(row[c])).sum())
        .collect();
    let rows_kept = row_totals.iter().filter(|&&n| n > 0).count();
    let columns_kept = column_totals.iter().filter(|&&n| n > 0).count();
    if rows_kept < 2 || columns_kept < 2 {
        return None;
    }
    let total: u64 = row_totals.iter().sum();
    let n = total as f64;
    let mut statistic = 0.0;
    let mut small_expected = 0;
    let expected: Vec<Vec<f64>> = table
        .iter()
        .zip(&row_totals)
        .map(|(row, &row_total)| {
            row.iter()
                .zip(&column_totals)
                .map(|(&observed, &column_total)| {
                    if row_total == 0 || column_total == 0 {
                        return 0.0;
                    }
                    let expected = row_total as f64 * column_total as f64 / n;
                    statistic += (f64::from(observed) - expected).powi(2) / expected;
                    if expected < RELIABLE_EXPECTED {
                        small_expected += 1;
                    }
                    expected
                })
                .collect()
        })
        .collect();
    let degrees_of_freedom = ((rows_kept - 1) * (columns_kept - 1)) as u32;
    let p_value = ChiSquared::new(f64::from(degrees_of_freedom))
        .map(|distribution| distribution.sf(statistic))
        .unwrap_or(1.0);
    let smaller = rows_kept.min(columns_kept) as f64;
    let cramers_v = (statistic / (n * (smaller - 1.0))).sqrt();
    Some(ChiSquare {
        statistic,
        degrees_of_freedom,
        p_value,
        cramers_v,
        expected,
        small_expected,
        total: total as u32,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(actual: f64, expected: f64, tolerance: f64) -> bool {
        (actual - expected).abs() <= tolerance
    }

    /// Known values, each with its source.
    #[test]
    fn matches_reference_values() {
        struct Case {
            table: Vec<Vec<u32>>,
            statistic: f64,
            df: u32,
            p_value: f64,
            cramers_v: f64,
            small_expected: usize,
            source: &'static str,
        }
        let cases = [
            Case {
                // R, ?chisq.test, first example (Agresti 2007, p. 39: gender by party):
                // `chisq.test(as.table(rbind(c(762, 327, 468), c(484, 239, 477))))` prints
                // "X-squared = 30.07, df = 2, p-value = 2.954e-07".
                // V = sqrt(30.07 / (2757 * 1)) = 0.1044.
                table: vec![vec![762, 327, 468], vec![484, 239, 477]],
                statistic: 30.07,
                df: 2,
                p_value: 2.954e-7,
                cramers_v: 0.1044,
                small_expected: 0,
                source: "R chisq.test example",
            },
            Case {
                // Fisher's tea tasting table; R `chisq.test(matrix(c(3, 1, 1, 3), 2), correct =
                // FALSE)` prints "X-squared = 2, df = 1, p-value = 0.1573"; every expected count
                // is 2, so R warns "Chi-squared approximation may be incorrect". V = sqrt(2/8).
                table: vec![vec![3, 1], vec![1, 3]],
                statistic: 2.0,
                df: 1,
                p_value: 0.1573,
                cramers_v: 0.5,
                small_expected: 4,
                source: "R chisq.test, tea tasting, correct = FALSE",
            },
            Case {
                // By hand: expected 15, 20, 25 in both rows; X² = 2 × (25/15 + 0 + 25/25) = 16/3;
                // with 2 degrees of freedom the p-value is exp(−X²/2) = exp(−8/3) = 0.069483;
                // V = sqrt((16/3) / 120) = 0.210819.
                table: vec![vec![10, 20, 30], vec![20, 20, 20]],
                statistic: 16.0 / 3.0,
                df: 2,
                p_value: 0.069483,
                cramers_v: 0.210819,
                small_expected: 0,
                source: "closed form for 2 degrees of freedom",
            },
            Case {
                // The same table with an empty row and an empty column added: they are left out,
                // so the figures do not change.
                table: vec![vec![10, 0, 20, 30], vec![0, 0, 0, 0], vec![20, 0, 20, 20]],
                statistic: 16.0 / 3.0,
                df: 2,
                p_value: 0.069483,
                cramers_v: 0.210819,
                small_expected: 0,
                source: "empty rows and columns left out",
            },
        ];
        for case in cases {
            let result = chi_square(&case.table).expect(case.source);
            assert!(
                close(result.statistic, case.statistic, 0.005),
                "{}: X² {}",
                case.source,
                result.statistic
            );
            assert_eq!(result.degrees_of_freedom, case.df, "{}", case.source);
            assert!(
                close(result.p_value, case.p_value, case.p_value * 1e-3),
                "{}: p {}",
                case.source,
                result.p_value
            );
            assert!(
                close(result.cramers_v, case.cramers_v, 5e-4),
                "{}: V {}",
                case.source,
                result.cramers_v
            );
            assert_eq!(
                result.small_expected, case.small_expected,
                "{}",
                case.source
            );
        }
    }

    #[test]
    fn nothing_to_compare_gives_no_test() {
        assert_eq!(chi_square(&[]), None);
        assert_eq!(chi_square(&[vec![3, 4]]), None);
        assert_eq!(chi_square(&[vec![3, 0], vec![4, 0]]), None);
    }
}
