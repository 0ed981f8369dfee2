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

/// A link to a story by its title, marked with the story's language when that is not the page's, so
/// a screen reader reads the title in its own language.
pub struct StoryLink {
    pub title: String,
    pub href: String,
    pub lang: Option<String>,
}

pub fn story_link(t: &Texts, story: &Story) -> StoryLink {
    let language = story.language.as_ref().map_or(t.lang, |l| l.code());
    StoryLink {
        title: story.title.clone(),
        href: crate::web::paths::story(story.id),
        lang: (language != t.lang).then(|| language.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::language::Language;

    #[test]
    fn a_story_link_names_the_story_language_only_when_it_is_not_the_page_language() {
        let t = crate::present::i18n::dutch();
        let mut story = crate::testing::story("Coffee on Tuesday", "We met every week.");
        story.language = Some(Language::parse("en").unwrap());
        let link = story_link(t, &story);
        assert_eq!(link.lang.as_deref(), Some("en"));
        assert_eq!(link.href, format!("/verhaal/{}", story.id));
        assert_eq!(link.title, "Coffee on Tuesday");
        story.language = Some(Language::parse("nl").unwrap());
        assert_eq!(story_link(t, &story).lang, None);
        story.language = None;
        assert_eq!(story_link(t, &story).lang, None, "unknown: the page's own");
    }
}
