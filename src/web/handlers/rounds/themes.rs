//! A round's themes on the web: the themes as the analysis page lists them, the page of one theme's
//! stories (`/rondes/{id}/thema/{n}`, `…/thema/overig` for the stories that fit no theme), and the
//! form that renames, merges or drops a theme (`/rondes/{id}/themas`). The first edit makes the round
//! keep its themes as they are shown, so later edits and later stories never reshuffle them.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::response::Response;

use super::{RoundView, change_round, round_id, round_view};
use crate::bank::rounds::RoundAnalysis;
use crate::index::Scope;
use crate::rounds::themes::{KeptTheme, StoryTheme};
use crate::story::Story;
use crate::web::auth::Analyst;
use crate::web::cards::{StoryCard, StoryLink, plain_card, story_link};
use crate::web::forms::FormData;
use crate::web::i18n::Texts;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::{AppError, AppState};

/// Longest theme name kept; a name is a few words.
const MAX_NAME_CHARS: usize = 120;

/// One theme as the analysis page lists it.
pub struct ThemeView {
    pub number: u32,
    /// The analyst's name, or the theme's words.
    pub name: String,
    /// The theme's most telling words, shown beside an analyst's name.
    pub words: String,
    pub renamed: bool,
    pub count: usize,
    /// The page with exactly the theme's stories.
    pub href: String,
    /// The story that fits the theme best.
    pub representative: Option<StoryLink>,
    /// Stories placed in the theme by their words after the round kept its themes.
    pub placed_later: usize,
}

fn theme_name(t: &Texts, theme: &StoryTheme) -> String {
    match (&theme.name, theme.words.is_empty()) {
        (Some(name), _) => name.clone(),
        (None, false) => theme.words.join(", "),
        (None, true) => t.with("rounds.theme_numbered", &theme.number.to_string()),
    }
}

/// The round's themes for its analysis page.
pub fn theme_views(t: &Texts, analysis: &RoundAnalysis) -> Vec<ThemeView> {
    let id = &analysis.round.id;
    analysis
        .themes
        .themes
        .iter()
        .map(|theme| ThemeView {
            number: theme.number,
            name: theme_name(t, theme),
            words: theme.words.join(", "),
            renamed: theme.name.is_some(),
            count: theme.stories.len(),
            href: format!("{}/thema/{}", paths::round(id), theme.number),
            representative: theme.representative.and_then(|story| {
                let story = analysis.stories.iter().find(|s| s.id == story)?;
                Some(story_link(t, story))
            }),
            placed_later: theme.placed_later,
        })
        .collect()
}

#[derive(Template, WebTemplate)]
#[template(path = "round_theme.html")]
pub struct ThemePage {
    pub page: Page,
    pub round: RoundView,
    pub name: String,
    /// The theme's words when an analyst named it.
    pub words: Option<String>,
    pub stories: Vec<StoryCard>,
    pub other: bool,
}

/// The stories of one theme, closest to its centre first; `overig` lists those that fit no theme.
pub async fn theme(
    Analyst(_): Analyst,
    ctx: PageCtx,
    Path((id, number)): Path<(String, String)>,
) -> Result<ThemePage, AppError> {
    let t = ctx.t;
    let id = round_id(&id)?;
    let other = number == "overig";
    let number: Option<u32> = if other {
        None
    } else {
        Some(number.parse().map_err(|_| AppError::NotFound)?)
    };
    let (settings, analysis) = ctx
        .state
        .run(move |bank| {
            Ok((
                bank.settings()?,
                bank.round_analysis(&id, &Scope::Municipality)?,
            ))
        })
        .await?;
    let analysis = analysis.ok_or(AppError::NotFound)?;
    let (name, words, members) = match number {
        None => (
            t.get("rounds.theme_other").to_string(),
            None,
            &analysis.themes.other,
        ),
        Some(number) => {
            let theme = analysis.themes.theme(number).ok_or(AppError::NotFound)?;
            (
                theme_name(t, theme),
                theme
                    .name
                    .as_ref()
                    .filter(|_| !theme.words.is_empty())
                    .map(|_| theme.words.join(", ")),
                &theme.stories,
            )
        }
    };
    let stories: Vec<&Story> = members
        .iter()
        .filter_map(|id| analysis.stories.iter().find(|s| s.id == *id))
        .collect();
    let mut page = ctx.page(&settings, "rounds.title", Nav::Rounds);
    page.title = format!("{name} · {}", analysis.round.title);
    Ok(ThemePage {
        page,
        round: round_view(t, &settings, &analysis.round),
        name,
        words,
        stories: stories
            .into_iter()
            .map(|s| plain_card(t, &settings.municipality, s))
            .collect(),
        other,
    })
}

