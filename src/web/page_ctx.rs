//! The extractors [`PageCtx`] and [`ResidentCtx`]: what a handler that shows a page needs besides
//! its own input — the application's state, the texts in the visitor's language and the address asked
//! for — taken from the request in one argument, with [`PageCtx::page`] to build the page frame.
//!
//! A handler that only reads or changes something and answers with a redirect or a file takes
//! `State` alone; these are for handlers that render a page (or may render one again with a form's
//! problems).

use std::convert::Infallible;

use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::Uri;
use axum::http::request::Parts;

use crate::bank::Settings;
use crate::web::AppState;
use crate::web::i18n::{Lang, ResidentLang, Texts};
use crate::web::page::{Nav, Page};

/// A page's context: the state, the texts (Dutch or English, or on a resident page any of the
/// six) and the original address of the request, which the language switch comes back to.
#[derive(Clone)]
pub struct PageCtx {
    pub state: AppState,
    pub t: &'static Texts,
    pub uri: Uri,
    /// A resident page, offered in all six languages.
    resident: bool,
}

impl PageCtx {
    /// The page frame for a page whose title is the message `title_key`; a resident page's frame
    /// offers all six languages.
    pub fn page(&self, settings: &Settings, title_key: &str, nav: Nav) -> Page {
        let title = self.t.get(title_key).to_string();
        self.titled(&settings.municipality.name, title, nav)
    }

    /// The page frame for a page whose title is its subject's own (a story's, an indicator's).
    pub fn titled(&self, municipality: &str, title: String, nav: Nav) -> Page {
        let page = Page::new(self.t, municipality, title, nav, &self.uri, self.state.demo);
        if self.resident {
            page.for_residents()
        } else {
            page
        }
    }

    async fn from_parts(
        parts: &mut Parts,
        state: &AppState,
        t: &'static Texts,
        resident: bool,
    ) -> PageCtx {
        let Ok(OriginalUri(uri)) = OriginalUri::from_request_parts(parts, state).await;
        PageCtx {
            state: state.clone(),
            t,
            uri,
            resident,
        }
    }
}

impl FromRequestParts<AppState> for PageCtx {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let Lang(t) = Lang::from_request_parts(parts, state).await?;
        Ok(PageCtx::from_parts(parts, state, t, false).await)
    }
}

/// The context of a resident page: its texts in any of the six languages and its frame with the
/// switch between them.
pub struct ResidentCtx(pub PageCtx);

impl FromRequestParts<AppState> for ResidentCtx {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Infallible> {
        let ResidentLang(t) = ResidentLang::from_request_parts(parts, state).await?;
        Ok(ResidentCtx(
            PageCtx::from_parts(parts, state, t, true).await,
        ))
    }
}
