//! The `verhalenbank` binary: parse the command line, set up logging, run the command, and turn an
//! error into a message and a non-zero exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = verhalenbank::cli::Cli::parse();
    verhalenbank::telemetry::init();
    match verhalenbank::commands::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::FAILURE
        }
    }
}
