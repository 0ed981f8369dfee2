//! How close a story is to one indicator, for the order of the stories on its evidence page: a story
//! that names the indicator comes first, then one about an activity the indicator counts, then one that
//! uses the indicator's words, then the subgoal's other stories. Pure: the bank runs the searches.

use crate::goals::Indicator;
use crate::index::Hit;
use crate::municipality::{Activity, Municipality};

/// How close a story is to the indicator; lower is closer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub enum Closeness {
    /// The story names this indicator.
    Named,
    /// The story is about one of the indicator's activities.
    Activity,
    /// The story uses the indicator's words.
    Words,
    /// Another story of the indicator's subgoal.
    Subgoal,
}

/// Words of an indicator's title that say how it is counted, not what it is about.
const COUNTING_WORDS: &[&str] = &[
    "aantal",
    "percentage",
    "procent",
    "aandeel",
    "unieke",
    "gemiddeld",
    "gemiddelde",
    "kwartaal",
    "maand",
    "jaar",
    "per",
];

/// The activities an indicator counts: those whose id is part of the indicator's id or is written in
/// its title ("bezoekers-koffie-inloop", "Aantal bijeenkomsten (koffie-inloop, buurtmaaltijd)").
pub fn activities_of<'a>(
    municipality: &'a Municipality,
    indicator: &Indicator,
) -> Vec<&'a Activity> {
    let title = indicator.title.to_lowercase();
    let id = indicator.id.as_str();
    let named: Vec<&Activity> = municipality
        .activities
        .iter()
        .filter(|activity| {
            let activity = activity.id.as_str();
            contains_word(id, activity) || contains_word(&title, activity)
        })
        .collect();
    // "inloop" in "koffie-inloop" is that activity's, not one of its own.
    named
        .iter()
        .filter(|activity| {
            !named.iter().any(|other| {
                other.id != activity.id && contains_word(other.id.as_str(), activity.id.as_str())
            })
        })
        .copied()
        .collect()
}

/// Whether `needle` stands in `text` as a whole (not inside a longer word).
fn contains_word(text: &str, needle: &str) -> bool {
    let is_word = |c: char| c.is_alphanumeric();
    text.match_indices(needle).any(|(start, _)| {
        let before = text[..start].chars().next_back();
        let after = text[start + needle.len()..].chars().next();
        !before.is_some_and(is_word) && !after.is_some_and(is_word)
    })
}

/// A search for the indicator's words and its activities' names, any of them: the words of five
/// letters or more that say what is counted, not how.
pub fn words_query(indicator: &Indicator, activities: &[&Activity]) -> String {
    let mut words: Vec<String> = Vec::new();
    let texts = std::iter::once(indicator.title.as_str())
        .chain(activities.iter().map(|activity| activity.name.as_str()));
    for text in texts {
        for word in text.split(|c: char| !(c.is_alphanumeric() || c == '-')) {
            let word = word.trim_matches('-').to_lowercase();
            if word.chars().count() >= 5
                && !COUNTING_WORDS.contains(&word.as_str())
                && !words.contains(&word)
            {
                words.push(word);
            }
        }
    }
    words.join(" OR ")
}

