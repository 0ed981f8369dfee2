//! Who may reach what, through the real router on the demo: every route of the router for every role, logging
//! in and out, and provider staff seeing their own organisation's unpublished stories but never
//! another's, on any page.

use axum::http::{StatusCode, header};
use verhalenbank::ids::ProviderId;
use verhalenbank::story::{Consent, Moderation};

use super::web::TestApp;

/// Who may reach each route of the router, by method and path template. The router's own list
/// (`web::routes()`) must equal this table, so a new route cannot be added without saying here who may
/// reach it, and the test below then holds the route to that.
const ACCESS: &[(&str, &str, Need)] = &[
    ("GET", "/", Need::Public),
    ("GET", "/indicator/{id}", Need::Public),
    ("GET", "/indicator/{id}/export.csv", Need::Public),
    ("GET", "/indicator/{id}/export.xlsx", Need::Public),
    ("GET", "/verhaal/{id}", Need::Public),
    ("GET", "/zoeken", Need::Public),
    ("GET", "/patronen", Need::Public),
    ("GET", "/zoeken/export.csv", Need::Public),
    ("GET", "/zoeken/export.xlsx", Need::Public),
    ("GET", "/zoeken/synoniemen", Need::Analyst),
    ("POST", "/zoeken/synoniemen", Need::Analyst),
    ("GET", "/vragen", Need::Analyst),
    ("POST", "/vragen", Need::Analyst),
    ("POST", "/vertel/vragen", Need::Public),
    ("GET", "/vertel/papier", Need::Public),
    ("GET", "/mijn-verhaal", Need::Public),
    ("POST", "/mijn-verhaal", Need::Public),
    ("POST", "/mijn-verhaal/toestemming", Need::Public),
    ("POST", "/mijn-verhaal/intrekken", Need::Public),
    ("GET", "/s/{code}", Need::Public),
    ("POST", "/s/{code}", Need::Public),
    ("GET", "/r/{code}", Need::Public),
    ("POST", "/r/{code}", Need::Public),
    ("GET", "/inloggen", Need::Public),
    ("POST", "/inloggen", Need::Public),
    ("GET", "/wachtwoord", Need::Staff),
    ("POST", "/wachtwoord", Need::Staff),
    ("GET", "/vertel", Need::Public),
    ("POST", "/vertel", Need::Public),
    ("GET", "/aanbieder/verhaal", Need::Staff),
    ("POST", "/aanbieder/verhaal", Need::Staff),
    ("GET", "/verhaal/{id}/foto/{n}", Need::Public),
    ("GET", "/moderatie/{id}/opname", Need::Staff),
    ("GET", "/aanbieder/papier", Need::Staff),
    ("POST", "/aanbieder/papier", Need::Staff),
    ("GET", "/moderatie", Need::Analyst),
    ("GET", "/moderatie/{id}", Need::Analyst),
    ("POST", "/moderatie/{id}", Need::Analyst),
    ("GET", "/sessies", Need::Facilitator),
    ("GET", "/sessies/nieuw", Need::Facilitator),
    ("POST", "/sessies/nieuw", Need::Facilitator),
    ("GET", "/sessies/{id}", Need::Facilitator),
    ("POST", "/sessies/{id}/status", Need::Facilitator),
    ("POST", "/sessies/{id}/duiding", Need::Facilitator),
    ("POST", "/sessies/{id}/actie", Need::Facilitator),
    ("POST", "/sessies/{id}/gehoord", Need::Facilitator),
    ("GET", "/sessies/{id}/bord", Need::Facilitator),
    ("GET", "/sessies/{id}/stroom", Need::Facilitator),
    ("GET", "/sessies/{id}/qr.svg", Need::Facilitator),
    ("GET", "/sessies/{id}/verslag", Need::Facilitator),
    ("GET", "/rondes", Need::Analyst),
    ("POST", "/rondes", Need::Analyst),
    ("GET", "/rondes/{id}", Need::Analyst),
    ("POST", "/rondes/{id}/fase", Need::Analyst),
    ("GET", "/rondes/{id}/thema/{number}", Need::Analyst),
    ("POST", "/rondes/{id}/themas", Need::Analyst),
    ("POST", "/rondes/{id}/teksten", Need::Analyst),
    ("POST", "/rondes/{id}/betekenisvol", Need::Analyst),
    ("GET", "/rondes/{id}/verzamelen", Need::Analyst),
    ("POST", "/rondes/{id}/verzamelen", Need::Analyst),
    ("GET", "/rondes/{id}/qr.svg", Need::Analyst),
    ("GET", "/verantwoording", Need::Public),
    ("GET", "/verantwoording.md", Need::Public),
    ("GET", "/doelenboom", Need::Analyst),
    ("GET", "/doelenboom/nieuw/{kind}", Need::Analyst),
    ("POST", "/doelenboom/nieuw/{kind}", Need::Analyst),
    ("GET", "/doelenboom/{kind}/{id}", Need::Analyst),
    ("POST", "/doelenboom/{kind}/{id}", Need::Analyst),
    ("POST", "/doelenboom/{kind}/{id}/status", Need::Analyst),
    ("GET", "/acties", Need::Public),
    ("GET", "/acties/export.csv", Need::Public),
    ("GET", "/acties/export.xlsx", Need::Public),
    ("POST", "/acties/{id}", Need::Facilitator),
    ("GET", "/indicator/{id}/duiding", Need::Facilitator),
    ("POST", "/indicator/{id}/duiding", Need::Facilitator),
    ("POST", "/uitloggen", Need::Public),
    ("GET", "/login/oidc", Need::Public),
    ("GET", "/login/oidc/terug", Need::Public),
    ("POST", "/tweestaps", Need::Analyst),
    ("GET", "/beheer", Need::Admin),
    ("POST", "/beheer/tokens", Need::Admin),
    ("GET", "/beheer/accounts", Need::Admin),
    ("POST", "/beheer/accounts", Need::Admin),
    ("GET", "/beheer/accounts/{name}", Need::Admin),
    ("POST", "/beheer/accounts/{name}/rol", Need::Admin),
    ("POST", "/beheer/accounts/{name}/uitzetten", Need::Admin),
    ("POST", "/beheer/accounts/{name}/aanzetten", Need::Admin),
    ("POST", "/beheer/accounts/{name}/wachtwoord", Need::Admin),
    ("POST", "/beheer/accounts/{name}/tweestaps-uit", Need::Admin),
    ("POST", "/beheer/back-up", Need::Admin),
    ("GET", "/beheer/back-up/nieuwste", Need::Admin),
    ("POST", "/beheer/tokens/{id}/intrekken", Need::Admin),
    ("POST", "/moderatie/{id}/wissen", Need::Analyst),
    ("POST", "/moderatie/{id}/samenvoegen", Need::Analyst),
    ("GET", "/healthz", Need::Public),
    ("GET", "/readyz", Need::Public),
    ("GET", "/metrics", Need::Token),
    ("GET", "/taal", Need::Public),
    ("GET", "/static/style.css", Need::Public),
    ("GET", "/static/board.js", Need::Public),
    ("GET", "/static/favicon.svg", Need::Public),
    ("GET", "/favicon.ico", Need::Public),
    ("GET", "/api/v1/stories", Need::Public),
    ("POST", "/api/v1/stories", Need::Token),
    ("GET", "/api/v1/stories/{id}", Need::Public),
    ("GET", "/api/v1/goals", Need::Public),
    ("GET", "/api/v1/indicators/{id}/evidence", Need::Public),
    ("GET", "/api/v1/measurements", Need::Public),
    ("GET", "/api/v1/openapi.json", Need::Public),
];

