//! Logging with `tracing`, to standard error, filtered by `RUST_LOG` (default: info).
//!
//! Stories are personal data: log lines carry ids, counts and durations, never story text, search
//! queries or personal details. Code that logs must keep to that.

use tracing_subscriber::EnvFilter;

/// Sets up logging once; later calls do nothing.
pub fn init() {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .try_init();
}
