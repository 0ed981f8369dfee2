//! The product as the benchmarks run it: the repository root (where `stories-sample/` is and where the
//! server runs) and the release binary, built by cargo when asked for, so a benchmark never measures a
//! stale build.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::Context;

/// The repository root: the product's package, the folder above this crate.
pub fn root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    // Invariant: this crate is `dev/` inside the repository, so its folder always has a parent.
    manifest
        .parent()
        .map_or_else(|| manifest.join(".."), Path::to_path_buf)
}

/// The product's release binary: `VERHALENBANK_BINARY` when set (to measure another build), else
/// `cargo build --release -p verhalenbank` is run (quick when nothing changed) and the path cargo
/// reports for the binary is returned.
pub fn product_binary() -> anyhow::Result<PathBuf> {
    if let Some(path) = std::env::var_os("VERHALENBANK_BINARY") {
        return Ok(PathBuf::from(path));
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| env!("CARGO").into());
    let output = Command::new(cargo)
        .current_dir(root())
        .args([
            "build",
            "--release",
            "--locked",
            "--package",
            "verhalenbank",
            "--bin",
            "verhalenbank",
            "--message-format=json-render-diagnostics",
        ])
        .stderr(Stdio::inherit())
        .output()
        .context("running cargo to build the product")?;
    anyhow::ensure!(
        output.status.success(),
        "cargo build --release -p verhalenbank failed"
    );
    executable_in(&String::from_utf8_lossy(&output.stdout))
        .context("cargo reported no executable for the verhalenbank binary")
}

/// The executable of the `verhalenbank` binary target in cargo's JSON messages.
fn executable_in(messages: &str) -> Option<PathBuf> {
    messages
        .lines()
        .filter_map(|line| serde_json::from_str::<serde_json::Value>(line).ok())
        .filter(|message| {
            message["reason"] == "compiler-artifact"
                && message["target"]["name"] == "verhalenbank"
                && message["target"]["kind"]
                    .as_array()
                    .is_some_and(|kinds| kinds.iter().any(|kind| kind == "bin"))
        })
        .find_map(|message| message["executable"].as_str().map(PathBuf::from))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_binary_is_read_from_cargo_messages() {
        let messages = concat!(
            r#"{"reason":"compiler-artifact","target":{"name":"verhalenbank","kind":["lib"]},"executable":null}"#,
            "\n",
            r#"{"reason":"compiler-artifact","target":{"name":"verhalenbank","kind":["bin"]},"executable":"/t/release/verhalenbank"}"#,
            "\n",
            r#"{"reason":"build-finished","success":true}"#,
        );
        assert_eq!(
            executable_in(messages),
            Some(PathBuf::from("/t/release/verhalenbank"))
        );
        assert_eq!(executable_in(r#"{"reason":"build-finished"}"#), None);
    }

    #[test]
    fn the_root_holds_the_demo() {
        assert!(root().join("stories-sample").is_dir());
        assert!(root().join("dev").join("Cargo.toml").is_file());
    }
}
