//! Reading the forms of sessions into domain values: planning a session, recording an interpretation,
//! agreeing an action, updating one. Problems come back as field → message key, as in the story forms.

use jiff::civil::Date;

use super::forms::{FormData, FormErrors};
use crate::bank::Settings;
use crate::ids::{AreaId, IndicatorId, SessionId};
use crate::sessions::{
    Action, ActionStatus, EntryId, Interpretation, Session, SessionStatus, new_code,
};
use crate::story::Coded;

pub(super) fn date_field(
    form: &FormData,
    name: &'static str,
    key: &'static str,
    errors: &mut FormErrors,
) -> Option<Date> {
    let date = form.get(name).and_then(|text| text.parse::<Date>().ok());
    if date.is_none() {
        errors.add(name, key);
    }
    date
}

pub(super) fn text_field(
    form: &FormData,
    name: &'static str,
    key: &'static str,
    max: usize,
    errors: &mut FormErrors,
) -> Option<String> {
    let text = form
        .get(name)
        .map(|text| text.chars().take(max).collect::<String>());
    if text.is_none() {
        errors.add(name, key);
    }
    text
}

fn indicator_field(form: &FormData, name: &str, settings: &Settings) -> Option<IndicatorId> {
    form.get(name)
        .and_then(|id| IndicatorId::parse(id).ok())
        .filter(|id| settings.goals.indicator(id).is_some())
}

pub(super) fn area_field(form: &FormData, name: &str, settings: &Settings) -> Option<AreaId> {
    form.get(name)
        .and_then(|id| AreaId::parse(id).ok())
        .filter(|id| settings.municipality.area(id).is_some())
}

/// A readable id for a new session: area and month, with a number when that is taken.
fn session_id(area: &AreaId, date: Date, taken: &[SessionId]) -> SessionId {
    free_id(
        &format!("{area}-{}-{:02}", date.year(), date.month()),
        taken,
        SessionId::parse,
    )
}

/// `base` as an id, or `base-2`, `base-3` … when it is taken.
pub(super) fn free_id<T: PartialEq, E>(
    base: &str,
    taken: &[T],
    parse: impl Fn(&str) -> Result<T, E>,
) -> T {
    (1..)
        .map(|n| {
            if n == 1 {
                base.to_string()
            } else {
                format!("{base}-{n}")
            }
        })
        .filter_map(|text| parse(&text).ok())
        .find(|id| !taken.contains(id))
        .expect("some id is free")
}

