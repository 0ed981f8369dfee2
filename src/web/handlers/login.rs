//! Logging in and out. The login form posts name and password; a wrong combination gets one message
//! for both, so the page does not tell which names exist. After logging in the visitor goes back to
//! the page that asked for it (only a path on this site).

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{OriginalUri, Query, State};
use axum::response::{IntoResponse, Redirect, Response};

use crate::web::auth::{AuthSession, Credentials};
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