/// Pages anyone may open without an account.
const PUBLIC: &[&str] = &[
    "/",
    "/zoeken",
    "/vertel",
    "/mijn-verhaal",
    "/acties",
    "/verantwoording",
    "/indicator/bezoekers-koffie-inloop",
    "/s/nrd26m",
    "/r/mnd25r",
    "/inloggen",
];

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Need {
    /// Anyone, without an account.
    Public,
    /// A token (an API token, or the metrics token), never a login.
    Token,
    Staff,
    Facilitator,
    Analyst,
    Admin,
}

/// What each demo account may do, by the least role it covers.
fn covers(account: &str, need: Need) -> bool {
    match account {
        "buurtwerk" | "welzijn" => need == Need::Staff,
        "begeleider" => need <= Need::Facilitator,
        "analist" => need <= Need::Analyst,
        "beheerder" => true,
        other => panic!("unknown demo account {other}"),
    }
}

/// A path for a route template, with the demo's ids: `story` and `action` are made at run time.
fn sample(template: &str, story: &str, action: &str) -> String {
    let id = [
        ("/indicator/", "bezoekers-koffie-inloop"),
        ("/api/v1/indicators/", "bezoekers-koffie-inloop"),
        ("/sessies/", "noord-2026-03"),
        ("/rondes/", "minder-alleen-2025"),
        ("/doelenboom/", "sterker-netwerk"),
        ("/acties/", action),
        ("/beheer/tokens/", "0000abcd"),
    ]
    .iter()
    .find(|(prefix, _)| template.starts_with(prefix))
    .map_or(story, |(_, id)| id);
    let kind = if template.contains("/nieuw/") {
        "doel"
    } else {
        "subdoel"
    };
    let code = if template.starts_with("/s/") {
        "nrd26m"
    } else {
        "mnd25r"
    };
    let path = template
        .replace("{id}", id)
        .replace("{n}", "1")
        .replace("{number}", "1")
        .replace("{kind}", kind)
        .replace("{name}", "welzijn")
        .replace("{code}", code);
    assert!(!path.contains('{'), "no sample for {template}");
    path
}

