//! An indicator's evidence page as data: its counted figures and the stories told about it side by
//! side, the stories closest to it per valence, and a search within its stories.

use anyhow::Context;
use jiff::civil::Date;
use serde::Serialize;

use super::{Bank, closeness};
use crate::evidence::statements::{ScoreFigures, score_figures};
use crate::evidence::{
    CountedEvidence, EvidenceFilter, Measurement, Signal, ToldSummary, counted_evidence, signals,
};
use crate::goals::{Goal, Indicator, Statement, Subgoal};
use crate::ids::IndicatorId;
use crate::index::{FacetCount, FacetField, Hit, Scope, SearchRequest, SearchResults, SortOrder};

/// A search within an indicator's stories on its evidence page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Within {
    /// What was typed, in the query language.
    pub text: String,
    /// Whether words also find their synonyms.
    pub synonyms: bool,
}

/// Counted and told evidence for one indicator, side by side.
#[derive(Debug, Clone, Serialize)]
pub struct EvidencePage {
    pub goal: Goal,
    pub subgoal: Subgoal,
    pub indicator: Indicator,
    pub statement: Option<Statement>,
    /// Answers to the indicator's statement from the stories, per quarter.
    pub scores: Option<ScoreFigures>,
    pub counted: CountedEvidence,
    pub told: ToldSummary,
    /// A handful of stories, closest to the indicator first ([`closeness`]), then for a mix of
    /// valence, area and teller.
    pub excerpts: Vec<(closeness::Closeness, Hit)>,
    /// The activities the indicator counts, whose stories come after those naming it.
    pub activities: Vec<crate::municipality::Activity>,
    /// Results of a search within this indicator's stories, when one was asked.
    pub within: Option<SearchResults>,
    pub signals: Vec<Signal>,
}

/// How many representative excerpts an evidence page shows per valence.
const EXCERPTS_PER_VALENCE: usize = 2;

