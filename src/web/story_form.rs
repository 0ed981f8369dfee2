//! The story forms: the public "Vertel uw verhaal" form for residents, and the full form that provider
//! staff and moderators use. Each turns submitted fields into a typed [`Story`] or into a list of
//! problems (field → message key) so the page can show the form again, filled in, with each problem
//! next to its field and in a summary at the top.

use std::collections::BTreeMap;

use jiff::civil::Date;

use super::forms::{FormData, FormErrors};
use super::i18n::Texts;
use super::suggestion_view::{SubgoalSuggestionView, TagSuggestionView, ValenceSuggestionView};
use crate::bank::Settings;
use crate::ids::{ActivityId, AreaId, IndicatorId, ProviderId, SubgoalId};
use crate::language::Language;
use crate::story::{
    Channel, Coded, Consent, Markdown, Moderation, Story, StoryId, TellerRole, Valence,
    normalise_tag,
};

/// Longest story text accepted through a form, in characters.
pub const MAX_TEXT_CHARS: usize = 20_000;
/// Shortest story text, in characters: a story is at least a sentence.
pub const MIN_TEXT_CHARS: usize = 20;
/// The title of a story told by voice alone without a title, until staff give it one.
pub const SPOKEN_TITLE: &str = "Ingesproken verhaal";

pub struct Item {
    pub value: String,
    pub label: String,
}

pub struct Group {
    pub label: String,
    pub options: Vec<Item>,
}

pub struct StatementField {
    pub id: String,
    pub text: String,
    pub choices: Vec<Item>,
}

/// A form as shown: the choices it offers, what was filled in, and the problems found.
pub struct FormView {
    pub values: BTreeMap<String, Vec<String>>,
    pub errors: Vec<(String, String)>,
    pub areas: Vec<Item>,
    pub subgoals: Vec<Group>,
    pub providers: Vec<Item>,
    pub activities: Vec<Group>,
    /// The indicators a story may name, per subgoal (the subgoal's words for residents).
    pub indicators: Vec<Group>,
    pub statements: Vec<StatementField>,
    pub languages: Vec<Item>,
    /// Files came with a form shown again: the browser cannot keep them, so the page asks to choose
    /// them again.
    pub files_again: bool,
    /// The form offers suggestions for the valence and subgoals from its title and text (the
    /// provider form).
    pub offers_suggestions: bool,
    /// Suggestions were asked for: when none are found, the page says so.
    pub suggestions_asked: bool,
    /// The valence residents' own stories suggest (only asked for while none is chosen).
    pub valence_suggestion: Option<ValenceSuggestionView>,
    /// Subgoals the most alike stories are linked to, not yet ticked.
    pub subgoal_suggestions: Vec<SubgoalSuggestionView>,
    /// Tags the most alike stories carry, not yet in the tags field.
    pub tag_suggestions: Vec<TagSuggestionView>,
}

