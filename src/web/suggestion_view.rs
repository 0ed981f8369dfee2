//! Suggestions for staff in words: the subgoals and tags of the most alike stories and the valence
//! residents' own stories point to, each with why, for moderation and the provider form. A person
//! accepts each with its own button; nothing is chosen for them.

use crate::bank::{Settings, SubgoalSuggestion, Suggested, TagSuggestion};
use crate::ids::SubgoalId;
use crate::story::Coded;
use crate::valence::ValenceGuess;
use crate::web::i18n::Texts;

/// A suggested subgoal: its id, title and why.
pub struct SubgoalSuggestionView {
    pub id: String,
    pub title: String,
    /// "Lijkt op 6 verhalen bij dit subdoel, zoals …".
    pub reason: String,
}

/// The suggested subgoals that are not among `chosen`, in words.
pub fn subgoal_views(
    t: &Texts,
    settings: &Settings,
    chosen: &[SubgoalId],
    found: &[SubgoalSuggestion],
) -> Vec<SubgoalSuggestionView> {
    found
        .iter()
        .filter(|s| !chosen.contains(&s.item))
        .filter_map(|s| {
            let subgoal = settings.goals.subgoal(&s.item)?;
            Some(SubgoalSuggestionView {
                id: s.item.to_string(),
                title: subgoal.title.clone(),
                reason: reason(t, "suggestions.reason", s),
            })
        })
        .collect()
}

/// A suggested tag and why.
pub struct TagSuggestionView {
    pub tag: String,
    /// "Staat bij 4 verhalen die hierop lijken, zoals …".
    pub reason: String,
}

/// The suggested tags that are not among `chosen`, in words.
pub fn tag_views(t: &Texts, chosen: &[String], found: &[TagSuggestion]) -> Vec<TagSuggestionView> {
    found
        .iter()
        .filter(|s| !chosen.contains(&s.item))
        .map(|s| TagSuggestionView {
            tag: s.item.clone(),
            reason: reason(t, "suggestions.tag_reason", s),
        })
        .collect()
}

/// Why something is suggested: how many alike stories carry it, and the titles of the closest.
fn reason<T>(t: &Texts, key: &str, suggested: &Suggested<T>) -> String {
    let examples = suggested
        .examples
        .iter()
        .map(|title| format!("“{title}”"))
        .collect::<Vec<_>>()
        .join(", ");
    t.count(key, &suggested.stories)
        .replace("{examples}", &examples)
}

/// A suggested valence: its code, its name and why.
pub struct ValenceSuggestionView {
    pub code: &'static str,
    pub label: String,
    /// "Verhalen met woorden als ‘eindelijk’ kregen dit vaak van bewoners die zelf vertelden.
    /// Geleerd van 56 verhalen. …"
    pub reason: String,
}

/// A suggested valence in words.
pub fn valence_view(t: &Texts, guess: &ValenceGuess) -> ValenceSuggestionView {
    let code = guess.valence.code();
    let reason = if guess.telling.is_empty() {
        t.get("suggestions.valence_reason_plain").to_string()
    } else {
        let words = guess
            .telling
            .iter()
            .map(|word| format!("‘{word}’"))
            .collect::<Vec<_>>()
            .join(", ");
        t.with("suggestions.valence_reason", &words)
    };
    ValenceSuggestionView {
        code,
        label: t.code("valence", code),
        reason: format!(
            "{} {}",
            reason,
            t.count("suggestions.valence_sure", &guess.learned_from)
        ),
    }
}
