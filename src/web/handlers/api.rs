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

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::{OpenApi, ToSchema};

use crate::bank::api::{IdempotencyKey, IdempotencyRecord};
use crate::bank::{EvidencePage, Within};
use crate::evidence::Measurement;
use crate::evidence::counted::CountedEvidence;
use crate::evidence::signals::{Signal, ToldSummary};
use crate::evidence::statements::ScoreFigures;
use crate::goals::{Goal, GoalTree, Indicator, Statement, Subgoal};
use crate::index::search::{Hit, SearchResults};
use crate::index::{Expanded, ExpansionKind, FacetField, Scope};
use crate::language::Language;
use crate::story::front_matter::{RawStory, RawValue};
use crate::story::receipt::ReceiptCode;
use crate::story::view::{AnswerValueView, AnswerView, Audience, Status, StoryView};
use crate::story::{Catalog, Consent, Moderation, StoryId, TellerRole, Valence};
use crate::web::filters::read_filter;
use crate::web::forms::FormData;
use crate::web::paths;
use crate::web::routes::Routes;
use crate::web::search_request::{read_request, synonyms_wanted};
use crate::web::{AppError, AppState};

/// The highest page a search reads (`pagina`); deeper pages are refused with 400.
pub const MAX_PAGE: u32 = 1000;

/// The longest `Idempotency-Key` accepted.
pub const MAX_KEY_LENGTH: usize = 255;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Verhalenbank API",
        description = "Stories and figures side by side: tellen en vertellen. Without a token the API reads what the public sees; with a provider's token (Authorization: Bearer vbk_…) what that provider's staff see. The teller's name is never part of an answer."
    ),
    paths(
        create_story,
        get_story,
        list_stories,
        goal_tree,
        evidence,
        measurements
    ),
    components(schemas(NewStory, CreatedStory, Sorteer, Synoniemen, Problem, FieldProblem, StoryView, StoryList, StoryHit, FacetCount, Expanded, ExpansionKind, EvidenceView)),
    modifiers(&BearerScheme)
)]
pub struct ApiDoc;

/// Declares the bearer scheme API tokens are sent with.
struct BearerScheme;

impl utoipa::Modify for BearerScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("vbk_…")
                    .description(Some("A provider's API token, made by an administrator under /beheer or with `verhalenbank token add`"))
                    .build(),
            ),
        );
    }
}

pub fn routes() -> Routes {
    Routes::new()
        .get("/stories", list_stories)
        .post("/stories", create_story, "story.submitted")
        .get(paths::API_STORY, get_story)
        .get("/goals", goal_tree)
        .get("/indicators/{id}/evidence", evidence)
        .get("/measurements", measurements)
        .get("/openapi.json", openapi)
        .map(|router| router.fallback(|| async { AppError::NotFound.problem() }))
}

/// Who calls the API: a provider's system with its token, or anyone without one.
pub enum ApiCaller {
    Anonymous,
    /// The token's provider, and the token as sent (to seal what is kept for its idempotency keys).
    Provider(crate::tokens::TokenInfo, String),
}

impl ApiCaller {
    fn scope(&self) -> Scope {
        match self {
            ApiCaller::Anonymous => Scope::Public,
            ApiCaller::Provider(token, _) => Scope::Provider(token.provider.clone()),
        }
    }

    /// Who the caller is to the rule of what each audience sees of a story.
    fn audience(&self) -> Audience {
        match self {
            ApiCaller::Anonymous => Audience::Public,
            ApiCaller::Provider(..) => Audience::Provider,
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
                Ok(ApiCaller::Provider(info, token.reveal().to_string()))
            }
            Ok(None) => Err(unauthorized("this API token is unknown or was revoked")),
            Err(error) => Err(error.problem()),
        }
    }
}

/// The OpenAPI document. Its schemas come from the types the handlers parse and return; the ids a
/// story may refer to (areas, activities, subgoals, statements, sessions, rounds, and the providers the
/// caller may submit for) are filled in from this bank, so a client learns every value it may send.
async fn openapi(State(state): State<AppState>, caller: ApiCaller) -> Response {
    let settings = match state.run(|bank| bank.settings()).await {
        Ok(settings) => settings,
        Err(error) => return error.problem(),
    };
    let (sessions, rounds) = match state.run(|bank| bank.linkable_ids()).await {
        Ok(ids) => ids,
        Err(error) => return error.problem(),
    };
    let questions = match state.run(|bank| bank.question_set()).await {
        Ok(questions) => questions,
        Err(error) => return error.problem(),
    };
    let providers: Vec<String> = match &caller {
        ApiCaller::Provider(token, _) => vec![token.provider.to_string()],
        ApiCaller::Anonymous => settings
            .municipality
            .providers
            .iter()
            .map(|provider| provider.id.to_string())
            .collect(),
    };
    let ids = CatalogIds {
        areas: settings
            .municipality
            .area_ids()
            .iter()
            .map(|id| id.to_string())
            .collect(),
        activities: settings
            .municipality
            .activities
            .iter()
            .map(|activity| activity.id.to_string())
            .collect(),
        indicators: settings
            .goals
            .indicators
            .iter()
            .map(|indicator| indicator.id.to_string())
            .collect(),
        providers,
        subgoals: settings
            .goals
            .subgoals
            .iter()
            .map(|s| s.id.to_string())
            .collect(),
        sessions: sessions.iter().map(|id| id.to_string()).collect(),
        rounds: rounds.iter().map(|id| id.to_string()).collect(),
        statements: settings
            .goals
            .statements
            .iter()
            .map(|statement| {
                let range = statement.scale.range();
                (statement.id.to_string(), (*range.start(), *range.end()))
            })
            .collect(),
        answers: crate::web::answer_contract::schema(&questions),
        answer_filters: answer_filters(&questions),
    };
    Json(document(&ids)).into_response()
}

