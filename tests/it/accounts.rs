//! Accounts on `/beheer/accounts` through the real router on the demo: an administrator adds an
//! account (its password shown once), gives another role, turns an account off and on, makes a new
//! password and turns a second factor off; each change is in the audit log with the account as its
//! target, and the people concerned find their logins changed at once. Others are refused.

use axum::http::{StatusCode, header};
use verhalenbank::audit::{Actor, AuditEntry};
use verhalenbank::bank::DEMO_PASSWORD;
use verhalenbank::ids::UserName;

use super::web::TestApp;

/// The password a page shows once, in `<p class="code new-password">`.
fn shown_password(page: &str) -> String {
    let start = page
        .find("new-password\">")
        .expect("a password on the page")
        + 14;
    page[start..].split('<').next().unwrap().trim().to_string()
}

fn audit_entries(app: &TestApp) -> Vec<AuditEntry> {
    app.bank.raw_store().audit_entries(0, 10_000).unwrap()
}

/// Whether the administrator `beheerder` is recorded doing `action` to `user:<name>`.
fn audited(app: &TestApp, action: &str, name: &str) -> bool {
    let admin = Actor::User(UserName::parse("beheerder").unwrap());
    audit_entries(app).iter().any(|entry| {
        entry.action == action && entry.actor == admin && entry.target == format!("user:{name}")
    })
}

fn user(app: &TestApp, name: &str) -> verhalenbank::accounts::User {
    app.bank
        .user(&UserName::parse(name).unwrap())
        .unwrap()
        .unwrap()
}

