//! Receipt codes: what a resident gets after telling a story, to read it back later, see whether it was
//! published, and change or withdraw it, without an account.
//!
//! A code is 16 characters from an alphabet of 31 without look-alikes (no 0/O, 1/I/L), 79 random bits, shown
//! once in groups of four. Only its SHA-256 hash is stored: the store cannot show a code to anyone, and
//! 79 bits cannot be guessed by trying.

use std::fmt;

use rand::Rng;
use sha2::{Digest, Sha256};

const ALPHABET: &[u8; 31] = b"23456789ABCDEFGHJKMNPQRSTUVWXYZ";
const LENGTH: usize = 16;

/// A receipt code as shown to the resident.
#[derive(Clone, PartialEq, Eq)]
pub struct ReceiptCode(String);

/// The stored form of a receipt code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ReceiptHash(pub [u8; 32]);

impl ReceiptCode {
    /// A new random code.
    pub fn generate() -> ReceiptCode {
        let mut rng = rand::rng();
        let code = (0..LENGTH)
            .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
            .collect();
        ReceiptCode(code)
    }

    /// Reads a code as a person types it: any case, with or without dashes and spaces.
    pub fn parse(input: &str) -> Option<ReceiptCode> {
        let code: String = input
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = code.len() == LENGTH && code.bytes().all(|b| ALPHABET.contains(&b));
        valid.then_some(ReceiptCode(code))
    }

    pub fn hash(&self) -> ReceiptHash {
        ReceiptHash(Sha256::digest(self.0.as_bytes()).into())
    }
}

impl fmt::Display for ReceiptCode {
    /// Groups of four: `K7PM-4XQ2-HT9C-WR3D`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<&str> = (0..LENGTH / 4).map(|i| &self.0[i * 4..i * 4 + 4]).collect();
        f.write_str(&groups.join("-"))
    }
}

impl fmt::Debug for ReceiptCode {
    /// Never prints the code itself, so it cannot end up in a log.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("ReceiptCode(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_back_as_typed() {
        let code = ReceiptCode::generate();
        let shown = code.to_string();
        assert_eq!(shown.len(), 19);
        assert_eq!(
            ReceiptCode::parse(&shown.to_lowercase()),
            Some(code.clone())
        );
        assert_eq!(
            ReceiptCode::parse(&shown.replace('-', " ")).unwrap().hash(),
            code.hash()
        );
        assert_ne!(ReceiptCode::generate(), code);
        assert_eq!(ReceiptCode::parse("te-kort"), None);
        assert_eq!(ReceiptCode::parse("0000-0000-0000-0000"), None);
        assert_eq!(format!("{code:?}"), "ReceiptCode(…)");
    }
}
