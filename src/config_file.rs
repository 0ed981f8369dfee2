//! The configuration file, `verhalenbank.toml`: every option of `serve` (and the data folder and log
//! format for every command), so a service needs no long command line.
//!
//! Precedence, highest first: a flag on the command line, then its environment variable
//! (`VERHALENBANK_…`), then the file, then the built-in default. The file is `--config FILE` (or
//! `VERHALENBANK_CONFIG`), else `verhalenbank.toml` in the current folder when there is one. Keys
//! are the flags' names without the dashes in front (`bind`, `backup-dir`, `data-dir`); an unknown
//! key is an error that lists the known ones, so a typo is never ignored in silence.
//!
//! It works by reading the command line once, then adding `--key value` for every key of the file
//! whose option the command line and environment left at its default, and reading again: clap
//! itself checks the values, with the same messages as for flags.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

use crate::cli::Cli;

/// The file read when no `--config` is given and it exists in the current folder.
pub const DEFAULT_FILE: &str = "verhalenbank.toml";

/// Options that are not for a configuration file.
const NOT_IN_FILE: &[&str] = &["help", "version", "config"];

/// Reads the command line `args` (the program's name first) with the configuration file's values
/// filled in. A clap error (including `--help`) comes back as a `clap::Error` inside the `anyhow`.
pub fn parse(args: Vec<OsString>) -> anyhow::Result<Cli> {
    let matches = Cli::command().try_get_matches_from(&args)?;
    let file = match matches.get_one::<PathBuf>("config") {
        Some(path) => Some(path.clone()),
        None => Some(PathBuf::from(DEFAULT_FILE)).filter(|path| path.is_file()),
    };
    let Some(file) = file else {
        return Ok(Cli::from_arg_matches(&matches)?);
    };
    let extra = file_arguments(&file, &matches)?;
    if extra.is_empty() {
        return Ok(Cli::from_arg_matches(&matches)?);
    }
    let mut all = args;
    all.extend(extra);
    Ok(Cli::try_parse_from_args(all)?)
}

impl Cli {
    fn try_parse_from_args(args: Vec<OsString>) -> Result<Cli, clap::Error> {
        let matches = Cli::command().try_get_matches_from(args)?;
        Cli::from_arg_matches(&matches)
    }
}

/// The options a file may set: the global ones, and those of `serve`.
fn known_keys() -> (Vec<String>, Vec<String>) {
    let command = Cli::command();
    let names = |args: &mut dyn Iterator<Item = &clap::Arg>| -> Vec<String> {
        args.filter(|arg| arg.get_long().is_some())
            .map(|arg| arg.get_long().unwrap_or_default().to_string())
            .filter(|name| !NOT_IN_FILE.contains(&name.as_str()))
            .collect()
    };
    let global = names(&mut command.get_arguments().filter(|arg| arg.is_global_set()));
    let serve = command
        .find_subcommand("serve")
        .map(|serve| names(&mut serve.get_arguments().filter(|arg| !arg.is_global_set())))
        .unwrap_or_default();
    (global, serve)
}

/// The `--key value` arguments the file adds: each key whose option was left at its default.
fn file_arguments(file: &Path, matches: &clap::ArgMatches) -> anyhow::Result<Vec<OsString>> {
    let text = std::fs::read_to_string(file)
        .with_context(|| format!("reading the configuration file {}", file.display()))?;
    let table: toml::Table = toml::from_str(&text)
        .with_context(|| format!("the configuration file {} does not read", file.display()))?;
    let (global, serve) = known_keys();
    let command = matches.subcommand();
    let mut extra = Vec::new();
    for (written, value) in &table {
        // `local_login` reads as `local-login`: both spellings are common in TOML.
        let key = &written.replace('_', "-");
        let is_global = global.contains(key);
        if !is_global && !serve.contains(key) {
            let mut known: Vec<&String> = global.iter().chain(&serve).collect();
            known.sort();
            anyhow::bail!(
                "{}: unknown key {written}; known keys: {}",
                file.display(),
                known
                    .iter()
                    .map(|k| k.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
        let id = key.replace('-', "_");
        let source = match command {
            Some(("serve", serve_matches)) if !is_global => serve_matches.value_source(&id),
            _ if is_global => matches.value_source(&id),
            // A `serve` option, for another command: not used.
            _ => continue,
        };
        if matches!(
            source,
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        ) {
            continue;
        }
        let flag = format!("--{key}");
        let takes_value = takes_value(key);
        let one = |value: &toml::Value| -> Option<String> {
            match value {
                toml::Value::String(text) => Some(text.clone()),
                toml::Value::Integer(number) => Some(number.to_string()),
                toml::Value::Boolean(yes) if takes_value => Some(yes.to_string()),
                _ => None,
            }
        };
        match value {
            toml::Value::Boolean(true) if !takes_value => extra.push(flag.into()),
            toml::Value::Boolean(false) if !takes_value => {}
            // A list repeats the option: `oidc-role = ["a=admin", "b=analyst"]`.
            toml::Value::Array(items) => {
                for item in items {
                    let Some(text) = one(item).filter(|_| !matches!(item, toml::Value::Boolean(_)))
                    else {
                        anyhow::bail!(
                            "{}: {written}: every item of the list must be a text or a number, found {item}",
                            file.display()
                        );
                    };
                    extra.push(flag.clone().into());
                    extra.push(text.into());
                }
            }
            other => match one(other) {
                Some(text) => {
                    extra.push(flag.into());
                    extra.push(text.into());
                }
                None => anyhow::bail!(
                    "{}: {written} must be a text, a number, true/false or a list of texts, found {other}",
                    file.display()
                ),
            },
        }
    }
    Ok(extra)
}

/// Whether the option `key` takes a value (`--local-login false`) rather than being a switch.
fn takes_value(key: &str) -> bool {
    let command = Cli::command();
    let serve = command.find_subcommand("serve");
    command
        .get_arguments()
        .chain(serve.into_iter().flat_map(|serve| serve.get_arguments()))
        .find(|arg| arg.get_long() == Some(key))
        .is_some_and(|arg| arg.get_action().takes_values())
}
