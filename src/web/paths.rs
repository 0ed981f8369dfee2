//! The paths of the site, in one place: each route template the router matches (`STORY`,
//! `/verhaal/{id}`) beside the function that builds a link to it (`story(id)`), and the function
//! fills in the template itself, so a path is written once and changed once. Handlers link and
//! redirect only through these; the query string or anchor a page adds goes after the path.

use std::fmt::Display;

pub const LOGIN: &str = "/inloggen";
pub const LANGUAGE: &str = "/taal";
pub const SEARCH: &str = "/zoeken";
pub const SYNONYMS: &str = "/zoeken/synoniemen";
pub const QUESTIONS: &str = "/vragen";
pub const MODERATION: &str = "/moderatie";
pub const STORY: &str = "/verhaal/{id}";
pub const STORY_PHOTO: &str = "/verhaal/{id}/foto/{n}";
pub const STORY_RECORDING: &str = "/moderatie/{id}/opname";
pub const MODERATE: &str = "/moderatie/{id}";
pub const INDICATOR: &str = "/indicator/{id}";
pub const SESSION: &str = "/sessies/{id}";
pub const SESSION_LINK: &str = "/s/{code}";
pub const ROUND: &str = "/rondes/{id}";
pub const ROUND_GATHER: &str = "/rondes/{id}/verzamelen";
pub const ROUND_LINK: &str = "/r/{code}";
pub const TREE_NEW: &str = "/doelenboom/nieuw/{kind}";
pub const TREE_ITEM: &str = "/doelenboom/{kind}/{id}";
pub const ACCOUNT: &str = "/beheer/accounts/{name}";
/// Where the JSON API is nested; its own routes are relative to it.
pub const API: &str = "/api/v1";
pub const API_STORY: &str = "/stories/{id}";

/// A story's page.
pub fn story(id: impl Display) -> String {
    fill(STORY, &[&id])
}

/// The `n`th photo of a story, counted from 1.
pub fn story_photo(id: impl Display, n: usize) -> String {
    fill(STORY_PHOTO, &[&id, &n])
}

/// A story's recording, for staff.
pub fn story_recording(id: impl Display) -> String {
    fill(STORY_RECORDING, &[&id])
}

/// A story in moderation.
pub fn moderate(id: impl Display) -> String {
    fill(MODERATE, &[&id])
}

/// An indicator's evidence page.
pub fn indicator(id: impl Display) -> String {
    fill(INDICATOR, &[&id])
}

/// A storytelling session's page for its facilitator.
pub fn session(id: impl Display) -> String {
    fill(SESSION, &[&id])
}

/// A session's phone link, for its participants.
pub fn session_link(code: impl Display) -> String {
    fill(SESSION_LINK, &[&code])
}

/// An evaluation round's page for analysts.
pub fn round(id: impl Display) -> String {
    fill(ROUND, &[&id])
}

/// Where stories are gathered into a round.
pub fn round_gather(id: impl Display) -> String {
    fill(ROUND_GATHER, &[&id])
}

/// A round's phone link, for residents.
pub fn round_link(code: impl Display) -> String {
    fill(ROUND_LINK, &[&code])
}

/// The form for a new item of the goal tree of a kind (`doel`, `subdoel`, `indicator`).
pub fn tree_new(kind: impl Display) -> String {
    fill(TREE_NEW, &[&kind])
}

/// An item of the goal tree.
pub fn tree_item(kind: impl Display, id: impl Display) -> String {
    fill(TREE_ITEM, &[&kind, &id])
}

/// An account on the administration pages.
pub fn account(name: impl Display) -> String {
    fill(ACCOUNT, &[&name])
}

/// A story in the JSON API.
pub fn api_story(id: impl Display) -> String {
    format!("{API}{}", fill(API_STORY, &[&id]))
}

/// The template with each `{name}` replaced by the next value, in order. Every builder above passes
/// exactly as many values as its template has names (the tests check each one).
fn fill(template: &str, values: &[&dyn Display]) -> String {
    let mut pieces = template.split('{');
    let mut path = pieces.next().unwrap_or_default().to_string();
    let mut values = values.iter();
    for piece in pieces {
        let rest = piece.split_once('}').map_or(piece, |(_, rest)| rest);
        if let Some(value) = values.next() {
            path.push_str(&value.to_string());
        }
        path.push_str(rest);
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links_fill_their_route_templates() {
        for (built, expected) in [
            (story("0000abcd"), "/verhaal/0000abcd"),
            (story_photo("0000abcd", 2), "/verhaal/0000abcd/foto/2"),
            (story_recording("0000abcd"), "/moderatie/0000abcd/opname"),
            (moderate("0000abcd"), "/moderatie/0000abcd"),
            (indicator("bezoekers"), "/indicator/bezoekers"),
            (session("noord"), "/sessies/noord"),
            (session_link("nrd26m"), "/s/nrd26m"),
            (round("ronde"), "/rondes/ronde"),
            (round_gather("ronde"), "/rondes/ronde/verzamelen"),
            (round_link("mnd25r"), "/r/mnd25r"),
            (tree_new("doel"), "/doelenboom/nieuw/doel"),
            (
                tree_item("subdoel", "netwerk"),
                "/doelenboom/subdoel/netwerk",
            ),
            (account("welzijn"), "/beheer/accounts/welzijn"),
            (api_story("0000abcd"), "/api/v1/stories/0000abcd"),
        ] {
            assert_eq!(built, expected);
        }
    }

    #[test]
    fn every_template_with_a_link_is_a_route() {
        let routes: Vec<String> = crate::web::routes()
            .into_iter()
            .map(|route| route.path)
            .collect();
        for template in [
            LOGIN,
            LANGUAGE,
            SEARCH,
            SYNONYMS,
            QUESTIONS,
            MODERATION,
            STORY,
            STORY_PHOTO,
            STORY_RECORDING,
            MODERATE,
            INDICATOR,
            SESSION,
            SESSION_LINK,
            ROUND,
            ROUND_GATHER,
            ROUND_LINK,
            TREE_NEW,
            TREE_ITEM,
            ACCOUNT,
            &format!("{API}{API_STORY}"),
        ] {
            assert!(routes.iter().any(|route| route == template), "{template}");
        }
    }
}
