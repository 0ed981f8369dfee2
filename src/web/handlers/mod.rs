//! The request handlers, one module per page or group of pages.

pub mod accounts;
pub mod actions;
pub mod admin;
pub mod api;
pub mod assets;
pub mod evidence;
pub mod health;
pub mod language;
pub mod login;
pub mod media;
pub mod moderation;
pub mod overview;
pub mod paper;
pub mod participate;
pub mod patterns;
pub mod provider;
pub mod questions;
pub mod report;
pub mod rounds;
pub mod search;
pub mod sessions;
pub mod story;
pub mod synonyms;
pub mod tell;
pub mod tree;
