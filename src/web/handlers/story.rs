//! The page of one story: its text rendered safely, who told it and where, what it is linked to, its
//! valence and what the teller allowed. Public visitors see only published stories with public consent.

use crate::web::auth::CurrentUser;
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::Path;

use crate::story::render::{SafeHtml, render_markdown};
use crate::story::{Coded, StoryId};
use crate::web::AppError;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::paths;
use crate::web::views::Row;

pub struct Link {
    pub href: String,
    pub label: String,
}

pub struct SubgoalLinks {
    pub title: String,
    pub indicators: Vec<Link>,
}

#[derive(Template, WebTemplate)]
#[template(path = "story.html")]
pub struct StoryPage {
    pub page: Page,
    pub title: String,
    pub lang: Option<String>,
    pub valence_code: &'static str,
    pub valence: String,
    pub facts: Vec<Row>,
    pub consent: String,
    pub body: SafeHtml,
    pub subgoals: Vec<SubgoalLinks>,
    pub tags: Vec<Link>,
    /// The story's photos, each with its description as alt text.
    pub photos: Vec<crate::web::media_view::PhotoView>,
}

pub async fn page(
    user: CurrentUser,
    ctx: PageCtx,
    Path(id): Path<String>,
) -> Result<StoryPage, AppError> {
    let t = ctx.t;
    let id = StoryId::parse(&id).map_err(|_| AppError::NotFound)?;
    let scope = user.scope();
    let (settings, story, language, photos) = ctx
        .state
        .run(move |bank| {
            let settings = bank.settings()?;
            let story = bank.visible_story(id, &scope)?;
            let language = story
                .as_ref()
                .map(|story| bank.language_of(story, &settings));
            let photos = bank.photos(id, &scope)?;
            Ok((settings, story, language, photos))
        })
        .await?;
    let photos = crate::web::media_view::photo_views(id, &photos);
    let (story, language) = story.zip(language).ok_or(AppError::NotFound)?;
    let municipality = &settings.municipality;
    let goals = &settings.goals;

    let mut facts = vec![
        Row {
            label: t.get("story.date").to_string(),
            value: t.date(&story.date),
        },
        Row {
            label: t.get("story.teller").to_string(),
            value: t.code("teller", story.teller.code()),
        },
    ];
    if let Some(area) = &story.area {
        facts.push(Row {
            label: t.get("story.area").to_string(),
            value: municipality.area_name(area).to_string(),
        });
    }
    if let Some(provider) = &story.provider {
        facts.push(Row {
            label: t.get("story.provider").to_string(),
            value: municipality.provider_name(provider).to_string(),
        });
    }
    if let Some(activity) = story
        .activity
        .as_ref()
        .and_then(|id| municipality.activity(id))
    {
        facts.push(Row {
            label: t.get("story.activity").to_string(),
            value: activity.name.clone(),
        });
    }
    facts.push(Row {
        label: t.get("story.language").to_string(),
        value: if t.lang == "nl" {
            language.dutch_name().to_string()
        } else {
            language.native_name().to_string()
        },
    });
    let subgoals = story
        .subgoals
        .iter()
        .filter_map(|id| goals.subgoal(id))
        .map(|subgoal| SubgoalLinks {
            title: subgoal.title.clone(),
            indicators: goals
                .indicators_of(&subgoal.id)
                .map(|indicator| Link {
                    href: paths::indicator(&indicator.id),
                    label: indicator.title.clone(),
                })
                .collect(),
        })
        .collect();
    let tags = story
        .tags
        .iter()
        .map(|tag| Link {
            href: format!(
                "/zoeken?{}",
                serde_urlencoded::to_string([("tag", tag.as_str())]).unwrap_or_default()
            ),
            label: tag.clone(),
        })
        .collect();
    Ok(StoryPage {
        page: ctx.titled(&municipality.name, story.title.clone(), Nav::Search),
        title: story.title.clone(),
        lang: (language.code() != t.lang).then(|| language.code().to_string()),
        valence_code: story.valence.code(),
        valence: t.code("valence", story.valence.code()),
        facts,
        consent: t.code("consent_explained", story.consent.code()),
        body: render_markdown(&story.text),
        photos,
        subgoals,
        tags,
    })
}
