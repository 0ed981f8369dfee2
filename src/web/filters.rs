//! The area and period filter shared by the goal overview and the evidence pages: read from the query
//! string (`gebied`, `periode`) and shown as two selects that keep their choice.

use super::forms::FormData;
use super::i18n::Texts;
use crate::evidence::{EvidenceFilter, Period};
use crate::ids::AreaId;
use crate::municipality::Municipality;

pub struct Choice {
    pub value: String,
    pub label: String,
    pub selected: bool,
}

pub struct FilterView {
    pub areas: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub active: bool,
    /// The filter as a query string to carry to linked pages (`gebied=noord&periode=2025`), or empty.
    pub query: String,
}

/// Reads the filter; unknown areas and malformed periods are ignored rather than refused.
pub fn read_filter(form: &FormData, municipality: &Municipality) -> EvidenceFilter {
    let area = form
        .get("gebied")
        .and_then(|id| AreaId::parse(id).ok())
        .filter(|id| municipality.area(id).is_some());
    let period = form
        .get("periode")
        .and_then(|text| text.parse::<Period>().ok());
    EvidenceFilter { area, period }
}

pub fn filter_view(
    t: &Texts,
    municipality: &Municipality,
    filter: &EvidenceFilter,
    years: &[i16],
) -> FilterView {
    let mut areas = vec![Choice {
        value: String::new(),
        label: t.get("filter.whole_municipality").to_string(),
        selected: filter.area.is_none(),
    }];
    for top in municipality.top_areas() {
        areas.push(Choice {
            value: top.id.to_string(),
            label: top.name.clone(),
            selected: filter.area.as_ref() == Some(&top.id),
        });
        for wijk in municipality.child_areas(&top.id) {
            areas.push(Choice {
                value: wijk.id.to_string(),
                label: format!("\u{a0}\u{a0}– {}", wijk.name),
                selected: filter.area.as_ref() == Some(&wijk.id),
            });
        }
    }
    let mut periods = vec![Choice {
        value: String::new(),
        label: t.get("filter.all_years").to_string(),
        selected: filter.period.is_none(),
    }];
    for year in years.iter().rev() {
        let period = Period::Year(*year);
        periods.push(Choice {
            value: period.to_string(),
            label: year.to_string(),
            selected: filter.period == Some(period),
        });
    }
    let mut pairs = Vec::new();
    if let Some(area) = &filter.area {
        pairs.push(("gebied", area.to_string()));
    }
    if let Some(period) = filter.period {
        pairs.push(("periode", period.to_string()));
    }
    let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
    FilterView {
        areas,
        periods,
        active: filter.area.is_some() || filter.period.is_some(),
        query,
    }
}
