//! The audit log and the privacy of the logs: a full flow through the real server (a resident tells a
//! story, searches, looks it up and withdraws it; staff log in, make an API token and submit through
//! the API) with logging turned up, after which neither the server's output nor the audit log holds
//! the story's words, the search words, the teller's name or the receipt code, while the audit log
//! does say who did what to which story.

use verhalenbank::audit::Actor;

use super::support::{Server, http};
use super::web::{TestApp, receipt_code};

const CANARY: &str = "Brommelvinkstraat";

fn form_request(path: &str, cookie: Option<&str>, pairs: &[(&str, &str)]) -> String {
    let body = serde_urlencoded::to_string(pairs).unwrap();
    let cookie = cookie.map_or(String::new(), |c| format!("Cookie: {c}\r\n"));
    format!(
        "POST {path} HTTP/1.1\r\nHost: x\r\n{cookie}Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn get_request(path: &str) -> String {
    format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
}

fn session_cookie(response: &str) -> String {
    response
        .lines()
        .find_map(|line| line.strip_prefix("set-cookie: "))
        .expect("a login cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string()
}

#[test]
fn a_full_flow_leaves_no_story_text_query_name_or_code_in_the_logs() {
    let temp = tempfile::tempdir().unwrap();
    let data = temp.path().join("data");
    let server = Server::start(&data, &[], "trace");
    let address = server.address.clone();

    let text = format!("Op de {CANARY} is een nieuwe moestuin. Daar ken ik nu iedereen.");
    let name = format!("Mevrouw {CANARY}");
    let told = http(
        &address,
        &form_request(
            "/vertel",
            None,
            &[
                ("verhaal", &text),
                ("gevoel", "positive"),
                ("toestemming", "public"),
                ("naam", &name),
            ],
        ),
    );
    assert!(told.starts_with("HTTP/1.1 200"), "{told}");
    let code = receipt_code(&told);
    let search = http(&address, &get_request(&format!("/zoeken?q={CANARY}")));
    assert!(search.starts_with("HTTP/1.1 200"));
    let looked_up = http(
        &address,
        &form_request("/mijn-verhaal", None, &[("code", &code)]),
    );
    assert!(
        looked_up.contains(CANARY),
        "the resident reads the story back"
    );

    // Staff: a failed and a good login, a token, a story through the API.
    let failed = http(
        &address,
        &form_request(
            "/inloggen",
            None,
            &[("naam", "beheerder"), ("wachtwoord", CANARY)],
        ),
    );
    assert!(failed.starts_with("HTTP/1.1 422"));
    let login = http(
        &address,
        &form_request(
            "/inloggen",
            None,
            &[
                ("naam", "beheerder"),
                ("wachtwoord", verhalenbank::bank::DEMO_PASSWORD),
            ],
        ),
    );
    let cookie = session_cookie(&login);
    let made = http(
        &address,
        &form_request(
            "/beheer/tokens",
            Some(&cookie),
            &[("aanbieder", "buurtwerk")],
        ),
    );
    let start = made.find("vbk_").expect("a new token");
    let token = made[start..start + 36].to_string();
    let body = serde_json::json!({
        "title": format!("Over de {CANARY}"),
        "teller": "professional",
        "valence": "mixed",
        "consent": "internal",
        "text": format!("Bij de {CANARY} wonen veel ouderen alleen."),
    })
    .to_string();
    let api = http(
        &address,
        &format!(
            "POST /api/v1/stories HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {token}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(api.starts_with("HTTP/1.1 201"), "{api}");

    let withdrawn = http(
        &address,
        &form_request(
            "/mijn-verhaal/intrekken",
            None,
            &[("code", &code), ("bevestig", "ja")],
        ),
    );
    assert!(withdrawn.contains("Uw verhaal is gewist"), "{withdrawn}");
    let admin = http(
        &address,
        &format!(
            "GET /beheer HTTP/1.1\r\nHost: x\r\nCookie: {cookie}\r\nConnection: close\r\n\r\n"
        ),
    );
    assert!(admin.contains("Verhaal ingetrokken en gewist"), "{admin}");
    assert!(admin.contains("API-sleutel van"), "{admin}");

    let output = server.stop();
    assert!(
        output.contains("story stored") && output.contains("story erased"),
        "logging was on: {output}"
    );
    let lower = output.to_lowercase();
    for secret in [CANARY, &code, &code.replace('-', ""), &token] {
        assert!(
            !lower.contains(&secret.to_lowercase()),
            "the logs hold {secret}: {output}"
        );
    }

    // The audit log says who did what to which story, and holds none of its words.
    let store = verhalenbank::store::Store::open(&data.join("store")).unwrap();
    let entries = store.audit_entries(0, 1000).unwrap();
    let has = |action: &str, actor: &Actor, status: u16| {
        entries
            .iter()
            .any(|e| e.action == action && e.actor == *actor && e.status == status)
    };
    let admin_user = Actor::User(verhalenbank::ids::UserName::parse("beheerder").unwrap());
    assert!(has("story.submitted", &Actor::Anonymous, 200));
    assert!(has("story.withdrawn", &Actor::Anonymous, 200));
    assert!(has("login", &Actor::Anonymous, 422), "the failed login");
    assert!(has("login", &admin_user, 303));
    assert!(has("token.created", &admin_user, 200));
    let buurtwerk = Actor::Token(verhalenbank::ids::ProviderId::parse("buurtwerk").unwrap());
    assert!(has("story.submitted", &buurtwerk, 201));
    let withdrawn_entry = entries
        .iter()
        .find(|e| e.action == "story.withdrawn")
        .unwrap();
    assert!(withdrawn_entry.target.starts_with("story:"));
    assert_eq!(
        withdrawn_entry.target,
        format!("story:{}", store.erasures().unwrap()[0].story)
    );
    for entry in &entries {
        let line = format!("{entry:?}").to_lowercase();
        assert!(!line.contains(&CANARY.to_lowercase()), "{line}");
        assert!(!line.contains(&code.to_lowercase()), "{line}");
    }
}

#[tokio::test]
async fn moderators_erase_a_story_when_its_teller_asks() {
    let app = TestApp::demo();
    let story = app.bank.raw_store().stories().next().unwrap().unwrap();
    app.login("analist").await;
    let (_, page) = app.get(&format!("/moderatie/{}", story.id)).await;
    assert!(page.contains("Verhaal wissen"));
    // Without the tick it is not erased.
    let (status, _, _) = app
        .post_form(&format!("/moderatie/{}/wissen", story.id), &[])
        .await;
    assert_eq!(status, axum::http::StatusCode::SEE_OTHER);
    assert!(app.bank.raw_store().get_story(story.id).unwrap().is_some());
    let (status, headers, _) = app
        .post_form(
            &format!("/moderatie/{}/wissen", story.id),
            &[("bevestig", "ja")],
        )
        .await;
    assert_eq!(status, axum::http::StatusCode::SEE_OTHER);
    assert_eq!(headers[axum::http::header::LOCATION], "/moderatie?gewist=1");
    assert!(app.bank.raw_store().get_story(story.id).unwrap().is_none());
    let ledger = app.bank.raw_store().erasures().unwrap();
    assert_eq!(
        ledger[0].reason,
        verhalenbank::store::ErasureReason::ErasedByStaff
    );
    let (_, page) = app.get("/moderatie?gewist=1").await;
    assert!(page.contains("Het verhaal is gewist."));
}
