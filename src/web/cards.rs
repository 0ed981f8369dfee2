//! Story cards: a found story as a list item on the search, evidence and moderation pages.

use super::i18n::Texts;
use crate::index::Hit;
use crate::municipality::Municipality;
use crate::story::render::SafeHtml;
use crate::story::{Coded, Story};

pub struct StoryCard {
    pub id: String,
    pub title: String,
    pub date: String,
    pub area: Option<String>,
    pub teller: String,
    pub valence_code: &'static str,
    pub valence: String,
    pub snippet: SafeHtml,
    /// The language of the story when it is not the page's, so screen readers pronounce it right.
    pub lang: Option<String>,
}

pub fn story_card(
    t: &Texts,
    municipality: &Municipality,
    story: &Story,
    snippet: SafeHtml,
    language: &str,
) -> StoryCard {
    StoryCard {
        id: story.id.to_string(),
        title: story.title.clone(),
        date: t.date(&story.date),
        area: story
            .area
            .as_ref()
            .map(|area| municipality.area_name(area).to_string()),
        teller: t.code("teller", story.teller.code()),
        valence_code: story.valence.code(),
        valence: t.code("valence", story.valence.code()),
        snippet,
        lang: (language != t.lang).then(|| language.to_string()),
    }
}

/// A card for a story read from the store rather than found by a search: the start of its text as the
/// excerpt.
pub fn plain_card(t: &Texts, municipality: &Municipality, story: &Story) -> StoryCard {
    const EXCERPT_CHARS: usize = 220;
    let plain = crate::story::render::plain_text(&story.text);
    let mut excerpt: String = plain.chars().take(EXCERPT_CHARS).collect();
    if plain.chars().count() > EXCERPT_CHARS {
        excerpt.push_str(" …");
    }
    let language = story.language.as_ref().map_or(t.lang, |l| l.code());
    story_card(t, municipality, story, SafeHtml::escape(&excerpt), language)
}

pub fn hit_card(t: &Texts, municipality: &Municipality, hit: &Hit) -> StoryCard {
    story_card(
        t,
        municipality,
        &hit.story,
        hit.snippet.clone(),
        hit.language.code(),
    )
}
