//! The store's part for accounts: one sled tree keyed by user name, every write flushed before it
//! returns. A record holds the password only as its Argon2id hash.

use serde::{Deserialize, Serialize};

use super::{Store, StoreError, decode, encode};
use crate::accounts::{PasswordDigest, Role, User};
use crate::ids::{ProviderId, UserName};

#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
enum UserRecord {
    #[serde(rename = "1")]
    V1 {
        name: UserName,
        display_name: String,
        role: Role,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        provider: Option<ProviderId>,
        password: String,
        created: jiff::civil::Date,
    },
}

impl UserRecord {
    fn from_user(user: &User) -> UserRecord {
        UserRecord::V1 {
            name: user.name.clone(),
            display_name: user.display_name.clone(),
            role: user.role,
            provider: user.provider.clone(),
            password: user.password.as_str().to_string(),
            created: user.created,
        }
    }

    fn into_user(self) -> User {
        let UserRecord::V1 {
            name,
            display_name,
            role,
            provider,
            password,
            created,
        } = self;
        User {
            name,
            display_name,
            role,
            provider,
            password: PasswordDigest::from_stored(password),
            created,
        }
    }
}

impl Store {
    /// Adds or replaces an account.
    pub fn put_user(&self, user: &User) -> Result<(), StoreError> {
        self.users.insert(
            user.name.as_str().as_bytes(),
            encode(&UserRecord::from_user(user)),
        )?;
        self.flush()
    }

    pub fn user(&self, name: &UserName) -> Result<Option<User>, StoreError> {
        self.users
            .get(name.as_str().as_bytes())?
            .map(|bytes| decode::<UserRecord>(&bytes, "user").map(UserRecord::into_user))
            .transpose()
    }

    /// Every account, by name.
    pub fn users(&self) -> Result<Vec<User>, StoreError> {
        self.users
            .iter()
            .values()
            .map(|bytes| decode::<UserRecord>(&bytes?, "user").map(UserRecord::into_user))
            .collect()
    }

    /// Removes an account. Returns whether it existed.
    pub fn remove_user(&self, name: &UserName) -> Result<bool, StoreError> {
        let existed = self.users.remove(name.as_str().as_bytes())?.is_some();
        self.flush()?;
        Ok(existed)
    }
}

#[cfg(test)]
mod tests {
    use crate::accounts::{Role, User};
    use crate::ids::{ProviderId, UserName};
    use crate::store::Store;

    #[test]
    fn accounts_are_stored_with_only_a_password_hash() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("store");
        let user = User::new(
            UserName::parse("piet").unwrap(),
            "Piet Jansen",
            Role::Provider,
            Some(ProviderId::parse("buurtwerk").unwrap()),
            "geheim-en-lang-genoeg",
            jiff::civil::date(2026, 11, 23),
        )
        .unwrap();
        {
            let store = Store::open(&path).unwrap();
            store.put_user(&user).unwrap();
        }
        let store = Store::open(&path).unwrap();
        let read = store.user(&user.name).unwrap().unwrap();
        assert_eq!(read, user);
        assert!(read.password.verify("geheim-en-lang-genoeg"));
        assert_eq!(store.users().unwrap().len(), 1);
        assert!(store.remove_user(&user.name).unwrap());
        assert!(store.user(&user.name).unwrap().is_none());
    }
}
