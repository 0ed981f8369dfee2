//! Logging in and out. The login form posts name and password; a wrong combination gets one message
//! for both, so the page does not tell which names exist. After logging in the visitor goes back to
//! the page that asked for it (only a path on this site).
//!
//! With single sign-on configured the page also offers "Inloggen met <provider>": `/login/oidc` sends
//! the visitor to the identity provider ([`crate::web::oidc`]) and `/login/oidc/terug` takes them
//! back, checks what the provider says and logs them in as the account of that identity, with the role
//! their groups give now. Someone in no mapped group gets a page (403) that says so and whom to ask.
//! With `local-login = false` the password form is gone and its posts are refused.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::web::auth::{AuthSession, Credentials, Staff};
use crate::web::forms::FormData;
use crate::web::page::{Nav, Page};
use crate::web::page_ctx::PageCtx;
use crate::web::{AppError, AppState, unprocessable};

#[derive(Template, WebTemplate)]
#[template(path = "login.html")]
pub struct LoginPage {
    pub page: Page,
    pub name: String,
    pub back: String,
    pub failed: bool,
    /// The button's text for single sign-on ("Inloggen met …"), when it is configured.
    pub sso_button: Option<String>,
    /// Whether the name and password form is offered.
    pub local_login: bool,
}

/// What a single sign-on login that did not work says: no role here, or the login itself failed.
#[derive(Template, WebTemplate)]
#[template(path = "sso_problem.html")]
pub struct SsoProblemPage {
    pub page: Page,
    /// The message key of the explanation.
    pub reason: &'static str,
    /// Whom to ask, when the configuration names someone.
    pub contact: Option<String>,
    pub provider: String,
}

impl SsoProblemPage {
    /// The message key of what to do about it.
    pub fn what(&self) -> &'static str {
        match self.reason {
            "sso.no_role" => "sso.no_role_what",
            "sso.disabled" => "sso.disabled_what",
            "sso.not_set_up" => "sso.not_set_up_what",
            "sso.unreachable" => "sso.unreachable_what",
            _ => "sso.failed_what",
        }
    }
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
    ctx: &PageCtx,
    name: String,
    back: String,
    failed: bool,
) -> Result<LoginPage, AppError> {
    let t = ctx.t;
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    Ok(LoginPage {
        page: ctx.page(&settings, "login.title", Nav::Login),
        name,
        back,
        failed,
        sso_button: ctx
            .state
            .oidc
            .as_ref()
            .map(|oidc| t.with("login.sso_button", &oidc.settings.name)),
        local_login: ctx.state.local_login,
    })
}

pub async fn form(ctx: PageCtx, Query(query): Query<BackQuery>) -> Result<LoginPage, AppError> {
    let back = safe_back(query.terug.as_deref());
    login_page(&ctx, String::new(), back, false).await
}

pub async fn login(
    ctx: PageCtx,
    mut session: AuthSession,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    if !ctx.state.local_login {
        return Err(AppError::Forbidden);
    }
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
            let page = login_page(&ctx, name, back, true).await?;
            Ok(unprocessable(page))
        }
    }
}

/// Ends the login here; for an account of the identity provider whose provider advertises an
/// `end_session_endpoint`, also sends the browser there to end the login at the provider.
pub async fn logout(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
    mut session: AuthSession,
) -> Result<Response, AppError> {
    let from_provider = session.user.as_ref().is_some_and(|user| user.sso.is_some());
    session
        .logout()
        .await
        .map_err(|error| AppError::Internal(anyhow::anyhow!("logging out: {error}")))?;
    if let Some(oidc) = state.oidc.as_ref().filter(|_| from_provider) {
        let redirect = crate::web::oidc::redirect_url(&oidc.settings, &headers, state.secure);
        if let Some(url) = oidc
            .logout_url(&crate::web::oidc::front_page(&redirect))
            .await
        {
            return Ok(Redirect::to(&url).into_response());
        }
    }
    Ok(Redirect::to("/").into_response())
}

/// The session key under which a started single sign-on login waits for its return.
const PENDING_KEY: &str = "oidc_pending";

