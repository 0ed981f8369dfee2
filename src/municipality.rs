//! The municipality's setup: its name, default language, areas (stadsdeel → wijk, dorp), providers and
//! their activities; loaded from and written to `municipality.toml`.
//!
//! Domain only: parsing works on text, never on files. Areas form a small hierarchy through `parent`, so
//! a story told in a wijk also counts for the stadsdeel around it.

use serde::{Deserialize, Serialize};

use crate::ids::{ActivityId, AreaId, ProviderId};
use crate::language::Language;
use crate::source::{LineError, duplicate_id, line_of_assignment, toml_error};

/// What kind of place an area is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AreaKind {
    Stadsdeel,
    Wijk,
    Dorp,
}

impl AreaKind {
    pub fn dutch(self) -> &'static str {
        match self {
            AreaKind::Stadsdeel => "stadsdeel",
            AreaKind::Wijk => "wijk",
            AreaKind::Dorp => "dorp",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub id: AreaId,
    pub name: String,
    pub kind: AreaKind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<AreaId>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Provider {
    pub id: ProviderId,
    pub name: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Activity {
    pub id: ActivityId,
    pub name: String,
    pub provider: ProviderId,
}

/// A municipality: the frame every story and figure is placed in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Municipality {
    pub name: String,
    pub default_language: Language,
    #[serde(default)]
    pub areas: Vec<Area>,
    #[serde(default)]
    pub providers: Vec<Provider>,
    #[serde(default)]
    pub activities: Vec<Activity>,
}

impl Default for Municipality {
    fn default() -> Self {
        Municipality {
            name: "Gemeente".to_string(),
            default_language: Language::dutch(),
            areas: Vec::new(),
            providers: Vec::new(),
            activities: Vec::new(),
        }
    }
}

impl Municipality {
    /// Parses `municipality.toml` and checks that every reference (area parent, activity provider) exists
    /// and no id is used twice.
    pub fn from_toml(text: &str) -> Result<Municipality, LineError> {
        let municipality: Municipality =
            toml::from_str(text).map_err(|error| toml_error(text, &error, 1))?;
        municipality.check(text)?;
        Ok(municipality)
    }

    /// Writes the municipality as `municipality.toml` text that [`Municipality::from_toml`] reads back.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).expect("a municipality always serialises to TOML")
    }

    fn check(&self, text: &str) -> Result<(), LineError> {
        // A reference error points at the line where the offending id is written.
        let at = |needle: &str, field: &str, message: String| {
            let line = line_of_assignment(text, field, needle);
            LineError::new(line, Some(field), message)
        };
        let mut seen = std::collections::HashSet::new();
        for area in &self.areas {
            if !seen.insert(area.id.as_str()) {
                return Err(duplicate_id(text, "area", area.id.as_str()));
            }
        }
        for area in &self.areas {
            if let Some(parent) = &area.parent {
                if self.area(parent).is_none() {
                    return Err(at(
                        parent.as_str(),
                        "parent",
                        format!("unknown area {parent}; expected one of the area ids in this file"),
                    ));
                }
                let chain = self.area_and_ancestors(&area.id);
                let distinct: std::collections::HashSet<_> = chain.iter().collect();
                if distinct.len() != chain.len() {
                    return Err(at(
                        area.id.as_str(),
                        "parent",
                        format!("area {} lies in itself", area.id),
                    ));
                }
            }
        }
        let mut seen = std::collections::HashSet::new();
        for provider in &self.providers {
            if !seen.insert(provider.id.as_str()) {
                return Err(duplicate_id(text, "provider", provider.id.as_str()));
            }
        }
        let mut seen = std::collections::HashSet::new();
        for activity in &self.activities {
            if !seen.insert(activity.id.as_str()) {
                return Err(duplicate_id(text, "activity", activity.id.as_str()));
            }
            if self.provider(&activity.provider).is_none() {
                return Err(at(
                    activity.provider.as_str(),
                    "provider",
                    format!(
                        "unknown provider {}; expected one of the provider ids in this file",
                        activity.provider
                    ),
                ));
            }
        }
        Ok(())
    }

    pub fn area(&self, id: &AreaId) -> Option<&Area> {
        self.areas.iter().find(|area| &area.id == id)
    }

    pub fn provider(&self, id: &ProviderId) -> Option<&Provider> {
        self.providers.iter().find(|provider| &provider.id == id)
    }

    pub fn activity(&self, id: &ActivityId) -> Option<&Activity> {
        self.activities.iter().find(|activity| &activity.id == id)
    }

    /// The area itself followed by the areas it lies in, innermost first. Stops at a cycle (the repeated
    /// area is the last element), so a malformed hierarchy can never loop forever.
    pub fn area_and_ancestors(&self, id: &AreaId) -> Vec<AreaId> {
        let mut chain = vec![id.clone()];
        let mut current = self.area(id).and_then(|area| area.parent.clone());
        while let Some(parent) = current {
            let cycle = chain.contains(&parent);
            chain.push(parent.clone());
            if cycle {
                break;
            }
            current = self.area(&parent).and_then(|area| area.parent.clone());
        }
        chain
    }

    /// Every area id, in the order of the file.
    pub fn area_ids(&self) -> Vec<AreaId> {
        self.areas.iter().map(|area| area.id.clone()).collect()
    }

    /// The ids of the areas at the top of the hierarchy.
    pub fn top_area_ids(&self) -> Vec<AreaId> {
        self.top_areas().map(|area| area.id.clone()).collect()
    }

    /// Areas at the top of the hierarchy (stadsdelen and villages).
    pub fn top_areas(&self) -> impl Iterator<Item = &Area> {
        self.areas.iter().filter(|area| area.parent.is_none())
    }

    /// Areas that lie directly in `id`.
    pub fn child_areas<'a>(&'a self, id: &'a AreaId) -> impl Iterator<Item = &'a Area> + 'a {
        self.areas
            .iter()
            .filter(move |area| area.parent.as_ref() == Some(id))
    }