/// The ids a story may refer to in this bank, for the OpenAPI document.
struct CatalogIds {
    areas: Vec<String>,
    activities: Vec<String>,
    indicators: Vec<String>,
    providers: Vec<String>,
    subgoals: Vec<String>,
    sessions: Vec<String>,
    rounds: Vec<String>,
    /// Statement id → lowest and highest score.
    statements: Vec<(String, (u8, u8))>,
    /// The schema of `answers`: the bank's questions about the story.
    answers: serde_json::Value,
    /// The search's `answer` filter values (`question=value`).
    answer_filters: Vec<String>,
}

/// A nullable text that must be one of `ids`.
fn one_of(ids: &[String]) -> serde_json::Value {
    let mut values: Vec<serde_json::Value> = ids.iter().map(|id| serde_json::json!(id)).collect();
    values.push(serde_json::Value::Null);
    serde_json::json!({"type": ["string", "null"], "enum": values})
}

/// The generated document with this bank's ids and the links from a created story to its reads.
fn document(ids: &CatalogIds) -> serde_json::Value {
    let mut doc = serde_json::to_value(ApiDoc::openapi()).unwrap_or_default();
    let properties = &mut doc["components"]["schemas"]["NewStory"]["properties"];
    properties["area"] = one_of(&ids.areas);
    properties["activity"] = one_of(&ids.activities);
    properties["indicator"] = one_of(&ids.indicators);
    properties["provider"] = one_of(&ids.providers);
    properties["session"] = one_of(&ids.sessions);
    properties["round"] = one_of(&ids.rounds);
    properties["subgoals"] = serde_json::json!({
        "type": ["array", "null"],
        "items": {"type": "string", "enum": ids.subgoals},
        "description": "Subgoal ids from the goal tree",
    });
    let scores: serde_json::Map<String, serde_json::Value> = ids
        .statements
        .iter()
        .map(|(id, (low, high))| {
            (
                id.clone(),
                serde_json::json!({"type": "integer", "minimum": low, "maximum": high}),
            )
        })
        .collect();
    properties["scores"] = serde_json::json!({
        "type": ["object", "null"],
        "properties": scores,
        "additionalProperties": false,
        "description": "Statement id → score on that statement's scale",
    });
    properties["answers"] = ids.answers.clone();
    // The evidence filter's area is one of the municipality's areas.
    if let Some(parameters) =
        doc["paths"]["/api/v1/indicators/{id}/evidence"]["get"]["parameters"].as_array_mut()
    {
        for parameter in parameters {
            if parameter["name"] == "gebied" {
                parameter["schema"] = serde_json::json!({"type": "string", "enum": ids.areas});
            }
        }
    }
    // The search's answer filter is one of the bank's questions' values.
    if !ids.answer_filters.is_empty()
        && let Some(parameters) =
            doc["paths"]["/api/v1/stories"]["get"]["parameters"].as_array_mut()
    {
        for parameter in parameters {
            if parameter["name"] == "answer" {
                parameter["schema"] =
                    serde_json::json!({"type": "string", "enum": ids.answer_filters});
            }
        }
    }
    doc["paths"]["/api/v1/stories"]["post"]["responses"]["201"]["links"] = serde_json::json!({
        "GetStoryById": {
            "operationId": "get_story",
            "parameters": {"id": "$response.body#/id"},
            "description": "The story just created, as the token's provider reads it",
        }
    });
    doc
}

