//! Reading the forms of evaluation rounds into domain values: starting a round, and choosing a story as
//! most significant. Problems come back as field → message key, as in the other forms.

use super::forms::{FormData, FormErrors};
use super::session_forms::{date_field, free_id, text_field};
use crate::bank::Settings;
use crate::ids::{AreaId, ProviderId, RoundId, SubgoalId};
use crate::rounds::{Round, RoundPhase, SignificantStory};
use crate::sessions::new_code;
use crate::story::StoryId;

/// A readable id from a title: lowercase letters and digits joined by `-`, with a number when taken.
fn round_id(title: &str, year: i16, taken: &[RoundId]) -> RoundId {
    let slug = crate::ids::slug(title, 40);
    let base = if slug.is_empty() {
        format!("ronde-{year}")
    } else {
        format!("{slug}-{year}")
    };
    free_id(&base, taken, RoundId::parse)
}

/// Reads the form that starts a round (phase voorwaarderen).
pub fn read_round(
    form: &FormData,
    settings: &Settings,
    taken: &[RoundId],
) -> Result<Round, FormErrors> {
    let mut errors = FormErrors::default();
    let title = text_field(form, "titel", "rounds.error_title", 200, &mut errors);
    let question = text_field(form, "vraag", "rounds.error_question", 1_000, &mut errors);
    let from = date_field(form, "van", "rounds.error_from", &mut errors);
    let to = date_field(form, "tot", "rounds.error_to", &mut errors);
    if let (Some(from), Some(to)) = (from, to)
        && to < from
    {
        errors.add("tot", "rounds.error_to");
    }
    let subgoals: Vec<SubgoalId> = form
        .all("subdoel")
        .iter()
        .filter_map(|id| SubgoalId::parse(id).ok())
        .filter(|id| settings.goals.subgoal(id).is_some())
        .collect();
    if subgoals.is_empty() {
        errors.add("subdoel", "rounds.error_subgoals");
    }
    let areas = form
        .all("gebied")
        .iter()
        .filter_map(|id| AreaId::parse(id).ok())
        .filter(|id| settings.municipality.area(id).is_some())
        .collect();
    let providers = form
        .all("aanbieder")
        .iter()
        .filter_map(|id| ProviderId::parse(id).ok())
        .filter(|id| settings.municipality.provider(id).is_some())
        .collect();
    let (Some(title), Some(question), Some(from), Some(to), true) =
        (title, question, from, to, errors.is_empty())
    else {
        return Err(errors);
    };
    Ok(Round {
        id: round_id(&title, from.year(), taken),
        title,
        question,
        from,
        to,
        providers,
        areas,
        subgoals,
        phase: RoundPhase::Prepare,
        code: new_code(),
        significant: Vec::new(),
        synthesis: None,
        feedback: None,
        themes: vec![],
    })
}

/// Reads a story chosen as most significant, with the reason why; the story must be in the round.
pub fn read_significant(
    form: &FormData,
    in_round: &[StoryId],
) -> Result<SignificantStory, FormErrors> {
    let mut errors = FormErrors::default();
    let story = form
        .get("verhaal")
        .and_then(|id| StoryId::parse(id).ok())
        .filter(|id| in_round.contains(id));
    if story.is_none() {
        errors.add("verhaal", "form.error_choice");
    }
    let reason = text_field(form, "waarom", "rounds.error_reason", 2_000, &mut errors);
    match (story, reason) {
        (Some(story), Some(reason)) => Ok(SignificantStory { story, reason }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing::{form, settings};

    fn fields(errors: &FormErrors) -> Vec<&'static str> {
        errors.0.iter().map(|(field, _)| *field).collect()
    }

    #[test]
    fn a_round_needs_title_question_period_and_subgoals() {
        let errors =
            read_round(&form(&[("titel", "Minder alleen")]), &settings(), &[]).unwrap_err();
        assert_eq!(fields(&errors), vec!["vraag", "van", "tot", "subdoel"]);

        let taken = vec![RoundId::parse("minder-alleen-in-de-buurt-2025").unwrap()];
        let round = read_round(
            &form(&[
                ("titel", "Minder alleen in de buurt!"),
                ("vraag", "Wat helpt u?"),
                ("van", "2025-01-01"),
                ("tot", "2025-12-31"),
                ("subdoel", "sterker-netwerk"),
                ("subdoel", "bestaat-niet"),
                ("gebied", "noord"),
            ]),
            &settings(),
            &taken,
        )
        .unwrap();
        assert_eq!(round.id.as_str(), "minder-alleen-in-de-buurt-2025-2");
        assert_eq!(round.subgoals.len(), 1);
        assert_eq!(round.phase, RoundPhase::Prepare);
        assert_eq!(round.areas[0].as_str(), "noord");
    }

    #[test]
    fn the_end_may_not_come_before_the_start() {
        let errors = read_round(
            &form(&[
                ("titel", "Ronde"),
                ("vraag", "Vraag?"),
                ("van", "2025-06-01"),
                ("tot", "2025-01-01"),
                ("subdoel", "sterker-netwerk"),
            ]),
            &settings(),
            &[],
        )
        .unwrap_err();
        assert_eq!(fields(&errors), vec!["tot"]);
    }

    #[test]
    fn a_significant_story_must_be_in_the_round_and_have_a_reason() {
        let id = StoryId::new_random();
        let ok = read_significant(
            &form(&[("verhaal", &id.to_string()), ("waarom", "Hier zie je het.")]),
            &[id],
        )
        .unwrap();
        assert_eq!(ok.story, id);
        let errors = read_significant(
            &form(&[("verhaal", &StoryId::new_random().to_string())]),
            &[id],
        )
        .unwrap_err();
        assert_eq!(fields(&errors), vec!["verhaal", "waarom"]);
    }
}