/// What an analyst does to a theme.
enum Edit {
    /// An empty name gives the theme back its words as its name.
    Rename(u32, Option<String>),
    Merge {
        from: u32,
        into: u32,
    },
    Drop(u32),
    /// Throws the kept themes away, so they are computed afresh.
    Recompute,
}

impl Edit {
    fn read(form: &FormData) -> Option<Edit> {
        let number = |name: &str| form.get(name).and_then(|n| n.parse::<u32>().ok());
        match form.get("actie")? {
            "hernoemen" => {
                let name: String = form.get("naam")?.chars().take(MAX_NAME_CHARS).collect();
                Some(Edit::Rename(
                    number("thema")?,
                    (!name.is_empty()).then_some(name),
                ))
            }
            "samenvoegen" => Some(Edit::Merge {
                from: number("thema")?,
                into: number("met")?,
            }),
            "weglaten" => Some(Edit::Drop(number("thema")?)),
            "opnieuw" => (form.get("zeker") == Some("ja")).then_some(Edit::Recompute),
            _ => None,
        }
    }

    fn apply(self, themes: &mut Vec<KeptTheme>) {
        match self {
            Edit::Rename(number, name) => {
                if let Some(theme) = themes.iter_mut().find(|t| t.number == number) {
                    theme.name = name;
                }
            }
            Edit::Merge { from, into } => {
                let shown = |n: u32| themes.iter().any(|t| t.number == n && !t.dropped);
                if from == into || !shown(from) || !shown(into) {
                    return;
                }
                let Some(at) = themes.iter().position(|t| t.number == from) else {
                    return;
                };
                let merged = themes.remove(at);
                if let Some(target) = themes.iter_mut().find(|t| t.number == into) {
                    for story in merged.stories {
                        if !target.stories.contains(&story) {
                            target.stories.push(story);
                        }
                    }
                }
            }
            Edit::Drop(number) => {
                if let Some(theme) = themes.iter_mut().find(|t| t.number == number) {
                    theme.dropped = true;
                }
            }
            Edit::Recompute => themes.clear(),
        }
    }
}

/// Renames, merges or drops a theme, or (confirmed with a checkbox) computes the themes afresh. The
/// first edit keeps the themes as the page showed them, with the edit applied.
pub async fn theme_change(
    Analyst(_): Analyst,
    State(state): State<AppState>,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let id = round_id(&id)?;
    let form = FormData::new(pairs);
    let edit = Edit::read(&form);
    let lookup = id.clone();
    let shown: Vec<KeptTheme> = state
        .run(move |bank| {
            let analysis = bank.round_analysis(&lookup, &Scope::Municipality)?;
            Ok(analysis.map(|a| a.themes.to_kept()))
        })
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(edit) = edit else {
        // A recompute without its confirmation, or an unknown action: nothing changes.
        return change_round(&state, id, &form, |_| {}, "themas").await;
    };
    change_round(
        &state,
        id,
        &form,
        move |round| {
            if round.themes.is_empty() {
                round.themes = shown;
            }
            edit.apply(&mut round.themes);
        },
        "themas",
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::story::StoryId;

    fn kept(number: u32, stories: &[u8]) -> KeptTheme {
        KeptTheme {
            number,
            name: None,
            stories: stories
                .iter()
                .map(|n| {
                    StoryId::parse(&format!("00000000-0000-4000-8000-0000000000{n:02}")).unwrap()
                })
                .collect(),
            dropped: false,
        }
    }

    #[test]
    fn a_merge_leaves_one_theme_with_both_sets_and_a_drop_only_marks() {
        let mut themes = vec![kept(1, &[1, 2]), kept(2, &[3]), kept(3, &[4])];
        Edit::Merge { from: 2, into: 1 }.apply(&mut themes);
        assert_eq!(themes.len(), 2);
        assert_eq!(themes[0].stories, kept(1, &[1, 2, 3]).stories);
        Edit::Drop(3).apply(&mut themes);
        assert!(themes[1].dropped);
        // A dropped theme takes no part in a merge.
        Edit::Merge { from: 1, into: 3 }.apply(&mut themes);
        assert_eq!(themes.len(), 2);
        Edit::Rename(1, Some("<b>Ontmoeten</b>".to_string())).apply(&mut themes);
        assert_eq!(themes[0].name.as_deref(), Some("<b>Ontmoeten</b>"));
    }
}
