//! Single sign-on end to end against a real OpenID Connect provider: `tests/oidc/provider.mjs` (the npm
//! package oidc-provider, installed with `npm ci` on first use) runs beside the real server, and an
//! HTTP client with cookies goes through the flow as a browser would, filling in the provider's login
//! and consent forms. Covered: an analyst and a provider's staff member land on staff pages with the
//! role their groups give, logging out ends the login here and goes on to the provider's logout,
//! someone in no mapped group gets the clear refusal page, and a wrong state, a wrong nonce, a tampered
//! ID token and an expired one are refused without logging anyone in; the audit log holds the logins
//! and refusals, and the server's output holds no token and no name.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use reqwest::StatusCode;
use reqwest::header::LOCATION;

use crate::support::{Server, repo_root};

const SECRET: &str = "test-geheim-van-de-verhalenbank";

fn provider_dir() -> PathBuf {
    repo_root().join("tests").join("oidc")
}

/// `npm ci` in `tests/oidc` once, when its packages are not there yet.
fn install_provider() {
    static INSTALLED: std::sync::Mutex<bool> = std::sync::Mutex::new(false);
    let mut installed = INSTALLED.lock().unwrap_or_else(|p| p.into_inner());
    if *installed || provider_dir().join("node_modules/oidc-provider").exists() {
        *installed = true;
        return;
    }
    let output = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(provider_dir())
        .output()
        .expect(
            "the single sign-on tests need Node.js and npm (Debian: apt-get install nodejs npm)",
        );
    assert!(
        output.status.success(),
        "npm ci in tests/oidc failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    *installed = true;
}

/// The test identity provider, stopped when dropped.
struct IdentityProvider {
    child: Child,
    issuer: String,
}

impl IdentityProvider {
    /// Starts the provider on a port it chooses itself; it answers once [`Self::redirect_to`] has
    /// told it the bank's address.
    fn start() -> IdentityProvider {
        use std::io::BufRead;
        install_provider();
        let mut child = Command::new("node")
            .arg("provider.mjs")
            .current_dir(provider_dir())
            .env_remove("OIDC_PORT")
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("node runs tests/oidc/provider.mjs");
        let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        while !line.starts_with("listening ") {
            line.clear();
            assert!(
                stdout.read_line(&mut line).unwrap() > 0,
                "the identity provider stopped before it listened"
            );
        }
        // Drained all along: node ends with a broken pipe when it writes to a closed one.
        std::thread::spawn(move || std::io::copy(&mut stdout, &mut std::io::sink()));
        IdentityProvider {
            child,
            issuer: line.trim_start_matches("listening ").trim().to_string(),
        }
    }

    /// Lets the provider send people back to `bank`'s return address, the one redirect URI its
    /// client may use.
    fn redirect_to(&self, bank: &Server) {
        let body = format!("http://{}/login/oidc/terug", bank.address);
        let port = self.issuer.rsplit(':').next().unwrap();
        let answer = crate::support::http(
            &format!("127.0.0.1:{port}"),
            &format!(
                "POST /test/redirect HTTP/1.1\r\nHost: localhost\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            ),
        );
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    }

    /// What the token endpoint hands out from now on: `normal`, `tamper` or `expire`.
    async fn mode(&self, mode: &str) {
        let answer = reqwest::Client::new()
            .post(format!("{}/test/mode", self.issuer))
            .body(mode.to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(answer.status(), StatusCode::OK);
    }
}

impl Drop for IdentityProvider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A bank with single sign-on to `provider`, which is told the bank's address.
fn bank(data: &Path, provider: &IdentityProvider) -> Server {
    let server = Server::start(
        data,
        &[
            "--oidc-issuer",
            &provider.issuer,
            "--oidc-client-id",
            "verhalenbank",
            "--oidc-client-secret",
            SECRET,
            "--oidc-name",
            "Veenstede ID",
            "--oidc-role",
            "vb-analisten=analyst",
            "--oidc-role",
            "/aanbieders/buurtwerk=provider:buurtwerk",
            "--oidc-role",
            "vb-beheer=admin",
            "--oidc-contact",
            "de servicedesk (telefoon 14 035)",
        ],
        "info",
    );
    provider.redirect_to(&server);
    server
}

/// A browser: cookies kept per host, redirects followed by hand.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

fn location(response: &reqwest::Response) -> String {
    let location = response
        .headers()
        .get(LOCATION)
        .unwrap_or_else(|| panic!("a redirect from {}", response.url()))
        .to_str()
        .unwrap();
    response.url().join(location).unwrap().to_string()
}

fn unescape(text: &str) -> String {
    text.replace("&#x2F;", "/")
        .replace("&#x3D;", "=")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// The form on a provider's page: where it posts, and its fields with `login` filled in as `person`.
fn fill_form(page: &str, person: &str) -> (String, Vec<(String, String)>) {
    let form = regex::Regex::new(r#"<form[^>]*action="([^"]*)""#).unwrap();
    let action = unescape(
        &form
            .captures(page)
            .unwrap_or_else(|| panic!("a form on the provider's page: {page}"))[1],
    );
    let input = regex::Regex::new(r#"<input([^>]*)>"#).unwrap();
    let attribute = |attributes: &str, name: &str| {
        regex::Regex::new(&format!(r#"\b{name}="([^"]*)""#))
            .unwrap()
            .captures(attributes)
            .map(|c| unescape(&c[1]))
    };
    let mut fields = Vec::new();
    for found in input.captures_iter(page) {
        let attributes = &found[1];
        match attribute(attributes, "name").as_deref() {
            Some("login") => fields.push(("login".into(), person.into())),
            Some("password") => {
                fields.push(("password".into(), "wachtwoord-maakt-niet-uit".into()))
            }
            Some(name) => fields.push((
                name.into(),
                attribute(attributes, "value").unwrap_or_default(),
            )),
            None => {}
        }
    }
    (action, fields)
}

/// Goes from `start` (an address at the provider) through its login and consent forms as `person`,
/// and returns the bank's callback address the provider sends the browser to (not yet visited).
async fn through_provider(client: &reqwest::Client, start: String, person: &str) -> String {
    let mut next = client.get(&start).send().await.unwrap();
    for _ in 0..20 {
        if next.status().is_redirection() {
            let to = location(&next);
            if to.contains("/login/oidc/terug") {
                return to;
            }
            next = client.get(&to).send().await.unwrap();
            continue;
        }
        assert_eq!(next.status(), StatusCode::OK, "at {}", next.url());
        let here = next.url().clone();
        let page = next.text().await.unwrap();
        let (action, fields) = fill_form(&page, person);
        next = client
            .post(here.join(&action).unwrap())
            .form(&fields)
            .send()
            .await
            .unwrap();
    }
    panic!("the provider never sent the browser back");
}

/// Starts a login on the bank (to come back to `back`), returning the provider's address it sent to.
async fn start_login(client: &reqwest::Client, bank: &str, back: &str) -> String {
    let started = client
        .get(format!("http://{bank}/login/oidc?terug={back}"))
        .send()
        .await
        .unwrap();
    assert_eq!(started.status(), StatusCode::SEE_OTHER);
    location(&started)
}

/// A whole login as `person`; the bank's answer to the callback.
async fn log_in(client: &reqwest::Client, bank: &str, person: &str) -> reqwest::Response {
    let at_provider = start_login(client, bank, "/moderatie").await;
    let back = through_provider(client, at_provider, person).await;
    client.get(back).send().await.unwrap()
}

async fn get(client: &reqwest::Client, bank: &str, path: &str) -> reqwest::Response {
    client
        .get(format!("http://{bank}{path}"))
        .send()
        .await
        .unwrap()
}

/// Whether the browser is logged in: `/moderatie` sends visitors without a login to `/inloggen`.
async fn sent_to_login(client: &reqwest::Client, bank: &str) -> bool {
    let answer = get(client, bank, "/moderatie").await;
    answer.status() == StatusCode::SEE_OTHER && location(&answer).contains("/inloggen")
}

fn replace_parameter(url: &str, name: &str, value: &str) -> String {
    let mut url = reqwest::Url::parse(url).unwrap();
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == name {
                value.to_string()
            } else {
                v.into_owned()
            };
            (k.into_owned(), v)
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
    url.to_string()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn staff_log_in_through_the_identity_provider_with_the_role_their_groups_give() {
    let data = tempfile::tempdir().unwrap();
    let provider = IdentityProvider::start();
    let server = bank(data.path(), &provider);
    let bank = server.address.clone();

    // The login page offers the provider.
    let client = browser();
    let page = get(&client, &bank, "/inloggen").await.text().await.unwrap();
    assert!(page.contains("Inloggen met Veenstede ID"), "{page}");
    assert!(page.contains("action=\"/login/oidc\""), "{page}");
    assert!(
        page.contains("name=\"wachtwoord\""),
        "passwords stay possible: {page}"
    );

    // An analyst: back on the page that asked, with the analyst's pages open.
    let answer = log_in(&client, &bank, "jet").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(location(&answer), format!("http://{bank}/moderatie"));
    let moderation = get(&client, &bank, "/moderatie").await;
    assert_eq!(moderation.status(), StatusCode::OK);
    let moderation = moderation.text().await.unwrap();
    assert!(
        moderation.contains("Jet de Vries"),
        "the name from the provider: {moderation}"
    );
    assert_eq!(
        get(&client, &bank, "/doelenboom").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        get(&client, &bank, "/beheer").await.status(),
        StatusCode::FORBIDDEN,
        "an analyst is no administrator"
    );

    // Logging out ends the login here and goes on to the provider's logout.
    let out = client
        .post(format!("http://{bank}/uitloggen"))
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::SEE_OTHER);
    let to = location(&out);
    assert!(
        to.starts_with(&format!("{}/session/end?", provider.issuer)),
        "{to}"
    );
    assert!(to.contains("client_id=verhalenbank"), "{to}");
    assert!(
        to.contains(&format!(
            "post_logout_redirect_uri=http%3A%2F%2F{}%2F",
            bank.replace(':', "%3A")
        )),
        "{to}"
    );
    assert!(sent_to_login(&client, &bank).await);
    // The provider's logout page answers (it asks to confirm).
    assert_eq!(
        client.get(&to).send().await.unwrap().status(),
        StatusCode::OK
    );

    // A provider's staff member: their organisation's pages, not the analyst's.
    let client = browser();
    let answer = log_in(&client, &bank, "ahmed").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        get(&client, &bank, "/aanbieder/verhaal").await.status(),
        StatusCode::OK
    );
    assert_eq!(
        get(&client, &bank, "/moderatie").await.status(),
        StatusCode::FORBIDDEN
    );

    // Someone in no mapped group: a clear page that says so and whom to ask, and no login.
    let client = browser();
    let answer = log_in(&client, &bank, "kees").await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let refusal = answer.text().await.unwrap();
    assert!(refusal.contains("Inloggen is niet gelukt"), "{refusal}");
    assert!(
        refusal.contains("U bent ingelogd bij Veenstede ID, maar uw account geeft nog geen toegang tot de verhalenbank"),
        "{refusal}"
    );
    assert!(
        refusal.contains("de servicedesk (telefoon 14 035)"),
        "{refusal}"
    );
    assert!(sent_to_login(&client, &bank).await);

    // A state that is not the one the login was started with.
    let client = browser();
    let at_provider = start_login(&client, &bank, "/moderatie").await;
    let back = through_provider(&client, at_provider, "jet").await;
    let answer = client
        .get(replace_parameter(&back, "state", "niet-de-goede-state"))
        .send()
        .await
        .unwrap();
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);
    assert!(
        answer
            .text()
            .await
            .unwrap()
            .contains("kon niet controleren wie u bent")
    );
    assert!(sent_to_login(&client, &bank).await);
    // The real answer afterwards finds the login used up.
    assert_eq!(
        client.get(back).send().await.unwrap().status(),
        StatusCode::BAD_REQUEST
    );
    assert!(sent_to_login(&client, &bank).await);

    // A return without any login started in this browser.
    let stranger = browser();
    let answer = get(&stranger, &bank, "/login/oidc/terug?code=abc&state=def").await;
    assert_eq!(answer.status(), StatusCode::BAD_REQUEST);

    // An ID token with another nonce than the login asked for (the code and PKCE are right).
    let client = browser();
    let at_provider = start_login(&client, &bank, "/moderatie").await;
    let other_nonce = replace_parameter(&at_provider, "nonce", "een-andere-nonce-dan-gevraagd");
    let back = through_provider(&client, other_nonce, "jet").await;
    let answer = client.get(back).send().await.unwrap();
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    assert!(
        answer
            .text()
            .await
            .unwrap()
            .contains("kon niet controleren wie u bent")
    );
    assert!(sent_to_login(&client, &bank).await);

    let printed = server.stop();
    for secret in [SECRET, "eyJ", "Jet de Vries", "Kees Buiten", "vb-analisten"] {
        assert!(
            !printed.contains(secret),
            "{secret} in the output: {printed}"
        );
    }
    assert!(
        printed.contains("logged in through single sign-on"),
        "{printed}"
    );
    assert!(
        printed.contains("reason=no_role") || printed.contains("no_role"),
        "{printed}"
    );

    // The audit log: the logins (303) and the refusals, as for password logins.
    let bank =
        verhalenbank::bank::Bank::open(&verhalenbank::config::Config::new(data.path())).unwrap();
    let entries: Vec<_> = bank
        .audit_page(0, 200)
        .unwrap()
        .into_iter()
        .map(|(entry, _)| entry)
        .filter(|entry| entry.action == "login.sso")
        .collect();
    let logged_in: Vec<_> = entries.iter().filter(|entry| entry.status == 303).collect();
    assert_eq!(logged_in.len(), 2, "{entries:?}");
    assert!(
        logged_in
            .iter()
            .all(|entry| entry.actor.code().starts_with("user:sso-"))
    );
    assert!(
        entries
            .iter()
            .any(|entry| entry.status == 403 && entry.target.ends_with(":no_role")),
        "{entries:?}"
    );
    assert!(
        entries
            .iter()
            .any(|entry| entry.status == 400 && entry.target == "sso:state")
    );
    assert!(
        entries
            .iter()
            .any(|entry| entry.status == 403 && entry.target == "sso:nonce")
    );
    // The accounts: keyed by the identity, with the role of the last login and no password.
    let users = bank.users().unwrap();
    let jet = users
        .iter()
        .find(|user| user.display_name == "Jet de Vries")
        .expect("an account for the analyst");
    assert_eq!(jet.role, verhalenbank::accounts::Role::Analyst);
    assert_eq!(jet.sso.as_ref().unwrap().subject, "jet");
    assert!(!jet.password.verify(""));
    assert!(
        users.iter().all(|user| user.display_name != "Kees Buiten"),
        "no account for a refusal"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tampered_and_expired_id_tokens_are_refused() {
    let data = tempfile::tempdir().unwrap();
    let provider = IdentityProvider::start();
    let server = bank(data.path(), &provider);
    let bank = server.address.clone();

    // Kees has no role; a token changed to make him an administrator does not check.
    provider.mode("tamper").await;
    let client = browser();
    let answer = log_in(&client, &bank, "kees").await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    let page = answer.text().await.unwrap();
    assert!(page.contains("kon niet controleren wie u bent"), "{page}");
    assert!(sent_to_login(&client, &bank).await);
    assert_eq!(
        get(&client, &bank, "/beheer").await.status(),
        StatusCode::SEE_OTHER
    );

    // A token signed by the provider whose time is over.
    provider.mode("expire").await;
    let client = browser();
    let answer = log_in(&client, &bank, "jet").await;
    assert_eq!(answer.status(), StatusCode::FORBIDDEN);
    assert!(sent_to_login(&client, &bank).await);

    // The same provider handing out good tokens again: the login works.
    provider.mode("normal").await;
    let client = browser();
    let answer = log_in(&client, &bank, "jet").await;
    assert_eq!(answer.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        get(&client, &bank, "/moderatie").await.status(),
        StatusCode::OK
    );

    let printed = server.stop();
    assert!(!printed.contains("eyJ"), "{printed}");
    let bank =
        verhalenbank::bank::Bank::open(&verhalenbank::config::Config::new(data.path())).unwrap();
    let targets: Vec<String> = bank
        .audit_page(0, 50)
        .unwrap()
        .into_iter()
        .filter(|(entry, _)| entry.action == "login.sso")
        .map(|(entry, _)| format!("{} {}", entry.status, entry.target))
        .collect();
    assert!(
        targets.contains(&"403 sso:signature".to_string()),
        "{targets:?}"
    );
    assert!(
        targets.contains(&"403 sso:expired".to_string()),
        "{targets:?}"
    );
    assert!(
        bank.users()
            .unwrap()
            .iter()
            .filter(|user| user.sso.is_some())
            .all(|user| !user.is_admin()),
        "nobody became administrator through single sign-on"
    );
}

#[test]
fn password_logins_can_be_switched_off() {
    let data = tempfile::tempdir().unwrap();
    let provider = IdentityProvider::start();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("verhalenbank.toml");
    std::fs::write(
        &file,
        format!(
            "local_login = false\noidc-issuer = {:?}\noidc-client-id = \"verhalenbank\"\noidc-role = [\"vb-analisten=analyst\", \"/aanbieders/buurtwerk=provider:buurtwerk\"]\n",
            provider.issuer
        ),
    )
    .unwrap();
    let server = Server::start(data.path(), &["--config", file.to_str().unwrap()], "warn");
    provider.redirect_to(&server);
    let page = crate::support::http(
        &server.address,
        "GET /inloggen HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    );
    assert!(page.contains("Inloggen met localhost"), "{page}");
    assert!(!page.contains("name=\"wachtwoord\""), "{page}");
    // The demo's password accounts cannot log in.
    let body = "naam=analist&wachtwoord=demo-verhalenbank&terug=%2F";
    let answer = crate::support::http(
        &server.address,
        &format!(
            "POST /inloggen HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    assert!(answer.starts_with("HTTP/1.1 403"), "{answer}");
    server.stop();

    // Without single sign-on, switching passwords off would lock everyone out: refused at the start.
    let output = crate::support::run(
        data.path(),
        &["serve", "--no-demo", "--local-login", "false"],
    );
    assert!(!output.status.success());
    assert!(
        crate::support::text(&output).contains("local-login = false needs single sign-on"),
        "{}",
        crate::support::text(&output)
    );
    // A mapping that does not read says which one and what was expected.
    let output = crate::support::run(
        data.path(),
        &[
            "serve",
            "--oidc-issuer",
            "http://localhost:1",
            "--oidc-client-id",
            "x",
            "--oidc-role",
            "vb-analisten=koning",
        ],
    );
    assert!(!output.status.success());
    let said = crate::support::text(&output);
    assert!(
        said.contains("unknown role \"koning\"") && said.contains("GROUP=ROLE"),
        "{said}"
    );
}
