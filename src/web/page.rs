//! What every page template gets: the texts in the visitor's language, the municipality's name, the
//! page title and description, which menu item is current, and the address of this page for the
//! language switch (six languages on the resident pages, Dutch and English elsewhere).

use axum::http::Uri;

use super::i18n::{self, Texts};

/// The main menu items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Goals,
    Search,
    Patterns,
    Tell,
    Lookup,
    Provider,
    Moderation,
    Sessions,
    Rounds,
    Actions,
    Tree,
    Synonyms,
    Questions,
    Report,
    Login,
    Admin,
    None,
}

pub struct Page {
    pub t: &'static Texts,
    pub municipality: String,
    pub title: String,
    /// The `<meta name="description">`: what the part of the site this page is in offers; a page with
    /// a subject of its own (an indicator) says that instead.
    pub description: String,
    pub nav: Nav,
    /// This page's path and query.
    pub path: String,
    pub demo: bool,
    /// Who is logged in, if anyone.
    pub visitor: Option<super::auth::Visitor>,
    /// A resident page, offered in all six languages ([`i18n::RESIDENT_LANGUAGES`]).
    pub resident: bool,
}

/// One link of the language switch.
pub struct LanguageLink {
    pub code: &'static str,
    /// The language's name in itself.
    pub name: &'static str,
    pub href: String,
    /// The language this page is in.
    pub current: bool,
}

/// What a page in Dutch or English says to a visitor who asked for another language, in that language.
pub struct LanguageNote {
    pub lang: &'static str,
    pub dir: &'static str,
    pub text: &'static str,
}

/// The text key of the description of the pages under a menu item.
fn description_key(nav: Nav) -> &'static str {
    match nav {
        Nav::Goals => "meta.goals",
        Nav::Search => "meta.search",
        Nav::Patterns => "meta.patterns",
        Nav::Tell => "meta.tell",
        Nav::Lookup => "meta.lookup",
        Nav::Provider => "meta.provider",
        Nav::Moderation => "meta.moderation",
        Nav::Sessions => "meta.sessions",
        Nav::Rounds => "meta.rounds",
        Nav::Actions => "meta.actions",
        Nav::Tree => "meta.tree",
        Nav::Synonyms => "meta.synonyms",
        Nav::Questions => "meta.questions",
        Nav::Report => "meta.report",
        Nav::Login => "meta.login",
        Nav::Admin => "meta.admin",
        Nav::None => "meta.default",
    }
}

impl Page {
    pub fn new(
        t: &'static Texts,
        municipality: &str,
        title: String,
        nav: Nav,
        uri: &Uri,
        demo: bool,
    ) -> Page {
        let path = uri
            .path_and_query()
            .map_or("/".to_string(), |pq| pq.as_str().to_string());
        Page {
            t,
            municipality: municipality.to_string(),
            title,
            description: t.with(description_key(nav), municipality),
            nav,
            path,
            demo,
            visitor: super::auth::visitor(),
            resident: false,
        }
    }

    /// The same page marked as a resident page: its switch offers all six languages.
    pub fn for_residents(mut self) -> Page {
        self.resident = true;
        self
    }

    /// This page's address without a `taal` parameter, to come back to after switching language.
    fn path_without_language(&self) -> String {
        let Some((path, query)) = self.path.split_once('?') else {
            return self.path.clone();
        };
        let pairs: Vec<(String, String)> = serde_urlencoded::from_str(query).unwrap_or_default();
        let kept: Vec<&(String, String)> = pairs
            .iter()
            .filter(|(key, _)| key != i18n::LANGUAGE_COOKIE)
            .collect();
        if kept.is_empty() {
            path.to_string()
        } else {
            format!(
                "{path}?{}",
                serde_urlencoded::to_string(kept).unwrap_or_default()
            )
        }
    }

    fn switch_to(&self, code: &str) -> String {
        let back: String = serde_urlencoded::to_string([
            ("naar", code),
            ("terug", self.path_without_language().as_str()),
        ])
        .unwrap_or_default();
        format!("/taal?{back}")
    }

    /// The language switch of a resident page: a link for each of the six languages.
    pub fn languages(&self) -> Vec<LanguageLink> {
        i18n::RESIDENT_LANGUAGES
            .iter()
            .map(|code| {
                let texts = i18n::texts_for(code);
                LanguageLink {
                    code: texts.lang,
                    name: texts.name,
                    href: self.switch_to(code),
                    current: texts.lang == self.t.lang,
                }
            })
            .collect()
    }

    /// On a page in Dutch or English only, asked for in another language: a short note in that language.
    pub fn language_note(&self) -> Option<LanguageNote> {
        let asked = i18n::asked();
        if self.resident || i18n::STAFF_LANGUAGES.contains(&asked) {
            return None;
        }
        let texts = i18n::texts_for(asked);
        Some(LanguageNote {
            lang: texts.lang,
            dir: texts.dir(),
            text: texts.get("language.staff_only"),
        })
    }

    /// Whether someone is logged in (any role).
    pub fn staff(&self) -> bool {
        self.visitor.is_some()
    }

    /// Whether the visitor's role may do this: `moderate`, `analyse`, `facilitate` or `admin` (the
    /// rules of [`crate::accounts::Role`]).
    pub fn may(&self, what: &str) -> bool {
        let Some(visitor) = &self.visitor else {
            return false;
        };
        let role = &visitor.role;
        match what {
            "moderate" => role.may_moderate(),
            "analyse" => role.may_analyse(),
            "facilitate" => role.may_facilitate(),
            "admin" => *role == crate::accounts::Role::Admin,
            _ => false,
        }
    }

    /// The link that switches to the other language and comes back here.
    pub fn switch_href(&self) -> String {
        self.switch_to(self.t.other().0)
    }

    /// `aria-current="page"` for the current menu item.
    pub fn current(&self, nav: &str) -> &'static str {
        let this = match nav {
            "goals" => Nav::Goals,
            "search" => Nav::Search,
            "patterns" => Nav::Patterns,
            "tell" => Nav::Tell,
            "lookup" => Nav::Lookup,
            "provider" => Nav::Provider,
            "moderation" => Nav::Moderation,
            "sessions" => Nav::Sessions,
            "rounds" => Nav::Rounds,
            "actions" => Nav::Actions,
            "tree" => Nav::Tree,
            "synonyms" => Nav::Synonyms,
            "questions" => Nav::Questions,
            "report" => Nav::Report,
            "login" => Nav::Login,
            "admin" => Nav::Admin,
            _ => Nav::None,
        };
        if this == self.nav { "page" } else { "false" }
    }
}