impl FormView {
    pub fn new(
        t: &Texts,
        settings: &Settings,
        values: BTreeMap<String, Vec<String>>,
        errors: &FormErrors,
        plain: bool,
    ) -> FormView {
        let municipality = &settings.municipality;
        let goals = &settings.goals;
        let mut areas = Vec::new();
        for top in municipality.top_areas() {
            areas.push(Item {
                value: top.id.to_string(),
                label: top.name.clone(),
            });
            for wijk in municipality.child_areas(&top.id) {
                areas.push(Item {
                    value: wijk.id.to_string(),
                    label: format!("{} ({})", wijk.name, top.name),
                });
            }
        }
        // Subgoals in use, and retired ones this story is already linked to, so editing keeps the link.
        let chosen = values.get("subdoel").cloned().unwrap_or_default();
        let subgoals = goals
            .goals
            .iter()
            .map(|goal| Group {
                label: goal.title.clone(),
                options: goals
                    .subgoals_of(&goal.id)
                    .filter(|subgoal| {
                        goals.subgoal_in_use(&subgoal.id)
                            || chosen.iter().any(|id| id == subgoal.id.as_str())
                    })
                    .map(|subgoal| Item {
                        value: subgoal.id.to_string(),
                        label: match (&subgoal.plain, plain) {
                            (Some(words), true) => words.clone(),
                            _ => subgoal.title.clone(),
                        },
                    })
                    .collect(),
            })
            .collect();
        let providers = municipality
            .providers
            .iter()
            .map(|p| Item {
                value: p.id.to_string(),
                label: p.name.clone(),
            })
            .collect();
        let activities = municipality
            .providers
            .iter()
            .map(|provider| Group {
                label: provider.name.clone(),
                options: municipality
                    .activities_of(&provider.id)
                    .map(|a| Item {
                        value: a.id.to_string(),
                        label: a.name.clone(),
                    })
                    .collect(),
            })
            .filter(|group| !group.options.is_empty())
            .collect();
        // Indicators in use, and a retired one this story already names, per subgoal.
        let named = values.get("indicator").cloned().unwrap_or_default();
        let indicators = goals
            .subgoals
            .iter()
            .filter(|subgoal| {
                goals.subgoal_in_use(&subgoal.id)
                    || chosen.iter().any(|id| id == subgoal.id.as_str())
            })
            .map(|subgoal| Group {
                label: match (&subgoal.plain, plain) {
                    (Some(words), true) => words.clone(),
                    _ => subgoal.title.clone(),
                },
                options: goals
                    .indicators
                    .iter()
                    .filter(|indicator| indicator.subgoal == subgoal.id)
                    .filter(|indicator| {
                        goals.indicator_in_use(&indicator.id)
                            || named.iter().any(|id| id == indicator.id.as_str())
                    })
                    .map(|indicator| Item {
                        value: indicator.id.to_string(),
                        label: indicator.title.clone(),
                    })
                    .collect(),
            })
            .filter(|group| !group.options.is_empty())
            .collect();
        // Statements in use, and retired ones this story already has a score for, so editing keeps it.
        let statements = goals
            .statements
            .iter()
            .filter(|statement| {
                goals.statement_in_use(&statement.id)
                    || values.contains_key(&format!("score-{}", statement.id))
            })
            .map(|statement| StatementField {
                id: statement.id.to_string(),
                text: statement.text.clone(),
                choices: statement
                    .scale
                    .range()
                    .map(|score| Item {
                        value: score.to_string(),
                        label: t.code(
                            &format!("scale.{:?}", statement.scale).to_lowercase(),
                            &score.to_string(),
                        ),
                    })
                    .collect(),
            })
            .collect();
        let languages = crate::language::KNOWN_LANGUAGES
            .iter()
            .map(|(code, _, dutch, native)| Item {
                value: code.to_string(),
                label: if t.lang == "nl" {
                    dutch.to_string()
                } else {
                    native.to_string()
                },
            })
            .collect();
        let errors = errors
            .0
            .iter()
            .map(|(field, key)| (field.to_string(), t.get(key).to_string()))
            .collect();
        FormView {
            values,
            errors,
            areas,
            subgoals,
            providers,
            activities,
            indicators,
            statements,
            languages,
            files_again: false,
            offers_suggestions: false,
            suggestions_asked: false,
            valence_suggestion: None,
            subgoal_suggestions: Vec::new(),
            tag_suggestions: Vec::new(),
        }
    }

    /// Offers suggestions with a button, and shows those found; `asked` when the button was used.
    pub fn suggesting(
        mut self,
        asked: bool,
        valence: Option<ValenceSuggestionView>,
        subgoals: Vec<SubgoalSuggestionView>,
        tags: Vec<TagSuggestionView>,
    ) -> FormView {
        self.offers_suggestions = true;
        self.suggestions_asked = asked;
        self.valence_suggestion = valence;
        self.subgoal_suggestions = subgoals;
        self.tag_suggestions = tags;
        self
    }

    /// Says that the files sent with this form must be chosen again.
    pub fn files_again(mut self, sent: bool) -> FormView {
        self.files_again = sent;
        self
    }

    /// The photo slots of the form: number, file field, description field.
    pub fn photo_slots(&self) -> Vec<(usize, &'static str, &'static str)> {
        (1..=crate::media::MAX_PHOTOS)
            .map(|n| {
                (
                    n,
                    crate::web::upload::photo_field(n),
                    crate::web::upload::photo_alt_field(n),
                )
            })
            .collect()
    }

