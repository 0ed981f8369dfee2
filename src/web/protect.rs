//! Protection that every response or every public form gets: security headers on all responses, a
//! check that every form post comes from this site's own pages (against cross-site request forgery),
//! and a rate limit on the forms anyone can post without an account (telling a story, looking one up
//! by code, logging in), so a script cannot flood the moderation queue or try codes and passwords by
//! the thousand.
//!
//! The limit is per client address (from the connection). Behind a reverse proxy all visitors share the
//! proxy's address; the limit then applies to all of them together, which errs on the side of caution.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;

use axum::extract::ConnectInfo;
use axum::http::{HeaderName, HeaderValue, Method, Request};
use axum::response::IntoResponse;
use tower_governor::GovernorError;
use tower_governor::governor::GovernorConfigBuilder;
use tower_governor::key_extractor::KeyExtractor;
use tower_http::set_header::SetResponseHeaderLayer;

use super::AppError;

/// Posts allowed in a burst per address, and how fast the allowance comes back (one per this many seconds).
pub const BURST: u32 = 10;
pub const REFILL_SECONDS: u64 = 6;

/// The client's address, or one shared key when the connection's address is not known (in tests).
#[derive(Clone, Copy)]
pub struct ClientAddress;

impl KeyExtractor for ClientAddress {
    type Key = IpAddr;

    fn extract<T>(&self, request: &Request<T>) -> Result<IpAddr, GovernorError> {
        Ok(request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |info| info.0.ip()))
    }
}

/// A rate limit on POST requests, answering with the friendly "too many" page.
pub fn post_limit() -> tower_governor::GovernorLayer<
    ClientAddress,
    governor::middleware::NoOpMiddleware,
    axum::body::Body,
> {
    let config = GovernorConfigBuilder::default()
        .key_extractor(ClientAddress)
        .per_second(REFILL_SECONDS)
        .burst_size(BURST)
        .methods(vec![Method::POST])
        .finish()
        .expect("a valid rate limit");
    tower_governor::GovernorLayer::new(Arc::new(config)).error_handler(|error| match error {
        GovernorError::TooManyRequests { .. } => {
            // Without the address: it is personal data, and the count is what an operator needs.
            tracing::warn!("a form post was refused: too many posts from one address");
            AppError::TooManyRequests.into_response()
        }
        _ => AppError::BadRequest("error.bad_request").into_response(),
    })
}

/// Middleware against cross-site request forgery: a request that changes something (anything but GET,
/// HEAD or OPTIONS) is refused when the browser says it comes from another site: an `Origin` header
/// that is not this host, or `Sec-Fetch-Site: cross-site`. Browsers send these on every form post;
/// programs that call the API send neither and are not affected. The login cookie is SameSite=Lax too.
pub async fn same_origin(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) || is_same_origin(request.headers())
    {
        next.run(request).await
    } else {
        tracing::warn!("a cross-site form post was refused");
        AppError::Forbidden.into_response()
    }
}

/// Middleware that turns the body limit's plain-text refusal (413) into the friendly error page, or into
/// problem+json under `/api`, so a resident who pastes far too much sees what to do in their language.
pub async fn friendly_too_large(
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let api = request.uri().path().starts_with("/api/");
    let response = next.run(request).await;
    let plain = response
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .is_some_and(|kind| kind.as_bytes().starts_with(b"text/plain"));
    if response.status() != axum::http::StatusCode::PAYLOAD_TOO_LARGE || !plain {
        response
    } else if api {
        AppError::TooLarge.problem()
    } else {
        AppError::TooLarge.into_response()
    }
}

fn is_same_origin(headers: &axum::http::HeaderMap) -> bool {
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|h| h.to_str().ok());
    let site = headers
        .get("sec-fetch-site")
        .map(|site| site.as_bytes() != b"cross-site");
    match headers.get(axum::http::header::ORIGIN).map(|o| o.to_str()) {
        // Our own pages send no referrer, so browsers serialise their origin as "null" on posts; the
        // fetch metadata then says where the post came from, and without it we cannot tell.
        Some(Ok("null")) => site == Some(true),
        Some(origin) => {
            let authority = origin
                .ok()
                .and_then(|o| o.split_once("://"))
                .map(|(_, authority)| authority.trim_end_matches('/'));
            authority.is_some() && authority == host
        }
        None => site != Some(false),
    }
}

/// The Content-Security-Policy: everything from this site only, no inline script or style, no framing.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

/// Tells browsers to reach this site over https only, for a year: only when it is served over https.
pub fn strict_transport_security() -> SetResponseHeaderLayer<HeaderValue> {
    SetResponseHeaderLayer::if_not_present(
        HeaderName::from_static("strict-transport-security"),
        HeaderValue::from_static("max-age=31536000; includeSubDomains"),
    )
}

/// Layers that add the security headers to every response that does not set them itself.
pub fn security_headers() -> Vec<SetResponseHeaderLayer<HeaderValue>> {
    [
        ("content-security-policy", CONTENT_SECURITY_POLICY),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "no-referrer"),
        ("x-frame-options", "DENY"),
        (
            "permissions-policy",
            "camera=(), microphone=(), geolocation=()",
        ),
        ("cross-origin-opener-policy", "same-origin"),
    ]
    .into_iter()
    .map(|(name, value)| {
        SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static(name),
            HeaderValue::from_static(value),
        )
    })
    .collect()
}