impl Bank {
    /// The evidence page of one indicator; `None` when there is no such indicator.
    pub fn evidence(
        &self,
        indicator: &IndicatorId,
        filter: &EvidenceFilter,
        scope: &Scope,
        within: Option<&Within>,
        today: Date,
    ) -> anyhow::Result<Option<EvidencePage>> {
        let settings = self.settings()?;
        let goals = &settings.goals;
        let Some(indicator) = goals.indicator(indicator).cloned() else {
            return Ok(None);
        };
        let subgoal = goals
            .subgoal(&indicator.subgoal)
            .cloned()
            .context("indicator without subgoal")?;
        let goal = goals
            .goal(&subgoal.goal)
            .cloned()
            .context("subgoal without goal")?;
        let statement = indicator
            .statement
            .as_ref()
            .and_then(|id| goals.statement(id))
            .cloned();

        let area_order = settings.municipality.area_ids();
        let top_areas = settings.municipality.top_area_ids();
        let base = self
            .filtered(scope, filter)
            .filter(FacetField::Subgoal, subgoal.id.as_str());
        // Counts only: the stories shown are looked for per valence below.
        let results = self.index.search(
            &self.store,
            &SearchRequest {
                per_page: 0,
                ..base.clone()
            },
        )?;
        let facet = |field: FacetField| -> Vec<(String, u32)> {
            results
                .facets
                .get(&field)
                .into_iter()
                .flatten()
                .map(|FacetCount { value, count, .. }| (value.clone(), *count))
                .collect()
        };
        let valence = facet(FacetField::Valence);
        let of = |name: &str| {
            valence
                .iter()
                .find(|(value, _)| value == name)
                .map_or(0, |(_, count)| *count)
        };
        let mut top_tags = facet(FacetField::Tag);
        top_tags.truncate(8);
        let told = ToldSummary {
            count: results.total as u32,
            positive: of("positive"),
            negative: of("negative"),
            mixed: of("mixed"),
            by_area: facet(FacetField::Area),
            by_teller: facet(FacetField::Teller),
            top_tags,
        };
        // Experienced effect from the scores stories carry; they are the figures when none were imported.
        let scores = statement
            .as_ref()
            .and_then(|statement| score_figures(statement, &facet(FacetField::Score)));
        let mut figures = self.measurements_of(&indicator.id)?;
        if figures.is_empty()
            && let Some(scores) = &scores
        {
            figures = scores.as_measurements(&indicator);
        }
        let counted = counted_evidence(&indicator, &figures, filter, &area_order, today);

        let highlight = told
            .top_tags
            .iter()
            .take(4)
            .map(|(tag, _)| tag.clone())
            .collect::<Vec<_>>()
            .join(" OR ");
        // Per valence the stories closest to this indicator: naming it, about its activities, with
        // its words, then the subgoal's newest.
        let activities: Vec<crate::municipality::Activity> =
            closeness::activities_of(&settings.municipality, &indicator)
                .into_iter()
                .cloned()
                .collect();
        let words = closeness::words_query(&indicator, &activities.iter().collect::<Vec<_>>());
        let mut per_valence = Vec::new();
        for valence in ["positive", "negative", "mixed"] {
            let mut request = base.clone().filter(FacetField::Valence, valence);
            request.sort = SortOrder::Newest;
            request.per_page = 12;
            request.facets = Some(Vec::new());
            request.snippets = false;
            let mut tiers = vec![(
                closeness::Closeness::Named,
                request
                    .clone()
                    .filter(FacetField::About, indicator.id.as_str()),
            )];
            if !activities.is_empty() {
                let about_activity = activities.iter().fold(request.clone(), |request, a| {
                    request.filter(FacetField::Activity, a.id.as_str())
                });
                tiers.push((closeness::Closeness::Activity, about_activity));
            }
            if !words.is_empty() {
                let mut with_words = request.clone();
                with_words.text = words.clone();
                with_words.sort = SortOrder::Relevance;
                tiers.push((closeness::Closeness::Words, with_words));
            }
            tiers.push((closeness::Closeness::Subgoal, request));
            let mut candidates = Vec::new();
            for (tier, request) in tiers {
                for hit in self.index.search(&self.store, &request)?.hits {
                    candidates.push((tier, hit));
                }
            }
            let picked = closeness::pick(candidates, EXCERPTS_PER_VALENCE);
            let (tiers, mut hits): (Vec<_>, Vec<_>) = picked.into_iter().unzip();
            // Snippets only for the stories shown, around the indicator's recurring topics.
            self.index.highlight(&mut hits, &highlight, &base.scope)?;
            per_valence.push(tiers.into_iter().zip(hits).collect::<Vec<_>>());
        }
        let mut excerpts = Vec::new();
        for round in 0..EXCERPTS_PER_VALENCE {
            for hits in &per_valence {
                if let Some(hit) = hits.get(round) {
                    excerpts.push(hit.clone());
                }
            }
        }
        // Closest first across the valences; within a tier the mix of valences stays.
        excerpts.sort_by_key(|(closeness, _)| *closeness);

        let within = match within.filter(|within| !within.text.trim().is_empty()) {
            Some(within) => {
                let mut request = base.clone();
                request.text = within.text.trim().to_string();
                request.synonyms = within.synonyms;
                request.per_page = 20;
                request.lenient = true;
                Some(self.index.search(&self.store, &request)?)
            }
            None => None,
        };
        let signals = signals(&counted, &told, &top_areas);
        Ok(Some(EvidencePage {
            goal,
            subgoal,
            indicator,
            statement,
            scores,
            counted,
            told,
            excerpts,
            activities,
            within,
            signals,
        }))
    }

    fn measurements_of(&self, indicator: &IndicatorId) -> anyhow::Result<Vec<Measurement>> {
        // Only this indicator's figures are cloned out of the shared list.
        Ok(self
            .store
            .measurements_shared()?
            .iter()
            .filter(|m| &m.indicator == indicator)
            .cloned()
            .collect())
    }
}