/// Reads the planning form into a new, planned session.
pub fn read_plan(
    form: &FormData,
    settings: &Settings,
    taken: &[SessionId],
) -> Result<Session, FormErrors> {
    let mut errors = FormErrors::default();
    let title = text_field(form, "titel", "sessions.error_title", 200, &mut errors);
    let area = area_field(form, "gebied", settings);
    if area.is_none() {
        errors.add("gebied", "sessions.error_area");
    }
    let date = date_field(form, "datum", "sessions.error_date", &mut errors);
    let indicators: Vec<IndicatorId> = form
        .all("indicator")
        .iter()
        .filter_map(|id| IndicatorId::parse(id).ok())
        .filter(|id| settings.goals.indicator(id).is_some())
        .collect();
    if indicators.is_empty() {
        errors.add("indicator", "sessions.error_indicators");
    }
    let (Some(title), Some(area), Some(date), true) = (title, area, date, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(Session {
        id: session_id(&area, date, taken),
        title,
        area,
        date,
        place: form.text("plaats"),
        facilitator: form.text("gespreksleider"),
        indicators,
        status: SessionStatus::Planned,
        code: new_code(),
        heard: None,
    })
}

/// Reads an interpretation, for an indicator of the form or the given one.
pub fn read_interpretation(
    form: &FormData,
    settings: &Settings,
    indicator: Option<&IndicatorId>,
    session: Option<&Session>,
    today: Date,
) -> Result<Interpretation, FormErrors> {
    let mut errors = FormErrors::default();
    let indicator = indicator
        .cloned()
        .or_else(|| indicator_field(form, "indicator", settings));
    if indicator.is_none() {
        errors.add("indicator", "form.error_choice");
    }
    let answers = ["herkennen", "begrijpen", "waarderen", "verbeteren"].map(|name| form.text(name));
    if answers.iter().all(String::is_empty) {
        errors.add("herkennen", "interpretation.error_empty");
    }
    let (Some(indicator), true) = (indicator, errors.is_empty()) else {
        return Err(errors);
    };
    let [recognise, explain, value, improve] = answers;
    Ok(Interpretation {
        id: EntryId::new_random(),
        indicator,
        area: session
            .map(|s| s.area.clone())
            .or_else(|| area_field(form, "gebied", settings)),
        period: form.get("periode").and_then(|p| p.parse().ok()),
        date: session.map_or(today, |s| s.date),
        participants: form.text("deelnemers"),
        recognise,
        explain,
        value,
        improve,
        stories: Vec::new(),
        session: session.map(|s| s.id.clone()),
    })
}

/// Reads a new action.
pub fn read_action(
    form: &FormData,
    settings: &Settings,
    session: Option<&Session>,
    today: Date,
) -> Result<Action, FormErrors> {
    let mut errors = FormErrors::default();
    let title = text_field(form, "wat", "actions.error_title", 300, &mut errors);
    let owner = text_field(form, "eigenaar", "actions.error_owner", 200, &mut errors);
    let due = date_field(form, "klaar", "actions.error_due", &mut errors);
    let (Some(title), Some(owner), Some(due), true) = (title, owner, due, errors.is_empty()) else {
        return Err(errors);
    };
    Ok(Action {
        id: EntryId::new_random(),
        title,
        owner,
        due,
        status: ActionStatus::Open,
        indicator: indicator_field(form, "indicator", settings),
        area: session
            .map(|s| s.area.clone())
            .or_else(|| area_field(form, "gebied", settings)),
        session: session.map(|s| s.id.clone()),
        outcome: None,
        created: today,
    })
}

/// Applies an update (status and outcome) to an action.
pub fn update_action(form: &FormData, action: &mut Action) {
    if let Some(status) = form.get("stand").and_then(ActionStatus::parse_code) {
        action.status = status;
    }
    action.outcome = form
        .get("uitkomst")
        .map(|text| text.chars().take(2_000).collect());
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testing;

    use crate::testing::{form, settings};

    #[test]
    fn plans_a_session_with_a_free_readable_id() {
        let taken = vec![SessionId::parse("noord-2026-12").unwrap()];
        let session = read_plan(
            &form(&[
                ("titel", "Sessie Noord"),
                ("gebied", "noord"),
                ("datum", "2026-12-08"),
                ("indicator", "bezoekers-koffie-inloop"),
            ]),
            &settings(),
            &taken,
        )
        .unwrap();
        assert_eq!(session.id.as_str(), "noord-2026-12-2");
        assert_eq!(session.status, SessionStatus::Planned);
        assert!(crate::sessions::is_code(&session.code));
        let errors = read_plan(&form(&[("gebied", "west")]), &settings(), &taken).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|(f, _)| *f).collect();
        assert_eq!(fields, vec!["titel", "gebied", "datum", "indicator"]);
    }

    #[test]
    fn interpretations_need_an_answer_and_actions_an_owner() {
        let session = testing::session();
        let today = jiff::civil::date(2026, 11, 23);
        let errors = read_interpretation(
            &form(&[("indicator", "bezoekers-koffie-inloop")]),
            &settings(),
            None,
            Some(&session),
            today,
        )
        .unwrap_err();
        assert_eq!(errors.of("herkennen"), Some("interpretation.error_empty"));
        let interpretation = read_interpretation(
            &form(&[
                ("indicator", "bezoekers-koffie-inloop"),
                ("begrijpen", "Door de buurvrouw."),
            ]),
            &settings(),
            None,
            Some(&session),
            today,
        )
        .unwrap();
        assert_eq!(interpretation.session, Some(session.id.clone()));
        assert_eq!(interpretation.date, session.date);

        let errors = read_action(
            &form(&[("wat", "Bankje"), ("klaar", "morgen")]),
            &settings(),
            None,
            today,
        )
        .unwrap_err();
        assert!(errors.of("eigenaar").is_some() && errors.of("klaar").is_some());
        let mut action = read_action(
            &form(&[
                ("wat", "Bankje"),
                ("eigenaar", "Gemeente"),
                ("klaar", "2027-01-01"),
            ]),
            &settings(),
            Some(&session),
            today,
        )
        .unwrap();
        assert_eq!(action.area, Some(session.area.clone()));
        update_action(
            &form(&[("stand", "done"), ("uitkomst", "Het bankje staat er.")]),
            &mut action,
        );
        assert_eq!(action.status, ActionStatus::Done);
        assert_eq!(action.outcome.as_deref(), Some("Het bankje staat er."));
    }
}