/// The status and headers only: a page's body is not read, so a stream that never ends is no bother.
/// Each post comes from an address of its own, so the rate limit on form posts never answers in the
/// route's place.
async fn call(app: &TestApp, method: &str, path: &str) -> (StatusCode, axum::http::HeaderMap) {
    static POSTS: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(1);
    let request = if method == "GET" {
        axum::http::Request::get(path)
            .body(axum::body::Body::empty())
            .unwrap()
    } else {
        let n = POSTS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let from = std::net::SocketAddr::from(([10, 0, (n >> 8) as u8, n as u8], 40000));
        let mut request = axum::http::Request::post(path)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(axum::body::Body::from("x=y"))
            .unwrap();
        request
            .extensions_mut()
            .insert(axum::extract::ConnectInfo(from));
        request
    };
    let (status, headers) = app.respond(request).await;
    assert_ne!(status, StatusCode::TOO_MANY_REQUESTS, "{method} {path}");
    (status, headers)
}

#[test]
fn the_access_table_holds_exactly_the_routers_routes() {
    let routed: std::collections::BTreeSet<(String, String)> = verhalenbank::web::routes()
        .into_iter()
        .map(|route| (route.method.to_string(), route.path))
        .collect();
    let declared: std::collections::BTreeSet<(String, String)> = ACCESS
        .iter()
        .map(|(method, path, _)| (method.to_string(), path.to_string()))
        .collect();
    assert_eq!(declared.len(), ACCESS.len(), "a route twice in the table");
    let missing: Vec<_> = routed.difference(&declared).collect();
    let gone: Vec<_> = declared.difference(&routed).collect();
    assert!(
        missing.is_empty(),
        "routes with no expected access: {missing:?}"
    );
    assert!(
        gone.is_empty(),
        "routes in the table but not in the router: {gone:?}"
    );
}

