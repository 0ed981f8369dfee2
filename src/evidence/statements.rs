//! Experienced effect from statement scores: the share of respondents who agree with a statement, per
//! quarter, from the scores stories carry. The search index counts scores as keywords
//! `statement@quarter=score`; this module reads those counts back into figures.

use serde::Serialize;

use super::{Measurement, Period};
use crate::goals::{Indicator, Statement};

/// The keyword of one statement score: `statement@quarter=score`.
pub fn score_value(statement: &str, quarter: Period, score: u8) -> String {
    format!("{statement}@{quarter}={score}")
}

/// Reads a score keyword back into (statement, quarter, score).
pub fn parse_score_value(value: &str) -> Option<(&str, Period, u8)> {
    let (statement, rest) = value.split_once('@')?;
    let (quarter, score) = rest.split_once('=')?;
    Some((statement, quarter.parse().ok()?, score.parse().ok()?))
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct ScorePoint {
    pub period: Period,
    pub agree: u32,
    pub respondents: u32,
}

impl ScorePoint {
    pub fn share(&self) -> f64 {
        if self.respondents == 0 {
            0.0
        } else {
            100.0 * self.agree as f64 / self.respondents as f64
        }
    }
}

/// A statement's answers from the stories: per quarter and in total.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct ScoreFigures {
    pub statement: String,
    pub by_quarter: Vec<ScorePoint>,
    pub total: ScorePoint,
}

/// Source of figures computed from statement scores.
pub const SCORES_SOURCE: &str = "Stellingen bij verhalen";

/// The answers to `statement` in the counted score keywords; `None` when nobody answered it.
pub fn score_figures(statement: &Statement, counts: &[(String, u32)]) -> Option<ScoreFigures> {
    let mut by_quarter: Vec<ScorePoint> = Vec::new();
    for (value, count) in counts {
        let Some((id, period, score)) = parse_score_value(value) else {
            continue;
        };
        if id != statement.id.as_str() {
            continue;
        }
        let point = match by_quarter.iter_mut().find(|p| p.period == period) {
            Some(point) => point,
            None => {
                by_quarter.push(ScorePoint {
                    period,
                    agree: 0,
                    respondents: 0,
                });
                by_quarter.last_mut().expect("just pushed")
            }
        };
        point.respondents += count;
        if statement.scale.agrees(score) {
            point.agree += count;
        }
    }
    if by_quarter.is_empty() {
        return None;
    }
    by_quarter.sort_by_key(|p| p.period);
    let total = ScorePoint {
        period: by_quarter[0].period,
        agree: by_quarter.iter().map(|p| p.agree).sum(),
        respondents: by_quarter.iter().map(|p| p.respondents).sum(),
    };
    Some(ScoreFigures {
        statement: statement.id.to_string(),
        by_quarter,
        total,
    })
}

impl ScoreFigures {
    /// The quarters as figures of `indicator`: the share agreeing in %, with agreeing and respondents
    /// as numerator and denominator.
    pub fn as_measurements(&self, indicator: &Indicator) -> Vec<Measurement> {
        self.by_quarter
            .iter()
            .map(|point| Measurement {
                indicator: indicator.id.clone(),
                period: point.period,
                area: None,
                value: (point.share() * 10.0).round() / 10.0,
                numerator: Some(point.agree as f64),
                denominator: Some(point.respondents as f64),
                source: Some(SCORES_SOURCE.to_string()),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    #[test]
    fn counts_agreement_per_quarter() {
        let tree = testing::goal_tree();
        let statement = &tree.statements[0];
        let counts: Vec<(String, u32)> = vec![
            (
                score_value("ken-meer-mensen", Period::Quarter(2025, 1), 5),
                3,
            ),
            (
                score_value("ken-meer-mensen", Period::Quarter(2025, 1), 2),
                1,
            ),
            (
                score_value("ken-meer-mensen", Period::Quarter(2024, 4), 4),
                2,
            ),
            (
                score_value("andere-stelling", Period::Quarter(2025, 1), 5),
                9,
            ),
            ("onzin".to_string(), 1),
        ];
        let figures = score_figures(statement, &counts).unwrap();
        assert_eq!(figures.by_quarter.len(), 2);
        assert_eq!(
            figures.by_quarter[0],
            ScorePoint {
                period: Period::Quarter(2024, 4),
                agree: 2,
                respondents: 2
            }
        );
        assert_eq!((figures.total.agree, figures.total.respondents), (5, 6));
        let indicator = &tree.indicators[0];
        let series = figures.as_measurements(indicator);
        assert_eq!(series[1].value, 75.0);
        assert_eq!(series[1].denominator, Some(4.0));
        assert!(score_figures(statement, &[]).is_none());
    }
}
