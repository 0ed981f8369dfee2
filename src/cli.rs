//! The command line: `verhalenbank [--data-dir DIR] <command>`, defined with clap derive.
//!
//! Only the shape of the commands lives here; what they do is in [`crate::commands`].

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::export::ExportFormat;

#[derive(Debug, Parser)]
#[command(
    name = "verhalenbank",
    version,
    about = "Verhalenbank: counted and told evidence side by side, for municipalities and the providers they fund"
)]
pub struct Cli {
    /// Folder that holds the store and the search index.
    #[arg(
        long,
        global = true,
        env = "VERHALENBANK_DATA_DIR",
        default_value = "./data"
    )]
    pub data_dir: PathBuf,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Import story files, stories or measurements CSV, goals.toml and municipality.toml (folders recursively).
    Import {
        /// Files or folders to import.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
    },
    /// Export the whole bank into an empty folder.
    Export {
        #[arg(long, value_enum, default_value = "markdown")]
        format: ExportFormat,
        /// The folder to write into; it must be empty or not exist yet.
        #[arg(long)]
        out: PathBuf,
    },
}
