//! What every page template gets: the texts in the visitor's language, the municipality's name, the
//! page title and description, which menu item is current, and the address of this page for the
//! language switch.

use axum::http::Uri;

use super::i18n::Texts;

/// The main menu items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Nav {
    Goals,
    Search,
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
}

/// The text key of the description of the pages under a menu item.
fn description_key(nav: Nav) -> &'static str {
    match nav {
        Nav::Goals => "meta.goals",
        Nav::Search => "meta.search",
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
        }
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
        let role = visitor.role;
        match what {
            "moderate" => role.may_moderate(),
            "analyse" => role.may_analyse(),
            "facilitate" => role.may_facilitate(),
            "admin" => role == crate::accounts::Role::Admin,
            _ => false,
        }
    }

    /// The link that switches to the other language and comes back here.
    pub fn switch_href(&self) -> String {
        let (code, _) = self.t.other();
        let back: String =
            serde_urlencoded::to_string([("naar", code), ("terug", self.path.as_str())])
                .unwrap_or_default();
        format!("/taal?{back}")
    }

    /// `aria-current="page"` for the current menu item.
    pub fn current(&self, nav: &str) -> &'static str {
        let this = match nav {
            "goals" => Nav::Goals,
            "search" => Nav::Search,
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
