//! The web application, driven through the real router with `oneshot` on a store loaded with the demo
//! municipality: every page answers, the evidence page shows its signals, forms store stories durably
//! and send them to moderation, the API speaks JSON and problem+json, and hostile text stays text.

use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use tower::ServiceExt;
use verhalenbank::bank::Bank;
use verhalenbank::config::Config;
use verhalenbank::web::{AppState, router};

use super::support::repo_root;

pub struct TestApp {
    _dir: tempfile::TempDir,
    pub bank: Arc<Bank>,
    pub router: Router,
    /// The login cookie sent with every request, once logged in.
    cookie: std::sync::Mutex<Option<String>>,
    /// The API token sent with every request, once one is used.
    bearer: std::sync::Mutex<Option<String>>,
}

impl TestApp {
    /// A server on a fresh data folder with the demo municipality, on a fixed date.
    pub fn demo() -> TestApp {
        let dir = tempfile::tempdir().unwrap();
        let bank = Arc::new(Bank::open(&Config::new(dir.path())).unwrap());
        assert!(
            bank.load_demo_if_empty(&repo_root().join("stories-sample"))
                .unwrap()
        );
        let state = AppState::new(bank.clone(), Some(jiff::civil::date(2026, 11, 23)), true);
        TestApp {
            _dir: dir,
            router: router(state),
            bank,
            cookie: std::sync::Mutex::new(None),
            bearer: std::sync::Mutex::new(None),
        }
    }

    /// The same data folder opened afresh, as after a restart of the server; logged out.
    pub fn reopen(self) -> TestApp {
        let TestApp {
            _dir: dir,
            bank,
            router: old_router,
            ..
        } = self;
        drop(old_router);
        drop(bank);
        let bank = Arc::new(Bank::open(&Config::new(dir.path())).unwrap());
        let state = AppState::new(bank.clone(), Some(jiff::civil::date(2026, 11, 23)), true);
        TestApp {
            _dir: dir,
            router: router(state),
            bank,
            cookie: std::sync::Mutex::new(None),
            bearer: std::sync::Mutex::new(None),
        }
    }

