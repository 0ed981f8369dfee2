//! The JSON API under `/api/v1`: create a story (returns its id, receipt code and page), read a story,
//! search stories with facets, the goal tree, the evidence of an indicator, measurements, and the
//! OpenAPI document describing all of it. Errors are `application/problem+json`.
//!
//! Callers show a provider's API token as `Authorization: Bearer vbk_…`: creating a story needs one
//! (the story then belongs to that provider), and reading with one sees what that provider's staff
//! see. Without a token the API reads what the public sees. A token that is wrong or revoked gets 401.
//!
//! A story posted here takes the same fields as a story file's front matter and goes through the same
//! typed conversion, so the rules and messages are those of the file format (docs/formats.md).

use std::collections::BTreeMap;

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;
use utoipa::{OpenApi, ToSchema};

use crate::index::Scope;
use crate::story::front_matter::{RawStory, RawValue};
use crate::story::receipt::ReceiptCode;
use crate::story::{Catalog, Moderation, StoryId};
use crate::web::filters::read_filter;
use crate::web::forms::FormData;
use crate::web::handlers::search::read_request;
use crate::web::{AppError, AppState};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Verhalenbank API",
        description = "Stories and figures side by side: tellen en vertellen."
    ),
    paths(
        create_story,
        get_story,
        list_stories,
        goal_tree,
        evidence,
        measurements
    ),
    components(schemas(NewStory, CreatedStory, FieldProblem))
)]
pub struct ApiDoc;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/stories", get(list_stories).post(create_story))
        .route("/stories/{id}", get(get_story))
        .route("/goals", get(goal_tree))
        .route("/indicators/{id}/evidence", get(evidence))
        .route("/measurements", get(measurements))
        .route("/openapi.json", get(openapi))
        .fallback(|| async { AppError::NotFound.problem() })
}

/// Who calls the API: a provider's system with its token, or anyone without one.
pub enum ApiCaller {
    Anonymous,
    Provider(crate::tokens::TokenInfo),
}

impl ApiCaller {
    fn scope(&self) -> Scope {
        match self {
            ApiCaller::Anonymous => Scope::Public,
            ApiCaller::Provider(token) => Scope::Provider(token.provider.clone()),
        }
    }
}

fn unauthorized(detail: &str) -> Response {
    let mut response = problems(StatusCode::UNAUTHORIZED, detail, Vec::new());
    response.headers_mut().insert(
        axum::http::header::WWW_AUTHENTICATE,
        axum::http::HeaderValue::from_static("Bearer"),
    );
    response
}

impl axum::extract::FromRequestParts<AppState> for ApiCaller {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &AppState,
    ) -> Result<Self, Response> {
        let Some(header) = parts.headers.get(axum::http::header::AUTHORIZATION) else {
            return Ok(ApiCaller::Anonymous);
        };
        let token = header
            .to_str()
            .ok()
            .and_then(|value| value.strip_prefix("Bearer "))
            .and_then(crate::tokens::ApiToken::parse)
            .ok_or_else(|| unauthorized("expected Authorization: Bearer with an API token"))?;
        let hash = token.hash();
        match state.run(move |bank| bank.token(&hash)).await {
            Ok(Some(info)) => {
                crate::web::audit::note_actor(crate::audit::Actor::Token(info.provider.clone()));
                Ok(ApiCaller::Provider(info))
            }
            Ok(None) => Err(unauthorized("this API token is unknown or was revoked")),
            Err(error) => Err(error.problem()),
        }
    }
}

async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

/// A story to store: the fields of a story file's front matter, and its text.
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct NewStory {
    /// Short title.
    title: String,
    /// YYYY-MM-DD; today when left out.
    date: Option<String>,
    /// resident, professional, volunteer, carer or municipality.
    teller: String,
    /// positive, negative or mixed.
    valence: String,
    /// internal or public.
    consent: String,
    /// The story in Markdown.
    text: String,
    provider: Option<String>,
    area: Option<String>,
    activity: Option<String>,
    subgoals: Option<Vec<String>>,
    tags: Option<Vec<String>>,
    /// ISO 639-1; detected when left out.
    language: Option<String>,
    /// The teller's name, only if they chose to give it.
    name: Option<String>,
    /// Statement id → score on that statement's scale.
    scores: Option<BTreeMap<String, u8>>,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedStory {
    id: String,
    /// Give this code to the teller: with it they can look up or withdraw the story. Shown only now.
    receipt_code: String,
    /// The story's page once it is published.
    url: String,
    status: String,
}

#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    field: Option<String>,
    message: String,
}

