//! What each command-line command does: open what it needs, make one call into the core, and report in
//! words an operator can act on. Returns the process exit code.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::cli::{Cli, Command};
use crate::config::Config;
use crate::export::{ExportFormat, export};
use crate::import::import_paths;
use crate::store::Store;

pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::new(&cli.data_dir);
    match cli.command {
        Command::Import { paths } => import(&config, &paths),
        Command::Export { format, out } => export_command(&config, format, &out),
    }
}

fn open_store(config: &Config) -> anyhow::Result<Store> {
    let path = config.store_path();
    std::fs::create_dir_all(&config.data_dir)
        .with_context(|| format!("creating the data folder {}", config.data_dir.display()))?;
    Store::open(&path).with_context(|| format!("opening the store in {}", path.display()))
}

fn import(config: &Config, paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    for path in paths {
        anyhow::ensure!(path.exists(), "{} does not exist", path.display());
    }
    let store = open_store(config)?;
    let progress = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    progress.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} bestanden ({eta})")
            .expect("valid progress template"),
    );
    let report = import_paths(&store, paths, &progress)?;
    for error in &report.errors {
        eprintln!("error: {error}");
    }
    println!(
        "imported {} stories and {} measurements from {} files{}{}",
        report.stories,
        report.measurements,
        report.files,
        if report.municipality {
            ", the municipality"
        } else {
            ""
        },
        if report.goal_tree {
            ", the goal tree"
        } else {
            ""
        },
    );
    if !report.skipped.is_empty() {
        println!(
            "skipped {} files that are not stories, figures or settings",
            report.skipped.len()
        );
    }
    if report.is_success() {
        Ok(ExitCode::SUCCESS)
    } else {
        eprintln!(
            "{} problems in {} files; those files (or rows) were not imported, everything else was",
            report.errors.len(),
            report.failed_files
        );
        Ok(ExitCode::FAILURE)
    }
}

fn export_command(
    config: &Config,
    format: ExportFormat,
    out: &std::path::Path,
) -> anyhow::Result<ExitCode> {
    let store = open_store(config)?;
    let summary = export(&store, format, out)?;
    println!(
        "exported {} stories and {} measurements to {} ({} files)",
        summary.stories,
        summary.measurements,
        out.display(),
        summary.files.len()
    );
    Ok(ExitCode::SUCCESS)
}