    pub fn activities_of<'a>(
        &'a self,
        provider: &'a ProviderId,
    ) -> impl Iterator<Item = &'a Activity> + 'a {
        self.activities
            .iter()
            .filter(move |activity| &activity.provider == provider)
    }

    pub fn area_name<'a>(&'a self, id: &'a AreaId) -> &'a str {
        self.area(id).map_or(id.as_str(), |area| area.name.as_str())
    }

    pub fn provider_name<'a>(&'a self, id: &'a ProviderId) -> &'a str {
        self.provider(id)
            .map_or(id.as_str(), |provider| provider.name.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"
name = "Gemeente Proefdorp"
default_language = "nl"

[[areas]]
id = "noord"
name = "Noord"
kind = "stadsdeel"

[[areas]]
id = "de-hoven"
name = "De Hoven"
kind = "wijk"
parent = "noord"

[[providers]]
id = "buurtwerk"
name = "Buurtwerk"

[[activities]]
id = "koffie"
name = "Koffie-inloop"
provider = "buurtwerk"
"#;

    #[test]
    fn parses_and_round_trips() {
        let municipality = Municipality::from_toml(SAMPLE).unwrap();
        assert_eq!(municipality.areas.len(), 2);
        let hoven = AreaId::parse("de-hoven").unwrap();
        assert_eq!(
            municipality.area_and_ancestors(&hoven),
            vec![hoven.clone(), AreaId::parse("noord").unwrap()]
        );
        let again = Municipality::from_toml(&municipality.to_toml()).unwrap();
        assert_eq!(again, municipality);
    }

    #[test]
    fn reports_unknown_references_with_their_line() {
        let bad = SAMPLE.replace("parent = \"noord\"", "parent = \"zuid\"");
        let error = Municipality::from_toml(&bad).unwrap_err();
        assert_eq!(error.field.as_deref(), Some("parent"));
        assert_eq!(error.line, 14);
        assert!(error.message.contains("zuid"), "{error}");

        let bad = SAMPLE.replace("provider = \"buurtwerk\"", "provider = \"onbekend\"");
        let error = Municipality::from_toml(&bad).unwrap_err();
        assert_eq!((error.line, error.field.as_deref()), (23, Some("provider")));
    }

    #[test]
    fn reports_bad_values() {
        let bad = SAMPLE.replace("kind = \"wijk\"", "kind = \"buurtje\"");
        let error = Municipality::from_toml(&bad).unwrap_err();
        assert_eq!(error.line, 13);
        assert_eq!(error.field.as_deref(), Some("kind"));
    }
}