/// A story to store: the fields of a story file's front matter, and its text. The body is read twice:
/// into this type (so a field that is not here, or of the wrong kind, is refused), and through the
/// story file's typed conversion (so the rules and messages are those of the file format).
#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct NewStory {
    /// Short title.
    #[schema(min_length = 1, pattern = r"\S")]
    title: String,
    /// The day the story happened or was told; today when left out.
    date: Option<Date>,
    teller: TellerRole,
    valence: Valence,
    consent: Consent,
    /// The day the teller gave consent; the story's date when left out.
    consent_date: Option<Date>,
    /// The story in Markdown.
    #[schema(min_length = 1, pattern = r"\S")]
    text: String,
    /// Provider id: the token's own provider, which is also taken when left out.
    provider: Option<String>,
    /// Area id from the municipality.
    area: Option<String>,
    /// Activity id from the municipality.
    activity: Option<String>,
    /// The indicator the story speaks to, an indicator id from the goal tree; its subgoal is added to
    /// `subgoals` when missing.
    indicator: Option<String>,
    /// The story in the municipality's language, when it was told in another one (plain text).
    translation: Option<String>,
    /// Subgoal ids from the goal tree.
    subgoals: Option<Vec<String>>,
    tags: Option<Vec<String>>,
    /// ISO 639-1; detected when left out.
    #[schema(pattern = "^[a-z]{2}$")]
    language: Option<String>,
    /// The teller's name, only if they chose to give it. It is never shown to the public or to
    /// providers.
    name: Option<String>,
    /// Statement id → score on that statement's scale.
    scores: Option<BTreeMap<String, u8>>,
    /// Question id (from the bank's questions about the story) → the teller's answer: the value
    /// alone, given under the question's current version, or `{"version": N, "value": ...}`.
    answers: Option<BTreeMap<String, NewAnswer>>,
    /// A storytelling session id.
    session: Option<String>,
    /// A narrative evaluation round id.
    round: Option<String>,
    /// `paper` when the story was told on a paper form and typed in by staff.
    #[schema(pattern = "^paper$")]
    channel: Option<String>,
    /// The day the story reached the provider or the bank, from which moderation counts how long it
    /// has waited; today when left out.
    received: Option<Date>,
    /// Ignored: the bank gives every new story its own id.
    id: Option<StoryId>,
    /// Ignored: a story sent through the API always starts as submitted.
    status: Option<Status>,
    /// Ignored, as `status`.
    rejection_reason: Option<String>,
}

/// An answer to a question about the story, with or without the version of the question. Read only
/// to check the body's shape, as [`NewStory`] is.
#[derive(Deserialize, ToSchema)]
#[serde(untagged)]
#[allow(dead_code)]
pub enum NewAnswer {
    Versioned(AnswerView),
    Value(AnswerValueView),
}

#[derive(Serialize, ToSchema)]
pub struct CreatedStory {
    id: StoryId,
    /// Give this code to the teller: with it they can look up or withdraw the story. Shown only in
    /// this answer (and in the answer to a retry with the same Idempotency-Key).
    #[schema(pattern = "^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$")]
    receipt_code: String,
    /// The story's page once it is published.
    url: String,
    status: Status,
}

/// A problem with one field of the request.
#[derive(Serialize, ToSchema)]
pub struct FieldProblem {
    field: Option<String>,
    message: String,
}

/// An error, as `application/problem+json` (RFC 9457).
#[derive(Serialize, ToSchema)]
pub struct Problem {
    #[serde(rename = "type")]
    kind: String,
    title: String,
    status: u16,
    detail: String,
    /// The problems per field, where there are any.
    #[serde(skip_serializing_if = "Option::is_none")]
    errors: Option<Vec<FieldProblem>>,
}

fn problems(status: StatusCode, detail: &str, errors: Vec<FieldProblem>) -> Response {
    let body = Problem {
        kind: "about:blank".to_string(),
        title: status.canonical_reason().unwrap_or("Error").to_string(),
        status: status.as_u16(),
        detail: detail.to_string(),
        errors: Some(errors),
    };
    let mut response = (status, Json(body)).into_response();
    response.headers_mut().insert(
        axum::http::header::CONTENT_TYPE,
        axum::http::HeaderValue::from_static("application/problem+json"),
    );
    response
}

fn bad_request(detail: &str) -> Response {
    problems(StatusCode::BAD_REQUEST, detail, Vec::new())
}