fn problems(status: StatusCode, detail: &str, errors: Vec<FieldProblem>) -> Response {
    let body = serde_json::json!({
        "type": "about:blank",
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
        "errors": errors,
    });
    let mut response = (status, body.to_string()).into_response();
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/problem+json"),
    );
    response
}

/// Create a story for the provider whose token is sent. It enters moderation.
#[utoipa::path(post, path = "/api/v1/stories", request_body = NewStory, responses(
    (status = 201, description = "Stored durably", body = CreatedStory),
    (status = 401, description = "No valid API token", content_type = "application/problem+json"),
    (status = 422, description = "Fields missing or wrong", content_type = "application/problem+json"),
))]
async fn create_story(
    State(state): State<AppState>,
    caller: ApiCaller,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Response {
    let ApiCaller::Provider(token) = caller else {
        return unauthorized(
            "creating a story needs a provider's API token: Authorization: Bearer vbk_…",
        );
    };
    let Json(value) = match body {
        Ok(body) => body,
        Err(rejection) => return problems(rejection.status(), &rejection.body_text(), Vec::new()),
    };
    let serde_json::Value::Object(mut object) = value else {
        return problems(
            StatusCode::UNPROCESSABLE_ENTITY,
            "expected a JSON object",
            Vec::new(),
        );
    };
    let text = match object.remove("text") {
        Some(serde_json::Value::String(text)) => text,
        _ => String::new(),
    };
    // The server decides the id and the moderation state.
    for ignored in ["id", "status", "rejection_reason"] {
        object.remove(ignored);
    }
    // The story belongs to the token's provider; a token cannot submit for another one.
    match object.get("provider") {
        Some(serde_json::Value::String(given)) if given.trim() != token.provider.as_str() => {
            return problems(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the story has fields that are missing or wrong",
                vec![FieldProblem {
                    field: Some("provider".to_string()),
                    message: format!(
                        "this token submits for provider {}; leave provider out or give that id",
                        token.provider
                    ),
                }],
            );
        }
        _ => {}
    }
    object.insert(
        "provider".to_string(),
        serde_json::Value::String(token.provider.to_string()),
    );
    let today = state.today();
    let mut fields: BTreeMap<String, RawValue> = object
        .into_iter()
        .filter_map(|(key, value)| RawValue::from_json(value).map(|value| (key, value)))
        .collect();
    fields
        .entry("date".to_string())
        .or_insert_with(|| RawValue::Text(today.to_string()));
    let settings = match state.run(|bank| bank.settings()).await {
        Ok(settings) => settings,
        Err(error) => return error.problem(),
    };
    let (sessions, rounds) = match state.run(|bank| bank.linkable_ids()).await {
        Ok(ids) => ids,
        Err(error) => return error.problem(),
    };
    let catalog = Catalog {
        municipality: &settings.municipality,
        goals: &settings.goals,
        sessions: &sessions,
        rounds: &rounds,
    };
    let mut story = match RawStory::from_row(0, fields, text).into_story(catalog) {
        Ok(story) => story,
        Err(errors) => {
            let errors = errors
                .into_iter()
                .map(|error| FieldProblem {
                    field: error.field,
                    message: error.message,
                })
                .collect();
            return problems(
                StatusCode::UNPROCESSABLE_ENTITY,
                "the story has fields that are missing or wrong",
                errors,
            );
        }
    };
    story.id = StoryId::new_random();
    story.moderation = Moderation::Submitted;
    crate::web::audit::note_story(story.id);
    let code = ReceiptCode::generate();
    let created = CreatedStory {
        id: story.id.to_string(),
        receipt_code: code.to_string(),
        url: format!("/verhaal/{}", story.id),
        status: "submitted".to_string(),
    };
    match state
        .run(move |bank| bank.submit(&story, Some(&code)))
        .await
    {
        Ok(_) => (StatusCode::CREATED, Json(created)).into_response(),
        Err(error) => error.problem(),
    }
}

/// Read a published story.
#[utoipa::path(get, path = "/api/v1/stories/{id}", params(("id" = String, Path, description = "Story id (UUID)")), responses(
    (status = 200, description = "The story", body = Object),
    (status = 404, description = "No such published story", content_type = "application/problem+json"),
))]
async fn get_story(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
) -> Response {
    let Ok(id) = StoryId::parse(&id) else {
        return AppError::NotFound.problem();
    };
    let scope = caller.scope();
    match state.run(move |bank| bank.visible_story(id, &scope)).await {
        Ok(Some(story)) => Json(story).into_response(),
        Ok(None) => AppError::NotFound.problem(),
        Err(error) => error.problem(),
    }
}