    pub fn value(&self, name: &str) -> &str {
        self.values
            .get(name)
            .and_then(|values| values.first())
            .map_or("", String::as_str)
    }

    pub fn is(&self, name: &str, value: &str) -> bool {
        self.values
            .get(name)
            .is_some_and(|values| values.iter().any(|v| v == value))
    }

    /// Whether a teller role is chosen; the public form starts with "resident".
    pub fn role_checked(&self, code: &str) -> bool {
        self.is("rol", code) || (self.value("rol").is_empty() && code == "resident")
    }

    pub fn error(&self, name: &str) -> Option<&str> {
        self.errors
            .iter()
            .find(|(field, _)| field == name)
            .map(|(_, text)| text.as_str())
    }

    /// `aria-invalid` and `aria-describedby` for a field with a problem.
    pub fn invalid(&self, name: &str) -> &'static str {
        if self.error(name).is_some() {
            "true"
        } else {
            "false"
        }
    }
}

/// The form values of an existing story, to fill the full form for editing.
pub fn values_of(story: &Story) -> BTreeMap<String, Vec<String>> {
    let mut values: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut set =
        |name: &str, value: String| values.entry(name.to_string()).or_default().push(value);
    set("titel", story.title.clone());
    set("datum", story.date.to_string());
    set("verhaal", story.text.as_str().to_string());
    set("rol", story.teller.code().to_string());
    set("gevoel", story.valence.code().to_string());
    set("toestemming", story.consent.code().to_string());
    if let Some(provider) = &story.provider {
        set("aanbieder", provider.to_string());
    }
    if let Some(activity) = &story.activity {
        set("activiteit", activity.to_string());
    }
    if let Some(area) = &story.area {
        set("gebied", area.to_string());
    }
    for subgoal in &story.subgoals {
        set("subdoel", subgoal.to_string());
    }
    if let Some(indicator) = &story.indicator {
        set("indicator", indicator.to_string());
    }
    if let Some(translation) = &story.translation {
        set("vertaling", translation.clone());
    }
    set("tags", story.tags.join(", "));
    if let Some(language) = &story.language {
        set("taal", language.to_string());
    }
    if let Some(name) = &story.teller_name {
        set("naam", name.clone());
    }
    for (statement, score) in &story.scores {
        set(&format!("score-{statement}"), score.to_string());
    }
    values
}

fn text_field(form: &FormData, errors: &mut FormErrors) -> Option<Markdown> {
    let text = form.get("verhaal").unwrap_or("");
    let length = text.chars().count();
    if length == 0 && form.is_spoken() {
        // Told by voice alone: staff write the transcript in moderation before it is published.
        Some(Markdown::new(""))
    } else if length < MIN_TEXT_CHARS {
        errors.add("verhaal", "form.error_text_short");
        None
    } else if length > MAX_TEXT_CHARS {
        errors.add("verhaal", "form.error_text_long");
        None
    } else {
        Some(Markdown::new(text))
    }
}

fn coded_field<T: Coded>(
    form: &FormData,
    name: &'static str,
    key: &'static str,
    errors: &mut FormErrors,
) -> Option<T> {
    let value = form.get(name).and_then(T::parse_code);
    if value.is_none() {
        errors.add(name, key);
    }
    value
}

fn area_field(form: &FormData, settings: &Settings, errors: &mut FormErrors) -> Option<AreaId> {
    let text = form.get("gebied")?;
    let area = AreaId::parse(text)
        .ok()
        .filter(|id| settings.municipality.area(id).is_some());
    if area.is_none() {
        errors.add("gebied", "form.error_choice");
    }
    area
}

fn subgoals_field(form: &FormData, settings: &Settings, errors: &mut FormErrors) -> Vec<SubgoalId> {
    let mut subgoals = Vec::new();
    for value in form.all("subdoel") {
        match SubgoalId::parse(&value)
            .ok()
            .filter(|id| settings.goals.subgoal(id).is_some())
        {
            Some(id) if !subgoals.contains(&id) => subgoals.push(id),
            Some(_) => {}
            None => errors.add("subdoel", "form.error_choice"),
        }
    }
    subgoals
}