/// The request body reduced to what identifies it: its JSON with object keys in order.
fn fingerprint(value: &serde_json::Value) -> [u8; 32] {
    fn canonical(value: &serde_json::Value, out: &mut String) {
        match value {
            serde_json::Value::Object(map) => {
                let mut keys: Vec<&String> = map.keys().collect();
                keys.sort();
                out.push('{');
                for key in keys {
                    out.push_str(&serde_json::Value::String(key.clone()).to_string());
                    out.push(':');
                    canonical(&map[key], out);
                    out.push(',');
                }
                out.push('}');
            }
            serde_json::Value::Array(items) => {
                out.push('[');
                for item in items {
                    canonical(item, out);
                    out.push(',');
                }
                out.push(']');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut text = String::new();
    canonical(value, &mut text);
    Sha256::digest(text.as_bytes()).into()
}

/// The `Idempotency-Key` header: absent, or 1 to 255 visible ASCII characters.
fn idempotency_key(headers: &HeaderMap) -> Result<Option<String>, &'static str> {
    let Some(value) = headers.get("idempotency-key") else {
        return Ok(None);
    };
    match value.to_str() {
        Ok(key)
            if !key.is_empty()
                && key.len() <= MAX_KEY_LENGTH
                && key.bytes().all(|b| (0x20..0x7f).contains(&b)) =>
        {
            Ok(Some(key.to_string()))
        }
        _ => Err("an Idempotency-Key is 1 to 255 visible ASCII characters"),
    }
}

/// Scores and answers written as `3.0` are the whole number 3, as JSON Schema counts them: read them
/// as such.
fn whole_numbers(mut value: serde_json::Value) -> serde_json::Value {
    fn whole(number: &mut serde_json::Value) {
        if let Some(float) = number.as_f64()
            && !number.is_i64()
            && !number.is_u64()
            && float.fract() == 0.0
            && (0.0..=255.0).contains(&float)
        {
            *number = serde_json::json!(float as u8);
        }
    }
    if let Some(scores) = value
        .get_mut("scores")
        .and_then(serde_json::Value::as_object_mut)
    {
        scores.values_mut().for_each(whole);
    }
    if let Some(answers) = value
        .get_mut("answers")
        .and_then(serde_json::Value::as_object_mut)
    {
        for answer in answers.values_mut() {
            match answer.as_object_mut() {
                Some(versioned) => versioned.values_mut().for_each(whole),
                None => whole(answer),
            }
        }
    }
    value
}

fn created(id: StoryId, code: &ReceiptCode) -> Response {
    let body = CreatedStory {
        id,
        receipt_code: code.to_string(),
        url: paths::story(id),
        status: Status::Submitted,
    };
    let mut response = (StatusCode::CREATED, Json(body)).into_response();
    if let Ok(location) = axum::http::HeaderValue::from_str(&paths::api_story(id)) {
        response
            .headers_mut()
            .insert(axum::http::header::LOCATION, location);
    }
    response
}

/// The answer to a retry: the first answer when the body is the same, 422 otherwise.
fn replay(record: &IdempotencyRecord, print: &[u8; 32], token: &str, key: &str) -> Response {
    if record.fingerprint != *print {
        return problems(
            StatusCode::CONFLICT,
            "this Idempotency-Key was already used with another request body; use a new key for a new story",
            vec![FieldProblem {
                field: Some("Idempotency-Key".to_string()),
                message: "already used with another request body".to_string(),
            }],
        );
    }
    match crate::bank::api::unseal_receipt(&record.sealed_receipt, token, key) {
        Some(code) => created(record.story, &code),
        None => AppError::Internal(anyhow::anyhow!("a sealed receipt code did not open")).problem(),
    }
}

/// Create a story for the provider whose token is sent. It enters moderation.
///
/// Send an `Idempotency-Key` to make retries safe: for a day, the same key with the same body gets
/// the first answer again (the same id and receipt code) and stores nothing new; the same key with
/// another body gets 409 Conflict.
#[utoipa::path(post, path = "/api/v1/stories", operation_id = "create_story", request_body = NewStory,
    params(("Idempotency-Key" = Option<String>, Header, min_length = 1, max_length = 255, pattern = "^[\\x20-\\x7e]+$",
        description = "A key of your choosing, unique per story: a retry with the same key and body returns the first answer (kept 24 hours per token)")),
    security(("bearer" = [])),
    responses(
        (status = 201, description = "Stored durably (or stored before, for a retry with the same Idempotency-Key)", body = CreatedStory,
            headers(("Location" = String, description = "Where the story is read"))),
        (status = 400, description = "The body is not JSON, or the Idempotency-Key is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "No valid API token", body = Problem, content_type = "application/problem+json"),
        (status = 413, description = "The body is larger than 256 KiB", body = Problem, content_type = "application/problem+json"),
        (status = 415, description = "The body is not sent as application/json", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The Idempotency-Key was used with another body in the last 24 hours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "Fields missing or wrong", body = Problem, content_type = "application/problem+json"),
    ))]
async fn create_story(
    State(state): State<AppState>,
    caller: ApiCaller,
    headers: HeaderMap,
    body: Result<Json<serde_json::Value>, JsonRejection>,
) -> Response {
    let ApiCaller::Provider(token, secret) = caller else {
        return unauthorized(
            "creating a story needs a provider's API token: Authorization: Bearer vbk_…",
        );
    };
    let key = match idempotency_key(&headers) {
        Ok(key) => key,
        Err(detail) => return bad_request(detail),
    };
    let Json(value) = match body {
        Ok(body) => body,
        Err(rejection) => return problems(rejection.status(), &rejection.body_text(), Vec::new()),
    };
    let print = fingerprint(&value);
    let value = whole_numbers(value);
    let now = jiff::Timestamp::now().as_second();
    let key = key.map(|key| (IdempotencyKey::new(&token.id, &key), key));
    if let Some((hash, text)) = &key {
        let hash = *hash;
        match state
            .run(move |bank| bank.idempotency_record(&hash, now))
            .await
        {
            Ok(Some(record)) => return replay(&record, &print, &secret, text),
            Ok(None) => {}
            Err(error) => return error.problem(),
        }
    }
    let serde_json::Value::Object(mut object) = value.clone() else {
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
    let questions = match state.run(|bank| bank.question_set()).await {
        Ok(questions) => questions,
        Err(error) => return error.problem(),
    };
    let catalog = Catalog {
        municipality: &settings.municipality,
        goals: &settings.goals,
        sessions: &sessions,
        rounds: &rounds,
        questions: &questions,
    };
    // Answers in the API are the typed values the schema names, nothing looser.
    let answer_problems = crate::web::answer_contract::check(value.get("answers"), &questions);
    if !answer_problems.is_empty() {
        return problems(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the story has fields that are missing or wrong",
            answer_problems
                .into_iter()
                .map(|message| FieldProblem {
                    field: Some("answers".to_string()),
                    message,
                })
                .collect(),
        );
    }
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
    // The same body, read as the documented type: a field that is not in the contract, or a value
    // of another kind than it says, is refused rather than ignored.
    if let Err(error) = serde_json::from_value::<NewStory>(value) {
        return problems(
            StatusCode::UNPROCESSABLE_ENTITY,
            "the story has fields that are missing or wrong",
            vec![FieldProblem {
                field: None,
                message: error.to_string(),
            }],
        );
    }
    story.id = StoryId::new_random();
    story.moderation = Moderation::Submitted;
    story.received = Some(story.received.unwrap_or(today).min(today));
    crate::web::audit::note_story(story.id);
    let code = ReceiptCode::generate();
    let id = story.id;
    match key {
        None => {
            let receipt = code.clone();
            match state
                .run(move |bank| bank.submit(&story, Some(&receipt)))
                .await
            {
                Ok(_) => created(id, &code),
                Err(error) => error.problem(),
            }
        }
        Some((hash, text)) => {
            let record = IdempotencyRecord {
                story: id,
                fingerprint: print,
                sealed_receipt: crate::bank::api::seal_receipt(&code, &secret, &text),
                created: now,
            };
            let receipt = code.clone();
            match state
                .run(move |bank| bank.submit_once(&story, &receipt, &hash, &record))
                .await
            {
                Ok(Ok(_)) => created(id, &code),
                // Another request with the same key was stored first.
                Ok(Err(first)) => replay(&first, &print, &secret, &text),
                Err(error) => error.problem(),
            }
        }
    }
}

/// Read a story: a published one, or with a provider's token also that provider's own.
#[utoipa::path(get, path = "/api/v1/stories/{id}", operation_id = "get_story",
    params(("id" = uuid::Uuid, Path, description = "Story id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The story, as the caller may see it", body = StoryView),
        (status = 401, description = "The API token sent is unknown or revoked", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such story the caller may see", body = Problem, content_type = "application/problem+json"),
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
    let audience = caller.audience();
    match state.run(move |bank| bank.visible_story(id, &scope)).await {
        Ok(Some(story)) => Json(StoryView::of(&story, audience)).into_response(),
        Ok(None) => AppError::NotFound.problem(),
        Err(error) => error.problem(),
    }
}

/// One found story, as the caller may see it.
#[derive(Serialize, ToSchema)]
pub struct StoryHit {
    story: StoryView,
    /// The relevance score, when sorted by relevance.
    score: Option<f32>,
    /// An excerpt with the matched words marked with `<mark>`, safe to show as HTML.
    snippet: String,
    /// The language the story was indexed in (given or detected).
    language: Language,
}

/// How many of the found stories have one value of a field.
#[derive(Serialize, ToSchema)]
pub struct FacetCount {
    value: String,
    count: u32,
    /// Whether the search filters on this value.
    selected: bool,
}

/// One page of search results with the facet counts asked for over all of them.
#[derive(Serialize, ToSchema)]
pub struct StoryList {
    /// Stories that match, over all pages: exact when `total_exact` is true, else an estimate.
    total: usize,
    /// Whether `total` is exact. It is unless `facets=none` was asked for a search with words
    /// ordered by relevance and more than about a thousand stories match: then `total` is an
    /// estimate ("about N"), rounded to two significant digits.
    total_exact: bool,
    page: usize,
    per_page: usize,
    hits: Vec<StoryHit>,
    /// Counts per field (area, valence, tag, …), most frequent first: only the fields named in
    /// `facets_counted`.
    facets: BTreeMap<String, Vec<FacetCount>>,
    /// The fields whose values were counted (as the `facets` parameter asked; every field by
    /// default). A field counted with no value among the found stories has an empty list in
    /// `facets`; a field not counted is absent from both.
    facets_counted: Vec<String>,
    /// Whether no story, or too few, had every word of the query, and these are the stories with
    /// the most of its words (ranked by how many they have, then relevance).
    relaxed: bool,
    /// Stories that have every word of the query (equal to `total` unless relaxed).
    all_words: usize,
    /// "Did you mean": the query with each word that none of the caller's stories holds replaced
    /// by the nearest word that one does.
    suggestion: Option<String>,
    /// Words of the query searched as other words: a typo as its nearest words, `word*` as the
    /// words that begin with it.
    expanded: Vec<Expanded>,
    /// The synonyms from the bank's list that were also looked for (`synoniemen=aan`, the default).
    synonyms_used: Vec<String>,
}

impl StoryHit {
    fn of(hit: Hit, audience: Audience) -> StoryHit {
        let Hit {
            story,
            score,
            snippet,
            language,
        } = hit;
        StoryHit {
            story: StoryView::of(&story, audience),
            score,
            snippet: snippet.as_str().to_string(),
            language,
        }
    }
}

impl StoryList {
    fn of(results: SearchResults, audience: Audience) -> StoryList {
        let SearchResults {
            total,
            total_exact,
            page,
            per_page,
            hits,
            facets,
            facets_counted,
            relaxed,
            all_words,
            suggestion,
            expanded,
            synonyms_used,
        } = results;
        StoryList {
            synonyms_used,
            relaxed,
            all_words,
            suggestion,
            expanded,
            total,
            total_exact,
            page,
            per_page,
            facets_counted: facets_counted
                .into_iter()
                .map(|field| field.name().to_string())
                .collect(),
            hits: hits
                .into_iter()
                .map(|hit| StoryHit::of(hit, audience))
                .collect(),
            facets: facets
                .into_iter()
                .map(|(field, counts)| {
                    let counts = counts
                        .into_iter()
                        .map(|count| FacetCount {
                            value: count.value,
                            count: count.count,
                            selected: count.selected,
                        })
                        .collect();
                    (field.name().to_string(), counts)
                })
                .collect(),
        }
    }
}

/// The first value of a query parameter as sent, even when it is empty (which the forms read as
/// "not given", but which the API's contract does not allow for these parameters).
fn raw<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(key, _)| key == name)
        .map(|(_, value)| value.as_str())
}

/// How search results are ordered (`sorteer`).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
enum Sorteer {
    /// Best match first.
    Relevant,
    /// Newest first.
    Nieuw,
    /// Oldest first.
    Oud,
}

/// Checks the search parameters the API declares, so a value out of range is refused, not guessed.
fn check_search(pairs: &[(String, String)]) -> Result<(), String> {
    if let Some(page) = raw(pairs, "pagina") {
        match page.parse::<u32>() {
            Ok(page) if (1..=MAX_PAGE).contains(&page) => {}
            _ => return Err(format!("pagina is a page number from 1 to {MAX_PAGE}")),
        }
    }
    if let Some(sort) = raw(pairs, "sorteer")
        && !["relevant", "nieuw", "oud"].contains(&sort)
    {
        return Err("sorteer is relevant, nieuw or oud".to_string());
    }
    for name in ["van", "tot"] {
        if let Some(date) = raw(pairs, name)
            && date.parse::<Date>().is_err()
        {
            return Err(format!("{name} is a date as YYYY-MM-DD"));
        }
    }
    if let Some(list) = raw(pairs, "facets") {
        FacetField::wanted(list)?;
    }
    check_synonyms(pairs)
}

/// Every `answer` filter value this bank knows: `question=value` for each question that is counted.
fn answer_filters(questions: &crate::questions::QuestionSet) -> Vec<String> {
    questions
        .questions
        .iter()
        .flat_map(|question| {
            question
                .filter_values()
                .into_iter()
                .map(|value| crate::questions::filter_value(question.id.as_str(), &value))
        })
        .collect()
}

/// Whether every `answer` filter is one the bank knows (when it has questions; without, an answer
/// filter simply finds nothing).
fn check_answers(pairs: &[(String, String)], known: &[String]) -> Result<(), String> {
    if known.is_empty() {
        return Ok(());
    }
    match pairs
        .iter()
        .find(|(key, value)| key == "answer" && !known.contains(value))
    {
        Some((_, value)) => Err(format!(
            "answer {value:?} is not question=value for one of this bank's questions"
        )),
        None => Ok(()),
    }
}

/// Whether synonyms are searched too (`synoniemen`).
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
#[allow(dead_code)]
enum Synoniemen {
    /// Words also find their synonyms from the bank's list (the default).
    Aan,
    /// Only the words as typed.
    Uit,
}

/// `synoniemen` is `aan` or `uit`.
fn check_synonyms(pairs: &[(String, String)]) -> Result<(), String> {
    let known = pairs
        .iter()
        .filter(|(key, _)| key == "synoniemen")
        .all(|(_, value)| value == "aan" || value == "uit");
    if known {
        Ok(())
    } else {
        Err("synoniemen is aan or uit".to_string())
    }
}

/// Search stories: `q` in the query language, facet filters as `field=value` (repeatable),
/// `van`/`tot` dates, `sorteer` (relevant, nieuw, oud), `pagina`, `facets` (which fields to count).
/// Returns hits with snippets and the facet counts asked for (every field unless `facets` says
/// otherwise), with `facets_counted` naming them and `total_exact` saying whether `total` was
/// counted exactly.
#[utoipa::path(get, path = "/api/v1/stories", operation_id = "list_stories", params(
    ("q" = Option<String>, Query, description = "Words, \"phrases\", -exclusions, OR, field:value"),
    ("goal" = Option<String>, Query, description = "Goal id"),
    ("indicator" = Option<String>, Query, description = "Indicator id (through its subgoal)"),
    ("subgoal" = Option<String>, Query, description = "Subgoal id"),
    ("area" = Option<String>, Query, description = "Area id (a stadsdeel takes its wijken along)"),
    ("provider" = Option<String>, Query, description = "Provider id"),
    ("teller" = Option<String>, Query, description = "resident, professional, volunteer, carer or municipality"),
    ("valence" = Option<String>, Query, description = "positive, negative or mixed"),
    ("tag" = Option<String>, Query, description = "Tag"),
    ("language" = Option<String>, Query, description = "ISO 639-1 language code"),
    ("year" = Option<String>, Query, description = "Year, such as 2025"),
    ("quarter" = Option<String>, Query, description = "Quarter, such as 2025-Q1"),
    ("status" = Option<String>, Query, description = "submitted, published or rejected (only what the caller may see)"),
    ("consent" = Option<String>, Query, description = "internal or public"),
    ("session" = Option<String>, Query, description = "Storytelling session id"),
    ("round" = Option<String>, Query, description = "Narrative evaluation round id"),
    ("score" = Option<String>, Query, description = "Statement score as statement@quarter=score"),
    ("answer" = Option<String>, Query, description = "An answer to a question about the story, as question=value: a slider's band (0-20, 21-40, 41-60, 61-80, 81-100, weet-niet, past-niet), an option, or an agreement score. Repeatable: values of one question are alternatives, different questions must all match"),
    ("van" = Option<Date>, Query, description = "Stories from this day on"),
    ("tot" = Option<Date>, Query, description = "Stories up to this day"),
    ("sorteer" = Option<Sorteer>, Query, description = "Order: relevant (best match first), nieuw or oud"),
    ("pagina" = Option<u32>, Query, minimum = 1, maximum = 1000, description = "Page, from 1 to 1000"),
    ("synoniemen" = Option<Synoniemen>, Query, description = "aan (the default): words also find their synonyms from the bank's list; uit: only the words as typed"),
    ("facets" = Option<String>, Query, pattern = "^(all|none|(goal|indicator|subgoal|area|provider|teller|valence|tag|language|year|quarter|status|consent|session|round|score|activity|about|answer)(,(goal|indicator|subgoal|area|provider|teller|valence|tag|language|year|quarter|status|consent|session|round|score|activity|about|answer))*)?$", description = "Which fields to count values of: all (the default), none, or a comma list of field names such as area,valence,tag (goal, indicator, subgoal, area, provider, teller, valence, tag, language, year, quarter, status, consent, session, round, score, activity, about, answer). Counting fewer is faster; with none, a search with words ordered by relevance counts its total exactly only up to about a thousand stories and estimates beyond (total_exact says which). An unknown name is refused with 400"),
),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Results", body = StoryList),
        (status = 400, description = "A parameter out of range", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The API token sent is unknown or revoked", body = Problem, content_type = "application/problem+json"),
    ))]