#[tokio::test]
async fn an_administrator_adds_an_account_whose_password_is_shown_once() {
    let app = TestApp::demo();
    app.login("beheerder").await;
    let (status, page) = app.get("/beheer/accounts").await;
    assert_eq!(status, StatusCode::OK);
    for name in ["beheerder", "analist", "begeleider", "buurtwerk", "welzijn"] {
        assert!(page.contains(&format!("/beheer/accounts/{name}")), "{name}");
    }
    assert!(page.contains("Medewerker aanbieder"), "roles are named");
    let (_, admin) = app.get("/beheer").await;
    assert!(
        admin.contains("href=\"/beheer/accounts\""),
        "linked from /beheer"
    );

    let (status, headers, page) = app
        .post_form(
            "/beheer/accounts",
            &[
                ("naam", "jdevries"),
                ("weergavenaam", "Jet de Vries"),
                ("rol", "provider"),
                ("aanbieder", "buurtwerk"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let password = shown_password(&page);
    assert_eq!(password.len(), 24);
    let (_, again) = app.get("/beheer/accounts").await;
    assert!(!again.contains(&password), "shown only once");
    let added = user(&app, "jdevries");
    assert_eq!(added.display_name, "Jet de Vries");
    assert_eq!(added.role.provider().unwrap().as_str(), "buurtwerk");
    assert!(audited(&app, "user.added", "jdevries"));
    for entry in audit_entries(&app) {
        assert!(!format!("{entry:?}").contains(&password));
    }

    assert_eq!(
        app.login_with("jdevries", &password).await,
        StatusCode::SEE_OTHER
    );
    let (status, _) = app.get("/aanbieder/verhaal").await;
    assert_eq!(status, StatusCode::OK, "the new account works");
}

#[tokio::test]
async fn a_form_with_mistakes_is_shown_again_and_changes_nothing() {
    let app = TestApp::demo();
    app.login("beheerder").await;
    for (pairs, message) in [
        (
            vec![("naam", "Jet de Vries"), ("rol", "analyst")],
            "Vul een inlognaam in met alleen kleine letters",
        ),
        (
            vec![("naam", "analist"), ("rol", "analyst")],
            "Er is al een account met deze inlognaam",
        ),
        (
            vec![("naam", "kees"), ("rol", "provider")],
            "Kies de aanbieder waar deze medewerker werkt",
        ),
        (
            vec![
                ("naam", "kees"),
                ("rol", "analyst"),
                ("aanbieder", "buurtwerk"),
            ],
            "Alleen medewerkers van een aanbieder horen bij een aanbieder",
        ),
        (
            vec![
                ("naam", "kees"),
                ("rol", "provider"),
                ("aanbieder", "nergens"),
            ],
            "Deze aanbieder kennen wij niet",
        ),
        (vec![("naam", "kees")], "Kies een rol"),
    ] {
        let (status, _, page) = app.post_form("/beheer/accounts", &pairs).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{pairs:?}");
        assert!(page.contains(message), "{pairs:?}: {page}");
        assert!(!page.contains("new-password"), "{pairs:?}");
    }
    assert_eq!(app.bank.users().unwrap().len(), 5);
    assert!(
        !audit_entries(&app)
            .iter()
            .any(|entry| entry.action == "user.added")
    );
}

#[tokio::test]
async fn a_new_role_takes_effect_at_once() {
    let app = TestApp::demo();
    app.login("begeleider").await;
    let facilitator = app.cookie();
    let (status, _) = app.get("/moderatie").await;
    assert_eq!(status, StatusCode::FORBIDDEN);

    app.login("beheerder").await;
    let (status, headers, _) = app
        .post_form(
            "/beheer/accounts/begeleider/rol",
            &[("rol", "analyst"), ("aanbieder", "")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        headers[header::LOCATION],
        "/beheer/accounts/begeleider?klaar=rol"
    );
    let (_, page) = app.get("/beheer/accounts/begeleider?klaar=rol").await;
    assert!(page.contains("De rol is opgeslagen."));
    assert_eq!(
        user(&app, "begeleider").role,
        verhalenbank::accounts::Role::Analyst
    );
    assert!(audited(&app, "user.role_changed", "begeleider"));

    // Provider staff need their provider.
    let (status, _, page) = app
        .post_form(
            "/beheer/accounts/begeleider/rol",
            &[("rol", "provider"), ("aanbieder", "")],
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Kies de aanbieder waar deze medewerker werkt."));
    let (status, _, _) = app
        .post_form(
            "/beheer/accounts/welzijn/rol",
            &[("rol", "provider"), ("aanbieder", "buurtwerk")],
        )
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert_eq!(
        user(&app, "welzijn").role.provider().unwrap().as_str(),
        "buurtwerk"
    );

    app.use_cookie(facilitator);
    let (status, _) = app.get("/moderatie").await;
    assert_eq!(
        status,
        StatusCode::OK,
        "the logged-in person has the new role"
    );
}

#[tokio::test]
async fn an_account_turned_off_is_logged_out_and_cannot_log_in_until_turned_on() {
    let app = TestApp::demo();
    app.login("analist").await;
    let analyst = app.cookie();
    app.login("beheerder").await;
    let (status, _, _) = app
        .post_form("/beheer/accounts/analist/uitzetten", &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(user(&app, "analist").disabled);
    assert!(audited(&app, "user.disabled", "analist"));
    let (_, list) = app.get("/beheer/accounts").await;
    assert!(list.contains("Uitgezet"));

    app.use_cookie(analyst);
    let (status, _) = app.get("/moderatie").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the login has ended");
    assert_eq!(
        app.login_with("analist", DEMO_PASSWORD).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );

    app.login("beheerder").await;
    let (status, _, _) = app
        .post_form("/beheer/accounts/analist/aanzetten", &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(audited(&app, "user.enabled", "analist"));
    assert_eq!(
        app.login_with("analist", DEMO_PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn the_last_administrator_is_not_turned_off_or_demoted() {
    let app = TestApp::demo();
    app.login("beheerder").await;
    let (status, _, page) = app
        .post_form("/beheer/accounts/beheerder/uitzetten", &[])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("Dit is de laatste beheerder die kan inloggen."));
    let (status, _, _) = app
        .post_form("/beheer/accounts/beheerder/rol", &[("rol", "analyst")])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(user(&app, "beheerder").is_active_admin());

    // With a second administrator, the first may step down.
    let (status, _, _) = app
        .post_form("/beheer/accounts/analist/rol", &[("rol", "admin")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _, _) = app
        .post_form("/beheer/accounts/beheerder/rol", &[("rol", "analyst")])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    let (status, _) = app.get("/beheer/accounts").await;
    assert_eq!(status, StatusCode::FORBIDDEN, "no longer an administrator");
    let (status, _) = app.get("/beheer/accounts/niemand").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    app.login("analist").await;
    let (status, _) = app.get("/beheer/accounts/niemand").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_new_password_is_shown_once_and_ends_the_old_one_and_its_logins() {
    let app = TestApp::demo();
    app.login("welzijn").await;
    let staff = app.cookie();
    app.login("beheerder").await;
    let (status, headers, page) = app
        .post_form("/beheer/accounts/welzijn/wachtwoord", &[])
        .await;
    assert_eq!(status, StatusCode::OK, "{page}");
    assert_eq!(headers[header::CACHE_CONTROL], "no-store");
    let password = shown_password(&page);
    assert!(user(&app, "welzijn").password.verify(&password));
    assert!(audited(&app, "user.password_set", "welzijn"));
    let (_, again) = app.get("/beheer/accounts/welzijn").await;
    assert!(!again.contains(&password));
    // Only the hash is kept: the password is in no file of the data folder.
    for (path, bytes) in super::support::read_tree(app.data_dir()) {
        assert!(
            !String::from_utf8_lossy(&bytes).contains(&password),
            "{} holds the password",
            path.display()
        );
    }

    app.use_cookie(staff);
    let (status, _) = app.get("/aanbieder/verhaal").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "the old login has ended");
    assert_eq!(
        app.login_with("welzijn", DEMO_PASSWORD).await,
        StatusCode::UNPROCESSABLE_ENTITY
    );
    assert_eq!(
        app.login_with("welzijn", &password).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn a_lost_second_factor_is_turned_off() {
    let app = TestApp::demo();
    let mut analyst = user(&app, "analist");
    analyst.second_factor = Some(verhalenbank::accounts::SecondFactor::generate());
    app.bank.put_user(&analyst).unwrap();
    assert_eq!(
        app.login_with("analist", DEMO_PASSWORD).await,
        StatusCode::UNPROCESSABLE_ENTITY,
        "without the code"
    );

    app.login("beheerder").await;
    let (_, page) = app.get("/beheer/accounts/analist").await;
    assert!(page.contains("Tweestapsverificatie uitzetten"));
    let (status, _, _) = app
        .post_form("/beheer/accounts/analist/tweestaps-uit", &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(user(&app, "analist").second_factor.is_none());
    assert!(audited(&app, "second_factor.changed", "analist"));
    let (status, _, page) = app
        .post_form("/beheer/accounts/analist/tweestaps-uit", &[])
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{page}");

    assert_eq!(
        app.login_with("analist", DEMO_PASSWORD).await,
        StatusCode::SEE_OTHER
    );
}

#[tokio::test]
async fn only_administrators_manage_accounts() {
    let app = TestApp::demo();
    for account in ["analist", "begeleider", "buurtwerk"] {
        app.login(account).await;
        let (status, _) = app.get("/beheer/accounts").await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{account}");
        let (status, _, _) = app
            .post_form(
                "/beheer/accounts",
                &[("naam", "indringer"), ("rol", "admin")],
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{account}");
        for action in ["rol", "uitzetten", "wachtwoord", "tweestaps-uit"] {
            let (status, _, _) = app
                .post_form(
                    &format!("/beheer/accounts/beheerder/{action}"),
                    &[("rol", "analyst")],
                )
                .await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{account} {action}");
        }
    }
    assert!(
        app.bank
            .user(&UserName::parse("indringer").unwrap())
            .unwrap()
            .is_none()
    );
    assert!(user(&app, "beheerder").is_active_admin());
    assert!(user(&app, "beheerder").password.verify(DEMO_PASSWORD));
    app.logout_locally();
    let (status, headers, _) = app
        .post_form("/beheer/accounts/analist/uitzetten", &[])
        .await;
    assert_eq!(status, StatusCode::SEE_OTHER);
    assert!(
        headers[header::LOCATION]
            .to_str()
            .unwrap()
            .starts_with("/inloggen")
    );
    assert!(!user(&app, "analist").disabled);
}
