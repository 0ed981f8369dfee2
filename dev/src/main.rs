//! `vb-dev`, the dev tooling's command line (`cargo dev ...`, an alias in `.cargo/config.toml`):
//! `bench` measures import, indexing, search and page times on a corpus (`verhalenbank gen-corpus`
//! writes one), `pages` the page times on a data folder that holds a bank already. Kept out
//! of the product's binary and manual pages.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Parser, Subcommand};
use verhalenbank_dev::{millis, root};

#[derive(Debug, Parser)]
#[command(
    name = "vb-dev",
    about = "Verhalenbank's dev tooling: benchmark corpora and measurements"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Measure import, indexing and search on a corpus folder and print a report.
    Bench {
        /// The corpus to measure on (a folder of story files with its goal tree).
        #[arg(long, default_value = "stories-sample")]
        corpus: PathBuf,
        /// How often to rebuild the index from the store.
        #[arg(long, default_value_t = 5)]
        rebuilds: usize,
        /// How often to run the query set.
        #[arg(long, default_value_t = 20)]
        rounds: usize,
        #[arg(long, default_value_t = 7)]
        seed: u64,
    },
    /// Measure the main pages' server time on a data folder that already holds a bank (imported
    /// with `verhalenbank import`), so that two builds can be compared on the same data.
    Pages {
        /// The bank's data folder.
        #[arg(long)]
        data_dir: PathBuf,
        /// Requests per page.
        #[arg(long, default_value_t = 200)]
        rounds: usize,
    },
}

fn main() -> anyhow::Result<ExitCode> {
    match Cli::parse().command {
        Command::Bench {
            corpus,
            rebuilds,
            rounds,
            seed,
        } => {
            let corpus = in_repository(corpus);
            let work = tempfile::tempdir().context("making a folder for the bench")?;
            verhalenbank_dev::search_bench(&corpus, work.path(), rebuilds, rounds, seed)?.print();
            for (path, p) in verhalenbank_dev::pages::page_bench(work.path(), rounds * 10)? {
                println!(
                    "page {path} (server time, {} requests): p50 {}  p99 {}",
                    p.count,
                    millis(p.p50),
                    millis(p.p99)
                );
            }
        }
        Command::Pages { data_dir, rounds } => {
            for (path, p) in verhalenbank_dev::pages::page_bench(&data_dir, rounds)? {
                println!(
                    "page {path} (server time, {} requests): p50 {}  p99 {}",
                    p.count,
                    millis(p.p50),
                    millis(p.p99)
                );
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A relative path that does not exist where the command runs is taken from the repository root, so
/// the default `stories-sample` works from any folder.
fn in_repository(path: PathBuf) -> PathBuf {
    if path.exists() || path.is_absolute() {
        path
    } else {
        root().join(path)
    }
}