/// Search published stories: `q` in the query language, facet filters as `field=value` (repeatable),
/// `sorteer` (relevant, nieuw, oud), `pagina`. Returns hits with snippets and facet counts.
#[utoipa::path(get, path = "/api/v1/stories", params(
    ("q" = Option<String>, Query, description = "Words, \"phrases\", -exclusions, OR, field:value"),
    ("area" = Option<String>, Query, description = "Area id; also goal, subgoal, indicator, provider, teller, valence, tag, language, year, quarter"),
    ("sorteer" = Option<String>, Query, description = "relevant, nieuw or oud"),
    ("pagina" = Option<u32>, Query, description = "Page, from 1"),
), responses((status = 200, description = "Results", body = Object)))]
async fn list_stories(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let request = read_request(&FormData::new(pairs), caller.scope());
    match state.run(move |bank| bank.search(&request)).await {
        Ok(results) => Json(results).into_response(),
        Err(error) => error.problem(),
    }
}

/// The goal tree: themes, goals, subgoals, indicators and statements.
#[utoipa::path(get, path = "/api/v1/goals", responses((status = 200, description = "The goal tree", body = Object)))]
async fn goal_tree(State(state): State<AppState>) -> Response {
    match state.run(|bank| bank.settings()).await {
        Ok(settings) => Json(&settings.goals).into_response(),
        Err(error) => error.problem(),
    }
}

/// Counted and told evidence of one indicator, with its signals. Filters: `gebied`, `periode`, `q`.
#[utoipa::path(get, path = "/api/v1/indicators/{id}/evidence", params(
    ("id" = String, Path, description = "Indicator id"),
    ("gebied" = Option<String>, Query, description = "Area id"),
    ("periode" = Option<String>, Query, description = "Year, such as 2025"),
    ("q" = Option<String>, Query, description = "Search within the indicator's stories"),
), responses(
    (status = 200, description = "The evidence", body = Object),
    (status = 400, description = "The area or period names nothing", content_type = "application/problem+json"),
    (status = 404, description = "No such indicator", content_type = "application/problem+json"),
))]
async fn evidence(
    State(state): State<AppState>,
    caller: ApiCaller,
    Path(id): Path<String>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let Ok(id) = crate::ids::IndicatorId::parse(&id) else {
        return AppError::NotFound.problem();
    };
    let today = state.today();
    let form = FormData::new(pairs);
    let scope = caller.scope();
    let result = state
        .run(move |bank| {
            let settings = bank.settings()?;
            let (filter, unknown) = read_filter(&form, &settings.municipality);
            if !unknown.is_empty() {
                // An area or period that names nothing is refused, never widened to the whole municipality.
                return Ok(Err(AppError::BadRequest("error.unknown_filter")));
            }
            Ok(Ok(bank.evidence(
                &id,
                &filter,
                &scope,
                form.get("q"),
                today,
            )?))
        })
        .await;
    match result {
        Ok(Ok(Some(page))) => Json(page).into_response(),
        Ok(Ok(None)) => AppError::NotFound.problem(),
        Ok(Err(error)) => error.problem(),
        Err(error) => error.problem(),
    }
}

/// Figures, optionally of one indicator (`indicator=id`).
#[utoipa::path(get, path = "/api/v1/measurements", params(("indicator" = Option<String>, Query, description = "Indicator id")),
    responses((status = 200, description = "Figures", body = Object)))]
async fn measurements(
    State(state): State<AppState>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let form = FormData::new(pairs);
    let indicator = form.text("indicator");
    match state.run(|bank| bank.measurements()).await {
        Ok(all) => {
            let list: Vec<_> = all
                .iter()
                .filter(|m| indicator.is_empty() || m.indicator.as_str() == indicator)
                .collect();
            Json(list).into_response()
        }
        Err(error) => error.problem(),
    }
}