async fn sso_problem(
    ctx: &PageCtx,
    status: axum::http::StatusCode,
    reason: &'static str,
) -> Result<Response, AppError> {
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    let oidc = ctx.state.oidc.as_ref().ok_or(AppError::NotFound)?;
    let page = SsoProblemPage {
        page: ctx.page(&settings, "sso.title", Nav::Login),
        reason,
        contact: oidc.settings.contact.clone(),
        provider: oidc.settings.name.clone(),
    };
    let mut response = page.into_response();
    *response.status_mut() = status;
    Ok(response)
}

/// `/login/oidc`: sends the visitor to the identity provider, remembering the login in the session.
pub async fn oidc_start(
    ctx: PageCtx,
    headers: axum::http::HeaderMap,
    session: AuthSession,
    Query(query): Query<BackQuery>,
) -> Result<Response, AppError> {
    let Some(oidc) = ctx.state.oidc.clone() else {
        return Err(AppError::NotFound);
    };
    let back = safe_back(query.terug.as_deref());
    let redirect = crate::web::oidc::redirect_url(&oidc.settings, &headers, ctx.state.secure);
    match oidc.start(redirect, back).await {
        Ok((url, pending)) => {
            session
                .session
                .insert(PENDING_KEY, pending)
                .await
                .map_err(|error| AppError::Internal(anyhow::anyhow!("keeping a login: {error}")))?;
            Ok(Redirect::to(&url).into_response())
        }
        Err(error) => {
            tracing::warn!(error = %error, "single sign-on could not start");
            sso_problem(&ctx, axum::http::StatusCode::BAD_GATEWAY, "sso.unreachable").await
        }
    }
}

/// What the identity provider sends back: a code and the state, or an error.
#[derive(serde::Deserialize)]
pub struct ReturnQuery {
    code: Option<String>,
    state: Option<String>,
    error: Option<String>,
}

/// `/login/oidc/terug`: checks the provider's answer and logs the visitor in, or says why not.
pub async fn oidc_return(
    ctx: PageCtx,
    mut session: AuthSession,
    Query(query): Query<ReturnQuery>,
) -> Result<Response, AppError> {
    use crate::web::oidc::OidcError;
    use axum::http::StatusCode;
    let Some(oidc) = ctx.state.oidc.clone() else {
        return Err(AppError::NotFound);
    };
    // Used once, whatever comes of it: a second return with the same state finds nothing.
    let pending: Option<crate::web::oidc::Pending> = session
        .session
        .remove(PENDING_KEY)
        .await
        .map_err(|error| AppError::Internal(anyhow::anyhow!("reading a login: {error}")))?;
    let outcome = match (pending, query.code, query.state, query.error) {
        (_, _, _, Some(error)) => Err(OidcError::Provider(
            error
                .chars()
                .filter(|c| c.is_ascii_alphanumeric() || *c == '_')
                .take(40)
                .collect(),
        )),
        (None, ..) => Err(OidcError::NoPendingLogin),
        (Some(pending), Some(code), Some(returned), None) => oidc
            .finish(pending.clone(), &code, &returned)
            .await
            .map(|verified| (verified, pending.back)),
        (Some(_), ..) => Err(OidcError::StateMismatch),
    };
    let (verified, back) = match outcome {
        Ok(done) => done,
        Err(error) => {
            tracing::warn!(error = %error, "a single sign-on login failed");
            crate::web::audit::note_target(format!("sso:{}", error_code(&error)));
            let status = if error.provider_down() {
                StatusCode::BAD_GATEWAY
            } else if matches!(error, OidcError::NoPendingLogin | OidcError::StateMismatch) {
                StatusCode::BAD_REQUEST
            } else {
                StatusCode::FORBIDDEN
            };
            let reason = if error.provider_down() {
                "sso.unreachable"
            } else {
                "sso.failed"
            };
            return sso_problem(&ctx, status, reason).await;
        }
    };
    let mapping = crate::sso::role_for(&oidc.settings.roles, &verified.groups)
        .map(|mapping| mapping.role.clone());
    let login = crate::sso::SsoLogin {
        identity: verified.identity,
        display_name: verified.display_name,
        role: mapping,
    };
    let name = login.identity.user_name();
    let today = ctx.state.today();
    let recorded = ctx
        .state
        .run(move |bank| bank.sso_login(login, today))
        .await?;
    match recorded {
        Ok(user) => {
            session
                .login(&user)
                .await
                .map_err(|error| AppError::Internal(anyhow::anyhow!("logging in: {error}")))?;
            tracing::info!(user = %user.name, role = user.role.code(), "logged in through single sign-on");
            crate::web::audit::note_actor(crate::audit::Actor::User(user.name.clone()));
            crate::web::audit::note_target(format!("user:{}", user.name));
            Ok(Redirect::to(&back).into_response())
        }
        Err(refusal) => {
            tracing::info!(user = %name, reason = refusal.code(), "a single sign-on login was refused");
            crate::web::audit::note_target(format!("user:{name}:{}", refusal.code()));
            let reason = match refusal {
                crate::sso::SsoRefusal::NoRole => "sso.no_role",
                crate::sso::SsoRefusal::Disabled => "sso.disabled",
                crate::sso::SsoRefusal::NameTaken | crate::sso::SsoRefusal::ProviderUnknown => {
                    "sso.not_set_up"
                }
            };
            sso_problem(&ctx, StatusCode::FORBIDDEN, reason).await
        }
    }
}

