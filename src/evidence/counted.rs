//! Counted evidence for one indicator: its series of figures, the latest figure against the previous one,
//! the baseline and the target, figures per area, and whether the figures are stale.
//!
//! Pure functions over measurements; "today" is a parameter so the answer is the same in a test as on the
//! day it is shown.

use jiff::civil::Date;
use serde::Serialize;

use super::{Measurement, Period};
use crate::goals::{Direction, Frequency, Indicator};
use crate::ids::AreaId;

/// Which way a figure moved, judged by the direction the indicator should go.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Better,
    Worse,
    Same,
    /// Fewer than two figures to compare.
    Unknown,
}

impl Trend {
    pub fn between(direction: Direction, before: f64, after: f64) -> Trend {
        let change = after - before;
        if change.abs() <= f64::EPSILON * before.abs().max(1.0) {
            return Trend::Same;
        }
        match (direction, change > 0.0) {
            (Direction::Up, true) | (Direction::Down, false) => Trend::Better,
            _ => Trend::Worse,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Trend::Better => "better",
            Trend::Worse => "worse",
            Trend::Same => "same",
            Trend::Unknown => "unknown",
        }
    }
}

/// What to look at: an area (or the whole municipality) and a period (or all time).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EvidenceFilter {
    pub area: Option<AreaId>,
    pub period: Option<Period>,
}

impl EvidenceFilter {
    /// Whether a figure's period falls within the chosen period.
    pub fn includes_period(&self, period: Period) -> bool {
        self.period.is_none_or(|chosen| {
            chosen.first_day() <= period.first_day() && period.last_day() <= chosen.last_day()
        })
    }
}

/// The counted side of an indicator's evidence.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CountedEvidence {
    /// The figures for the chosen area (or the whole municipality), oldest first, within the period.
    pub series: Vec<Measurement>,
    /// Whether the series is for the whole municipality because the chosen area has no figures.
    pub area_fallback: bool,
    pub latest: Option<Measurement>,
    pub previous: Option<Measurement>,
    /// Latest against previous.
    pub trend: Trend,
    /// Latest against baseline.
    pub since_baseline: Trend,
    /// Whether the latest figure reached the target.
    pub target_reached: Option<bool>,
    /// The latest figure per area (in the period), in area order of the municipality.
    pub by_area: Vec<Measurement>,
    /// The latest figure of the indicator anywhere, regardless of filter, when it is older than expected.
    pub stale_since: Option<Period>,
}

/// How long after the end of a figure's period the next one is still expected to arrive.
fn patience(frequency: Frequency) -> jiff::Span {
    match frequency {
        Frequency::Month => jiff::Span::new().days(31 + 21),
        Frequency::Quarter => jiff::Span::new().days(92 + 45),
        Frequency::Year => jiff::Span::new().days(366 + 120),
    }
}

/// Whether a figure for `latest` is older than the indicator's expected frequency allows on `today`.
pub fn is_stale(frequency: Frequency, latest: Period, today: Date) -> bool {
    latest
        .last_day()
        .checked_add(patience(frequency))
        .is_ok_and(|due| today > due)
}

/// How far `latest` has come from the baseline towards the target: 0 at the baseline, 1 at the target,
/// more than 1 beyond it and below 0 when the figure moved away from the target. `None` without both a
/// baseline and a target, or when they are the same.
pub fn target_progress(baseline: Option<f64>, target: Option<f64>, latest: f64) -> Option<f64> {
    let (baseline, target) = (baseline?, target?);
    let way = target - baseline;
    (way.abs() > f64::EPSILON * target.abs().max(1.0)).then(|| (latest - baseline) / way)
}