async fn list_stories(
    State(state): State<AppState>,
    caller: ApiCaller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    if let Err(detail) = check_search(&pairs) {
        return bad_request(&detail);
    }
    let questions = match state.run(|bank| bank.question_set()).await {
        Ok(questions) => questions,
        Err(error) => return error.problem(),
    };
    if let Err(detail) = check_answers(&pairs, &answer_filters(&questions)) {
        return bad_request(&detail);
    }
    let facets = match raw(&pairs, "facets").map(FacetField::wanted) {
        Some(Ok(facets)) => facets,
        Some(Err(detail)) => return bad_request(&detail),
        None => None,
    };
    let form = FormData::new(pairs);
    let mut request = read_request(&form, caller.scope());
    // Without facets nothing needs every match visited, so the total may be an estimate too.
    request.exact_total = facets.as_ref().is_none_or(|facets| !facets.is_empty());
    request.facets = facets;
    let audience = caller.audience();
    match state.run(move |bank| bank.search(&request)).await {
        Ok(results) => Json(StoryList::of(results, audience)).into_response(),
        Err(error) => error.problem(),
    }
}

/// The goal tree: themes, goals, subgoals, indicators and statements.
#[utoipa::path(get, path = "/api/v1/goals", operation_id = "goal_tree",
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The goal tree", body = GoalTree),
        (status = 401, description = "The API token sent is unknown or revoked", body = Problem, content_type = "application/problem+json"),
    ))]
