//! API tokens: what a provider's own system uses to submit and read stories through the JSON API,
//! acting for that one provider.
//!
//! A token is `vbk_` and 32 characters from a 32-letter alphabet (160 random bits), shown once when it
//! is made. Only its SHA-256 hash is stored, next to a short id (to name it when revoking), the
//! provider, a label saying what it is for, and the day it was made. Domain only: no IO.

use std::fmt;

use jiff::civil::Date;
use rand::Rng;
use sha2::{Digest, Sha256};

use crate::ids::ProviderId;

const PREFIX: &str = "vbk_";
const ALPHABET: &[u8; 32] = b"abcdefghijkmnpqrstuvwxyz23456789";
const LENGTH: usize = 32;

/// A token as its holder has it.
pub struct ApiToken(String);

/// The stored form of a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TokenHash(pub [u8; 32]);

impl ApiToken {
    pub fn generate() -> ApiToken {
        let mut rng = rand::rng();
        let body: String = (0..LENGTH)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect();
        ApiToken(format!("{PREFIX}{body}"))
    }

    /// Reads a token as sent in an `Authorization: Bearer` header.
    pub fn parse(text: &str) -> Option<ApiToken> {
        let text = text.trim();
        let body = text.strip_prefix(PREFIX)?;
        (body.len() == LENGTH && body.bytes().all(|b| ALPHABET.contains(&b)))
            .then(|| ApiToken(text.to_string()))
    }

    pub fn hash(&self) -> TokenHash {
        TokenHash(Sha256::digest(self.0.as_bytes()).into())
    }

    /// The token itself, to show once.
    pub fn reveal(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for ApiToken {
    /// Never prints the token, so it cannot end up in a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ApiToken(…)")
    }
}

/// What is known of a token besides its hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenInfo {
    /// Eight hex digits of the hash: enough to name the token, useless to guess it.
    pub id: String,
    pub provider: ProviderId,
    pub label: String,
    pub created: Date,
}

impl TokenInfo {
    pub fn new(hash: &TokenHash, provider: ProviderId, label: &str, created: Date) -> TokenInfo {
        TokenInfo {
            id: hash.0[..4].iter().map(|b| format!("{b:02x}")).collect(),
            provider,
            label: label.trim().chars().take(120).collect(),
            created,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_read_back_and_hide_themselves() {
        let token = ApiToken::generate();
        assert_eq!(token.reveal().len(), 36);
        let again = ApiToken::parse(&format!(" {} ", token.reveal())).unwrap();
        assert_eq!(again.hash(), token.hash());
        assert_ne!(ApiToken::generate().hash(), token.hash());
        assert!(ApiToken::parse("vbk_te-kort").is_none());
        assert!(ApiToken::parse(&token.reveal().replace("vbk_", "abc_")).is_none());
        assert_eq!(format!("{token:?}"), "ApiToken(…)");
        let info = TokenInfo::new(
            &token.hash(),
            ProviderId::parse("buurtwerk").unwrap(),
            "  Registratiesysteem  ",
            jiff::civil::date(2026, 1, 2),
        );
        assert_eq!(info.id.len(), 8);
        assert_eq!(info.label, "Registratiesysteem");
    }
}
