//! What the session board and the indicator pages read beside the figures: a session with its
//! agenda's evidence and the stories told in it, the sessions, and an indicator's interpretations
//! and actions.

use jiff::civil::Date;
use serde::Serialize;

use super::overview::{Balance, add_valence};
use super::{Bank, session_figures};
use crate::evidence::{CountedEvidence, EvidenceFilter, counted_evidence};
use crate::goals::Indicator;
use crate::ids::{IndicatorId, SessionId};
use crate::index::{FacetField, Hit, Scope, SearchRequest, SortOrder};
use crate::sessions::{Action, Interpretation, Session};

/// One indicator on a session's agenda: its figures for the session's area and its stories there.
#[derive(Debug, Clone, Serialize)]
pub struct AgendaItem {
    pub indicator: Indicator,
    pub counted: CountedEvidence,
    pub stories: Balance,
}

/// What a session's board and report show.
#[derive(Debug, Clone, Serialize)]
pub struct SessionBoard {
    pub session: Session,
    /// The session's date once it has passed: the agenda's figures and story counts are as they stood
    /// on that day ([`session_figures`]).
    pub as_of: Option<Date>,
    pub agenda: Vec<AgendaItem>,
    /// Stories told in the session that may be shown to the room (public consent), newest first.
    pub stories: Vec<Hit>,
    /// All stories told in the session, including those only for internal use.
    pub told: usize,
}

impl Bank {
    /// A session with its agenda's evidence for its area and the stories told in it; `scope` decides
    /// which of those stories are listed (the count includes all).
    pub fn session_board(
        &self,
        id: &SessionId,
        scope: &Scope,
        today: Date,
    ) -> anyhow::Result<Option<SessionBoard>> {
        let Some(session) = self.store.session(id)? else {
            return Ok(None);
        };
        let settings = self.settings()?;
        let area_order = settings.municipality.area_ids();
        let filter = EvidenceFilter {
            area: Some(session.area.clone()),
            period: None,
        };
        // The agenda shows the evidence as it stood on the session's date, so a report printed a year
        // later says what the room saw.
        let judged_on = session_figures::judged_on(session.date, today);
        let measurements = self.store.measurements_shared()?;
        let mut agenda = Vec::new();
        for indicator in session
            .indicators
            .iter()
            .filter_map(|id| settings.goals.indicator(id))
        {
            let figures =
                session_figures::figures_standing_on(&measurements, &indicator.id, session.date);
            let counted = counted_evidence(indicator, &figures, &filter, &area_order, judged_on);
            let mut request = self
                .filtered(&Scope::Public, &filter)
                .filter(FacetField::Subgoal, indicator.subgoal.as_str());
            request.to = Some(session.date);
            request.facets = Some(vec![FacetField::Valence]);
            let results = self.index.search(&self.store, &request)?;
            let mut stories = Balance::default();
            for count in results
                .facets
                .get(&FacetField::Valence)
                .into_iter()
                .flatten()
            {
                add_valence(&mut stories, &count.value, count.count);
            }
            agenda.push(AgendaItem {
                indicator: indicator.clone(),
                counted,
                stories,
            });
        }
        let mut all = SearchRequest::new("", Scope::Municipality)
            .filter(FacetField::Session, session.id.as_str());
        all.facets = Some(Vec::new());
        all.snippets = false;
        all.per_page = 1;
        let told = self.index.search(&self.store, &all)?.total;
        let mut shown =
            SearchRequest::new("", scope.clone()).filter(FacetField::Session, session.id.as_str());
        shown.sort = SortOrder::Newest;
        shown.per_page = crate::index::search::MAX_PER_PAGE;
        shown.facets = Some(Vec::new());
        let stories = self.index.search(&self.store, &shown)?.hits;
        Ok(Some(SessionBoard {
            as_of: session_figures::is_past(session.date, today).then_some(session.date),
            session,
            agenda,
            stories,
            told,
        }))
    }

    /// Every session, the latest date first.
    pub fn sessions(&self) -> anyhow::Result<Vec<Session>> {
        let mut sessions = self.store.sessions()?;
        sessions.sort_by(|a, b| b.date.cmp(&a.date).then(a.id.cmp(&b.id)));
        Ok(sessions)
    }

    /// Interpretations of an indicator, newest first; with `query`, only those whose text holds every
    /// word of it (Dutch inflections and diacritics folded, as in story search).
    pub fn interpretations_for(
        &self,
        indicator: &IndicatorId,
        query: Option<&str>,
    ) -> anyhow::Result<Vec<Interpretation>> {
        let words = query.map(|query| {
            crate::index::analysis::analyse(&mut crate::index::analysis::dutch().analyzer(), query)
        });
        Ok(self
            .store
            .interpretations()?
            .into_iter()
            .filter(|interpretation| &interpretation.indicator == indicator)
            .filter(|interpretation| match &words {
                None => true,
                Some(words) => {
                    let terms = crate::index::analysis::analyse(
                        &mut crate::index::analysis::dutch().analyzer(),
                        &interpretation.text(),
                    );
                    words.iter().all(|word| terms.contains(word))
                }
            })
            .collect())
    }

    /// Actions about an indicator: open ones first (by due date), then the finished ones.
    pub fn actions_for(&self, indicator: &IndicatorId) -> anyhow::Result<Vec<Action>> {
        let mut actions: Vec<Action> = self
            .store
            .actions()?
            .into_iter()
            .filter(|action| action.indicator.as_ref() == Some(indicator))
            .collect();
        actions.sort_by_key(|action| (!action.is_open(), action.due));
        Ok(actions)
    }
}
