//! The area and period filter shared by the goal overview and the evidence pages: read from the query
//! string (`gebied`, `periode`) and shown as two selects that keep their choice.
//!
//! A value that names no area of the municipality, or no period, is never passed over in silence: the
//! page would otherwise show the whole municipality's figures under a link that promised one area's.
//! Pages show the whole municipality with a notice that says so, answered as 404 (no such area) or 400
//! (a period that cannot be read), so link checkers and the API find the broken link.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

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
    /// What the query string asked for that the page cannot show, in words.
    pub notices: Vec<String>,
    pub areas: Vec<Choice>,
    pub periods: Vec<Choice>,
    pub active: bool,
    /// The filter as a query string to carry to linked pages (`gebied=noord&periode=2025`), or empty.
    pub query: String,
}

/// What a query string asked for that names no area or no period. An empty value asks for nothing
/// (the selects' first choice sends one).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Unknown {
    pub area: Option<String>,
    pub period: Option<String>,
}

/// The longest part of an unknown value a notice repeats.
const SHOWN_CHARS: usize = 60;

impl Unknown {
    pub fn is_empty(&self) -> bool {
        self.area.is_none() && self.period.is_none()
    }

    /// The status a page answers with when it shows the notices: no such area is 404, a period that
    /// cannot be read is 400; `None` when everything was understood.
    pub fn status(&self) -> Option<StatusCode> {
        if self.area.is_some() {
            Some(StatusCode::NOT_FOUND)
        } else if self.period.is_some() {
            Some(StatusCode::BAD_REQUEST)
        } else {
            None
        }
    }

    /// The notices in the visitor's language, one per unknown value.
    pub fn notices(&self, t: &Texts) -> Vec<String> {
        let shown = |value: &str| value.chars().take(SHOWN_CHARS).collect::<String>();
        [
            ("filter.unknown_area", &self.area),
            ("filter.unknown_period", &self.period),
        ]
        .into_iter()
        .filter_map(|(key, value)| value.as_deref().map(|value| t.with(key, &shown(value))))
        .collect()
    }
}

/// A page that shows the filter, answered with the status [`Unknown::status`] asks for.
pub fn answer(page: impl IntoResponse, unknown: &Unknown) -> Response {
    let mut response = page.into_response();
    if let Some(status) = unknown.status() {
        *response.status_mut() = status;
    }
    response
}

/// Reads the filter. A value that names no area of `municipality` or no period is left out of the
/// filter and returned in [`Unknown`], for the page to say so.
pub fn read_filter(form: &FormData, municipality: &Municipality) -> (EvidenceFilter, Unknown) {
    let mut unknown = Unknown::default();
    let asked = |name: &str| form.get(name).filter(|text| !text.trim().is_empty());
    let area = asked("gebied").and_then(|text| {
        let found = AreaId::parse(text.trim())
            .ok()
            .filter(|id| municipality.area(id).is_some());
        if found.is_none() {
            unknown.area = Some(text.to_string());
        }
        found
    });
    let period = asked("periode").and_then(|text| {
        let found = text.trim().parse::<Period>().ok();
        if found.is_none() {
            unknown.period = Some(text.to_string());
        }
        found
    });
    (EvidenceFilter { area, period }, unknown)
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
        notices: Vec::new(),
        areas,
        periods,
        active: filter.area.is_some() || filter.period.is_some(),
        query,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;
    use crate::web::i18n::dutch;

    fn read(pairs: &[(&str, &str)]) -> (EvidenceFilter, Unknown) {
        let form = FormData::new(
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        );
        read_filter(&form, &testing::municipality())
    }

    #[test]
    fn every_value_is_understood_or_named() {
        for (pairs, area, period, status) in [
            (vec![], None, None, None),
            (vec![("gebied", ""), ("periode", "")], None, None, None),
            (vec![("gebied", "noord")], Some("noord"), None, None),
            (vec![("gebied", "de-hoven")], Some("de-hoven"), None, None),
            (vec![("periode", "2025-Q2")], None, Some("2025-Q2"), None),
            // The area's name is not its id: the defect a session's agenda links had.
            (
                vec![("gebied", "Veenstede-Noord")],
                None,
                None,
                Some(StatusCode::NOT_FOUND),
            ),
            (
                vec![("gebied", "atlantis")],
                None,
                None,
                Some(StatusCode::NOT_FOUND),
            ),
            (
                vec![("periode", "vorig jaar")],
                None,
                None,
                Some(StatusCode::BAD_REQUEST),
            ),
            (
                vec![("gebied", "atlantis"), ("periode", "2025")],
                None,
                Some("2025"),
                Some(StatusCode::NOT_FOUND),
            ),
        ] {
            let (filter, unknown) = read(&pairs);
            assert_eq!(filter.area.as_ref().map(|a| a.as_str()), area, "{pairs:?}");
            assert_eq!(
                filter.period.map(|p| p.to_string()).as_deref(),
                period,
                "{pairs:?}"
            );
            assert_eq!(unknown.status(), status, "{pairs:?}");
        }
    }

    #[test]
    fn the_notice_names_the_value_and_what_is_shown_instead() {
        let (_, unknown) = read(&[("gebied", "Veenstede-Noord"), ("periode", "ooit")]);
        let notices = unknown.notices(dutch());
        assert_eq!(notices.len(), 2);
        assert!(notices[0].contains("‘Veenstede-Noord’") && notices[0].contains("hele gemeente"));
        assert!(notices[1].contains("‘ooit’"));
        let (_, long) = read(&[("gebied", &"x".repeat(500))]);
        assert!(long.notices(dutch())[0].len() < 300, "a long value is cut");
    }
}
