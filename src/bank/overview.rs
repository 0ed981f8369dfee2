//! The goal overview as data: each goal and subgoal with its stories' valence balance and each
//! indicator's latest figure and signals, and the helpers the other read models share with it
//! (a search limited to an area and period, adding a valence count to a balance).

use std::collections::HashMap;

use jiff::civil::Date;
use serde::Serialize;

use super::Bank;
use crate::evidence::{
    CountedEvidence, EvidenceFilter, Signal, ToldSummary, counted_evidence, signals,
};
use crate::goals::{Goal, Indicator, ItemKind, Subgoal, Theme};
use crate::index::{FacetField, Scope, SearchRequest};

/// Stories and their valence balance.
#[derive(Debug, Clone, Copy, Default, Serialize)]
pub struct Balance {
    pub count: u32,
    pub positive: u32,
    pub negative: u32,
    pub mixed: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct IndicatorOverview {
    pub indicator: Indicator,
    pub counted: CountedEvidence,
    pub signals: Vec<Signal>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SubgoalOverview {
    pub subgoal: Subgoal,
    pub stories: Balance,
    pub indicators: Vec<IndicatorOverview>,
}

#[derive(Debug, Clone, Serialize)]
pub struct GoalOverview {
    pub goal: Goal,
    pub theme: Option<Theme>,
    /// The stories of the goal's subgoals, each story once.
    pub stories: Balance,
    pub subgoals: Vec<SubgoalOverview>,
}

/// The whole goal tree with each indicator's latest figure next to its stories.
#[derive(Debug, Clone, Serialize)]
pub struct Overview {
    pub goals: Vec<GoalOverview>,
    pub stories: Balance,
}

impl Bank {
    /// A search request limited to the filter's area and period, for what `scope` may see.
    pub fn filtered(&self, scope: &Scope, filter: &EvidenceFilter) -> SearchRequest {
        let mut request = SearchRequest::new("", scope.clone());
        if let Some(area) = &filter.area {
            request = request.filter(FacetField::Area, area.as_str());
        }
        if let Some(period) = filter.period {
            request.from = Some(period.first_day());
            request.to = Some(period.last_day());
        }
        request.per_page = 1;
        request
    }

    /// The goal overview: the tree as it is now, without retired items.
    pub fn overview(
        &self,
        filter: &EvidenceFilter,
        scope: &Scope,
        today: Date,
    ) -> anyhow::Result<Overview> {
        let settings = self.settings()?;
        let tree = &settings.goals;
        self.overview_of(filter, scope, today, &|kind, id| {
            tree.retired_itself(kind, id).is_none()
        })
    }

    /// The goal overview of the items `keep` says to show.
    pub(super) fn overview_of(
        &self,
        filter: &EvidenceFilter,
        scope: &Scope,
        today: Date,
        keep: &dyn Fn(ItemKind, &str) -> bool,
    ) -> anyhow::Result<Overview> {
        let settings = self.settings()?;
        let measurements = self.store.measurements_shared()?;
        let area_order = settings.municipality.area_ids();
        let top_areas = settings.municipality.top_area_ids();

        // Stories per subgoal and per goal, by valence: one count per valence.
        let mut balances: HashMap<String, Balance> = HashMap::new();
        let mut goal_balances: HashMap<String, Balance> = HashMap::new();
        let mut total = Balance::default();
        for valence in ["positive", "negative", "mixed"] {
            let mut request = self
                .filtered(scope, filter)
                .filter(FacetField::Valence, valence);
            request.facets = Some(vec![FacetField::Subgoal, FacetField::Goal]);
            // Counts only: no story is read.
            request.per_page = 0;
            let results = self.index.search(&self.store, &request)?;
            add_valence(&mut total, valence, results.total as u32);
            for count in results.facets.get(&FacetField::Goal).into_iter().flatten() {
                add_valence(
                    goal_balances.entry(count.value.clone()).or_default(),
                    valence,
                    count.count,
                );
            }
            for count in results
                .facets
                .get(&FacetField::Subgoal)
                .into_iter()
                .flatten()
            {
                add_valence(
                    balances.entry(count.value.clone()).or_default(),
                    valence,
                    count.count,
                );
            }
        }

        let goals = settings
            .goals
            .goals
            .iter()
            .filter(|goal| keep(ItemKind::Goal, goal.id.as_str()))
            .map(|goal| GoalOverview {
                goal: goal.clone(),
                stories: goal_balances
                    .get(goal.id.as_str())
                    .copied()
                    .unwrap_or_default(),
                theme: goal
                    .theme
                    .as_ref()
                    .and_then(|id| settings.goals.theme(id))
                    .cloned(),
                subgoals: settings
                    .goals
                    .subgoals_of(&goal.id)
                    .filter(|subgoal| keep(ItemKind::Subgoal, subgoal.id.as_str()))
                    .map(|subgoal| {
                        let stories = balances
                            .get(subgoal.id.as_str())
                            .copied()
                            .unwrap_or_default();
                        let told = ToldSummary {
                            count: stories.count,
                            positive: stories.positive,
                            negative: stories.negative,
                            mixed: stories.mixed,
                            ..Default::default()
                        };
                        SubgoalOverview {
                            subgoal: subgoal.clone(),
                            stories,
                            indicators: settings
                                .goals
                                .indicators_of(&subgoal.id)
                                .filter(|indicator| {
                                    keep(ItemKind::Indicator, indicator.id.as_str())
                                })
                                .map(|indicator| {
                                    let counted = counted_evidence(
                                        indicator,
                                        &measurements,
                                        filter,
                                        &area_order,
                                        today,
                                    );
                                    // Per-area signals need story counts per area; the evidence page has them.
                                    let signals = signals(&counted, &told, &top_areas)
                                        .into_iter()
                                        .filter(|signal| {
                                            !matches!(
                                                signal,
                                                Signal::FiguresWithoutStories { .. }
                                                    | Signal::StoriesWithoutFigures { .. }
                                            )
                                        })
                                        .collect();
                                    IndicatorOverview {
                                        indicator: indicator.clone(),
                                        counted,
                                        signals,
                                    }
                                })
                                .collect(),
                        }
                    })
                    .collect(),
            })
            .collect();
        Ok(Overview {
            goals,
            stories: total,
        })
    }
}

pub(super) fn add_valence(balance: &mut Balance, valence: &str, count: u32) {
    balance.count += count;
    match valence {
        "positive" => balance.positive += count,
        "negative" => balance.negative += count,
        _ => balance.mixed += count,
    }
}
