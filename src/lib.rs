//! Verhalenbank: a narrative-evidence story bank with search for Dutch municipalities and the
//! social-work providers they fund. It puts counted evidence (figures per outcome indicator) and told
//! evidence (stories linked to subgoals) side by side: *tellen en vertellen*.
//!
//! Modules in reading order: the domain (ids, language, number, municipality, goals, story, evidence) does no
//! IO; `redact` suggests the personal details to black out in a story, also without IO; `store` is the
//! sled source of truth; `index` is derived from it; `bank` is the core's one door; `import` and
//! `export` move the bank in and out of files; `present` puts the bank's data in words for the web and
//! the command line; `cli`, `config`, `commands` and `telemetry` make the program. See ARCHITECTURE.md
//! for the map, the layers (`tests/layers.rs` keeps them) and the invariants.

pub mod accounts;
pub mod audit;
pub mod bank;
pub mod cli;
pub mod commands;
pub mod config;
pub mod config_file;
pub mod control;
pub mod corpus;
pub mod duplicates;
pub mod evidence;
pub mod export;
pub mod goals;
pub mod hearing;
pub mod ids;
pub mod import;
pub mod index;
pub mod language;
pub mod media;
pub mod municipality;
pub mod number;
pub mod patterns;
pub mod present;
pub mod questions;
pub mod redact;
pub mod rounds;
pub mod sessions;
pub mod settings;
pub mod signals;
pub mod source;
pub mod sso;
pub mod store;
pub mod story;
pub mod synonyms;
pub mod telemetry;
pub mod tokens;
pub mod valence;
pub mod web;

#[cfg(any(test, feature = "testing"))]
#[doc(hidden)]
pub mod testing;
