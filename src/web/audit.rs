//! Writing the audit log from the web: one middleware sees every request that changes something (and
//! every download), and records who made it, what it did by its route, what it was done to and how it
//! ended. Handlers that learn an id the path does not hold (the new story of a form, the story a
//! receipt code belongs to) or a new actor (who just logged in) tell it with [`note_target`] and
//! [`note_actor`]. Only the route and the ids are recorded: no form field, query or body.

use std::sync::{Arc, Mutex};

use axum::extract::{MatchedPath, Request};
use axum::http::{Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::audit::{Actor, AuditEntry};
use crate::web::AppState;
use crate::web::auth::AuthSession;

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

/// What a route does, as the audit log's action code; `None` for reading pages, which are not logged.
pub fn action(method: &Method, route: &str) -> Option<&'static str> {
    if (method == Method::GET || method == Method::HEAD) && route == "/beheer/back-up/nieuwste" {
        return Some("backup.downloaded");
    }
    // Listening to a teller's voice is reading personal data: it is logged like a download.
    if (method == Method::GET || method == Method::HEAD) && route == "/moderatie/{id}/opname" {
        return Some("recording.played");
    }
    // The identity provider sends people back with a GET: a login (or its refusal) like the form's.
    if (method == Method::GET || method == Method::HEAD) && route == crate::web::oidc::CALLBACK_PATH
    {
        return Some("login.sso");
    }
    if method == Method::GET || method == Method::HEAD {
        let download = route.ends_with("export.csv")
            || route.ends_with("export.xlsx")
            || route.ends_with(".md");
        return download.then_some("export.downloaded");
    }
    Some(match route {
        "/vertel" | "/aanbieder/verhaal" | "/s/{code}" | "/r/{code}" | "/api/v1/stories" => {
            "story.submitted"
        }
        "/mijn-verhaal" => "story.looked_up",
        "/mijn-verhaal/toestemming" => "story.consent_changed",
        "/mijn-verhaal/intrekken" => "story.withdrawn",
        "/moderatie/{id}" => "story.moderated",
        "/moderatie/{id}/wissen" => "story.erased",
        "/moderatie/{id}/samenvoegen" => "story.merged",
        "/inloggen" => "login",
        "/uitloggen" => "logout",
        "/wachtwoord" => "password.changed",
        "/tweestaps" => "second_factor.changed",
        "/sessies/nieuw" => "session.planned",
        "/sessies/{id}/status" => "session.status_changed",
        "/sessies/{id}/gehoord" => "session.heard_written",
        "/sessies/{id}/duiding" | "/indicator/{id}/duiding" => "interpretation.recorded",
        "/sessies/{id}/actie" => "action.added",
        "/acties/{id}" => "action.updated",
        "/rondes" => "round.started",
        "/rondes/{id}/fase" => "round.phase_changed",
        "/rondes/{id}/teksten" => "round.texts_written",
        "/rondes/{id}/betekenisvol" => "round.significant_chosen",
        "/rondes/{id}/themas" => "round.themes_changed",
        "/rondes/{id}/verzamelen" => "round.stories_gathered",
        "/doelenboom/nieuw/{kind}" => "goal_tree.item_added",
        "/doelenboom/{kind}/{id}" => "goal_tree.item_changed",
        "/doelenboom/{kind}/{id}/status" => "goal_tree.item_retired_or_restored",
        "/zoeken/synoniemen" => "synonyms.changed",
        "/vragen" => "questions.changed",
        "/beheer/accounts" => "user.added",
        "/beheer/accounts/{name}/rol" => "user.role_changed",
        "/beheer/accounts/{name}/uitzetten" => "user.disabled",
        "/beheer/accounts/{name}/aanzetten" => "user.enabled",
        "/beheer/accounts/{name}/wachtwoord" => "user.password_set",
        "/beheer/accounts/{name}/tweestaps-uit" => "second_factor.changed",
        "/beheer/tokens" => "token.created",
        "/beheer/back-up" => "backup.made",
        "/beheer/tokens/{id}/intrekken" => "token.revoked",
        _ => "request",
    })
}

/// Middleware (on the routes, so the matched route is known): records the request in the audit log.
pub async fn record(
    axum::extract::State(state): axum::extract::State<AppState>,
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
        .and_then(|route| action(request.method(), route))
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