/// The indicator the story speaks to (optional); its subgoal joins the story's subgoals when missing.
fn indicator_field(
    form: &FormData,
    settings: &Settings,
    subgoals: &mut Vec<SubgoalId>,
    errors: &mut FormErrors,
) -> Option<IndicatorId> {
    let text = form.get("indicator").filter(|text| !text.is_empty())?;
    let found = IndicatorId::parse(text)
        .ok()
        .and_then(|id| settings.goals.indicator(&id));
    let Some(indicator) = found else {
        errors.add("indicator", "form.error_choice");
        return None;
    };
    if !subgoals.contains(&indicator.subgoal) {
        subgoals.push(indicator.subgoal.clone());
    }
    Some(indicator.id.clone())
}

/// A staff member's translation of the story into the municipality's language (optional).
fn translation_field(form: &FormData) -> Option<String> {
    form.get("vertaling")
        .map(|text| text.trim().chars().take(MAX_TEXT_CHARS).collect::<String>())
        .filter(|text| !text.is_empty())
}

/// A title from the first words of the text, for residents who leave the title empty.
fn title_from(text: &Markdown) -> String {
    let plain = crate::story::render::plain_text(text);
    let words: Vec<&str> = plain.split_whitespace().take(8).collect();
    let mut title = words.join(" ");
    if plain.split_whitespace().count() > 8 {
        title.push_str(" …");
    }
    title
}

fn name_field(form: &FormData) -> Option<String> {
    form.get("naam")
        .map(|name| name.chars().take(120).collect())
}

/// Reads the public form. The story enters moderation; it is dated today.
pub fn read_public_story(
    form: &FormData,
    settings: &Settings,
    today: Date,
) -> Result<Story, FormErrors> {
    let mut errors = FormErrors::default();
    if form.get("extra_veld_leeg").is_some() {
        errors.add("verhaal", "form.error_spam");
    }
    let text = text_field(form, &mut errors);
    let valence = coded_field::<Valence>(form, "gevoel", "form.error_valence", &mut errors);
    let consent = coded_field::<Consent>(form, "toestemming", "form.error_consent", &mut errors);
    let teller = form
        .get("rol")
        .and_then(TellerRole::parse_code)
        .filter(|role| *role != TellerRole::Municipality)
        .unwrap_or(TellerRole::Resident);
    let area = area_field(form, settings, &mut errors);
    let mut subgoals = subgoals_field(form, settings, &mut errors);
    let indicator = indicator_field(form, settings, &mut subgoals, &mut errors);
    let (Some(text), Some(valence), Some(consent), true) =
        (text, valence, consent, errors.is_empty())
    else {
        return Err(errors);
    };
    let title = form
        .get("titel")
        .map(|t| t.chars().take(200).collect())
        .unwrap_or_else(|| title_from(&text));
    let title = if title.is_empty() {
        SPOKEN_TITLE.to_string()
    } else {
        title
    };
    Ok(Story {
        id: StoryId::new_random(),
        title,
        date: today,
        teller,
        valence,
        consent,
        consent_date: Some(today),
        provider: None,
        area,
        activity: None,
        indicator,
        translation: None,
        subgoals,
        tags: Vec::new(),
        language: None,
        teller_name: name_field(form),
        session: None,
        round: None,
        channel: None,
        received: Some(today),
        scores: BTreeMap::new(),
        answers: crate::questions::Answers::new(),
        moderation: Moderation::Submitted,
        text,
    })
}