async fn goal_tree(State(state): State<AppState>, _caller: ApiCaller) -> Response {
    match state.run(|bank| bank.settings()).await {
        Ok(settings) => Json(&settings.goals).into_response(),
        Err(error) => error.problem(),
    }
}

/// Counted and told evidence of one indicator, side by side, with its signals.
#[derive(Serialize, ToSchema)]
pub struct EvidenceView {
    goal: Goal,
    subgoal: Subgoal,
    indicator: Indicator,
    statement: Option<Statement>,
    /// Answers to the indicator's statement from the stories, per quarter.
    scores: Option<ScoreFigures>,
    counted: CountedEvidence,
    told: ToldSummary,
    /// A handful of stories: those naming the indicator first, then those about an activity it
    /// counts, then those with its words, then the subgoal's others; within that a mix of valence,
    /// area and teller.
    excerpts: Vec<StoryHit>,
    /// Results of a search within this indicator's stories, when `q` was given.
    within: Option<StoryList>,
    signals: Vec<Signal>,
}

impl EvidenceView {
    fn of(page: EvidencePage, audience: Audience) -> EvidenceView {
        let EvidencePage {
            goal,
            subgoal,
            indicator,
            statement,
            scores,
            counted,
            told,
            excerpts,
            activities: _,
            within,
            signals,
        } = page;
        EvidenceView {
            goal,
            subgoal,
            indicator,
            statement,
            scores,
            counted,
            told,
            excerpts: excerpts
                .into_iter()
                .map(|(_, hit)| StoryHit::of(hit, audience))
                .collect(),
            within: within.map(|results| StoryList::of(results, audience)),
            signals,
        }
    }
}

