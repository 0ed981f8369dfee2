//! Server time of the main pages: the goal overview, an evidence page and a search page, rendered by the
//! real router in process (no network), so the figures are what the server itself spends per request.

use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use tower::ServiceExt;

use crate::Percentiles;
use verhalenbank::bank::Bank;
use verhalenbank::config::Config;
use verhalenbank::web::{AppState, router};

/// Requests each page `rounds` times against the bank in `data_dir`; returns (path, percentiles).
pub fn page_bench(data_dir: &Path, rounds: usize) -> anyhow::Result<Vec<(String, Percentiles)>> {
    let bank = Arc::new(Bank::open(&Config::new(data_dir))?);
    let settings = bank.settings()?;
    let measured: std::collections::HashSet<_> = bank
        .measurements()?
        .iter()
        .map(|m| m.indicator.clone())
        .collect();
    let indicator = settings
        .goals
        .indicators
        .iter()
        .find(|indicator| measured.contains(&indicator.id))
        .map_or_else(|| "none".to_string(), |indicator| indicator.id.to_string());
    let paths = vec![
        "/".to_string(),
        format!("/indicator/{indicator}"),
        "/zoeken?q=buurt".to_string(),
    ];
    let app = router(AppState::new(bank, None, false));
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()?;
    let mut report = Vec::new();
    for path in paths {
        let mut samples = Vec::with_capacity(rounds);
        for round in 0..rounds + 5 {
            let request = Request::get(path.as_str()).body(Body::empty())?;
            let started = Instant::now();
            let response = runtime.block_on(app.clone().oneshot(request))?;
            let body = runtime.block_on(axum::body::to_bytes(response.into_body(), usize::MAX));
            let elapsed = started.elapsed();
            anyhow::ensure!(body.is_ok(), "{path} did not answer");
            // The first few requests warm caches and are not counted.
            if round >= 5 {
                samples.push(elapsed);
            }
        }
        let status = runtime
            .block_on(
                app.clone()
                    .oneshot(Request::get(path.as_str()).body(Body::empty())?),
            )?
            .status();
        anyhow::ensure!(status == StatusCode::OK, "{path} answered {status}");
        report.push((path, Percentiles::of(samples)));
    }
    Ok(report)
}
