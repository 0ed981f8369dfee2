//! Logging with `tracing`, to standard error, filtered by `RUST_LOG` (default: info): as text lines, or
//! as one JSON object per line (`--log-format json`) for a log collector. Colour codes are written only
//! when standard error is a terminal, so a log file or the journal holds plain text.
//!
//! Stories are personal data: log lines carry ids, counts and durations, never story text, search
//! queries or personal details. Code that logs must keep to that. Other crates do not know that rule:
//! the HTML parser behind the sanitiser, for one, logs every piece of text it reads at debug level. So
//! whatever `RUST_LOG` asks, events from other crates pass only up to info, and those of the crates
//! that read story text (Markdown, HTML, sanitising) only warnings and errors.

use tracing::{Level, Metadata};
use tracing_subscriber::EnvFilter;
use tracing_subscriber::filter::filter_fn;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;
use tracing_subscriber::{Layer, fmt};

/// Crates that handle story text itself.
const TEXT_CRATES: &[&str] = &[
    "html5ever",
    "markup5ever",
    "xml5ever",
    "ammonia",
    "pulldown_cmark",
    "whatlang",
];

/// Whether an event or span may be logged at all, whatever the filter asks.
pub fn may_log(metadata: &Metadata<'_>) -> bool {
    let target = metadata.target();
    let crate_name = target.split("::").next().unwrap_or(target);
    if crate_name == "verhalenbank" {
        true
    } else if TEXT_CRATES.contains(&crate_name) {
        *metadata.level() <= Level::WARN
    } else {
        *metadata.level() <= Level::INFO
    }
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    /// One line of text per event.
    #[default]
    Text,
    /// One JSON object per line: `timestamp`, `level`, `target` and the event's `fields`.
    Json,
}

/// The format chosen at [`init`], for what the program says on standard output.
static FORMAT: std::sync::OnceLock<LogFormat> = std::sync::OnceLock::new();

/// Says something on standard output that an operator reads as the server starts (the address, the
/// data folder, the backup plan): a line of text, or with `--log-format json` a JSON object like the
/// log's own lines (`timestamp`, `level`, `target`, `fields` with `message` and each of `fields`), so a
/// collector that reads both streams gets JSON only. Never personal details: paths and addresses.
pub fn announce(message: &str, fields: &[(&str, String)]) {
    println!(
        "{}",
        announcement(FORMAT.get().copied().unwrap_or_default(), message, fields)
    );
}

/// The line [`announce`] prints.
pub fn announcement(format: LogFormat, message: &str, fields: &[(&str, String)]) -> String {
    match format {
        LogFormat::Text => message.to_string(),
        LogFormat::Json => {
            let mut all = serde_json::Map::new();
            all.insert("message".into(), message.into());
            for (name, value) in fields {
                all.insert((*name).into(), value.clone().into());
            }
            serde_json::json!({
                "timestamp": jiff::Timestamp::now().to_string(),
                "level": "INFO",
                "fields": all,
                "target": "verhalenbank",
            })
            .to_string()
        }
    }
}

/// An error that ends the program, as its last line on standard error: `error: …`, or a JSON object
/// with `level` `ERROR` in JSON mode.
pub fn fatal(error: &anyhow::Error) {
    match FORMAT.get().copied().unwrap_or_default() {
        LogFormat::Text => eprintln!("error: {error:#}"),
        LogFormat::Json => eprintln!(
            "{}",
            serde_json::json!({
                "timestamp": jiff::Timestamp::now().to_string(),
                "level": "ERROR",
                "fields": { "message": format!("{error:#}") },
                "target": "verhalenbank",
            })
        ),
    }
}

/// Sets up logging once; later calls do nothing.
pub fn init(format: LogFormat) {
    use std::io::IsTerminal;
    let _ = FORMAT.set(format);
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let layer = match format {
        LogFormat::Text => fmt::layer()
            .with_writer(std::io::stderr)
            .with_ansi(std::io::stderr().is_terminal())
            .boxed(),
        LogFormat::Json => fmt::layer()
            .json()
            .with_writer(std::io::stderr)
            .with_ansi(false)
            .boxed(),
    };
    let layer = layer.with_filter(filter).with_filter(filter_fn(may_log));
    let _ = tracing_subscriber::registry().with(layer).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn announcements_are_text_or_one_json_object() {
        let fields = [("address", "http://127.0.0.1:3000".to_string())];
        assert_eq!(
            announcement(LogFormat::Text, "Verhalenbank runs", &fields),
            "Verhalenbank runs"
        );
        let line = announcement(LogFormat::Json, "Verhalenbank runs", &fields);
        assert!(!line.contains('\n'));
        let value: serde_json::Value = serde_json::from_str(&line).unwrap();
        assert_eq!(value["fields"]["message"], "Verhalenbank runs");
        assert_eq!(value["fields"]["address"], "http://127.0.0.1:3000");
        assert_eq!(value["level"], "INFO");
        assert!(value["timestamp"].as_str().unwrap().ends_with('Z'));
    }
}
