//! Health checks for load balancers and service managers: `/healthz` says the process answers,
//! `/readyz` whether the bank can serve (store open, search index caught up within a bound), with
//! 503 and the reason otherwise. Plain text, no login, nothing about the bank's content.

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::bank::operations::Readiness;
use crate::web::AppState;

const NO_STORE: (header::HeaderName, &str) = (header::CACHE_CONTROL, "no-store");

/// The process is up and answers.
pub async fn healthz() -> Response {
    ([NO_STORE], "ok\n").into_response()
}

/// The bank is ready to serve: 200, or 503 with the reason.
pub async fn readyz(State(state): State<AppState>) -> Response {
    match state.run(|bank| Ok(bank.readiness())).await {
        Ok(Readiness::Ready) => ([NO_STORE], "ready\n").into_response(),
        Ok(Readiness::NotReady(why)) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [NO_STORE],
            format!("not ready: {why}\n"),
        )
            .into_response(),
        Err(_) => (
            StatusCode::SERVICE_UNAVAILABLE,
            [NO_STORE],
            "not ready: the bank did not answer\n",
        )
            .into_response(),
    }
}
