//! Signals: what a reader of an indicator's evidence should notice. Counted and told evidence are read
//! together; a signal points at where they do not meet, or where one of them is thin or one-sided.

use serde::Serialize;

use super::Period;
use super::counted::{CountedEvidence, Trend};
use crate::ids::AreaId;

/// Below this many stories the told evidence is too thin to read a pattern in.
pub const FEW_STORIES: u32 = 3;

/// A summary of the stories linked to an indicator (through its subgoal), under the same filter.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ToldSummary {
    pub count: u32,
    pub positive: u32,
    pub negative: u32,
    pub mixed: u32,
    /// Story counts per area id; an area counts the stories of the areas inside it too.
    pub by_area: Vec<(String, u32)>,
    pub by_teller: Vec<(String, u32)>,
    pub top_tags: Vec<(String, u32)>,
}

impl ToldSummary {
    pub fn stories_in(&self, area: &AreaId) -> u32 {
        self.by_area
            .iter()
            .find(|(id, _)| id == area.as_str())
            .map_or(0, |(_, count)| *count)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Signal {
    /// Areas with figures but no stories.
    FiguresWithoutStories { areas: Vec<AreaId> },
    /// Areas with stories but no figures (only said when the indicator has figures per area at all).
    StoriesWithoutFigures { areas: Vec<AreaId> },
    /// Every story is positive: the bank may miss what went wrong.
    OnlyPositive { count: u32 },
    /// Too few stories to read a pattern in.
    TooFewStories { count: u32 },
    /// The latest figure is older than the indicator's frequency allows.
    StaleFigures { latest: Period },
    /// The latest figure moved away from where the indicator should go.
    AgainstDirection { previous: f64, latest: f64 },
    /// No figures at all for this indicator (under this filter).
    NoFigures,
}

/// The signals for one indicator. `top_areas` are the areas figures are usually given for (stadsdelen
/// and villages).
pub fn signals(counted: &CountedEvidence, told: &ToldSummary, top_areas: &[AreaId]) -> Vec<Signal> {
    let mut signals = Vec::new();
    if counted.series.is_empty() {
        signals.push(Signal::NoFigures);
    }
    if let Some(latest) = counted.stale_since {
        signals.push(Signal::StaleFigures { latest });
    }
    if counted.trend == Trend::Worse
        && let (Some(previous), Some(latest)) = (&counted.previous, &counted.latest)
    {
        signals.push(Signal::AgainstDirection {
            previous: previous.value,
            latest: latest.value,
        });
    }
    let with_figures: Vec<AreaId> = counted
        .by_area
        .iter()
        .filter_map(|m| m.area.clone())
        .collect();
    let silent: Vec<AreaId> = with_figures
        .iter()
        .filter(|area| told.stories_in(area) == 0)
        .cloned()
        .collect();
    if !silent.is_empty() {
        signals.push(Signal::FiguresWithoutStories { areas: silent });
    }
    if !with_figures.is_empty() {
        let uncounted: Vec<AreaId> = top_areas
            .iter()
            .filter(|area| !with_figures.contains(area) && told.stories_in(area) > 0)
            .cloned()
            .collect();
        if !uncounted.is_empty() {
            signals.push(Signal::StoriesWithoutFigures { areas: uncounted });
        }
    }
    if told.count < FEW_STORIES {
        signals.push(Signal::TooFewStories { count: told.count });
    } else if told.positive == told.count {
        signals.push(Signal::OnlyPositive { count: told.count });
    }
    signals
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evidence::Measurement;
    use crate::evidence::counted::CountedEvidence;
    use crate::ids::IndicatorId;

    fn area(id: &str) -> AreaId {
        AreaId::parse(id).unwrap()
    }

    fn figure(area_id: Option<&str>, value: f64, period: Period) -> Measurement {
        Measurement {
            indicator: IndicatorId::parse("x").unwrap(),
            period,
            area: area_id.map(area),
            value,
            numerator: None,
            denominator: None,
            source: None,
        }
    }

    fn counted(by_area: Vec<Measurement>, trend: Trend, stale: Option<Period>) -> CountedEvidence {
        let series = vec![
            figure(None, 10.0, Period::Year(2024)),
            figure(None, 8.0, Period::Year(2025)),
        ];
        CountedEvidence {
            latest: series.last().cloned(),
            previous: series.first().cloned(),
            series,
            area_fallback: false,
            trend,
            since_baseline: Trend::Unknown,
            target_reached: None,
            by_area,
            stale_since: stale,
        }
    }

    #[test]
    fn reads_the_gaps_between_counted_and_told() {
        let top = vec![area("noord"), area("zuid"), area("dorp")];
        let told = ToldSummary {
            count: 5,
            positive: 5,
            by_area: vec![("noord".to_string(), 3), ("dorp".to_string(), 2)],
            ..Default::default()
        };
        let by_area = vec![
            figure(Some("noord"), 1.0, Period::Year(2025)),
            figure(Some("zuid"), 1.0, Period::Year(2025)),
        ];
        let found = signals(
            &counted(by_area, Trend::Worse, Some(Period::Year(2025))),
            &told,
            &top,
        );
        assert_eq!(
            found,
            vec![
                Signal::StaleFigures {
                    latest: Period::Year(2025)
                },
                Signal::AgainstDirection {
                    previous: 10.0,
                    latest: 8.0
                },
                Signal::FiguresWithoutStories {
                    areas: vec![area("zuid")]
                },
                Signal::StoriesWithoutFigures {
                    areas: vec![area("dorp")]
                },
                Signal::OnlyPositive { count: 5 },
            ]
        );
    }

    #[test]
    fn few_stories_and_no_area_figures() {
        let told = ToldSummary {
            count: 2,
            positive: 2,
            by_area: vec![("noord".to_string(), 2)],
            ..Default::default()
        };
        let found = signals(
            &counted(vec![], Trend::Better, None),
            &told,
            &[area("noord")],
        );
        assert_eq!(found, vec![Signal::TooFewStories { count: 2 }]);
    }
}
