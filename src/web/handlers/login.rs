//! Logging in and out. The login form posts name and password; a wrong combination gets one message
//! for both, so the page does not tell which names exist. After logging in the visitor goes back to
//! the page that asked for it (only a path on this site).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{OriginalUri, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::web::auth::{AuthSession, Credentials, Staff};
use crate::web::forms::FormData;
use crate::web::i18n::{Lang, Texts};
use crate::web::page::{Nav, Page};
use crate::web::{AppError, AppState, unprocessable};

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub page: Page,
    pub name: String,
    pub back: String,
    pub failed: bool,
}

/// A path on this site to return to; anything else goes home.
fn safe_back(back: Option<&str>) -> String {
    match back {
        Some(path) if path.starts_with('/') && !path.starts_with("//") && !path.contains('\\') => {
            path.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(serde::Deserialize)]
pub struct BackQuery {
    terug: Option<String>,
}

async fn login_page(
    state: &AppState,
    t: &'static Texts,
    uri: &axum::http::Uri,
    name: String,
    back: String,
    failed: bool,
) -> Result<LoginPage, AppError> {
    let settings = state.run(|bank| bank.settings()).await?;
    Ok(LoginPage {
        page: state.page(t, &settings, "login.title", Nav::Login, uri),
        name,
        back,
        failed,
    })
}

pub async fn form(
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    Query(query): Query<BackQuery>,
) -> Result<LoginPage, AppError> {
    let back = safe_back(query.terug.as_deref());
    login_page(&state, t, &uri, String::new(), back, false).await
}

pub async fn login(
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    mut session: AuthSession,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormData::new(pairs);
    let name = form.text("naam");
    let back = safe_back(form.get("terug"));
    let credentials = Credentials {
        name: name.clone(),
        password: form.text("wachtwoord"),
        code: form.text("code"),
    };
    let user = session
        .authenticate(credentials)
        .await
        .map_err(|error| AppError::Internal(anyhow::anyhow!("checking a login: {error}")))?;
    match user {
        Some(user) => {
            session
                .login(&user)
                .await
                .map_err(|error| AppError::Internal(anyhow::anyhow!("logging in: {error}")))?;
            tracing::info!(user = %user.name, role = user.role.code(), "logged in");
            crate::web::audit::note_actor(crate::audit::Actor::User(user.name.clone()));
            Ok(Redirect::to(&back).into_response())
        }
        None => {
            tracing::info!("a login failed");
            let page = login_page(&state, t, &uri, name, back, true).await?;
            Ok(unprocessable(page))
        }
    }
}

pub async fn logout(mut session: AuthSession) -> Result<Response, AppError> {
    session
        .logout()
        .await
        .map_err(|error| AppError::Internal(anyhow::anyhow!("logging out: {error}")))?;
    Ok(Redirect::to("/").into_response())
}

#[cfg(test)]
mod tests {
    use super::safe_back;

    #[test]
    fn only_paths_on_this_site_are_followed_back() {
        assert_eq!(
            safe_back(Some("/moderatie?status=submitted")),
            "/moderatie?status=submitted"
        );
        for evil in [
            "https://elders.example",
            "//elders.example",
            "/\\elders.example",
            "moderatie",
        ] {
            assert_eq!(safe_back(Some(evil)), "/", "{evil}");
        }
        assert_eq!(safe_back(None), "/");
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "password.html")]
pub struct PasswordPage {
    pub page: Page,
    pub saved: bool,
    /// The field with the problem and the message.
    pub error: Option<(&'static str, String)>,
    pub second_factor: FactorView,
    /// A message key for the second factor: turned on, turned off, or the code was wrong.
    pub factor_notice: Option<&'static str>,
    pub factor_error: bool,
}

/// Where the account stands with its second factor, as the page shows it.
pub enum FactorView {
    /// The role does not use one.
    NotOffered,
    Off,
    /// Being turned on: the secret to give the app, as text and as a QR code (SVG, made here).
    Setup {
        secret: String,
        qr: String,
    },
    On,
}

impl FactorView {
    fn of(user: &crate::accounts::User) -> FactorView {
        match (&user.second_factor, user.may_use_second_factor()) {
            (Some(_), _) => FactorView::On,
            (None, true) => FactorView::Off,
            (None, false) => FactorView::NotOffered,
        }
    }

    pub fn is(&self, what: &str) -> bool {
        matches!(
            (self, what),
            (FactorView::NotOffered, "not_offered")
                | (FactorView::Off, "off")
                | (FactorView::Setup { .. }, "setup")
                | (FactorView::On, "on")
        )
    }

    /// The secret in groups of four, easier to type into an app by hand.
    pub fn grouped_secret(&self) -> String {
        match self {
            FactorView::Setup { secret, .. } => secret
                .as_bytes()
                .chunks(4)
                .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
                .collect::<Vec<_>>()
                .join(" "),
            _ => String::new(),
        }
    }
}

fn setup_view(factor: &crate::accounts::SecondFactor, account: &str) -> FactorView {
    let qr = factor
        .url(account)
        .and_then(|url| qrcode::QrCode::new(url.as_bytes()).ok())
        .map(|code| {
            let svg = code
                .render::<qrcode::render::svg::Color>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .build();
            // Inline in the page: the secret never travels in an address of its own.
            svg.split_once("?>")
                .map_or(svg.clone(), |(_, rest)| rest.trim().to_string())
        })
        .unwrap_or_default();
    FactorView::Setup {
        secret: factor.secret.clone(),
        qr,
    }
}

pub async fn password_form(
    Staff(user): Staff,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
) -> Result<PasswordPage, AppError> {
    let settings = state.run(|bank| bank.settings()).await?;
    Ok(PasswordPage {
        page: state.page(t, &settings, "password.title", Nav::None, &uri),
        saved: false,
        error: None,
        second_factor: FactorView::of(&user),
        factor_notice: None,
        factor_error: false,
    })
}

/// Turns the second factor on (`stap=start`, then `stap=aan` with the secret and a code from the app,
/// which proves the app has it) or off (`stap=uit` with a code).
pub async fn second_factor(
    Staff(user): Staff,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    use crate::accounts::SecondFactor;
    if !user.may_use_second_factor() {
        return Err(AppError::Forbidden);
    }
    let form = FormData::new(pairs);
    let now = jiff::Timestamp::now().as_second().max(0) as u64;
    let code = form.text("code");
    let account = user.name.to_string();
    let (view, notice, error) = match form.get("stap") {
        Some("start") => (setup_view(&SecondFactor::generate(), &account), None, false),
        Some("aan") => {
            let offered = SecondFactor {
                secret: form.text("geheim"),
                last_step: 0,
            };
            match offered.check(&code, now) {
                Some(factor) => {
                    let mut changed = user.clone();
                    changed.second_factor = Some(factor);
                    state.run(move |bank| bank.put_user(&changed)).await?;
                    tracing::info!(user = %user.name, "second factor turned on");
                    (FactorView::On, Some("second_factor.turned_on"), false)
                }
                None => (setup_view(&offered, &account), None, true),
            }
        }
        Some("uit") => match user
            .second_factor
            .as_ref()
            .and_then(|f| f.check(&code, now))
        {
            Some(_) => {
                let mut changed = user.clone();
                changed.second_factor = None;
                state.run(move |bank| bank.put_user(&changed)).await?;
                tracing::info!(user = %user.name, "second factor turned off");
                (FactorView::Off, Some("second_factor.turned_off"), false)
            }
            None => (FactorView::of(&user), None, true),
        },
        _ => (FactorView::of(&user), None, false),
    };
    let settings = state.run(|bank| bank.settings()).await?;
    let page = PasswordPage {
        page: state.page(t, &settings, "password.title", Nav::None, &uri),
        saved: false,
        error: None,
        second_factor: view,
        factor_notice: notice,
        factor_error: error,
    };
    Ok(if error {
        unprocessable(page)
    } else {
        page.into_response()
    })
}

/// Changes the password of whoever is logged in. The login sessions of that account elsewhere end,
/// because they were made with the old password; this one is renewed.
pub async fn change_password(
    Staff(user): Staff,
    State(state): State<AppState>,
    Lang(t): Lang,
    OriginalUri(uri): OriginalUri,
    mut session: AuthSession,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let form = FormData::new(pairs);
    let current = form.text("huidig");
    let new = form.text("nieuw");
    let repeat = form.text("herhaal");
    let name = user.name.clone();
    let outcome = state
        .run(move |bank| {
            let Some(mut user) = bank.user(&name)? else {
                return Ok(Err(("huidig", "password.error_current")));
            };
            if !user.password.verify(&current) {
                return Ok(Err(("huidig", "password.error_current")));
            }
            if new != repeat {
                return Ok(Err(("herhaal", "password.error_repeat")));
            }
            match crate::accounts::PasswordDigest::new(&new) {
                Ok(digest) => user.password = digest,
                Err(crate::accounts::AccountError::PasswordTooShort) => {
                    return Ok(Err(("nieuw", "password.error_short")));
                }
                Err(error) => return Err(error.into()),
            }
            bank.put_user(&user)?;
            Ok(Ok(user))
        })
        .await?;
    let settings = state.run(|bank| bank.settings()).await?;
    match outcome {
        Ok(user) => {
            session.login(&user).await.map_err(|error| {
                AppError::Internal(anyhow::anyhow!("renewing a login: {error}"))
            })?;
            tracing::info!(user = %user.name, "password changed");
            Ok(PasswordPage {
                page: state.page(t, &settings, "password.title", Nav::None, &uri),
                saved: true,
                error: None,
                second_factor: FactorView::of(&user),
                factor_notice: None,
                factor_error: false,
            }
            .into_response())
        }
        Err((field, key)) => Ok(unprocessable(PasswordPage {
            page: state.page(t, &settings, "password.title", Nav::None, &uri),
            saved: false,
            error: Some((field, t.get(key).to_string())),
            second_factor: FactorView::of(&user),
            factor_notice: None,
            factor_error: false,
        })),
    }
}
