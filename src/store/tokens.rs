//! API tokens in the store. Tree `tokens`: SHA-256 of the token (32 bytes) → [`TokenRecord`] as JSON.
//! The token itself is never stored.

use serde::{Deserialize, Serialize};

use super::{Store, StoreError, decode, encode};
use crate::ids::ProviderId;
use crate::tokens::{TokenHash, TokenInfo};

#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
enum TokenRecord {
    #[serde(rename = "1")]
    V1 {
        id: String,
        provider: String,
        label: String,
        created: String,
    },
}

fn into_info(bytes: &[u8]) -> Result<TokenInfo, StoreError> {
    let TokenRecord::V1 {
        id,
        provider,
        label,
        created,
    } = decode(bytes, "token")?;
    let corrupt = |detail: String| StoreError::Corrupt {
        what: format!("token {id}"),
        detail,
    };
    Ok(TokenInfo {
        provider: ProviderId::parse(&provider)
            .map_err(|error| corrupt(format!("provider: {error}")))?,
        created: created
            .parse()
            .map_err(|error| corrupt(format!("created: {error}")))?,
        id,
        label,
    })
}

impl Store {
    pub fn put_token(&self, hash: &TokenHash, info: &TokenInfo) -> Result<(), StoreError> {
        let record = TokenRecord::V1 {
            id: info.id.clone(),
            provider: info.provider.to_string(),
            label: info.label.clone(),
            created: info.created.to_string(),
        };
        self.t().tokens.insert(hash.0.as_slice(), encode(&record))?;
        self.flush()
    }

    /// The token with this hash, if it exists and was not revoked.
    pub fn token(&self, hash: &TokenHash) -> Result<Option<TokenInfo>, StoreError> {
        self.t()
            .tokens
            .get(hash.0.as_slice())?
            .map(|bytes| into_info(&bytes))
            .transpose()
    }

    /// Every token, by provider and day made.
    pub fn tokens(&self) -> Result<Vec<TokenInfo>, StoreError> {
        let mut all: Vec<TokenInfo> = self
            .t()
            .tokens
            .iter()
            .values()
            .map(|bytes| into_info(&bytes?))
            .collect::<Result<_, _>>()?;
        all.sort_by(|a, b| (&a.provider, a.created).cmp(&(&b.provider, b.created)));
        Ok(all)
    }

    /// Revokes the token with this id; it stops working at once. Returns whether there was one.
    pub fn revoke_token(&self, id: &str) -> Result<bool, StoreError> {
        let mut found = None;
        for item in self.t().tokens.iter() {
            let (key, bytes) = item?;
            if into_info(&bytes)?.id == id {
                found = Some(key);
                break;
            }
        }
        let Some(key) = found else {
            return Ok(false);
        };
        self.t().tokens.remove(key)?;
        self.flush()?;
        Ok(true)
    }
}
