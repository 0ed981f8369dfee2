//! The route table: every route is added through [`Routes`], which builds the axum router and at the
//! same time lists each route's path template, method and audit action. axum's `Router` cannot say
//! which routes it holds, so the list is kept beside it as they are added; [`crate::web::routes`]
//! hands it out for the access test (every route has an expected access for each role) and the audit
//! middleware reads a request's action from it.
//!
//! A route that changes something (`post`) cannot be added without its audit action code, and a
//! reading route is either plain (`get`, not logged) or a logged read such as a download (`get_logged`),
//! so the audit log never has to guess what a request did.

use axum::Router;
use axum::handler::Handler;
use axum::http::Method;
use axum::routing::{get, post};

use crate::web::AppState;

/// One route: its method, its path template as axum matches it, and the audit log's action code for
/// a request to it (`None` for reading pages, which are not logged). A `GET` route answers `HEAD` too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub method: Method,
    pub path: String,
    pub audit: Option<&'static str>,
}

/// The router being built and the list of its routes.
pub struct Routes {
    router: Router<AppState>,
    list: Vec<Route>,
}

impl Default for Routes {
    fn default() -> Self {
        Routes::new()
    }
}

impl Routes {
    pub fn new() -> Routes {
        Routes {
            router: Router::new(),
            list: Vec::new(),
        }
    }

    fn add(mut self, method: Method, path: &str, audit: Option<&'static str>) -> Routes {
        self.list.push(Route {
            method,
            path: path.to_string(),
            audit,
        });
        self
    }

    /// A page or file to read, which the audit log does not record.
    pub fn get<H, T>(mut self, path: &str, handler: H) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, get(handler));
        self.add(Method::GET, path, None)
    }

    /// A read the audit log records under `action`: a download, a recording played, a return from
    /// the identity provider.
    pub fn get_logged<H, T>(mut self, path: &str, handler: H, action: &'static str) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, get(handler));
        self.add(Method::GET, path, Some(action))
    }

    /// A form or call that changes something, recorded in the audit log under `action`.
    pub fn post<H, T>(mut self, path: &str, handler: H, action: &'static str) -> Routes
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.router = self.router.route(path, post(handler));
        self.add(Method::POST, path, Some(action))
    }

    /// Changes the router built so far (a layer for the routes added until now), keeping the list.
    pub fn map(mut self, change: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Routes {
        self.router = change(self.router);
        self
    }

    /// Adds the routes of `other`.
    pub fn merge(mut self, other: Routes) -> Routes {
        self.router = self.router.merge(other.router);
        self.list.extend(other.list);
        self
    }

    /// Adds the routes of `other` under `prefix`.
    pub fn nest(mut self, prefix: &str, other: Routes) -> Routes {
        self.router = self.router.nest(prefix, other.router);
        self.list.extend(other.list.into_iter().map(|route| Route {
            path: format!("{prefix}{}", route.path),
            ..route
        }));
        self
    }

    /// The router and the list of its routes.
    pub fn into_parts(self) -> (Router<AppState>, Vec<Route>) {
        (self.router, self.list)
    }
}

/// The audit action of a request by its method and matched route, from the list.
pub fn audit_action(list: &[Route], method: &Method, path: &str) -> Option<&'static str> {
    let method = if method == Method::HEAD {
        &Method::GET
    } else {
        method
    };
    list.iter()
        .find(|route| route.method == method && route.path == path)
        .and_then(|route| route.audit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_change_and_every_download_has_its_audit_action() {
        let list = crate::web::routes();
        let mut seen = std::collections::BTreeSet::new();
        for route in &list {
            assert!(
                seen.insert((route.method.to_string(), route.path.clone())),
                "{} {} twice",
                route.method,
                route.path
            );
            if route.method == Method::POST {
                assert!(route.audit.is_some(), "{}", route.path);
            }
            let download = route.path.ends_with("export.csv")
                || route.path.ends_with("export.xlsx")
                || route.path.ends_with(".md");
            if download {
                assert_eq!(route.audit, Some("export.downloaded"), "{}", route.path);
            }
        }
        assert_eq!(
            audit_action(&list, &Method::HEAD, "/beheer/back-up/nieuwste"),
            Some("backup.downloaded")
        );
        assert_eq!(audit_action(&list, &Method::GET, "/zoeken"), None);
        assert_eq!(
            audit_action(&list, &Method::POST, "/api/v1/stories"),
            Some("story.submitted")
        );
        assert_eq!(audit_action(&list, &Method::POST, "/nergens"), None);
    }

    #[test]
    fn the_audit_page_names_every_action_in_dutch_and_english() {
        for action in crate::web::routes().iter().filter_map(|route| route.audit) {
            for texts in [crate::web::i18n::dutch(), crate::web::i18n::english()] {
                assert_ne!(texts.code("admin.action", action), action, "{action}");
            }
        }
    }
}