#[tokio::test]
async fn every_route_admits_exactly_the_roles_it_should() {
    let app = TestApp::demo();
    let story = app
        .bank
        .raw_store()
        .stories()
        .next()
        .unwrap()
        .unwrap()
        .id
        .to_string();
    let action = app.bank.raw_store().actions().unwrap()[0].id.to_string();
    let path = |template: &str| sample(template, &story, &action);

    // Without an account: public routes answer, token routes refuse, staff routes send to the login
    // page and back afterwards.
    for (method, route, need) in ACCESS {
        let (status, headers) = call(&app, method, &path(route)).await;
        let location = headers
            .get(header::LOCATION)
            .map(|location| location.to_str().unwrap().to_string());
        match need {
            Need::Public => assert!(
                status != StatusCode::FORBIDDEN
                    && status != StatusCode::UNAUTHORIZED
                    && !location
                        .as_deref()
                        .is_some_and(|l| l.starts_with("/inloggen")),
                "anyone may {method} {route}, got {status} {location:?}"
            ),
            Need::Token => assert!(
                status == StatusCode::UNAUTHORIZED || status == StatusCode::NOT_FOUND,
                "{method} {route} needs a token, got {status}"
            ),
            _ => {
                assert_eq!(status, StatusCode::SEE_OTHER, "{method} {route}");
                let location = location.unwrap_or_default();
                assert!(
                    location.starts_with("/inloggen?terug=%2F"),
                    "{method} {route}: {location}"
                );
            }
        }
    }
    for route in PUBLIC {
        let (status, _) = call(&app, "GET", route).await;
        assert_eq!(status, StatusCode::OK, "{route} is public");
    }

    let staff_routes = ACCESS
        .iter()
        .filter(|(_, _, need)| !matches!(need, Need::Public | Need::Token));
    for account in ["buurtwerk", "begeleider", "analist", "beheerder"] {
        app.login(account).await;
        for (method, route, need) in staff_routes.clone() {
            let (status, _) = call(&app, method, &path(route)).await;
            if covers(account, *need) {
                assert!(
                    status != StatusCode::FORBIDDEN && status != StatusCode::SEE_OTHER
                        || *method == "POST" && status == StatusCode::SEE_OTHER,
                    "{account} may {method} {route}, got {status}"
                );
            } else {
                assert_eq!(
                    status,
                    StatusCode::FORBIDDEN,
                    "{account} may not {method} {route}"
                );
            }
        }
    }
}