/// Assembles the counted evidence from all figures of one indicator.
pub fn counted_evidence(
    indicator: &Indicator,
    measurements: &[Measurement],
    filter: &EvidenceFilter,
    area_order: &[AreaId],
    today: Date,
) -> CountedEvidence {
    let mine: Vec<&Measurement> = measurements
        .iter()
        .filter(|m| m.indicator == indicator.id)
        .collect();
    let series_for = |area: Option<&AreaId>| -> Vec<Measurement> {
        let mut series: Vec<Measurement> = mine
            .iter()
            .filter(|m| m.area.as_ref() == area && filter.includes_period(m.period))
            .map(|m| (*m).clone())
            .collect();
        series.sort_by_key(|m| m.period);
        series
    };
    let mut series = series_for(filter.area.as_ref());
    let mut area_fallback = false;
    if series.is_empty() && filter.area.is_some() {
        series = series_for(None);
        area_fallback = true;
    }
    let latest = series.last().cloned();
    let previous = series
        .len()
        .checked_sub(2)
        .map(|index| series[index].clone());
    let trend = match (&previous, &latest) {
        (Some(before), Some(after)) => {
            Trend::between(indicator.direction, before.value, after.value)
        }
        _ => Trend::Unknown,
    };
    let since_baseline = match (indicator.baseline, &latest) {
        (Some(baseline), Some(latest)) => {
            Trend::between(indicator.direction, baseline, latest.value)
        }
        _ => Trend::Unknown,
    };
    let target_reached = match (indicator.target, &latest) {
        (Some(target), Some(latest)) => Some(match indicator.direction {
            Direction::Up => latest.value >= target,
            Direction::Down => latest.value <= target,
        }),
        _ => None,
    };
    let by_area = area_order
        .iter()
        .filter_map(|area| {
            mine.iter()
                .filter(|m| m.area.as_ref() == Some(area) && filter.includes_period(m.period))
                .max_by_key(|m| m.period)
                .map(|m| (*m).clone())
        })
        .collect();
    let stale_since = mine
        .iter()
        .map(|m| m.period)
        .max()
        .filter(|latest| is_stale(indicator.frequency, *latest, today));
    CountedEvidence {
        series,
        area_fallback,
        latest,
        previous,
        trend,
        since_baseline,
        target_reached,
        by_area,
        stale_since,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn figure(period: Period, area: Option<&str>, value: f64) -> Measurement {
        Measurement {
            indicator: crate::ids::IndicatorId::parse("bezoekers-koffie-inloop").unwrap(),
            period,
            area: area.map(|a| AreaId::parse(a).unwrap()),
            value,
            numerator: None,
            denominator: None,
            source: None,
        }
    }

    #[test]
    fn progress_runs_from_baseline_to_target_either_way() {
        assert_eq!(target_progress(Some(80.0), Some(100.0), 90.0), Some(0.5));
        assert_eq!(target_progress(Some(80.0), Some(100.0), 106.0), Some(1.3));
        // Lower is better: loneliness from 47,5% towards 40%.
        let fell = target_progress(Some(47.5), Some(40.0), 44.8).unwrap();
        assert!((fell - 0.36).abs() < 1e-9, "{fell}");
        assert!(target_progress(Some(47.5), Some(40.0), 50.0).unwrap() < 0.0);
        assert_eq!(target_progress(None, Some(40.0), 44.8), None);
        assert_eq!(target_progress(Some(40.0), Some(40.0), 44.8), None);
    }

    #[test]
    fn trends_follow_the_wanted_direction() {
        assert_eq!(Trend::between(Direction::Up, 1.0, 2.0), Trend::Better);
        assert_eq!(Trend::between(Direction::Down, 1.0, 2.0), Trend::Worse);
        assert_eq!(Trend::between(Direction::Down, 2.0, 1.0), Trend::Better);
        assert_eq!(Trend::between(Direction::Up, 2.0, 2.0), Trend::Same);
    }

    #[test]
    fn staleness_depends_on_frequency() {
        let today = jiff::civil::date(2026, 11, 23);
        assert!(!is_stale(
            Frequency::Quarter,
            Period::Quarter(2026, 3),
            today
        ));
        assert!(is_stale(
            Frequency::Quarter,
            Period::Quarter(2025, 1),
            today
        ));
        assert!(!is_stale(Frequency::Year, Period::Year(2025), today));
        assert!(is_stale(Frequency::Year, Period::Year(2024), today));
    }

    #[test]
    fn assembles_series_latest_and_areas() {
        let tree = testing::goal_tree();
        let indicator = &tree.indicators[0];
        let figures = vec![
            figure(Period::Quarter(2025, 2), None, 120.0),
            figure(Period::Quarter(2025, 1), None, 130.0),
            figure(Period::Quarter(2025, 2), Some("noord"), 40.0),
            figure(Period::Quarter(2024, 4), Some("noord"), 30.0),
            figure(Period::Quarter(2024, 4), None, 160.0),
        ];
        let areas = vec![
            AreaId::parse("noord").unwrap(),
            AreaId::parse("zuid").unwrap(),
        ];
        let today = jiff::civil::date(2025, 8, 1);
        let all = counted_evidence(
            indicator,
            &figures,
            &EvidenceFilter::default(),
            &areas,
            today,
        );
        assert_eq!(all.series.len(), 3);
        assert_eq!(all.latest.as_ref().unwrap().value, 120.0);
        assert_eq!(all.trend, Trend::Worse);
        assert_eq!(all.since_baseline, Trend::Better, "baseline 100, now 120");
        assert_eq!(all.target_reached, Some(false));
        assert_eq!(all.by_area.len(), 1);
        assert_eq!(all.by_area[0].value, 40.0);
        assert_eq!(all.stale_since, None);

        let filter = EvidenceFilter {
            area: Some(AreaId::parse("zuid").unwrap()),
            period: Some(Period::Year(2025)),
        };
        let zuid = counted_evidence(
            indicator,
            &figures,
            &filter,
            &areas,
            jiff::civil::date(2026, 6, 1),
        );
        assert!(zuid.area_fallback);
        assert_eq!(zuid.series.len(), 2);
        assert_eq!(zuid.stale_since, Some(Period::Quarter(2025, 2)));
    }
}
