//! The API's promises, through the real router on the demo bank: a teller's name reaches no public or
//! provider answer of any route (the routes are the router's own list, `web::routes()`, not listed here), a
//! retry with the same `Idempotency-Key` stores nothing new, `pagina` is bounded, and the OpenAPI
//! document gives every operation a response schema.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use super::support::repo_root;
use super::web::TestApp;

/// A name nobody else in the demo carries.
const CANARY: &str = "Kanarie Zwaluwstaart";
/// A word of the canary story's text, to find it by.
const WORD: &str = "pimpelmeesvoer";

/// Every path the router answers GET on, from the router's own route table.
fn router_paths() -> Vec<String> {
    verhalenbank::web::routes()
        .into_iter()
        .filter(|route| route.method == axum::http::Method::GET)
        .map(|route| route.path)
        .collect()
}

/// Submits the canary story through the API with `token` and publishes it, as a moderator would.
async fn canary_story(app: &TestApp, token: &str) -> String {
    app.use_token(Some(token));
    let (status, _, body) = app
        .post_json(
            "/api/v1/stories",
            &serde_json::json!({
                "title": "Samen de vogels voeren",
                "teller": "resident",
                "valence": "positive",
                "consent": "public",
                "name": CANARY,
                "text": format!("In de tuin van het buurthuis hangt nu {WORD} voor de vogels. Ik kom er elke week."),
                "subgoals": ["sterker-netwerk"],
                "area": "molenwijk",
                "tags": ["vogels"],
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    app.use_token(None);
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let story_id = verhalenbank::story::StoryId::parse(&id).unwrap();
    let mut story = app
        .bank
        .visible_story(story_id, &verhalenbank::index::Scope::Municipality)
        .unwrap()
        .unwrap();
    assert_eq!(
        story.teller_name.as_deref(),
        Some(CANARY),
        "the name is kept"
    );
    story.moderation = verhalenbank::story::Moderation::Published;
    app.bank.submit(&story, None).unwrap();
    app.index();
    id
}

/// `path` with its parameters filled with real ids from the demo bank.
fn fill(path: &str, story: &str, app: &TestApp) -> String {
    let settings = app.bank.settings().unwrap();
    let sessions = app.bank.sessions().unwrap();
    let session = sessions.first().expect("the demo has sessions");
    let (_, rounds) = app.bank.linkable_ids().unwrap();
    let indicator = settings.goals.indicators[0].id.to_string();
    let id = if path.starts_with("/indicator/") || path.starts_with("/api/v1/indicators/") {
        indicator.clone()
    } else if path.starts_with("/sessies/") {
        session.id.to_string()
    } else if path.starts_with("/rondes/") {
        rounds
            .first()
            .map_or_else(|| "geen-ronde".to_string(), |id| id.to_string())
    } else if path.starts_with("/doelenboom/") {
        indicator.clone()
    } else {
        story.to_string()
    };
    let code = if path.starts_with("/s/") {
        session.code.clone()
    } else {
        "abc234".to_string()
    };
    path.replace("{id}", &id)
        .replace("{code}", &code)
        .replace("{kind}", "indicator")
}

/// GETs `path` (with `?q=WORD`) and returns the status and body; a stream that does not end in
/// time is read as far as it came.
async fn fetch(app: &TestApp, path: &str) -> (StatusCode, String) {
    let uri = format!("{path}?q={WORD}");
    match tokio::time::timeout(
        std::time::Duration::from_secs(10),
        app.send(Request::get(&uri).body(Body::empty()).unwrap()),
    )
    .await
    {
        Ok((status, _, body)) => (status, body),
        Err(_) => panic!("{uri} did not answer within 10 s"),
    }
}

#[tokio::test]
async fn no_public_or_provider_answer_of_any_route_holds_the_tellers_name() {
    let app = TestApp::demo();
    let token = app.make_token("buurtwerk");
    let id = canary_story(&app, &token).await;
    let paths = router_paths();
    assert!(paths.len() > 50, "the routes are read: {paths:?}");
    for api in [
        "/api/v1/stories",
        "/api/v1/stories/{id}",
        "/api/v1/indicators/{id}/evidence",
    ] {
        assert!(paths.iter().any(|p| p == api), "{api} in {paths:?}");
    }

    // The canary is reachable: the API without a token finds the story and shows its text.
    let (status, body) = app.get(&format!("/api/v1/stories/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.contains(WORD), "{body}");
    let (_, body) = app.get(&format!("/api/v1/stories?q={WORD}")).await;
    assert!(body.contains(&id), "found by search: {body}");

    let callers = ["anonymous", "provider token", "provider login"];
    let mut answered = 0;
    for caller in callers {
        app.use_token(None);
        app.logout_locally();
        match caller {
            "provider token" => app.use_token(Some(&token)),
            "provider login" => app.login("buurtwerk").await,
            _ => {}
        }
        for path in &paths {
            // A session's live stream never ends; it sends only the word that a story came in.
            if path.ends_with("/stroom") {
                continue;
            }
            let path = fill(path, &id, &app);
            let (status, body) = fetch(&app, &path).await;
            assert!(
                !body.contains(CANARY) && !body.contains("Zwaluwstaart"),
                "{caller}: GET {path} ({status}) shows the teller's name"
            );
            if status == StatusCode::OK {
                answered += 1;
            }
        }
    }
    assert!(answered > 40, "most routes answered: {answered}");

    // The municipality's moderators do see the name, so the canary was there to be leaked.
    app.use_token(None);
    app.login("analist").await;
    let (_, body) = app.get(&format!("/moderatie/{id}")).await;
    assert!(body.contains(CANARY), "the moderator sees the name");
}

fn story_json(title: &str) -> serde_json::Value {
    serde_json::json!({
        "title": title,
        "teller": "professional",
        "valence": "mixed",
        "consent": "internal",
        "text": "Een deelnemer vertelde over de wachtlijst en hoe de buren hielpen.",
        "subgoals": ["sterker-netwerk"],
    })
}

async fn post_with_key(app: &TestApp, key: &str, json: impl ToString) -> (StatusCode, String) {
    let request = Request::post("/api/v1/stories")
        .header(header::CONTENT_TYPE, "application/json")
        .header("idempotency-key", key)
        .body(Body::from(json.to_string()))
        .unwrap();
    let (status, _, body) = app.send(request).await;
    (status, body)
}

fn story_count(app: &TestApp) -> usize {
    app.bank
        .all_stories(verhalenbank::index::search::SearchRequest::new(
            "",
            verhalenbank::index::Scope::Municipality,
        ))
        .unwrap()
        .len()
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_returns_the_first_answer_and_stores_nothing() {
    let app = TestApp::demo();
    let token = app.make_token("buurtwerk");
    app.use_token(Some(&token));
    app.index();
    let before = story_count(&app);
    let story = story_json("Na de wachtlijst");
    let (status, first) = post_with_key(&app, "order-17", &story).await;
    assert_eq!(status, StatusCode::CREATED, "{first}");
    // The same body with its keys in another order is the same request.
    let reordered = format!(
        "{{{}}}",
        story
            .as_object()
            .unwrap()
            .iter()
            .rev()
            .map(|(key, value)| format!("{}: {value}", serde_json::json!(key)))
            .collect::<Vec<_>>()
            .join(", ")
    );
    for retry in [story.to_string(), reordered] {
        let (status, again) = post_with_key(&app, "order-17", &retry).await;
        assert_eq!(status, StatusCode::CREATED);
        assert_eq!(again, first, "the same id and receipt code");
    }
    app.index();
    assert_eq!(story_count(&app), before + 1, "one story stored");

    let (status, body) = post_with_key(&app, "order-17", &story_json("Iets anders")).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert!(body.contains("Idempotency-Key"), "{body}");

    // Keys are per token: another provider's same key is its own story.
    let other = app.make_token("welzijn");
    app.use_token(Some(&other));
    let (status, body) = post_with_key(&app, "order-17", &story).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_ne!(body, first);
    // Without a key every post is a new story, and a key that is not visible ASCII is refused.
    let (status, _) = post_with_key(&app, "", &story).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let long = "k".repeat(256);
    let (status, _) = post_with_key(&app, &long, &story).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    app.index();
    assert_eq!(story_count(&app), before + 2);

    // The receipt code of the first answer opens the story.
    let created: serde_json::Value = serde_json::from_str(&first).unwrap();
    let code =
        verhalenbank::story::receipt::ReceiptCode::parse(created["receipt_code"].as_str().unwrap())
            .unwrap();
    let found = app.bank.story_by_receipt(&code).unwrap().unwrap();
    assert_eq!(found.id.to_string(), created["id"].as_str().unwrap());
}

#[tokio::test]
async fn the_page_number_is_bounded() {
    let app = TestApp::demo();
    for (page, status) in [
        ("1", StatusCode::OK),
        ("1000", StatusCode::OK),
        ("0", StatusCode::BAD_REQUEST),
        ("1001", StatusCode::BAD_REQUEST),
        ("2147483648", StatusCode::BAD_REQUEST),
        ("-1", StatusCode::BAD_REQUEST),
        ("twee", StatusCode::BAD_REQUEST),
    ] {
        let (got, headers, body) = app
            .send(
                Request::get(format!("/api/v1/stories?pagina={page}"))
                    .body(Body::empty())
                    .unwrap(),
            )
            .await;
        assert_eq!(got, status, "pagina={page}: {body}");
        if status == StatusCode::BAD_REQUEST {
            assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
            assert!(body.contains("pagina"), "{body}");
        }
    }
    let (_, body) = app.get("/api/v1/openapi.json").await;
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    let pagina = doc["paths"]["/api/v1/stories"]["get"]["parameters"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "pagina")
        .unwrap()
        .clone();
    assert_eq!(pagina["schema"]["minimum"], 1);
    assert_eq!(pagina["schema"]["maximum"], 1000);
}

/// Follows `$ref`s to the schema they name.
fn resolve<'a>(doc: &'a serde_json::Value, schema: &'a serde_json::Value) -> &'a serde_json::Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            &doc["components"]["schemas"][name]
        }
        None => schema,
    }
}

#[tokio::test]
async fn every_operation_documents_what_it_answers() {
    let app = TestApp::demo();
    let (_, body) = app.get("/api/v1/openapi.json").await;
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut operations = 0;
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            operations += 1;
            let responses = operation["responses"].as_object().unwrap();
            let ok = responses
                .get("200")
                .or_else(|| responses.get("201"))
                .unwrap_or_else(|| panic!("{method} {path} has a 200 or 201"));
            let schema = resolve(&doc, &ok["content"]["application/json"]["schema"]);
            let described = schema["properties"].is_object()
                || schema["items"].is_object()
                || schema["type"] == "array";
            assert!(described, "{method} {path}: {schema}");
            assert_ne!(*schema, serde_json::json!({"type": "object"}));
            for (status, response) in responses {
                if status.starts_with('4') {
                    assert!(
                        response["content"]["application/problem+json"]["schema"].is_object(),
                        "{method} {path} {status} is problem+json"
                    );
                }
            }
        }
    }
    assert_eq!(operations, 6);
    // Every reference names a schema the document holds.
    let text = doc.to_string();
    for reference in text.split("\"$ref\":\"").skip(1) {
        let name = reference.split('"').next().unwrap();
        let name = name.trim_start_matches("#/components/schemas/");
        assert!(
            doc["components"]["schemas"][name].is_object(),
            "{name} is referenced but not in the document"
        );
    }
    assert!(doc["components"]["securitySchemes"]["bearer"].is_object());
    let story = &doc["components"]["schemas"]["StoryView"]["properties"];
    assert!(
        story["teller_name"].is_object(),
        "documented, for the municipality"
    );
    let teller = resolve(&doc, &story["teller"]);
    assert_eq!(teller["enum"].as_array().unwrap().len(), 5, "{teller}");
    assert_eq!(resolve(&doc, &story["id"])["format"], "uuid");
    assert_eq!(story["date"]["format"], "date");
    let new_story = &doc["components"]["schemas"]["NewStory"];
    assert_eq!(new_story["additionalProperties"], false);
    let subgoals = &new_story["properties"]["subgoals"]["items"]["enum"];
    assert!(
        subgoals
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s == "sterker-netwerk"),
        "the bank's subgoals: {subgoals}"
    );
    let link = &doc["paths"]["/api/v1/stories"]["post"]["responses"]["201"]["links"];
    assert_eq!(link["GetStoryById"]["operationId"], "get_story");
}

/// The fields a story posted to the API may carry are the ones the front matter parser reads.
#[tokio::test]
async fn the_documented_story_fields_are_the_ones_the_parser_reads() {
    let app = TestApp::demo();
    let (_, body) = app.get("/api/v1/openapi.json").await;
    let doc: serde_json::Value = serde_json::from_str(&body).unwrap();
    let mut documented: Vec<String> = doc["components"]["schemas"]["NewStory"]["properties"]
        .as_object()
        .unwrap()
        .keys()
        .cloned()
        .collect();
    documented.sort();
    // Every field the parser names in its messages when given a wrong value.
    let source = std::fs::read_to_string(repo_root().join("src/story/front_matter.rs")).unwrap();
    let mut parsed: Vec<String> = ["required(\"", "optional(\"", "fields.get(\""]
        .iter()
        .flat_map(|call| {
            source
                .split(call)
                .skip(1)
                .filter_map(|rest| rest.split('"').next().map(str::to_string))
                .collect::<Vec<_>>()
        })
        .collect();
    parsed.push("text".to_string());
    parsed.sort();
    parsed.dedup();
    assert_eq!(documented, parsed);
}
