//! The yearly accountability report (jaarverantwoording) as data: for a chosen year and area, every
//! goal (or one) with its subgoals and indicators as they were in use that year; per indicator the
//! year's figures against the year before, its history for a chart, and the interpretations and
//! actions about it; per subgoal the stories of the year with representative quotes.
//!
//! The numbers are the goal overview's (the same scope, so the report and the site agree). Quotes come
//! only from published stories whose teller allowed public use.

use std::collections::BTreeSet;

use jiff::civil::Date;

use super::{Balance, Bank, GoalOverview, IndicatorOverview, SubgoalOverview};
use crate::evidence::{
    CountedEvidence, EvidenceFilter, Measurement, Period, Trend, counted_evidence,
};
use crate::goals::{Goal, Indicator, ItemKind, Subgoal, Theme};
use crate::ids::{AreaId, GoalId, SessionId};
use crate::index::{FacetCount, FacetField, Scope, SortOrder};
use crate::municipality::Municipality;
use crate::sessions::{Action, Interpretation};
use crate::story::{Coded, Story, Valence};

/// Quotes per subgoal.
const QUOTES_PER_SUBGOAL: usize = 2;
/// Stories a subgoal's quotes are chosen from.
const QUOTE_CANDIDATES: usize = 60;
/// Topics (tags) named per subgoal.
const TAGS_PER_SUBGOAL: usize = 5;

/// What a report is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportRequest {
    pub year: i16,
    pub area: Option<AreaId>,
    /// One goal, or the whole tree.
    pub goal: Option<GoalId>,
}

pub struct YearlyReport {
    pub request: ReportRequest,
    pub goals: Vec<GoalYear>,
    /// Stories of the year in the report's goals (each story once).
    pub stories: Balance,
}

pub struct GoalYear {
    pub goal: Goal,
    pub theme: Option<Theme>,
    pub retired: Option<Date>,
    /// Stories of the year about the goal (each story once, whichever of its subgoals it serves).
    pub stories: Balance,
    pub subgoals: Vec<SubgoalYear>,
}

pub struct SubgoalYear {
    pub subgoal: Subgoal,
    pub retired: Option<Date>,
    pub stories: Balance,
    pub tags: Vec<FacetCount>,
    pub quotes: Vec<Story>,
    pub indicators: Vec<IndicatorYear>,
}

pub struct IndicatorYear {
    pub indicator: Indicator,
    pub retired: Option<Date>,
    /// The figures within the year (for the area, or the municipality when the area has none).
    pub counted: CountedEvidence,
    /// The latest figure of the year before, for the same area.
    pub last_year: Option<Measurement>,
    /// The year's latest figure against the year before's.
    pub change: Trend,
    /// Every figure up to the end of the year, oldest first: the chart.
    pub history: Vec<Measurement>,
    pub interpretations: Vec<Interpretation>,
    pub actions: Vec<Action>,
}

/// Whether something tied to `area` (or to the whole municipality) belongs in a report on `chosen`.
fn in_area(municipality: &Municipality, chosen: Option<&AreaId>, area: Option<&AreaId>) -> bool {
    match (chosen, area) {
        (None, _) | (_, None) => true,
        (Some(chosen), Some(area)) => municipality.area_and_ancestors(area).contains(chosen),
    }
}

/// Interpretations about the year: of a period within it, or made in it when they name no period.
fn interpretation_in_year(interpretation: &Interpretation, year: i16) -> bool {
    match interpretation.period {
        Some(period) => period.year() == year,
        None => interpretation.date.year() == year,
    }
}

