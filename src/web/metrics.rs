//! Prometheus metrics at `/metrics`: requests by route template and status, their latency, and the
//! bank's state read when scraped (stories by status, outbox depth, index lag, erasures, the age of
//! the last backup). Made with `prometheus-client`, which writes the OpenMetrics text format.
//!
//! Routes are labelled by their template (`/verhaal/{id}`), never by the path asked for, so no story
//! id, receipt code or search word ends up in a metric, and the number of series stays bounded. The
//! endpoint answers only to a bearer token (`--metrics-token`) on the main address, or on an address
//! of its own (`--metrics-bind`); without either it does not exist.

use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;
use sha2::{Digest, Sha256};

use crate::web::AppState;

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    route: String,
    method: String,
    status: u16,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Debug, Clone, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: String,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// The server's metrics; one per server, shared by every request.
pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: LatencyFamily,
    stories: Family<StatusLabels, Gauge>,
    outbox_depth: Gauge,
    index_lag: Gauge,
    erased: Gauge,
    last_backup_age: Gauge<f64, AtomicU64>,
    /// The SHA-256 of the token that may read the metrics on the main address.
    token: Option<[u8; 32]>,
}

fn latency_histogram() -> Histogram {
    // 1 ms to about 16 s.
    Histogram::new(exponential_buckets(0.001, 2.0, 15))
}

impl Metrics {
    /// Metrics readable with `token` on the main address (`None`: not there).
    pub fn new(token: Option<&str>) -> Metrics {
        let mut registry = Registry::with_prefix("verhalenbank");
        let requests = Family::<RequestLabels, Counter>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route template, method and status",
            requests.clone(),
        );
        let latency: LatencyFamily = Family::new_with_constructor(latency_histogram);
        registry.register(
            "http_request_duration_seconds",
            "Time to answer an HTTP request, by route template",
            latency.clone(),
        );
        let stories = Family::<StatusLabels, Gauge>::default();
        registry.register(
            "stories",
            "Stories in the bank, by moderation status",
            stories.clone(),
        );
        let outbox_depth = Gauge::default();
        registry.register(
            "outbox_depth",
            "Changes in the outbox that the search index has not taken in for good",
            outbox_depth.clone(),
        );
        let index_lag = Gauge::default();
        registry.register(
            "index_lag",
            "Changes on disk that the search index has not applied yet",
            index_lag.clone(),
        );
        let erased = Gauge::default();
        registry.register(
            "erased_stories",
            "Stories erased at their teller's request or by staff (the erasure ledger's length)",
            erased.clone(),
        );
        let last_backup_age = Gauge::<f64, AtomicU64>::default();
        registry.register(
            "last_backup_age_seconds",
            "Seconds since the newest backup in the backup folder was written (-1: none yet or no backup folder)",
            last_backup_age.clone(),
        );
        last_backup_age.set(-1.0);
        Metrics {
            registry,
            requests,
            latency,
            stories,
            outbox_depth,
            index_lag,
            erased,
            last_backup_age,
            token: token.map(|token| Sha256::digest(token.as_bytes()).into()),
        }
    }

    /// Counts one answered request.
    fn observe(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests
            .get_or_create(&RequestLabels {
                route: route.to_string(),
                method: method.to_string(),
                status,
            })
            .inc();
        self.latency
            .get_or_create(&RouteLabels {
                route: route.to_string(),
            })
            .observe(seconds);
    }

    /// Whether the request carries the metrics token. Compared as hashes, so the time taken says
    /// nothing about how much of a guess was right.
    fn admits(&self, headers: &HeaderMap) -> bool {
        let Some(expected) = &self.token else {
            return false;
        };
        let Some(given) = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Bearer "))
        else {
            return false;
        };
        let given: [u8; 32] = Sha256::digest(given.trim().as_bytes()).into();
        given == *expected
    }

    /// The metrics as OpenMetrics text, with the bank's state read now.
    fn render(
        &self,
        figures: &crate::bank::operations::OperationsFigures,
        backup_age: Option<f64>,
    ) -> String {
        self.stories.clear();
        for (status, count) in &figures.stories_by_status {
            self.stories
                .get_or_create(&StatusLabels {
                    status: status.clone(),
                })
                .set(*count as i64);
        }
        self.outbox_depth.set(figures.outbox_depth as i64);
        self.index_lag.set(figures.index_lag as i64);
        self.erased.set(figures.erased as i64);
        self.last_backup_age.set(backup_age.unwrap_or(-1.0));
        let mut text = String::new();
        prometheus_client::encoding::text::encode(&mut text, &self.registry)
            .expect("writing to a string does not fail");
        text
    }
}

/// The middleware that counts every request by its route template.
pub async fn track(State(state): State<AppState>, request: Request, next: Next) -> Response {
    let started = Instant::now();
    let route = request
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |path| path.as_str().to_string());
    let method = match request.method().as_str() {
        known @ ("GET" | "HEAD" | "POST" | "PUT" | "PATCH" | "DELETE" | "OPTIONS") => {
            known.to_string()
        }
        _ => "other".to_string(),
    };
    let response = next.run(request).await;
    state.metrics.observe(
        &route,
        &method,
        response.status().as_u16(),
        started.elapsed().as_secs_f64(),
    );
    response
}

/// `/metrics` on the main address: only with the token.
pub async fn guarded(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if state.metrics.token.is_none() {
        return crate::web::AppError::NotFound.into_response();
    }
    if !state.metrics.admits(&headers) {
        return (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            "a metrics token is needed\n",
        )
            .into_response();
    }
    scrape(state).await
}

/// `/metrics` on its own address: open to whoever can reach that address.
pub async fn open(State(state): State<AppState>) -> Response {
    scrape(state).await
}

async fn scrape(state: AppState) -> Response {
    let metrics = state.metrics.clone();
    let result = state
        .run(move |bank| {
            let figures = bank.operations_figures()?;
            let age = bank.last_backup_age();
            Ok(metrics.render(&figures, age.map(|age| age.as_secs_f64())))
        })
        .await;
    match result {
        Ok(text) => (
            [(
                header::CONTENT_TYPE,
                "application/openmetrics-text; version=1.0.0; charset=utf-8",
            )],
            text,
        )
            .into_response(),
        Err(error) => error.into_response(),
    }
}

/// The router for `--metrics-bind`: `/metrics` and nothing else.
pub fn router(state: AppState) -> axum::Router {
    axum::Router::new()
        .route("/metrics", axum::routing::get(open))
        .with_state(state)
}

/// Shared handle for [`AppState`].
pub type SharedMetrics = Arc<Metrics>;