    /// Logs in with one of the demo accounts; later requests carry its cookie.
    pub async fn login(&self, name: &str) {
        self.logout_locally();
        let (status, headers, _) = self
            .post_form(
                "/inloggen",
                &[
                    ("naam", name),
                    ("wachtwoord", verhalenbank::bank::DEMO_PASSWORD),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::SEE_OTHER, "logging in as {name}");
        let cookie = headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .split(';')
            .next()
            .unwrap()
            .to_string();
        *self.cookie.lock().unwrap() = Some(cookie);
    }

    /// Logs in with a name and password; later requests carry the new cookie when it worked.
    /// Returns the answer's status (303 when logged in, 422 when refused).
    pub async fn login_with(&self, name: &str, password: &str) -> StatusCode {
        self.logout_locally();
        let (status, headers, _) = self
            .post_form("/inloggen", &[("naam", name), ("wachtwoord", password)])
            .await;
        if status == StatusCode::SEE_OTHER {
            let cookie = headers[header::SET_COOKIE].to_str().unwrap();
            *self.cookie.lock().unwrap() = Some(cookie.split(';').next().unwrap().to_string());
        }
        status
    }

    /// The login cookie requests carry now, to come back to with [`TestApp::use_cookie`].
    pub fn cookie(&self) -> Option<String> {
        self.cookie.lock().unwrap().clone()
    }

    pub fn use_cookie(&self, cookie: Option<String>) {
        *self.cookie.lock().unwrap() = cookie;
    }

    /// Makes an API token for `provider` in the store and returns it.
    pub fn make_token(&self, provider: &str) -> String {
        let token = verhalenbank::tokens::ApiToken::generate();
        let info = verhalenbank::tokens::TokenInfo::new(
            &token.hash(),
            verhalenbank::ids::ProviderId::parse(provider).unwrap(),
            "test",
            jiff::civil::date(2026, 11, 1),
        );
        self.bank
            .raw_store()
            .put_token(&token.hash(), &info)
            .unwrap();
        token.reveal().to_string()
    }

    /// Sends `token` as `Authorization: Bearer` with later requests, or nothing with `None`.
    pub fn use_token(&self, token: Option<&str>) {
        *self.bearer.lock().unwrap() = token.map(str::to_string);
    }

    /// Forgets the login cookie: requests are anonymous again.
    pub fn logout_locally(&self) {
        *self.cookie.lock().unwrap() = None;
    }

    /// The status and headers of the answer, without reading its body (which may be a stream that
    /// does not end).
    pub async fn respond(&self, request: Request<Body>) -> (StatusCode, axum::http::HeaderMap) {
        let response = self.response(request).await;
        (response.status(), response.headers().clone())
    }

    pub async fn send(
        &self,
        request: Request<Body>,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let response = self.response(request).await;
        let status = response.status();
        let headers = response.headers().clone();
        let body = axum::body::to_bytes(response.into_body(), 10 * 1024 * 1024)
            .await
            .unwrap();
        (status, headers, String::from_utf8_lossy(&body).into_owned())
    }

    /// Sends the request with the login cookie and API token, if any.
    async fn response(&self, mut request: Request<Body>) -> axum::response::Response {
        if let Some(cookie) = self.cookie.lock().unwrap().clone() {
            request
                .headers_mut()
                .insert(header::COOKIE, cookie.parse().unwrap());
        }
        if let Some(token) = self.bearer.lock().unwrap().clone() {
            request.headers_mut().insert(
                header::AUTHORIZATION,
                format!("Bearer {token}").parse().unwrap(),
            );
        }
        self.router.clone().oneshot(request).await.unwrap()
    }

    pub async fn get(&self, path: &str) -> (StatusCode, String) {
        let (status, _, body) = self
            .send(Request::get(path).body(Body::empty()).unwrap())
            .await;
        (status, body)
    }

    pub async fn post_form(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let body = serde_urlencoded::to_string(pairs).unwrap();
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    /// Posts a form as `multipart/form-data`, as a browser sends a form with file inputs: `pairs`
    /// are text fields, `files` are (field, file name, bytes); a file input left empty sends an
    /// empty part with an empty file name.
    pub async fn post_multipart(
        &self,
        path: &str,
        pairs: &[(&str, &str)],
        files: &[(&str, &str, &[u8])],
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        const BOUNDARY: &str = "----verhalenbank-test-grens";
        let mut body: Vec<u8> = Vec::new();
        for (name, value) in pairs {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n"
                )
                .as_bytes(),
            );
        }
        for (name, file_name, bytes) in files {
            body.extend_from_slice(
                format!(
                    "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"; filename=\"{file_name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            );
            body.extend_from_slice(bytes);
            body.extend_from_slice(b"\r\n");
        }
        body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
        let request = Request::post(path)
            .header(
                header::CONTENT_TYPE,
                format!("multipart/form-data; boundary={BOUNDARY}"),
            )
            .body(Body::from(body))
            .unwrap();
        self.send(request).await
    }

    pub async fn post_json(
        &self,
        path: &str,
        json: &serde_json::Value,
    ) -> (StatusCode, axum::http::HeaderMap, String) {
        let request = Request::post(path)
            .header(header::CONTENT_TYPE, "application/json")
            .body(Body::from(json.to_string()))
            .unwrap();
        self.send(request).await
    }

    /// The data folder the bank lives in.
    /// The version a page's forms send back (the hidden field `versie`), as a form would.
    pub async fn version_on(&self, page: &str) -> String {
        let (status, body) = self.get(page).await;
        assert_eq!(status, StatusCode::OK, "{page}: {body}");
        let marker = r#"name="versie" value=""#;
        let start = body
            .find(marker)
            .unwrap_or_else(|| panic!("no version on {page}"))
            + marker.len();
        body[start..].split('"').next().unwrap().to_string()
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self._dir.path()
    }

    /// Brings the search index up to date, as the background indexer does in a running server.
    pub fn index(&self) {
        self.bank.catch_up_index().unwrap();
    }
}

pub fn receipt_code(html: &str) -> String {
    let start = html
        .find("class=\"code\"")
        .expect("a receipt code on the page");
    let rest = &html[start..];
    let from = rest.find('>').unwrap() + 1;
    let to = rest.find("</p>").unwrap();
    rest[from..to].trim().to_string()
}

#[tokio::test]
async fn every_page_answers_in_dutch() {
    let app = TestApp::demo();
    app.login("analist").await;
    let settings = app.bank.settings().unwrap();
    let published = app
        .bank
        .raw_store()
        .stories()
        .map(Result::unwrap)
        .find(|s| s.is_published() && s.consent == verhalenbank::story::Consent::Public)
        .unwrap();
    let mut paths = vec![
        "/".to_string(),
        "/?gebied=noord&periode=2025".to_string(),
        "/zoeken".to_string(),
        "/zoeken?q=buurt&area=noord&valence=negative&sorteer=nieuw".to_string(),
        "/vertel".to_string(),
        "/mijn-verhaal".to_string(),
        "/aanbieder/verhaal".to_string(),
        "/moderatie".to_string(),
        "/moderatie?status=rejected".to_string(),
        format!("/verhaal/{}", published.id),
        format!("/moderatie/{}", published.id),
        "/static/style.css".to_string(),
        "/api/v1/openapi.json".to_string(),
        "/api/v1/goals".to_string(),
    ];
    paths.extend(
        settings
            .goals
            .indicators
            .iter()
            .map(|i| format!("/indicator/{}?gebied=zuid", i.id)),
    );
    for path in paths {
        let (status, body) = app.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}");
        if !path.starts_with("/static") && !path.starts_with("/api") {
            assert!(body.contains("<html lang=\"nl\" dir=\"ltr\">"), "{path}");
        }
    }
    let (status, body) = app.get("/bestaat-niet").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert!(body.contains("Deze pagina bestaat niet"));
    assert_eq!(
        app.get("/indicator/bestaat-niet").await.0,
        StatusCode::NOT_FOUND
    );
    assert_eq!(app.get("/verhaal/geen-uuid").await.0, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_evidence_page_puts_counted_and_told_side_by_side_with_signals() {
    let app = TestApp::demo();
    let (_, body) = app.get("/indicator/wachttijd-schuldhulp").await;
    assert!(body.contains("<svg class=\"chart\""), "a chart");
    assert!(
        body.contains("<table class=\"data\">"),
        "a data table for the chart"
    );
    assert!(
        body.contains("Het cijfer gaat de verkeerde kant op"),
        "moving against its direction"
    );
    assert!(
        body.contains("Vertellen: de verhalen") && body.contains("class=\"story-card"),
        "stories"
    );

    let (_, body) = app.get("/indicator/bezoekers-taalcafe").await;
    assert!(
        body.contains("Het laatste cijfer is van 2025 K1"),
        "stale figures"
    );

    let (_, body) = app.get("/indicator/aanmeldingen-schuldhulp").await;
    assert!(
        body.contains("Wel cijfers, geen verhalen in: Oosterbroek"),
        "figures without stories"
    );

    let (_, body) = app.get("/indicator/bezoekers-koffie-inloop").await;
    assert!(
        body.contains("Wel verhalen, geen cijfers in: Oosterbroek"),
        "stories without figures"
    );

    let goals = app.bank.settings().unwrap();
    let only_positive = goals
        .goals
        .indicators
        .iter()
        .find(|i| i.subgoal.as_str() == "gezond-bewegen")
        .unwrap();
    let (_, body) = app.get(&format!("/indicator/{}", only_positive.id)).await;
    assert!(body.contains("verhalen zijn positief"), "only positive");
    let few = goals
        .goals
        .indicators
        .iter()
        .find(|i| i.subgoal.as_str() == "school-en-toekomst")
        .unwrap();
    let (_, body) = app.get(&format!("/indicator/{}", few.id)).await;
    assert!(
        body.contains("te weinig om een patroon te zien"),
        "too few stories"
    );

    // The filter applies to both sides: in one area, only that area's stories.
    let (_, body) = app
        .get("/indicator/wachttijd-schuldhulp?gebied=zuid&q=wachtlijst")
        .await;
    assert!(
        body.contains("verhalen gevonden") || body.contains("verhaal gevonden"),
        "search within"
    );
    assert!(
        !body.contains("Binnenstad ·"),
        "a story from another area slipped through"
    );
}

#[tokio::test]
async fn a_resident_tells_a_story_that_is_moderated_and_then_found() {
    let app = TestApp::demo();
    let (status, _, body) = app
        .post_form(
            "/vertel",
            &[
                ("verhaal", "Sinds de **moestuin** in de wijk ken ik mijn buren. <script>alert('x')</script> Zonnebloemzaadjes voor iedereen."),
                ("gevoel", "positive"),
                ("toestemming", "public"),
                ("subdoel", "sterker-netwerk"),
                ("gebied", "de-hoven"),
                ("naam", "Mevrouw Test"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let code = receipt_code(&body);
    assert_eq!(code.len(), 19, "{code}");

    // The resident looks it up with the code: waiting for moderation.
    let (status, _, body) = app
        .post_form("/mijn-verhaal", &[("code", &code.to_lowercase())])
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains("Uw verhaal is ontvangen") && body.contains("Zonnebloemzaadjes"),
        "{body}"
    );
    let (_, _, body) = app
        .post_form("/mijn-verhaal", &[("code", "AAAA-BBBB-CCCC-DDDD")])
        .await;
    assert!(body.contains("Wij vinden geen verhaal bij deze code"));

    // Not public before moderation.
    app.index();
    let (_, body) = app.get("/zoeken?q=zonnebloemzaadjes").await;
    assert!(
        body.contains("0 verhalen gevonden"),
        "unmoderated story is public"
    );
    let story = app
        .bank
        .raw_store()
        .stories()
        .map(Result::unwrap)
        .find(|s| s.text.as_str().contains("Zonnebloemzaadjes"))
        .unwrap();
    assert_eq!(story.teller_name.as_deref(), Some("Mevrouw Test"));
    app.login("analist").await;
    let (_, queue) = app.get("/moderatie").await;
    assert!(queue.contains(&story.id.to_string()));

    // The moderator publishes it, keeping the details.
    let mut pairs: Vec<(String, String)> = Vec::new();
    let (_, edit) = app.get(&format!("/moderatie/{}", story.id)).await;
    assert!(edit.contains("Mevrouw Test"), "moderators see the name");
    let version = app.version_on(&format!("/moderatie/{}", story.id)).await;
    for (name, values) in [
        ("versie", vec![version]),
        ("titel", vec![story.title.clone()]),
        ("verhaal", vec![story.text.as_str().to_string()]),
        ("rol", vec!["resident".into()]),
        ("gevoel", vec!["positive".into()]),
        ("toestemming", vec!["public".into()]),
        ("gebied", vec!["de-hoven".into()]),
        ("subdoel", vec!["sterker-netwerk".into()]),
        ("datum", vec![story.date.to_string()]),
        ("besluit", vec!["publish".into()]),
    ] {
        for value in values {
            pairs.push((name.to_string(), value));
        }
    }
    let pairs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let (status, headers, _) = app
        .post_form(&format!("/moderatie/{}", story.id), &pairs)
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/moderatie?opgeslagen=")
    );
    app.index();

    app.logout_locally();
    let (_, body) = app.get("/zoeken?q=zonnebloemzaadjes").await;
    assert!(body.contains("1 verhaal gevonden"), "{body}");
    let (status, page) = app.get(&format!("/verhaal/{}", story.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("<strong>moestuin</strong>"),
        "Markdown rendered"
    );
    assert!(
        page.contains("&lt;script&gt;") && !page.contains("<script>alert"),
        "raw HTML shown as text"
    );
    assert!(
        !page.contains("Mevrouw Test"),
        "the name is never on a public page"
    );
}

#[tokio::test]
async fn forms_explain_what_is_missing_and_refuse_bots() {
    let app = TestApp::demo();
    let (status, _, body) = app.post_form("/vertel", &[("verhaal", "te kort")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("class=\"error-summary\"") && body.contains("Kies hoe het voor u was"));
    assert!(
        body.contains(">te kort</textarea>"),
        "what was typed is kept"
    );

    let (status, _, _) = app
        .post_form(
            "/vertel",
            &[
                ("verhaal", "Een verhaal dat lang genoeg is, van een robot."),
                ("gevoel", "positive"),
                ("toestemming", "public"),
                ("extra_veld_leeg", "http://spam.example"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    app.login("buurtwerk").await;
    let (status, _, body) = app
        .post_form(
            "/aanbieder/verhaal",
            &[("titel", "x"), ("datum", "2099-01-01")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("niet in de toekomst"));
}

#[tokio::test]
async fn the_public_forms_are_rate_limited() {
    let app = TestApp::demo();
    let mut statuses = Vec::new();
    for _ in 0..12 {
        statuses.push(
            app.post_form("/mijn-verhaal", &[("code", "AAAA-BBBB-CCCC-DDDD")])
                .await
                .0,
        );
    }
    assert!(
        statuses[..10].iter().all(|s| *s == StatusCode::OK),
        "{statuses:?}"
    );
    assert_eq!(statuses[11], StatusCode::TOO_MANY_REQUESTS);
    let (_, body) = app.get("/mijn-verhaal").await;
    assert!(body.contains("<form"), "reading the form is not limited");
}

#[tokio::test]
async fn the_api_creates_reads_and_explains_errors() {
    let app = TestApp::demo();
    let token = app.make_token("buurtwerk");
    app.use_token(Some(&token));
    let (status, _, body) = app
        .post_json(
            "/api/v1/stories",
            &serde_json::json!({
                "title": "Via de API",
                "teller": "professional",
                "valence": "mixed",
                "consent": "public",
                "text": "Een verhaal dat een aanbieder via de API instuurt, over de buurtmaaltijd.",
                "subgoals": ["sterker-netwerk"],
                "area": "molenwijk",
                "tags": ["maaltijd"],
                "status": "published"
            }),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let created: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(created["status"], "submitted", "the API cannot publish");
    assert_eq!(created["receipt_code"].as_str().unwrap().len(), 19);
    let id = created["id"].as_str().unwrap();
    let stored = app
        .bank
        .raw_store()
        .get_story(verhalenbank::story::StoryId::parse(id).unwrap())
        .unwrap()
        .unwrap();
    assert_eq!(stored.provider.unwrap().as_str(), "buurtwerk");
    let (status, _) = app.get(&format!("/api/v1/stories/{id}")).await;
    assert_eq!(status, StatusCode::OK, "the provider reads its own story");
    app.use_token(None);
    let (status, body) = app.get(&format!("/api/v1/stories/{id}")).await;
    assert_eq!(
        status,
        StatusCode::NOT_FOUND,
        "not public before moderation: {body}"
    );
    app.use_token(Some(&token));

    let (status, headers, body) = app
        .post_json(
            "/api/v1/stories",
            &serde_json::json!({"title": "Half", "valence": "blij"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");
    let problem: serde_json::Value = serde_json::from_str(&body).unwrap();
    let fields: Vec<&str> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["field"].as_str())
        .collect();
    for field in ["teller", "valence", "consent", "text"] {
        assert!(fields.contains(&field), "{field} in {fields:?}");
    }

    let request = Request::post("/api/v1/stories")
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from("{niet json"))
        .unwrap();
    let (status, headers, _) = app.send(request).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(headers[header::CONTENT_TYPE], "application/problem+json");

    let huge = "a".repeat(400 * 1024);
    let (status, _, _) = app
        .post_json("/api/v1/stories", &serde_json::json!({"text": huge}))
        .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);

    let (status, body) = app.get("/api/v1/stories?q=buurt&area=noord").await;
    assert_eq!(status, StatusCode::OK);
    let results: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(results["total"].as_u64().unwrap() > 0 && results["facets"]["valence"].is_array());

    let (_, body) = app
        .get("/api/v1/indicators/wachttijd-schuldhulp/evidence")
        .await;
    let evidence: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(
        evidence["signals"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["kind"] == "against_direction")
    );
    let (_, body) = app
        .get("/api/v1/measurements?indicator=wachttijd-schuldhulp")
        .await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body)
            .unwrap()
            .as_array()
            .unwrap()
            .len(),
        11
    );
    let (status, headers, _) = app
        .send(Request::get("/api/v1/niets").body(Body::empty()).unwrap())
        .await;
    assert_eq!(
        (status, headers[header::CONTENT_TYPE].to_str().unwrap()),
        (StatusCode::NOT_FOUND, "application/problem+json")
    );

    let (_, body) = app.get("/api/v1/openapi.json").await;
    let spec: serde_json::Value = serde_json::from_str(&body).unwrap();
    for path in [
        "/api/v1/stories",
        "/api/v1/stories/{id}",
        "/api/v1/goals",
        "/api/v1/indicators/{id}/evidence",
        "/api/v1/measurements",
    ] {
        assert!(
            spec["paths"][path].is_object(),
            "{path} in the OpenAPI document"
        );
    }
}

#[tokio::test]
async fn language_follows_the_browser_and_the_switch() {
    let app = TestApp::demo();
    let request = Request::get("/")
        .header(header::ACCEPT_LANGUAGE, "en-GB,en;q=0.9,nl;q=0.5")
        .body(Body::empty())
        .unwrap();
    let (_, _, body) = app.send(request).await;
    assert!(body.contains("<html lang=\"en\" dir=\"ltr\">") && body.contains("Goals and results"));

    let request = Request::get("/")
        .header(header::COOKIE, "taal=nl")
        .header(header::ACCEPT_LANGUAGE, "en")
        .body(Body::empty())
        .unwrap();
    let (_, _, body) = app.send(request).await;
    assert!(
        body.contains("Doelen en resultaten"),
        "the remembered choice wins"
    );

    let (status, headers, _) = app
        .send(
            Request::get("/taal?naar=en&terug=/zoeken%3Fq%3Dbuurt")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/zoeken?q=buurt");
    assert!(
        headers[header::SET_COOKIE]
            .to_str()
            .unwrap()
            .starts_with("taal=en;")
    );
    let (_, headers, _) = app
        .send(
            Request::get("/taal?naar=en&terug=//evil.example")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(headers[header::LOCATION], "/", "no open redirect");
}

#[tokio::test]
async fn responses_carry_security_headers() {
    let app = TestApp::demo();
    for path in ["/", "/api/v1/goals", "/bestaat-niet"] {
        let (_, headers, _) = app
            .send(Request::get(path).body(Body::empty()).unwrap())
            .await;
        let csp = headers["content-security-policy"].to_str().unwrap();
        assert!(
            csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"),
            "{path}: {csp}"
        );
        assert!(csp.contains("frame-ancestors 'none'"));
        assert_eq!(headers["x-content-type-options"], "nosniff");
        assert_eq!(headers["referrer-policy"], "no-referrer");
    }
}

#[tokio::test]
async fn the_public_sees_only_published_stories_with_public_consent() {
    let app = TestApp::demo();
    let stories: Vec<_> = app.bank.raw_store().stories().map(Result::unwrap).collect();
    let internal = stories
        .iter()
        .find(|s| s.is_published() && s.consent == verhalenbank::story::Consent::Internal)
        .unwrap();
    let submitted = stories.iter().find(|s| !s.is_published()).unwrap();
    for story in [internal, submitted] {
        assert_eq!(
            app.get(&format!("/verhaal/{}", story.id)).await.0,
            StatusCode::NOT_FOUND
        );
        assert_eq!(
            app.get(&format!("/api/v1/stories/{}", story.id)).await.0,
            StatusCode::NOT_FOUND
        );
        let query = format!("/zoeken?q={}", urlencode(&format!("\"{}\"", story.title)));
        let (_, body) = app.get(&query).await;
        assert!(
            !body.contains(&story.id.to_string()),
            "{} found by the public",
            story.title
        );
    }
}

fn urlencode(text: &str) -> String {
    serde_urlencoded::to_string([("x", text)]).unwrap()[2..].to_string()
}

#[tokio::test]
async fn a_storytelling_session_from_plan_to_participants_page() {
    let app = TestApp::demo();
    app.login("begeleider").await;
    // The demo holds a past session with its interpretation and actions, and a planned one.
    let (_, list) = app.get("/sessies").await;
    assert!(
        list.contains("Vertelsessie Veenstede-Noord")
            && list.contains("Vertelsessie Veenstede-Zuid")
    );
    let (_, past) = app.get("/s/nrd26m").await;
    assert!(
        past.contains("Wat we hoorden") && past.contains("Telefoonketen"),
        "participants' page"
    );

    // Plan a session.
    let (status, headers, _) = app
        .post_form(
            "/sessies/nieuw",
            &[
                ("titel", "Sessie Centrum"),
                ("gebied", "centrum"),
                ("datum", "2026-12-15"),
                ("plaats", "Bibliotheek"),
                ("indicator", "bezoekers-koffie-inloop"),
                ("indicator", "aandeel-eenzaam"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let location = headers[header::LOCATION].to_str().unwrap().to_string();
    assert_eq!(location, "/sessies/centrum-2026-12");
    let session = app
        .bank
        .raw_store()
        .session(&verhalenbank::ids::SessionId::parse("centrum-2026-12").unwrap())
        .unwrap()
        .unwrap();
    let short = format!("/s/{}", session.code);

    // Before it starts, the short link says when it is and takes no stories.
    let (_, body) = app.get(&short).await;
    assert!(body.contains("nog niet begonnen") && !body.contains("<textarea"));
    let version = app.version_on(&location).await;
    let (status, _, _) = app
        .post_form(
            &format!("{location}/status"),
            &[("versie", &version), ("naar", "live")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);

    // Two participants tell a story from their phones; the board shows the public one.
    for (text, consent) in [
        (
            "Ik kom elke week naar de leesclub in de bibliotheek en ken nu veel mensen.",
            "public",
        ),
        (
            "Ik voel me vaak alleen en durf niet te vragen of ik mee mag.",
            "internal",
        ),
    ] {
        let (status, _, body) = app
            .post_form(
                &short,
                &[
                    ("verhaal", text),
                    ("gevoel", "mixed"),
                    ("toestemming", consent),
                ],
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(body.contains("class=\"code\""), "a receipt code");
    }
    app.index();
    let (_, board) = app.get(&format!("{location}/bord")).await;
    assert!(
        board.contains("2 verhalen verteld in deze sessie"),
        "{board}"
    );
    assert!(
        board.contains("leesclub") && !board.contains("durf niet te vragen"),
        "only public-consent stories on the screen"
    );
    assert!(
        board.contains("http-equiv=\"refresh\"") && board.contains("/static/board.js"),
        "refresh without, live with JavaScript"
    );
    let stored: Vec<_> = app
        .bank
        .raw_store()
        .stories()
        .map(Result::unwrap)
        .filter(|s| s.session == Some(session.id.clone()))
        .collect();
    assert_eq!(stored.len(), 2);
    assert!(
        stored
            .iter()
            .all(|s| s.area.as_ref().map(|a| a.as_str()) == Some("centrum")
                && s.subgoals.iter().any(|g| g.as_str() == "sterker-netwerk"))
    );

    // Interpretation and an action, then the report.
    let (status, _, body) = app
        .post_form(
            &format!("{location}/duiding"),
            &[("indicator", "aandeel-eenzaam")],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "an interpretation needs an answer: {body}"
    );
    let (status, _, _) = app
        .post_form(
            &format!("{location}/duiding"),
            &[
                ("indicator", "aandeel-eenzaam"),
                ("deelnemers", "bewoners, bibliotheek"),
                ("herkennen", "Ja, vooral bij ouderen."),
                ("verbeteren", "Leesclub ook op zaterdag."),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = app
        .post_form(
            &format!("{location}/actie"),
            &[
                ("wat", "Leesclub op zaterdag"),
                ("eigenaar", "Bibliotheek Veenstede"),
                ("klaar", "2026-11-01"),
                ("indicator", "aandeel-eenzaam"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (_, report) = app.get(&format!("{location}/verslag")).await;
    assert!(
        report.contains("Ja, vooral bij ouderen.")
            && report.contains("Leesclub op zaterdag")
            && report.contains("Te laat"),
        "report with overdue action"
    );

    // The evidence page shows the interpretation (searchable) and the open action.
    let (_, evidence) = app.get("/indicator/aandeel-eenzaam").await;
    assert!(
        evidence.contains("Ja, vooral bij ouderen.") && evidence.contains("Leesclub op zaterdag")
    );
    let (_, found) = app.get("/indicator/aandeel-eenzaam?dq=oudere").await;
    assert!(
        found.contains("Ja, vooral bij ouderen."),
        "interpretations search with Dutch stemming"
    );
    let (_, none) = app.get("/indicator/aandeel-eenzaam?dq=krokodil").await;
    assert!(!none.contains("Ja, vooral bij ouderen."));

    // Close it and write what was heard: the short link becomes the participants' page.
    let version = app.version_on(&location).await;
    app.post_form(
        &format!("{location}/gehoord"),
        &[
            ("versie", &version),
            ("gehoord", "We hoorden dat de **leesclub** helpt."),
        ],
    )
    .await;
    let version = app.version_on(&location).await;
    app.post_form(
        &format!("{location}/status"),
        &[("versie", &version), ("naar", "closed")],
    )
    .await;
    let (_, body) = app.get(&short).await;
    assert!(body.contains("<strong>leesclub</strong>") && body.contains("Leesclub op zaterdag"));
    let (status, _, _) = app
        .post_form(
            &short,
            &[
                ("verhaal", "Te laat voor de sessie, maar toch een verhaal."),
                ("gevoel", "positive"),
                ("toestemming", "public"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        app.bank
            .raw_store()
            .stories()
            .map(Result::unwrap)
            .filter(|s| s.session == Some(session.id.clone()))
            .count(),
        2,
        "a closed session takes no stories"
    );

    // The QR code is drawn locally.
    let (status, headers, svg) = app
        .send(
            Request::get(format!("{location}/qr.svg"))
                .header(header::HOST, "verhalen.example.nl")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "image/svg+xml");
    assert!(svg.starts_with("<?xml") && svg.contains("<path"));
}

#[tokio::test]
async fn actions_are_listed_with_overdue_ones_marked_and_can_be_updated() {
    let app = TestApp::demo();
    app.login("begeleider").await;
    let (_, body) = app.get("/acties").await;
    assert!(body.contains("Bankje bij de supermarkt") && body.contains("Te laat"));
    let action = app
        .bank
        .raw_store()
        .actions()
        .unwrap()
        .into_iter()
        .find(|a| a.title.starts_with("Bankje"))
        .unwrap();
    let version = app
        .bank
        .action_versions()
        .unwrap()
        .get(&action.id)
        .copied()
        .unwrap()
        .to_string();
    assert!(body.contains(&format!(r#"name="versie" value="{version}""#)));
    let (status, headers, _) = app
        .post_form(
            &format!("/acties/{}", action.id),
            &[
                ("versie", &version),
                ("stand", "done"),
                ("uitkomst", "Het bankje staat er sinds september."),
                ("terug", "/acties?gebied=noord"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/acties?gebied=noord");
    let updated = app.bank.raw_store().action(action.id).unwrap().unwrap();
    assert_eq!(updated.status, verhalenbank::sessions::ActionStatus::Done);
    let (_, body) = app.get("/acties?gebied=noord").await;
    assert!(body.contains("Het bankje staat er sinds september."));
    let (_, body) = app.get("/acties?gebied=zuid").await;
    assert!(!body.contains("Bankje bij de supermarkt"));
}

#[tokio::test]
async fn experienced_effect_comes_from_statement_scores() {
    let app = TestApp::demo();
    let (_, body) = app.get("/indicator/ervaren-meer-mensen-kennen").await;
    assert!(
        body.contains("Uit de antwoorden bij de verhalen"),
        "scores summary"
    );
    assert!(body.contains("Antwoorden op de stelling per kwartaal"));
}

/// The status, headers and raw body of a GET, for downloads.
async fn get_file(app: &TestApp, path: &str) -> (StatusCode, axum::http::HeaderMap, Vec<u8>) {
    let response = app
        .router
        .clone()
        .oneshot(Request::get(path).body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    let body = axum::body::to_bytes(response.into_body(), 50 * 1024 * 1024)
        .await
        .unwrap();
    (status, headers, body.to_vec())
}

/// A CSV download's header and rows, read the way Dutch spreadsheets write it.
fn csv_rows(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::str::from_utf8(bytes).unwrap();
    let text = text.strip_prefix('\u{feff}').expect("a byte order mark");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .from_reader(text.as_bytes());
    let header = reader.headers().unwrap().iter().map(String::from).collect();
    let rows = reader
        .records()
        .map(|record| record.unwrap().iter().map(String::from).collect())
        .collect();
    (header, rows)
}

#[tokio::test]
async fn the_search_page_downloads_every_story_it_finds() {
    use calamine::Reader;
    let app = TestApp::demo();
    app.index();

    // The links carry the page's search, without the page number.
    let (_, page) = app
        .get("/zoeken?area=noord&valence=negative&sorteer=nieuw&pagina=2")
        .await;
    assert!(
        page.contains(
            "href=\"/zoeken/export.csv?area=noord&#38;valence=negative&#38;sorteer=nieuw\""
        ),
        "{page}"
    );
    assert!(page.contains("Download als Excel"), "{page}");

    // Filtered: only the stories the same search finds, across all its pages.
    let public = || verhalenbank::index::SearchRequest::new("", verhalenbank::index::Scope::Public);
    let in_noord = app
        .bank
        .search(&public().filter(verhalenbank::index::FacetField::Area, "noord"))
        .unwrap()
        .total;
    assert!(in_noord > 10, "more than one page: {in_noord}");
    let (status, headers, body) =
        get_file(&app, "/zoeken/export.csv?area=noord&sorteer=oud&pagina=2").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"verhalen-2026-11-23.csv\""
    );
    let (columns, rows) = csv_rows(&body);
    assert_eq!(&columns[..3], ["id", "title", "date"]);
    assert!(
        !columns.iter().any(|c| c == "name"),
        "no tellers' names in a public download"
    );
    assert_eq!(rows.len(), in_noord);
    let column = |name: &str| columns.iter().position(|c| c == name).unwrap();
    let settings = app.bank.settings().unwrap();
    let noord = verhalenbank::ids::AreaId::parse("noord").unwrap();
    for row in &rows {
        let area = verhalenbank::ids::AreaId::parse(&row[column("area")]).unwrap();
        assert!(
            settings
                .municipality
                .area_and_ancestors(&area)
                .contains(&noord),
            "{row:?}"
        );
        assert_eq!(row[column("consent")], "public");
        assert_eq!(row[column("status")], "published");
    }
    let dates: Vec<&String> = rows.iter().map(|row| &row[column("date")]).collect();
    assert!(dates.is_sorted(), "oldest first, as asked");

    let negative = app
        .bank
        .search(&public().filter(verhalenbank::index::FacetField::Valence, "negative"))
        .unwrap()
        .total;
    let (_, _, body) = get_file(&app, "/zoeken/export.csv?valence=negative").await;
    let rows = csv_rows(&body).1;
    assert_eq!(rows.len(), negative);
    assert!(rows.iter().all(|row| row[column("valence")] == "negative"));

    // Without a filter: more stories than fit on one page, every public one.
    let everything = app
        .bank
        .search(&verhalenbank::index::SearchRequest::new(
            "",
            verhalenbank::index::Scope::Public,
        ))
        .unwrap()
        .total;
    assert!(everything > 10, "{everything}");
    let (_, _, body) = get_file(&app, "/zoeken/export.csv").await;
    assert_eq!(csv_rows(&body).1.len(), everything);

    // A text search, as Excel.
    let (_, page) = app.get("/zoeken?q=koffie").await;
    let found: usize = page
        .split("<h2 id=\"resultaten\">")
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    let (status, headers, body) = get_file(&app, "/zoeken/export.xlsx?q=koffie").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"verhalen-2026-11-23.xlsx\""
    );
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(body)).unwrap();
    assert_eq!(workbook.sheet_names(), ["verhalen"]);
    let sheet = workbook.worksheet_range("verhalen").unwrap();
    assert_eq!(
        sheet.rows().count(),
        found + 1,
        "a header and {found} stories"
    );
}

#[tokio::test]
async fn the_actions_page_downloads_the_actions_it_shows() {
    use calamine::Reader;
    let app = TestApp::demo();
    let (_, page) = app.get("/acties?indicator=aandeel-eenzaam").await;
    assert!(
        page.contains("href=\"/acties/export.csv?indicator=aandeel-eenzaam\""),
        "{page}"
    );

    let (status, headers, body) = get_file(&app, "/acties/export.csv?gebied=noord").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(headers[header::CONTENT_TYPE], "text/csv; charset=utf-8");
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"acties-2026-11-23.csv\""
    );
    let (columns, rows) = csv_rows(&body);
    assert_eq!(
        columns,
        [
            "id",
            "title",
            "owner",
            "due",
            "status",
            "overdue",
            "indicator",
            "area",
            "session",
            "outcome",
            "created"
        ]
    );
    // Open ones first, as on the page; on 23 November 2026 the bench is overdue, the rest is not.
    let summary: Vec<(&str, &str, &str)> = rows
        .iter()
        .map(|row| (row[1].as_str(), row[4].as_str(), row[5].as_str()))
        .collect();
    assert_eq!(
        summary,
        [
            (
                "Bankje bij de supermarkt als ontmoetingsplek",
                "in_progress",
                "ja"
            ),
            (
                "Jongeren doen boodschappen voor ouderen en drinken een kop koffie mee",
                "open",
                "nee"
            ),
            (
                "Telefoonketen voor bewoners die niet meer naar buiten kunnen",
                "done",
                "nee"
            ),
        ]
    );
    assert_eq!(rows[0][3], "2026-06-30");

    let (_, _, body) = get_file(&app, "/acties/export.csv?indicator=aandeel-eenzaam").await;
    assert_eq!(csv_rows(&body).1.len(), 1);
    let (_, _, body) = get_file(&app, "/acties/export.csv?gebied=zuid").await;
    assert_eq!(csv_rows(&body).1.len(), 0);

    let (status, headers, body) = get_file(&app, "/acties/export.xlsx").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"acties-2026-11-23.xlsx\""
    );
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(body)).unwrap();
    let sheet = workbook.worksheet_range("acties").unwrap();
    assert_eq!(sheet.rows().count(), 1 + 3);
    assert!(
        matches!(sheet.rows().nth(1).unwrap()[3], calamine::Data::DateTime(_)),
        "the due date is a date"
    );
}

#[tokio::test]
async fn the_evidence_page_downloads_its_figures_and_stories() {
    use calamine::Reader;
    let app = TestApp::demo();
    app.index();
    let (_, page) = app
        .get("/indicator/bezoekers-koffie-inloop?gebied=noord")
        .await;
    assert!(
        page.contains("href=\"/indicator/bezoekers-koffie-inloop/export.csv?gebied=noord\""),
        "{page}"
    );

    let settings = app.bank.settings().unwrap();
    let noord = verhalenbank::ids::AreaId::parse("noord").unwrap();
    let (status, headers, body) = get_file(
        &app,
        "/indicator/bezoekers-koffie-inloop/export.csv?gebied=noord",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_DISPOSITION],
        "attachment; filename=\"metingen-2026-11-23.csv\""
    );
    let (columns, rows) = csv_rows(&body);
    assert_eq!(columns[0], "indicator");
    assert!(!rows.is_empty());
    for row in &rows {
        assert_eq!(row[0], "bezoekers-koffie-inloop");
        if !row[2].is_empty() {
            let area = verhalenbank::ids::AreaId::parse(&row[2]).unwrap();
            assert!(
                settings
                    .municipality
                    .area_and_ancestors(&area)
                    .contains(&noord),
                "{row:?}"
            );
        }
    }
    let all = csv_rows(
        &get_file(&app, "/indicator/bezoekers-koffie-inloop/export.csv")
            .await
            .2,
    )
    .1;
    assert!(all.len() > rows.len(), "other areas' figures are left out");

    let (status, headers, body) = get_file(
        &app,
        "/indicator/bezoekers-koffie-inloop/export.xlsx?gebied=noord",
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        headers[header::CONTENT_TYPE],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let mut workbook = calamine::Xlsx::new(std::io::Cursor::new(body)).unwrap();
    assert_eq!(workbook.sheet_names(), ["metingen", "verhalen"]);
    let indicator = settings
        .goals
        .indicator(&verhalenbank::ids::IndicatorId::parse("bezoekers-koffie-inloop").unwrap())
        .unwrap();
    let request = verhalenbank::index::SearchRequest::new("", verhalenbank::index::Scope::Public)
        .filter(
            verhalenbank::index::FacetField::Subgoal,
            indicator.subgoal.as_str(),
        )
        .filter(verhalenbank::index::FacetField::Area, "noord");
    let told = app.bank.search(&request).unwrap().total;
    assert!(told > 0);
    let stories = workbook.worksheet_range("verhalen").unwrap();
    assert_eq!(stories.rows().count(), told + 1);

    assert_eq!(
        get_file(&app, "/indicator/bestaat-niet/export.csv").await.0,
        StatusCode::NOT_FOUND
    );
}

#[test]
fn only_the_demo_has_accounts() {
    let app = TestApp::demo();
    let names: Vec<String> = app
        .bank
        .raw_store()
        .users()
        .unwrap()
        .into_iter()
        .map(|user| user.name.to_string())
        .collect();
    assert_eq!(
        names,
        ["analist", "begeleider", "beheerder", "buurtwerk", "welzijn"]
    );
    let analist = app
        .bank
        .raw_store()
        .user(&verhalenbank::ids::UserName::parse("analist").unwrap())
        .unwrap()
        .unwrap();
    assert!(analist.password.verify(verhalenbank::bank::DEMO_PASSWORD));

    let dir = tempfile::tempdir().unwrap();
    let bank = Bank::open(&Config::new(dir.path())).unwrap();
    assert!(bank.raw_store().users().unwrap().is_empty());
}

#[tokio::test]
async fn the_home_page_invites_residents_to_storytelling_sessions() {
    let app = TestApp::demo();
    let (_, home) = app.get("/").await;
    assert!(home.contains("Vertelsessies in de wijken"));
    // The planned session in Zuid first, then the past one in Noord with what was heard.
    let planned = home
        .find("href=\"/s/zd26dc\"")
        .expect("the planned session");
    let past = home.find("href=\"/s/nrd26m\"").expect("the past session");
    assert!(planned < past);
    assert!(home.contains("lees wat we hoorden"));
}

/// Every page with a search box says how it searched: the stories with the most words when none has
/// them all, "Bedoelde u …?" with a link to the corrected search, and what a star stood for; the
/// API answers the same in its JSON.
#[tokio::test]
async fn search_boxes_say_how_they_searched() {
    let app = TestApp::demo();
    let (status, body) = app
        .get("/zoeken?q=de+eenzame+ouderen+in+de+wijk&valence=negative")
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.contains(
            "Geen verhalen met alle woorden. Dit zijn de verhalen met de meeste woorden."
        ),
        "{body}"
    );
    let (_, body) = app.get("/zoeken?q=eenzaamhied&pagina=2").await;
    assert!(
        body.contains("Bedoelde u <a href=\"/zoeken?q=eenzaamheid\">eenzaamheid</a>?"),
        "{body}"
    );
    assert!(
        body.contains(
            "Het woord eenzaamhied staat in geen enkel verhaal. Gezocht op: eenzaamheid."
        )
    );
    let (_, body) = app.get("/zoeken?q=buurt*").await;
    assert!(body.contains("buurt* staat voor: buurt, "), "{body}");
    let (_, body) = app.get("/zoeken?q=bu*").await;
    assert!(body.contains("Zet minstens 3 letters voor het sterretje."));
    let (_, body) = app.get("/zoeken?q=buurt").await;
    assert!(!body.contains("search-notice"), "nothing to say");

    // The search within an indicator's stories.
    let (_, body) = app
        .get("/indicator/aandeel-eenzaam?gebied=noord&q=eenzaamhied")
        .await;
    assert!(
        body.contains(
            "Bedoelde u <a href=\"/indicator/aandeel-eenzaam?gebied=noord&#38;q=eenzaamheid\">"
        ),
        "{body}"
    );

    // The API.
    let (status, body) = app.get("/api/v1/stories?q=eenzaamhied").await;
    assert_eq!(status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["suggestion"], "eenzaamheid");
    assert_eq!(json["expanded"][0]["kind"], "typo");
    assert!(json["total"].as_u64().unwrap() > 0);
    let (_, body) = app
        .get("/api/v1/stories?q=de+eenzame+ouderen+in+de+wijk&synoniemen=uit")
        .await;
    let json: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(json["relaxed"], true, "{json}");
    assert_eq!(json["all_words"], 0);
}