/// Reads the staff screen that types in a paper form: the public form's questions, the date written on
/// the form (today when empty, never in the future) and the language when staff choose one. The story
/// is recorded as told on paper; its consent was given on the form's date.
pub fn read_paper_story(
    form: &FormData,
    settings: &Settings,
    today: Date,
) -> Result<Story, FormErrors> {
    let date = match form.get("datum") {
        None => Ok(today),
        Some(text) => text
            .parse::<Date>()
            .ok()
            .filter(|date| *date <= today)
            .ok_or(()),
    };
    match (read_public_story(form, settings, today), date) {
        (Ok(mut story), Ok(date)) => {
            story.date = date;
            story.consent_date = Some(date);
            story.language = form.get("taal").and_then(|code| Language::parse(code).ok());
            story.channel = Some(Channel::Paper);
            Ok(story)
        }
        (Ok(_), Err(())) => {
            let mut errors = FormErrors::default();
            errors.add("datum", "form.error_date");
            Err(errors)
        }
        (Err(mut errors), Err(())) => {
            errors.add("datum", "form.error_date");
            Err(errors)
        }
        (Err(errors), Ok(_)) => Err(errors),
    }
}

/// The tags of the form's tags field (words separated by commas) as a story holds them: each
/// normalised, empty ones and repeats left out.
pub fn tags_field(field: &str) -> Vec<String> {
    let mut tags: Vec<String> = Vec::new();
    for tag in field.split(',').map(normalise_tag) {
        if !tag.is_empty() && !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    tags
}

/// One tag chosen with a suggestion's button, as a story holds it; `None` for an empty value or
/// one that would be read as several tags.
pub fn chosen_tag(value: &str) -> Option<String> {
    Some(normalise_tag(value)).filter(|tag| !tag.is_empty() && !tag.contains(','))
}

/// Reads the full form of provider staff and moderators. A new story gets a fresh id and enters
/// moderation; an edited one keeps its id and moderation state (the moderator's decision is separate).
pub fn read_full_story(
    form: &FormData,
    settings: &Settings,
    existing: Option<&Story>,
    today: Date,
) -> Result<Story, FormErrors> {
    let mut errors = FormErrors::default();
    let municipality = &settings.municipality;
    let title = form
        .get("titel")
        .map(|t| t.chars().take(200).collect::<String>());
    if title.is_none() {
        errors.add("titel", "form.error_title");
    }
    let date = match form.get("datum") {
        None => Some(today),
        Some(text) => {
            let date = text.parse::<Date>().ok().filter(|date| *date <= today);
            if date.is_none() {
                errors.add("datum", "form.error_date");
            }
            date
        }
    };
    let text = text_field(form, &mut errors);
    let teller = coded_field::<TellerRole>(form, "rol", "form.error_teller", &mut errors);
    let valence = coded_field::<Valence>(form, "gevoel", "form.error_valence", &mut errors);
    let consent = coded_field::<Consent>(form, "toestemming", "form.error_consent", &mut errors);
    let provider = form.get("aanbieder").and_then(|text| {
        let id = ProviderId::parse(text)
            .ok()
            .filter(|id| municipality.provider(id).is_some());
        if id.is_none() {
            errors.add("aanbieder", "form.error_choice");
        }
        id
    });
    let activity = form.get("activiteit").and_then(|text| {
        let id = ActivityId::parse(text)
            .ok()
            .filter(|id| municipality.activity(id).is_some());
        if id.is_none() {
            errors.add("activiteit", "form.error_choice");
        }
        id
    });
    let area = area_field(form, settings, &mut errors);
    let mut subgoals = subgoals_field(form, settings, &mut errors);
    let indicator = indicator_field(form, settings, &mut subgoals, &mut errors);
    let tags = tags_field(&form.text("tags"));
    let language = form.get("taal").and_then(|code| Language::parse(code).ok());
    let mut scores = BTreeMap::new();
    for statement in &settings.goals.statements {
        let field = format!("score-{}", statement.id);
        if let Some(value) = form.get(&field) {
            match value
                .parse::<u8>()
                .ok()
                .filter(|score| statement.scale.range().contains(score))
            {
                Some(score) => {
                    scores.insert(statement.id.clone(), score);
                }
                None => errors.add("scores", "form.error_choice"),
            }
        }
    }
    let (Some(title), Some(date), Some(text), Some(teller), Some(valence), Some(consent), true) = (
        title,
        date,
        text,
        teller,
        valence,
        consent,
        errors.is_empty(),
    ) else {
        return Err(errors);
    };
    Ok(Story {
        id: existing.map_or_else(StoryId::new_random, |story| story.id),
        title,
        date,
        teller,
        valence,
        consent,
        // A consent the form leaves as it was keeps its date; a new or changed one is given today.
        consent_date: match existing {
            Some(story) if story.consent == consent => story.consent_date,
            _ => Some(today),
        },
        provider,
        area,
        activity,
        indicator,
        translation: translation_field(form),
        subgoals,
        tags,
        language,
        teller_name: name_field(form),
        session: existing.and_then(|story| story.session.clone()),
        round: existing.and_then(|story| story.round.clone()),
        channel: existing.and_then(|story| story.channel),
        received: existing.map_or(Some(today), |story| story.received),
        scores,
        answers: existing.map_or_else(Default::default, |story| story.answers.clone()),
        moderation: existing.map_or(Moderation::Submitted, |story| story.moderation.clone()),
        text,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::StatementId;
    use crate::testing;

    use crate::testing::{form, settings};

    #[test]
    fn the_public_form_needs_text_valence_and_consent() {
        let today = jiff::civil::date(2026, 11, 23);
        let errors =
            read_public_story(&form(&[("verhaal", "kort")]), &settings(), today).unwrap_err();
        let fields: Vec<&str> = errors.0.iter().map(|(field, _)| *field).collect();
        assert_eq!(fields, vec!["verhaal", "gevoel", "toestemming"]);

        let story = read_public_story(
            &form(&[
                (
                    "verhaal",
                    "Ik ga elke week naar de koffie-inloop en ken nu mijn buren.",
                ),
                ("gevoel", "positive"),
                ("toestemming", "public"),
                ("subdoel", "sterker-netwerk"),
                ("gebied", "de-hoven"),
                ("naam", ""),
            ]),
            &settings(),
            today,
        )
        .unwrap();
        assert_eq!(story.title, "Ik ga elke week naar de koffie-inloop en …");
        assert_eq!(story.moderation, Moderation::Submitted);
        assert_eq!(story.teller, TellerRole::Resident);
        assert_eq!(story.teller_name, None);
        assert_eq!(story.date, today);
    }

    #[test]
    fn the_honeypot_refuses() {
        let errors = read_public_story(
            &form(&[
                ("verhaal", "Een verhaal dat lang genoeg is om te tellen."),
                ("gevoel", "mixed"),
                ("toestemming", "internal"),
                ("extra_veld_leeg", "http://spam"),
            ]),
            &settings(),
            jiff::civil::date(2026, 1, 1),
        )
        .unwrap_err();
        assert_eq!(errors.of("verhaal"), Some("form.error_spam"));
    }

    #[test]
    fn the_full_form_reads_every_field_and_round_trips() {
        let today = jiff::civil::date(2026, 11, 23);
        let mut story = testing::story(
            "Hulp bij de post",
            "Meneer krijgt veel brieven en ik help hem elke week.",
        );
        story.provider = Some(ProviderId::parse("buurtwerk").unwrap());
        story.activity = Some(ActivityId::parse("koffie-inloop").unwrap());
        story.area = Some(AreaId::parse("zuid").unwrap());
        story.subgoals = vec![SubgoalId::parse("grip-op-geld").unwrap()];
        story.tags = vec!["post".to_string(), "brieven".to_string()];
        story
            .scores
            .insert(StatementId::parse("ken-meer-mensen").unwrap(), 4);
        story.teller_name = Some("Ans".to_string());
        let pairs: Vec<(String, String)> = values_of(&story)
            .into_iter()
            .flat_map(|(k, vs)| vs.into_iter().map(move |v| (k.clone(), v)))
            .collect();
        let read =
            read_full_story(&FormData::new(pairs), &settings(), Some(&story), today).unwrap();
        assert_eq!(read, story);

        let errors = read_full_story(
            &form(&[("datum", "2030-01-01"), ("aanbieder", "onbekend")]),
            &settings(),
            None,
            today,
        )
        .unwrap_err();
        assert!(
            errors.of("datum").is_some()
                && errors.of("aanbieder").is_some()
                && errors.of("titel").is_some()
        );
    }
}
