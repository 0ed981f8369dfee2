//! The audit log (logboek): who did what to which story or setting, by id, never by content.
//!
//! Domain only. An entry names its actor (a staff account, a teller with a receipt code, a provider's
//! API token, or the command line), what was done as a short code (`story.moderated`), what it was
//! done to (`story:<id>`, `session:<id>`, or the path of the request, which holds only ids) and how
//! it ended (the HTTP status, or 0 for the command line). Story text, search queries and personal
//! details never go in: the entry has no field that could hold them.

use jiff::Timestamp;

use crate::ids::{ProviderId, UserName};

/// Who did it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A logged-in account.
    User(UserName),
    /// Someone without an account: a resident on a public form or with their receipt code, or a
    /// failed login.
    Anonymous,
    /// A provider's API token.
    Token(ProviderId),
    /// The `verhalenbank` command line on the server.
    Command,
}

impl Actor {
    /// `user:NAME`, `anonymous`, `token:PROVIDER` or `command`.
    pub fn code(&self) -> String {
        match self {
            Actor::User(name) => format!("user:{name}"),
            Actor::Anonymous => "anonymous".to_string(),
            Actor::Token(provider) => format!("token:{provider}"),
            Actor::Command => "command".to_string(),
        }
    }

    pub fn parse(code: &str) -> Option<Actor> {
        match code.split_once(':') {
            Some(("user", name)) => UserName::parse(name).ok().map(Actor::User),
            Some(("token", provider)) => ProviderId::parse(provider).ok().map(Actor::Token),
            None if code == "anonymous" => Some(Actor::Anonymous),
            None if code == "command" => Some(Actor::Command),
            _ => None,
        }
    }
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: Timestamp,
    pub actor: Actor,
    /// What was done, as a code such as `story.moderated`; the web page words it.
    pub action: String,
    /// What it was done to: `story:<id>` and the like, or a request path of ids.
    pub target: String,
    /// The HTTP status the request ended with; 0 for the command line.
    pub status: u16,
}

impl AuditEntry {
    pub fn new(actor: Actor, action: &str, target: String, status: u16) -> AuditEntry {
        AuditEntry {
            at: Timestamp::now(),
            actor,
            action: action.to_string(),
            target,
            status,
        }
    }
}
