//! The `verhalenbank` binary: parse the command line, set up logging, run the command, and turn an
//! error into a message and a non-zero exit code.

use std::process::ExitCode;

/// jemalloc gives freed memory back to the system; glibc's allocator kept an arena per thread.
#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

fn main() -> ExitCode {
    let cli = match verhalenbank::config_file::parse(std::env::args_os().collect()) {
        Ok(cli) => cli,
        Err(error) => match error.downcast::<clap::Error>() {
            Ok(clap_error) => clap_error.exit(),
            Err(error) => {
                eprintln!("error: {error:#}");
                return ExitCode::from(2);
            }
        },
    };
    verhalenbank::telemetry::init(cli.log_format);
    let outcome = if matches!(cli.command, verhalenbank::cli::Command::Serve { .. }) {
        verhalenbank::web::command::run(cli)
    } else {
        verhalenbank::commands::run(cli)
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            verhalenbank::telemetry::fatal(&error);
            ExitCode::FAILURE
        }
    }
}