/// Counted and told evidence of one indicator, with its signals. Filters: `gebied`, `periode`, `q`.
#[utoipa::path(get, path = "/api/v1/indicators/{id}/evidence", operation_id = "evidence", params(
    ("id" = String, Path, pattern = "^[a-z0-9][a-z0-9_-]{0,79}$", description = "Indicator id"),
    ("gebied" = Option<String>, Query, description = "Area id"),
    ("periode" = Option<String>, Query, pattern = "^(19[0-9]{2}|2[0-9]{3})(-Q[1-4]|-(0[1-9]|1[0-2]))?$", description = "A year (2025), quarter (2025-Q1) or month (2025-03)"),
    ("q" = Option<String>, Query, description = "Search within the indicator's stories"),
    ("synoniemen" = Option<Synoniemen>, Query, description = "aan (the default): words also find their synonyms from the bank's list; uit: only the words as typed"),
),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "The evidence", body = EvidenceView),
        (status = 400, description = "An area or period that does not exist", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The API token sent is unknown or revoked", body = Problem, content_type = "application/problem+json"),
        (status = 404, description = "No such indicator", body = Problem, content_type = "application/problem+json"),
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
    if let Err(detail) = check_synonyms(&pairs) {
        return bad_request(&detail);
    }
    let given_area = raw(&pairs, "gebied").map(str::to_string);
    let given_period = raw(&pairs, "periode").map(str::to_string);
    let form = FormData::new(pairs);
    let scope = caller.scope();
    let audience = caller.audience();
    let settings = match state.run(|bank| bank.settings()).await {
        Ok(settings) => settings,
        Err(error) => return error.problem(),
    };
    let (filter, unknown) = read_filter(&form, &settings.municipality);
    if !unknown.is_empty() {
        // An area or period that names nothing is refused, never widened to the whole municipality.
        return AppError::BadRequest("error.unknown_filter").problem();
    }
    if given_area.is_some() && filter.area.as_ref().map(|id| id.as_str()) != given_area.as_deref() {
        return bad_request("gebied is an area id of the municipality");
    }
    // Only the spellings the contract gives: 2025, 2025-Q1, 2025-03.
    if given_period.is_some() && filter.period.map(|period| period.to_string()) != given_period {
        return bad_request("periode is a year (2025), quarter (2025-Q1) or month (2025-03)");
    }
    let within = form.get("q").map(|text| Within {
        text: text.to_string(),
        synonyms: synonyms_wanted(&form),
    });
    let result = state
        .run(move |bank| bank.evidence(&id, &filter, &scope, within.as_ref(), today))
        .await;
    match result {
        Ok(Some(page)) => Json(EvidenceView::of(page, audience)).into_response(),
        Ok(None) => AppError::NotFound.problem(),
        Err(error) => error.problem(),
    }
}

