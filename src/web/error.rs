//! Errors as visitors see them: a friendly page in Dutch and English (or `application/problem+json`
//! under `/api`), with the status code that fits. The cause goes to the log, never to the page.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};

use super::i18n::{Texts, dutch, english};
use crate::bank::BankError;

#[derive(Debug)]
pub enum AppError {
    NotFound,
    /// The request was not understood; the message key says why.
    BadRequest(&'static str),
    /// Too many posts from one address in a short time.
    TooManyRequests,
    /// The request's body is over the limit.
    TooLarge,
    /// Logged in, but this role may not do this.
    Forbidden,
    /// Not logged in; the path to come back to after logging in.
    LoginRequired(String),
    /// The bank refused a change: the story was erased or the record changed meanwhile.
    Refused(crate::bank::Refused),
    /// The data folder cannot be written: nothing was saved, and trying again later may work.
    Unwritable(BankError),
    Internal(anyhow::Error),
}

impl From<BankError> for AppError {
    fn from(error: BankError) -> Self {
        match error {
            BankError::Refused(refused) => AppError::Refused(refused),
            BankError::Unwritable { .. } => AppError::Unwritable(error),
            BankError::Other(error) => AppError::Internal(error),
        }
    }
}

impl From<crate::bank::Refused> for AppError {
    fn from(refused: crate::bank::Refused) -> Self {
        AppError::Refused(refused)
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    nl: &'static Texts,
    en: &'static Texts,
    key: &'static str,
    status: u16,
}

impl AppError {
    pub fn status(&self) -> StatusCode {
        match self {
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::TooManyRequests => StatusCode::TOO_MANY_REQUESTS,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::LoginRequired(_) => StatusCode::UNAUTHORIZED,
            AppError::Refused(crate::bank::Refused::Erased) => StatusCode::GONE,
            AppError::Refused(crate::bank::Refused::Changed) => StatusCode::CONFLICT,
            AppError::Refused(crate::bank::Refused::Missing) => StatusCode::NOT_FOUND,
            AppError::Unwritable(_) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message key of the explanation.
    pub fn key(&self) -> &'static str {
        match self {
            AppError::NotFound => "error.not_found",
            AppError::BadRequest(key) => key,
            AppError::TooManyRequests => "error.too_many",
            AppError::TooLarge => "error.too_large",
            AppError::Forbidden => "error.forbidden",
            AppError::LoginRequired(_) => "error.login_required",
            AppError::Refused(crate::bank::Refused::Erased) => "error.erased",
            AppError::Refused(crate::bank::Refused::Changed) => "error.changed",
            AppError::Refused(crate::bank::Refused::Missing) => "error.not_found",
            AppError::Unwritable(_) => "error.storage",
            AppError::Internal(_) => "error.internal",
        }
    }

    fn log(&self) {
        if let AppError::Internal(error)
        | AppError::Unwritable(BankError::Unwritable { source: error, .. }) = self
        {
            tracing::error!(error = format!("{error:#}"), "request failed");
        }
    }

    /// The error as `application/problem+json` (RFC 9457), for the API.
    pub fn problem(self) -> Response {
        self.log();
        let status = self.status();
        let body = serde_json::json!({
            "type": "about:blank",
            "title": status.canonical_reason().unwrap_or("Error"),
            "status": status.as_u16(),
            "detail": english().get(self.key()),
        });
        let mut response = (status, body.to_string()).into_response();
        response.headers_mut().insert(
            axum::http::header::CONTENT_TYPE,
            axum::http::HeaderValue::from_static("application/problem+json"),
        );
        response
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::LoginRequired(back) = &self {
            let query = serde_urlencoded::to_string([("terug", back)]).unwrap_or_default();
            return axum::response::Redirect::to(&format!("/inloggen?{query}")).into_response();
        }
        self.log();
        let status = self.status();
        let page = ErrorPage {
            nl: dutch(),
            en: english(),
            key: self.key(),
            status: status.as_u16(),
        };
        match page.render() {
            Ok(html) => (status, Html(html)).into_response(),
            Err(_) => (status, status.canonical_reason().unwrap_or("Error")).into_response(),
        }
    }
}