#[tokio::test]
async fn logging_in_and_out() {
    let app = TestApp::demo();
    let (status, _, body) = app
        .post_form(
            "/inloggen",
            &[("naam", "analist"), ("wachtwoord", "geraden")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body.contains("De gebruikersnaam, het wachtwoord of de code klopt niet."));
    let (status, _, same) = app
        .post_form(
            "/inloggen",
            &[("naam", "bestaat-niet"), ("wachtwoord", "geraden")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        same.contains("De gebruikersnaam, het wachtwoord of de code klopt niet."),
        "one message for both"
    );

    // After logging in, back where the visitor was sent from; a path elsewhere is not followed.
    let (status, headers, _) = app
        .post_form(
            "/inloggen",
            &[
                ("naam", "Analist"),
                ("wachtwoord", verhalenbank::bank::DEMO_PASSWORD),
                ("terug", "https://elders.example/"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/");
    let cookie = headers[header::SET_COOKIE].to_str().unwrap();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
        "{cookie}"
    );

    app.login("analist").await;
    let (_, page) = app.get("/").await;
    assert!(page.contains("Demo analist") && page.contains("href=\"/moderatie\""));
    let (status, headers, _) = app.post_form("/uitloggen", &[]).await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(headers[header::LOCATION], "/");
    // The old cookie no longer opens staff pages: the session is gone from the store.
    let (status, _) = call(&app, "GET", "/moderatie").await;
    assert_eq!(status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn provider_staff_see_their_own_unpublished_stories_and_never_another_providers() {
    let app = TestApp::demo();
    let buurtwerk = ProviderId::parse("buurtwerk").unwrap();
    let welzijn = ProviderId::parse("welzijn").unwrap();
    // One unpublished story of each, with a word no other story has.
    let mut stories = Vec::new();
    for (provider, word) in [(&buurtwerk, "kastanjeboom"), (&welzijn, "rozenstruik")] {
        let mut story = verhalenbank::testing::story(
            &format!("Verhaal over de {word}"),
            &format!("In de tuin staat een {word} waar we samen onder zitten."),
        );
        story.provider = Some(provider.clone());
        story.moderation = Moderation::Submitted;
        story.consent = Consent::Internal;
        app.bank.raw_store().put_story(&story).unwrap();
        stories.push(story);
    }
    app.index();

    app.login("buurtwerk").await;
    let (_, own) = app.get("/zoeken?q=kastanjeboom").await;
    assert!(
        own.contains("1 verhaal gevonden"),
        "their own unpublished story"
    );
    let (status, _) = app.get(&format!("/verhaal/{}", stories[0].id)).await;
    assert_eq!(status, StatusCode::OK);

    // Welzijn's story: not by search, not by facet counts, not by its page, not in a download.
    let (_, other) = app.get("/zoeken?q=rozenstruik").await;
    assert!(other.contains("0 verhalen gevonden"), "{other}");
    let (_, facets) = app.get("/zoeken?provider=welzijn&status=submitted").await;
    assert!(facets.contains("0 verhalen gevonden"));
    let (status, _) = app.get(&format!("/verhaal/{}", stories[1].id)).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (_, _, csv) = app
        .send(
            axum::http::Request::get("/zoeken/export.csv?status=submitted")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert!(csv.contains("kastanjeboom") && !csv.contains("rozenstruik"));
    // Nor through the staff pages of other roles.
    let (status, _) = app.get(&format!("/moderatie/{}", stories[1].id)).await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    // The public sees neither.
    app.logout_locally();
    let (_, public) = app.get("/zoeken?q=kastanjeboom").await;
    assert!(public.contains("0 verhalen gevonden"));
}

#[tokio::test]
async fn form_posts_from_other_sites_are_refused() {
    let app = TestApp::demo();
    app.login("analist").await;
    let post = |origin: Option<&str>, site: Option<&str>| {
        let mut request = axum::http::Request::post("/rondes/minder-alleen-2025/fase")
            .header(header::HOST, "verhalen.example")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(origin) = origin {
            request = request.header(header::ORIGIN, origin);
        }
        if let Some(site) = site {
            request = request.header("sec-fetch-site", site);
        }
        request.body(axum::body::Body::from("fase=closed")).unwrap()
    };
    for (origin, site, allowed) in [
        (Some("https://verhalen.example"), Some("same-origin"), true),
        (None, None, true),
        (None, Some("same-origin"), true),
        (Some("https://elders.example"), Some("cross-site"), false),
        (Some("https://verhalen.example.elders.example"), None, false),
        (Some("null"), None, false),
        (Some("null"), Some("same-origin"), true),
        (Some("null"), Some("cross-site"), false),
        (None, Some("cross-site"), false),
    ] {
        let (status, _, _) = app.send(post(origin, site)).await;
        assert_eq!(
            status != StatusCode::FORBIDDEN,
            allowed,
            "origin {origin:?}, sec-fetch-site {site:?}: {status}"
        );
    }
    // Reading is never refused.
    let (status, _, _) = app
        .send(
            axum::http::Request::get("/rondes")
                .header(header::ORIGIN, "https://elders.example")
                .body(axum::body::Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn the_moderator_blacks_out_the_personal_details_they_accept() {
    let app = TestApp::demo();
    let mut story = verhalenbank::testing::story(
        "Hulp bij de formulieren",
        "Mevrouw Yilmaz hielp mij. Bel haar gerust op 06-12345678 of mail naar hulp@voorbeeld.nl.",
    );
    story.moderation = Moderation::Submitted;
    app.bank.raw_store().put_story(&story).unwrap();
    app.login("analist").await;
    let (_, page) = app.get(&format!("/moderatie/{}", story.id)).await;
    assert!(page.contains("Persoonsgegevens afschermen"));
    assert!(
        page.contains("value=\"verhaal:phone:06-12345678\""),
        "{page}"
    );
    assert!(page.contains("value=\"verhaal:email:hulp@voorbeeld.nl\""));

    // Accept the phone number and the e-mail address; dismiss everything else; publish.
    let date = story.date.to_string();
    let version = app.version_on(&format!("/moderatie/{}", story.id)).await;
    let (status, _, body) = app
        .post_form(
            &format!("/moderatie/{}", story.id),
            &[
                ("versie", &version),
                ("titel", story.title.as_str()),
                ("datum", &date),
                ("verhaal", story.text.as_str()),
                ("rol", "resident"),
                ("gevoel", "positive"),
                ("toestemming", "public"),
                ("afschermen", "verhaal:phone:06-12345678"),
                ("afschermen", "verhaal:email:hulp@voorbeeld.nl"),
                ("besluit", "publish"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER, "{body}");
    let stored = app.bank.raw_store().get_story(story.id).unwrap().unwrap();
    assert_eq!(
        stored.text.as_str(),
        "Mevrouw Yilmaz hielp mij. Bel haar gerust op [telefoonnummer] of mail naar [e-mailadres]."
    );
    assert_eq!(stored.moderation, Moderation::Published);
}

#[tokio::test]
async fn api_tokens_act_for_one_provider_and_stop_when_revoked() {
    let app = TestApp::demo();
    let story = |title: &str| {
        serde_json::json!({
            "title": title,
            "teller": "professional",
            "valence": "mixed",
            "consent": "internal",
            "text": format!("{title}: een verhaal uit het registratiesysteem van de aanbieder."),
        })
    };
    // Without a token, or with a made-up one, nothing is created.
    let (status, headers, _) = app
        .post_json("/api/v1/stories", &story("Zonder sleutel"))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(headers[header::WWW_AUTHENTICATE], "Bearer");
    app.use_token(Some(verhalenbank::tokens::ApiToken::generate().reveal()));
    let (status, _, _) = app
        .post_json("/api/v1/stories", &story("Verzonnen sleutel"))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    let buurtwerk = app.make_token("buurtwerk");
    let welzijn = app.make_token("welzijn");
    app.use_token(Some(&welzijn));
    let (status, _, body) = app
        .post_json("/api/v1/stories", &story("Vlierbessensap"))
        .await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    let id = serde_json::from_str::<serde_json::Value>(&body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    // A token cannot submit for another provider.
    let mut other = story("Voor een ander");
    other["provider"] = "buurtwerk".into();
    let (status, _, body) = app.post_json("/api/v1/stories", &other).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        body.contains("this token submits for provider welzijn"),
        "{body}"
    );
    app.index();

    // Welzijn reads its own unpublished story; buurtwerk's token reaches it by no route.
    let (status, _) = app.get(&format!("/api/v1/stories/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    let (_, body) = app.get("/api/v1/stories?q=vlierbessensap").await;
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&body).unwrap()["total"],
        1
    );
    app.use_token(Some(&buurtwerk));
    let (status, _) = app.get(&format!("/api/v1/stories/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    for query in [
        "/api/v1/stories?q=vlierbessensap",
        "/api/v1/stories?provider=welzijn&status=submitted",
    ] {
        let (_, body) = app.get(query).await;
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&body).unwrap()["total"],
            0,
            "{query}"
        );
    }
    let (_, body) = app
        .get("/api/v1/indicators/bezoekers-koffie-inloop/evidence?q=vlierbessensap")
        .await;
    assert!(!body.contains("Vlierbessensap"), "{body}");

    // Revoked on the admin page, the token stops working at once.
    app.use_token(None);
    app.login("beheerder").await;
    let (_, page) = app.get("/beheer").await;
    let info = app
        .bank
        .raw_store()
        .tokens()
        .unwrap()
        .into_iter()
        .find(|token| token.provider.as_str() == "welzijn")
        .unwrap();
    assert!(page.contains(&info.id), "{page}");
    assert!(
        !page.contains(&welzijn),
        "the token itself is never shown again"
    );
    let (status, _, _) = app
        .post_form(&format!("/beheer/tokens/{}/intrekken", info.id), &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    app.logout_locally();
    app.use_token(Some(&welzijn));
    let (status, _) = app.get(&format!("/api/v1/stories/{id}")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_admin_makes_a_token_that_is_shown_once_and_stored_hashed() {
    let app = TestApp::demo();
    app.login("beheerder").await;
    let (status, _, page) = app
        .post_form(
            "/beheer/tokens",
            &[("aanbieder", "buurtwerk"), ("omschrijving", "Registratie")],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let start = page.find("vbk_").expect("the new token on the page");
    let token = &page[start..start + 36];
    assert!(verhalenbank::tokens::ApiToken::parse(token).is_some());
    // The store keeps only the token's hash.
    let files = super::support::read_tree(app.data_dir());
    assert!(
        !files
            .iter()
            .any(|(_, bytes)| bytes.windows(token.len()).any(|w| w == token.as_bytes())),
        "the token is in no file"
    );
    let (_, again) = app.get("/beheer").await;
    assert!(!again.contains(token) && again.contains("Registratie"));
    let (status, _, page) = app.post_form("/beheer/tokens", &[("aanbieder", "")]).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Kies de aanbieder"));
}

#[tokio::test]
async fn an_analyst_turns_on_two_step_verification_and_then_needs_the_code() {
    use verhalenbank::accounts::SecondFactor;
    let app = TestApp::demo();
    let now = || jiff::Timestamp::now().as_second() as u64;
    app.login("analist").await;
    let (_, page) = app.get("/wachtwoord").await;
    assert!(page.contains("Tweestapsverificatie aanzetten"));
    let (status, _, page) = app.post_form("/tweestaps", &[("stap", "start")]).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("<svg"), "a QR code in the page");
    let start = page.find("name=\"geheim\" value=\"").unwrap() + 21;
    let secret = page[start..start + 32].to_string();
    let factor = SecondFactor {
        secret: secret.clone(),
        last_step: 0,
    };
    // A wrong code does not turn it on.
    let (status, _, page) = app
        .post_form(
            "/tweestaps",
            &[("stap", "aan"), ("geheim", &secret), ("code", "123456x")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Deze code klopt niet"));
    let code = factor.code_at(now()).unwrap();
    let (status, _, page) = app
        .post_form(
            "/tweestaps",
            &[("stap", "aan"), ("geheim", &secret), ("code", &code)],
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        page.contains("Tweestapsverificatie staat nu aan."),
        "{page}"
    );
    app.logout_locally();

    let login = |code: String| {
        let app = &app;
        async move {
            app.post_form(
                "/inloggen",
                &[
                    ("naam", "analist"),
                    ("wachtwoord", verhalenbank::bank::DEMO_PASSWORD),
                    ("code", &code),
                ],
            )
            .await
            .0
        }
    };
    assert_eq!(login(String::new()).await, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        login(code.clone()).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a code works once"
    );
    let next = factor.code_at(now() + 30).unwrap();
    assert_eq!(login(next).await, StatusCode::SEE_OTHER);
    // Other roles are not offered it.
    app.login("begeleider").await;
    let (_, page) = app.get("/wachtwoord").await;
    assert!(!page.contains("Tweestapsverificatie"));
    let (status, _, _) = app.post_form("/tweestaps", &[("stap", "start")]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