/// Figures, optionally of one indicator (`indicator=id`).
#[utoipa::path(get, path = "/api/v1/measurements", operation_id = "measurements",
    params(("indicator" = Option<String>, Query, pattern = "^[a-z0-9][a-z0-9_-]{0,79}$", description = "Indicator id")),
    security((), ("bearer" = [])),
    responses(
        (status = 200, description = "Figures", body = Vec<Measurement>),
        (status = 400, description = "Not an indicator id", body = Problem, content_type = "application/problem+json"),
        (status = 401, description = "The API token sent is unknown or revoked", body = Problem, content_type = "application/problem+json"),
    ))]
async fn measurements(
    State(state): State<AppState>,
    _caller: ApiCaller,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Response {
    let indicator = match raw(&pairs, "indicator") {
        Some(text) => match crate::ids::IndicatorId::parse(text) {
            Ok(id) => Some(id),
            Err(_) => return bad_request("indicator is an indicator id"),
        },
        None => None,
    };
    match state.run(|bank| bank.measurements()).await {
        Ok(all) => {
            let list: Vec<&Measurement> = all
                .iter()
                .filter(|m| indicator.as_ref().is_none_or(|id| &m.indicator == id))
                .collect();
            Json(list).into_response()
        }
        Err(error) => error.problem(),
    }
}