/// Picks `count` of `candidates` (closest first, each tier in the order given): the closest tier
/// first, and within it a story from an area and a kind of teller not yet picked before the next one.
pub fn pick(candidates: Vec<(Closeness, Hit)>, count: usize) -> Vec<(Closeness, Hit)> {
    let mut rest: Vec<(Closeness, Hit)> = Vec::new();
    for (closeness, hit) in candidates {
        if !rest.iter().any(|(_, seen)| seen.story.id == hit.story.id) {
            rest.push((closeness, hit));
        }
    }
    let mut picked: Vec<(Closeness, Hit)> = Vec::new();
    while picked.len() < count && !rest.is_empty() {
        let best = rest
            .iter()
            .enumerate()
            .max_by_key(|(position, (closeness, hit))| {
                let new_area = !picked.iter().any(|(_, p)| p.story.area == hit.story.area);
                let new_teller = !picked
                    .iter()
                    .any(|(_, p)| p.story.teller == hit.story.teller);
                (
                    std::cmp::Reverse(*closeness),
                    new_area as u8 + new_teller as u8,
                    std::cmp::Reverse(*position),
                )
            })
            .map(|(position, _)| position)
            .expect("rest is not empty");
        picked.push(rest.remove(best));
    }
    picked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::{ActivityId, AreaId, ProviderId};
    use crate::story::render::SafeHtml;

    fn indicator(id: &str, title: &str) -> Indicator {
        toml::from_str(&format!(
            "id = \"{id}\"\nsubgoal = \"netwerk\"\ntitle = \"{title}\"\nlevel = \"reach\"\nunit = \"personen\"\n\
             direction = \"up\"\nsource = \"Registratie\"\nfrequency = \"quarter\"\n"
        ))
        .unwrap()
    }

    fn municipality() -> Municipality {
        let mut municipality = Municipality::default();
        for (id, name) in [
            ("koffie-inloop", "Koffie-inloop in het buurthuis"),
            ("buurtmaaltijd", "Buurtmaaltijd op donderdag"),
            ("huisbezoek-75plus", "Huisbezoek bij 75-plussers"),
            ("inloop", "Inloop"),
        ] {
            municipality.activities.push(Activity {
                id: ActivityId::parse(id).unwrap(),
                name: name.to_string(),
                provider: ProviderId::parse("buurtwerk").unwrap(),
            });
        }
        municipality
    }

    #[test]
    fn an_indicator_counts_the_activities_its_id_or_title_names() {
        let municipality = municipality();
        let ids = |indicator: &Indicator| -> Vec<String> {
            activities_of(&municipality, indicator)
                .iter()
                .map(|a| a.id.to_string())
                .collect()
        };
        let reach = indicator(
            "bezoekers-koffie-inloop",
            "Aantal unieke bezoekers van de koffie-inloop per kwartaal",
        );
        assert_eq!(ids(&reach), ["koffie-inloop"], "not 'inloop' inside it");
        let meetings = indicator(
            "ontmoetingen",
            "Aantal ontmoetingsbijeenkomsten (koffie-inloop, buurtmaaltijd, dorpskamer)",
        );
        assert_eq!(ids(&meetings), ["koffie-inloop", "buurtmaaltijd"]);
        assert!(ids(&indicator("eenzaamheid", "Percentage eenzame inwoners")).is_empty());
    }

    #[test]
    fn the_words_say_what_is_counted_not_how() {
        let municipality = municipality();
        let reach = indicator(
            "bezoekers-koffie-inloop",
            "Aantal unieke bezoekers van de koffie-inloop per kwartaal",
        );
        let activities = activities_of(&municipality, &reach);
        assert_eq!(
            words_query(&reach, &activities),
            "bezoekers OR koffie-inloop OR buurthuis"
        );
    }

    fn hit(n: u8, area: &str) -> Hit {
        let mut story = crate::testing::story(&format!("Verhaal {n}"), "Een verhaal om te lezen.");
        story.area = Some(AreaId::parse(area).unwrap());
        Hit {
            story,
            score: None,
            snippet: SafeHtml::escape(""),
            language: crate::language::Language::dutch(),
        }
    }

    #[test]
    fn the_closest_come_first_and_a_story_comes_once() {
        let candidates = vec![
            (Closeness::Named, hit(1, "noord")),
            (Closeness::Activity, hit(2, "zuid")),
            (Closeness::Activity, hit(1, "noord")),
            (Closeness::Subgoal, hit(3, "west")),
        ];
        let picked: Vec<(Closeness, String)> = pick(candidates, 3)
            .into_iter()
            .map(|(closeness, hit)| (closeness, hit.story.title))
            .collect();
        assert_eq!(
            picked,
            [
                (Closeness::Named, "Verhaal 1".to_string()),
                (Closeness::Activity, "Verhaal 2".to_string()),
                (Closeness::Subgoal, "Verhaal 3".to_string()),
            ]
        );
    }

    #[test]
    fn within_a_tier_a_new_area_goes_first() {
        let candidates = vec![
            (Closeness::Activity, hit(1, "noord")),
            (Closeness::Activity, hit(2, "noord")),
            (Closeness::Activity, hit(3, "zuid")),
        ];
        let picked: Vec<String> = pick(candidates, 2)
            .into_iter()
            .map(|(_, hit)| hit.story.title)
            .collect();
        assert_eq!(picked, ["Verhaal 1", "Verhaal 3"]);
    }
}
