//! The integration tests: one binary, with a module per subject. They drive the real binary and the real
//! store on temporary folders.

mod access;
mod accounts;
mod api_contract;
mod audit;
mod backup;
mod cli;
mod duplicates;
mod durability;
mod dutch_search;
mod erasure;
mod facade;
mod glance;
mod hostile;
mod languages;
mod media;
mod operations;
mod packaging;
mod patterns;
mod questions;
mod report;
mod retrieval;
mod round_trip;
mod rounds;
mod sessions;
mod signals;
mod site;
mod story_indicator;
mod suggestions;
mod support;
mod synonyms;
mod tree;
mod upgrade;
mod versions;
mod web;
mod what_users_saw;
