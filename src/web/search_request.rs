//! The search a page's query string asks for (`q`, filters, order, dates, page, synonyms), and a facet
//! value's label: shared by the search page, the evidence pages, the API, a round's gathering page and
//! the pattern pages.

use crate::bank::Settings;
use crate::ids::{GoalId, IndicatorId, ProviderId, SubgoalId};
use crate::index::{FacetField, Scope, SearchRequest, SortOrder};
use crate::language::Language;
use crate::web::forms::FormData;
use crate::web::i18n::Texts;

/// A facet value's label in the visitor's language.
pub fn facet_label(t: &Texts, settings: &Settings, field: FacetField, value: &str) -> String {
    let goals = &settings.goals;
    let municipality = &settings.municipality;
    let label = match field {
        FacetField::Goal => GoalId::parse(value)
            .ok()
            .and_then(|id| goals.goal(&id).map(|g| g.title.clone())),
        FacetField::Subgoal => SubgoalId::parse(value)
            .ok()
            .and_then(|id| goals.subgoal(&id).map(|s| s.title.clone())),
        FacetField::Indicator | FacetField::About => IndicatorId::parse(value)
            .ok()
            .and_then(|id| goals.indicator(&id).map(|i| i.title.clone())),
        FacetField::Activity => crate::ids::ActivityId::parse(value)
            .ok()
            .and_then(|id| municipality.activity(&id).map(|a| a.name.clone())),
        FacetField::Area => crate::ids::AreaId::parse(value)
            .ok()
            .and_then(|id| municipality.area(&id).map(|a| a.name.clone())),
        FacetField::Provider => ProviderId::parse(value)
            .ok()
            .and_then(|id| municipality.provider(&id).map(|p| p.name.clone())),
        FacetField::Teller => Some(t.code("teller", value)),
        FacetField::Valence => Some(t.code("valence", value)),
        FacetField::Status => Some(t.code("status", value)),
        FacetField::Consent => Some(t.code("consent", value)),
        FacetField::Language => Language::parse(value).ok().map(|l| {
            if t.lang == "nl" {
                l.dutch_name().to_string()
            } else {
                l.native_name().to_string()
            }
        }),
        FacetField::Quarter => value.parse().ok().map(|p| t.period(&p)),
        FacetField::Tag
        | FacetField::Year
        | FacetField::Session
        | FacetField::Round
        | FacetField::Score
        | FacetField::Answer => None,
    };
    label.unwrap_or_else(|| value.to_string())
}

/// Whether a query string asks for synonyms too: yes, unless it says `synoniemen=uit` without
/// `synoniemen=aan`. The checkbox "Ook synoniemen zoeken" sends `aan` after a hidden `uit`, so a form
/// sent with the box unticked says `uit` alone, and a plain link (`/zoeken?q=...`) searches with them.
pub fn synonyms_wanted(form: &FormData) -> bool {
    let said = form.all("synoniemen");
    !said.iter().any(|value| value == "uit") || said.iter().any(|value| value == "aan")
}

/// The search request a query string asks for: lenient, as people type (see
/// [`SearchRequest::lenient`]).
pub fn read_request(form: &FormData, scope: Scope) -> SearchRequest {
    let mut request = SearchRequest::new(&form.text("q"), scope);
    request.lenient = true;
    request.synonyms = synonyms_wanted(form);
    for field in FacetField::ALL {
        for value in form.all(field.name()) {
            request = request.filter(field, &value);
        }
    }
    request.sort = match form.get("sorteer") {
        Some("nieuw") => SortOrder::Newest,
        Some("oud") => SortOrder::Oldest,
        _ => SortOrder::Relevance,
    };
    request.from = form.get("van").and_then(|d| d.parse().ok());
    request.to = form.get("tot").and_then(|d| d.parse().ok());
    request.page = form
        .get("pagina")
        .and_then(|p| p.parse().ok())
        .unwrap_or(1)
        .clamp(1, 1000);
    request
}