/// Up to `count` stories that represent the balance: the most told kind first, then the others in
/// turn, preferring an area not yet quoted. `stories` come best first.
pub fn representative(stories: Vec<Story>, balance: &Balance, count: usize) -> Vec<Story> {
    let mut kinds = [
        (Valence::Positive, balance.positive),
        (Valence::Negative, balance.negative),
        (Valence::Mixed, balance.mixed),
    ];
    kinds.sort_by_key(|(_, n)| std::cmp::Reverse(*n));
    let mut rest = stories;
    let mut picked: Vec<Story> = Vec::new();
    while picked.len() < count && !rest.is_empty() {
        let before = picked.len();
        for (valence, _) in kinds {
            if picked.len() == count {
                break;
            }
            let candidates: Vec<usize> = (0..rest.len())
                .filter(|&i| rest[i].valence == valence)
                .collect();
            let new_area = candidates
                .iter()
                .copied()
                .find(|&i| !picked.iter().any(|p| p.area == rest[i].area));
            if let Some(i) = new_area.or(candidates.first().copied()) {
                picked.push(rest.remove(i));
            }
        }
        if picked.len() == before {
            break;
        }
    }
    picked
}

impl Bank {
    /// The yearly report: the items that were in use at some time in the year.
    pub fn yearly_report(
        &self,
        request: &ReportRequest,
        today: Date,
    ) -> anyhow::Result<YearlyReport> {
        let settings = self.settings()?;
        let tree = &settings.goals;
        let municipality = &settings.municipality;
        let year = Period::Year(request.year);
        let start = year.first_day();
        let filter = EvidenceFilter {
            area: request.area.clone(),
            period: Some(year),
        };
        let overview = self.overview_of(&filter, &Scope::Public, today, &|kind, id| {
            let in_year = tree.retired_on(kind, id).is_none_or(|day| day >= start);
            let chosen = kind != ItemKind::Goal
                || request.goal.as_ref().is_none_or(|goal| goal.as_str() == id);
            in_year && chosen
        })?;

        let measurements = self.store.measurements_shared()?;
        let area_order = municipality.area_ids();
        let interpretations: Vec<Interpretation> = self
            .store
            .interpretations()?
            .into_iter()
            .filter(|i| {
                interpretation_in_year(i, request.year)
                    && in_area(municipality, request.area.as_ref(), i.area.as_ref())
            })
            .collect();
        // Actions due in the year or agreed in it, and those that came out of the sessions whose
        // interpretations are in the report.
        let sessions: BTreeSet<&SessionId> = interpretations
            .iter()
            .filter_map(|i| i.session.as_ref())
            .collect();
        let actions: Vec<Action> = self
            .store
            .actions()?
            .into_iter()
            .filter(|a| {
                (a.due.year() == request.year
                    || a.created.year() == request.year
                    || a.session.as_ref().is_some_and(|s| sessions.contains(s)))
                    && in_area(municipality, request.area.as_ref(), a.area.as_ref())
            })
            .collect();

        let indicator_year = |row: IndicatorOverview| -> IndicatorYear {
            let indicator = row.indicator;
            let before = counted_evidence(
                &indicator,
                &measurements,
                &EvidenceFilter {
                    area: request.area.clone(),
                    period: Some(Period::Year(request.year - 1)),
                },
                &area_order,
                today,
            );
            let last_year = before.latest;
            let change = match (&last_year, &row.counted.latest) {
                (Some(before), Some(after)) => {
                    Trend::between(indicator.direction, before.value, after.value)
                }
                _ => Trend::Unknown,
            };
            let all_time = counted_evidence(
                &indicator,
                &measurements,
                &EvidenceFilter {
                    area: request.area.clone(),
                    period: None,
                },
                &area_order,
                today,
            );
            let history = all_time
                .series
                .into_iter()
                .filter(|m| m.period.last_day() <= year.last_day())
                .collect();
            let mut interpretations: Vec<Interpretation> = interpretations
                .iter()
                .filter(|i| i.indicator == indicator.id)
                .cloned()
                .collect();
            interpretations.sort_by_key(|i| std::cmp::Reverse(i.date));
            let mut actions: Vec<Action> = actions
                .iter()
                .filter(|a| a.indicator.as_ref() == Some(&indicator.id))
                .cloned()
                .collect();
            actions.sort_by_key(|a| a.due);
            IndicatorYear {
                retired: tree.retired_on(ItemKind::Indicator, indicator.id.as_str()),
                indicator,
                counted: row.counted,
                last_year,
                change,
                history,
                interpretations,
                actions,
            }
        };

        let subgoal_year = |row: SubgoalOverview| -> anyhow::Result<SubgoalYear> {
            let mut search = self
                .filtered(&Scope::Public, &filter)
                .filter(FacetField::Subgoal, row.subgoal.id.as_str());
            search.per_page = QUOTE_CANDIDATES;
            search.sort = SortOrder::Newest;
            search.facets = Some(vec![FacetField::Tag]);
            let results = self.index.search(&self.store, &search)?;
            let tags = results
                .facets
                .get(&FacetField::Tag)
                .map(|counts| counts.iter().take(TAGS_PER_SUBGOAL).cloned().collect())
                .unwrap_or_default();
            let stories = results.hits.into_iter().map(|hit| hit.story).collect();
            Ok(SubgoalYear {
                retired: tree.retired_on(ItemKind::Subgoal, row.subgoal.id.as_str()),
                quotes: representative(stories, &row.stories, QUOTES_PER_SUBGOAL),
                tags,
                stories: row.stories,
                indicators: row.indicators.into_iter().map(indicator_year).collect(),
                subgoal: row.subgoal,
            })
        };

        let goals = overview
            .goals
            .into_iter()
            .map(|row: GoalOverview| {
                Ok(GoalYear {
                    stories: Balance::default(),
                    retired: tree.retired_on(ItemKind::Goal, row.goal.id.as_str()),
                    theme: row.theme,
                    subgoals: row
                        .subgoals
                        .into_iter()
                        .map(&subgoal_year)
                        .collect::<anyhow::Result<_>>()?,
                    goal: row.goal,
                })
            })
            .collect::<anyhow::Result<Vec<_>>>()?;

        // Each story once, however many of the report's goals or subgoals it serves.
        let mut goals = goals;
        let mut stories = Balance::default();
        for valence in [Valence::Positive, Valence::Negative, Valence::Mixed] {
            let mut search = self
                .filtered(&Scope::Public, &filter)
                .filter(FacetField::Valence, valence.code());
            for goal in &goals {
                search = search.filter(FacetField::Goal, goal.goal.id.as_str());
            }
            search.facets = Some(vec![FacetField::Goal]);
            let results = self.index.search(&self.store, &search)?;
            super::overview::add_valence(&mut stories, valence.code(), results.total as u32);
            for count in results.facets.get(&FacetField::Goal).into_iter().flatten() {
                if let Some(goal) = goals.iter_mut().find(|g| g.goal.id.as_str() == count.value) {
                    super::overview::add_valence(&mut goal.stories, valence.code(), count.count);
                }
            }
        }
        Ok(YearlyReport {
            request: request.clone(),
            goals,
            stories,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    fn story(title: &str, valence: Valence, area: Option<&str>) -> Story {
        let mut story = testing::story(title, "Een verhaal van minstens twintig tekens lang.");
        story.valence = valence;
        story.area = area.map(|a| AreaId::parse(a).unwrap());
        story
    }

    #[test]
    fn quotes_follow_the_balance_and_vary_the_area() {
        let stories = vec![
            story("p1", Valence::Positive, Some("noord")),
            story("p2", Valence::Positive, Some("noord")),
            story("p3", Valence::Positive, Some("zuid")),
            story("n1", Valence::Negative, Some("noord")),
        ];
        let balance = Balance {
            count: 4,
            positive: 3,
            negative: 1,
            mixed: 0,
        };
        let titles =
            |picked: Vec<Story>| -> Vec<String> { picked.into_iter().map(|s| s.title).collect() };
        // The most told kind first, then the other kind: the report does not only show good news.
        assert_eq!(
            titles(representative(stories.clone(), &balance, 2)),
            ["p1", "n1"]
        );
        // A third quote goes back to the positive ones, from an area not yet quoted.
        assert_eq!(
            titles(representative(stories.clone(), &balance, 3)),
            ["p1", "n1", "p3"]
        );
        assert_eq!(titles(representative(stories, &balance, 9)).len(), 4);
        assert!(representative(Vec::new(), &balance, 2).is_empty());
    }
}
