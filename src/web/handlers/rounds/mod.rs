//! Narrative evaluation rounds: the list, starting a round (voorwaarderen), gathering stories into it
//! from the bank (waarderen), its analysis page with the themes and the synthesis (na-waarderen), and
//! the short link `/r/CODE` that takes stories while the round collects and gives the participants the
//! feedback after.
//!
//! Split by purpose: `staff` the list, starting, gathering and the QR code; `view` the analysis page
//! and its forms; `themes` a round's themes (a theme's stories, renaming, merging, dropping);
//! `public` the participants' pages. This file holds what several of them use.

mod public;
mod staff;
mod themes;
mod view;

pub use public::{public, submit};
pub use staff::{gather, gather_form, list, qr, start};
pub use themes::{theme, theme_change};
pub use view::{page, phase, significant, texts};

use axum::response::{IntoResponse, Redirect, Response};

use crate::bank::Settings;
use crate::ids::{RoundId, SubgoalId};
use crate::rounds::Round;
use crate::story::Coded;
use crate::web::cards::{StoryCard, plain_card};
use crate::web::forms::FormData;
use crate::web::i18n::Texts;
use crate::web::paths;
use crate::web::{AppError, AppState};

/// A round as lists and pages show it.
pub struct RoundView {
    pub id: String,
    pub title: String,
    pub question: String,
    pub period: String,
    pub phase: String,
    pub phase_code: &'static str,
    pub areas: String,
    pub providers: String,
    pub subgoals: Vec<(String, String)>,
}

pub(super) fn round_view(t: &Texts, settings: &Settings, round: &Round) -> RoundView {
    let municipality = &settings.municipality;
    let join = |names: Vec<String>, none: &str| {
        if names.is_empty() {
            t.get(none).to_string()
        } else {
            names.join(", ")
        }
    };
    RoundView {
        id: round.id.to_string(),
        title: round.title.clone(),
        question: round.question.clone(),
        period: format!("{} – {}", t.date(&round.from), t.date(&round.to)),
        phase: t.code("rounds.phase", round.phase.code()),
        phase_code: round.phase.code(),
        areas: join(
            round
                .areas
                .iter()
                .map(|a| municipality.area_name(a).to_string())
                .collect(),
            "rounds.all_areas",
        ),
        providers: join(
            round
                .providers
                .iter()
                .map(|p| municipality.provider_name(p).to_string())
                .collect(),
            "rounds.all_providers",
        ),
        subgoals: round
            .subgoals
            .iter()
            .map(|s| (s.to_string(), subgoal_title(settings, s)))
            .collect(),
    }
}

pub(super) fn subgoal_title(settings: &Settings, id: &SubgoalId) -> String {
    settings
        .goals
        .subgoal(id)
        .map_or_else(|| id.to_string(), |s| s.title.clone())
}

pub(super) fn round_id(text: &str) -> Result<RoundId, AppError> {
    RoundId::parse(text).map_err(|_| AppError::NotFound)
}

pub struct SignificantView {
    pub card: StoryCard,
    pub reason: String,
    pub story_id: String,
}

/// The round's significant stories among `stories` (those the reader may see), with their reasons.
pub(super) fn significant_views(
    t: &Texts,
    municipality: &crate::municipality::Municipality,
    round: &Round,
    stories: &[crate::story::Story],
) -> Vec<SignificantView> {
    round
        .significant
        .iter()
        .filter_map(|s| {
            let story = stories.iter().find(|story| story.id == s.story)?;
            Some(SignificantView {
                card: plain_card(t, municipality, story),
                reason: s.reason.clone(),
                story_id: s.story.to_string(),
            })
        })
        .collect()
}

/// Changes a stored round, made from the version the form was filled in from, and goes back to its
/// page; a round changed by someone else meanwhile is left as they left it, and the page says so.
pub(super) async fn change_round(
    state: &AppState,
    id: RoundId,
    form: &FormData,
    change: impl FnOnce(&mut Round) + Send + 'static,
    anchor: &str,
) -> Result<Response, AppError> {
    let read_at = form.version()?;
    let back = format!("{}?opgeslagen=1#{anchor}", paths::round(&id));
    state
        .run(move |bank| bank.change_round(&id, read_at, change))
        .await??;
    Ok(Redirect::to(&back).into_response())
}