/// A failed single sign-on's short code for the audit log.
fn error_code(error: &crate::web::oidc::OidcError) -> &'static str {
    use crate::web::oidc::OidcError;
    match error {
        OidcError::Unreachable => "unreachable",
        OidcError::NoPendingLogin => "no_pending_login",
        OidcError::StateMismatch => "state",
        OidcError::Provider(_) => "provider_error",
        OidcError::TokenRequest => "token_request",
        OidcError::NoIdToken => "no_id_token",
        OidcError::Expired => "expired",
        OidcError::Nonce => "nonce",
        OidcError::Signature => "signature",
        OidcError::Invalid(_) => "invalid",
        OidcError::AccessTokenHash => "at_hash",
    }
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

pub async fn password_form(Staff(user): Staff, ctx: PageCtx) -> Result<PasswordPage, AppError> {
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    Ok(PasswordPage {
        page: ctx.page(&settings, "password.title", Nav::None),
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
    ctx: PageCtx,
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
                    ctx.state.run(move |bank| bank.put_user(&changed)).await?;
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
                ctx.state.run(move |bank| bank.put_user(&changed)).await?;
                tracing::info!(user = %user.name, "second factor turned off");
                (FactorView::Off, Some("second_factor.turned_off"), false)
            }
            None => (FactorView::of(&user), None, true),
        },
        _ => (FactorView::of(&user), None, false),
    };
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    let page = PasswordPage {
        page: ctx.page(&settings, "password.title", Nav::None),
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
    ctx: PageCtx,
    mut session: AuthSession,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let t = ctx.t;
    let form = FormData::new(pairs);
    let current = form.text("huidig");
    let new = form.text("nieuw");
    let repeat = form.text("herhaal");
    let name = user.name.clone();
    let outcome = ctx
        .state
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
    let settings = ctx.state.run(|bank| bank.settings()).await?;
    match outcome {
        Ok(user) => {
            session.login(&user).await.map_err(|error| {
                AppError::Internal(anyhow::anyhow!("renewing a login: {error}"))
            })?;
            tracing::info!(user = %user.name, "password changed");
            Ok(PasswordPage {
                page: ctx.page(&settings, "password.title", Nav::None),
                saved: true,
                error: None,
                second_factor: FactorView::of(&user),
                factor_notice: None,
                factor_error: false,
            }
            .into_response())
        }
        Err((field, key)) => Ok(unprocessable(PasswordPage {
            page: ctx.page(&settings, "password.title", Nav::None),
            saved: false,
            error: Some((field, t.get(key).to_string())),
            second_factor: FactorView::of(&user),
            factor_notice: None,
            factor_error: false,
        })),
    }
}
