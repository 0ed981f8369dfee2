//! Writing the audit log from the web: one middleware sees every request that changes something (and
//! every download), and records who made it, what it did (the action code declared beside its route in
//! the route table, `web::routes`), what it was done to and how it ended. Handlers that learn an id the path does not hold (the new story of a form, the story a
//! receipt code belongs to) or a new actor (who just logged in) tell it with [`note_target`] and
//! [`note_actor`]. Only the route and the ids are recorded: no form field, query or body.

use std::sync::{Arc, Mutex};

use axum::extract::{MatchedPath, Request};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::audit::{Actor, AuditEntry};
use crate::web::AppState;
use crate::web::auth::AuthSession;
use crate::web::routes::{Route, audit_action};

#[derive(Default)]
struct Note {
    target: Option<String>,
    actor: Option<Actor>,
}

tokio::task_local! {
    static NOTE: Arc<Mutex<Note>>;
}

/// Records what the request was done to, such as `story:<id>`, when its path does not say.
pub fn note_target(target: String) {
    let _ = NOTE.try_with(|note| {
        note.lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .target = Some(target);
    });
}

/// Records that the request was done to this story.
pub fn note_story(id: crate::story::StoryId) {
    note_target(format!("story:{id}"));
}

/// Records who the request turned out to be by, such as the account that just logged in.
pub fn note_actor(actor: Actor) {
    let _ = NOTE.try_with(|note| {
        note.lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .actor = Some(actor);
    });
}

/// What the audit middleware needs: the state for the bank, and the route table for each route's
/// action code.
#[derive(Clone)]
pub struct Audit {
    pub state: AppState,
    pub routes: Arc<[Route]>,
}

/// Middleware (on the routes, so the matched route is known): records the request in the audit log.
pub async fn record(
    axum::extract::State(Audit { state, routes }): axum::extract::State<Audit>,
    session: AuthSession,
    request: Request,
    next: Next,
) -> Response {
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map(|path| path.as_str().to_string());
    let Some(action) = route
        .as_deref()
        .and_then(|route| audit_action(&routes, request.method(), route))
    else {
        return next.run(request).await;
    };
    let path = request.uri().path().to_string();
    let actor = session
        .user
        .as_ref()
        .map_or(Actor::Anonymous, |user| Actor::User(user.name.clone()));
    let note = Arc::new(Mutex::new(Note::default()));
    let response = NOTE.scope(note.clone(), next.run(request)).await;
    let status = response.status();
    let sent_to_login = response
        .headers()
        .get(header::LOCATION)
        .and_then(|location| location.to_str().ok())
        .is_some_and(|location| location.starts_with("/inloggen"));
    // A form shown again with its mistakes changed nothing, and neither did a request that was sent
    // to log in first or was slowed down; a failed login is kept, as "login" with its status.
    let nothing_happened = (status == StatusCode::UNPROCESSABLE_ENTITY && action != "login")
        || status == StatusCode::TOO_MANY_REQUESTS
        || sent_to_login;
    if nothing_happened {
        return response;
    }
    let (target, actor) = {
        let mut note = note.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        (
            note.target.take().unwrap_or(path),
            note.actor.take().unwrap_or(actor),
        )
    };
    let entry = AuditEntry::new(actor, action, target, status.as_u16());
    let bank = state.bank.clone();
    let written = tokio::task::spawn_blocking(move || bank.append_audit(&entry)).await;
    if !matches!(written, Ok(Ok(()))) {
        tracing::error!(action, "the audit log could not be written");
    }
    response
}
