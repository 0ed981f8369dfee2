//! The integration tests: one binary, with a module per subject. They drive the real binary and the real
//! store on temporary folders.

mod access;
mod audit;
mod cli;
mod durability;
mod dutch_search;
mod erasure;
mod hostile;
mod report;
mod retrieval;
mod round_trip;
mod rounds;
mod support;
mod tree;
mod upgrade;
mod web;
