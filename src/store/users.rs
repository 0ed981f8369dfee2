//! The store's part for accounts: one sled tree keyed by user name, every write flushed before it
//! returns. A record holds the password only as its Argon2id hash. Beside it the `logins` tree holds
//! the server-side login sessions, opaque to the store: session id → the session's record bytes.
//!
//! Adding and changing accounts ([`Store::add_user`], [`Store::change_user`]) is what the command line
//! and `/beheer` both call: one at a time, with the provider checked against `municipality.toml`.

use serde::{Deserialize, Serialize};

use super::{Store, StoreError, decode, encode};
use crate::accounts::{
    AccountChange, AccountError, PasswordDigest, Role, RoleKind, SecondFactor, User,
};
use crate::ids::{ProviderId, UserName};
use crate::sso::{SsoLogin, SsoRefusal};

#[derive(Serialize, Deserialize)]
#[serde(tag = "v")]
enum UserRecord {
    #[serde(rename = "1")]
    V1 {
        name: UserName,
        display_name: String,
        /// The role's kind; provider staff's provider beside it, as the record has always been.
        role: RoleKind,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        provider: Option<ProviderId>,
        password: String,
        created: jiff::civil::Date,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        second_factor: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        second_factor_step: Option<u64>,
        #[serde(default, skip_serializing_if = "std::ops::Not::not")]
        disabled: bool,
        /// The identity provider's issuer and subject, for a single sign-on account.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sso_issuer: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        sso_subject: Option<String>,
    },
}

impl UserRecord {
    fn from_user(user: &User) -> UserRecord {
        UserRecord::V1 {
            name: user.name.clone(),
            display_name: user.display_name.clone(),
            role: user.role.kind(),
            provider: user.role.provider().cloned(),
            password: user.password.as_str().to_string(),
            created: user.created,
            second_factor: user.second_factor.as_ref().map(|f| f.secret.clone()),
            second_factor_step: user.second_factor.as_ref().map(|f| f.last_step),
            disabled: user.disabled,
            sso_issuer: user.sso.as_ref().map(|sso| sso.issuer.clone()),
            sso_subject: user.sso.as_ref().map(|sso| sso.subject.clone()),
        }
    }

    /// The account the record holds. A record of provider staff without a provider (which no version
    /// made on purpose) is refused as damaged, with what to do, rather than read with a guessed scope.
    fn into_user(self) -> Result<User, StoreError> {
        let UserRecord::V1 {
            name,
            display_name,
            role,
            provider,
            password,
            created,
            second_factor,
            second_factor_step,
            disabled,
            sso_issuer,
            sso_subject,
        } = self;
        let role = Role::new(role, provider).map_err(|error| StoreError::Corrupt {
            what: format!("account {name}"),
            detail: format!(
                "{error}; remove the account (`verhalenbank user remove {name}`) and add it again with its role"
            ),
        })?;
        Ok(User {
            name,
            display_name,
            role,
            password: PasswordDigest::from_stored(password),
            created,
            second_factor: second_factor.map(|secret| SecondFactor {
                secret,
                last_step: second_factor_step.unwrap_or(0),
            }),
            disabled,
            sso: sso_issuer
                .zip(sso_subject)
                .map(|(issuer, subject)| crate::sso::SsoIdentity { issuer, subject }),
        })
    }
}

/// Account changes one at a time, so two administrators cannot both turn off the last other one.
static ACCOUNT_CHANGES: std::sync::Mutex<()> = std::sync::Mutex::new(());

impl Store {
    /// Adds or replaces an account.
    pub fn put_user(&self, user: &User) -> Result<(), StoreError> {
        self.t().users.insert(
            user.name.as_str().as_bytes(),
            encode(&UserRecord::from_user(user)),
        )?;
        self.flush()
    }

    pub fn user(&self, name: &UserName) -> Result<Option<User>, StoreError> {
        self.t()
            .users
            .get(name.as_str().as_bytes())?
            .map(|bytes| decode::<UserRecord>(&bytes, "user").and_then(UserRecord::into_user))
            .transpose()
    }

    /// Every account, by name.
    pub fn users(&self) -> Result<Vec<User>, StoreError> {
        self.t()
            .users
            .iter()
            .values()
            .map(|bytes| decode::<UserRecord>(&bytes?, "user").and_then(UserRecord::into_user))
            .collect()
    }

    /// Adds a new account; refused when the name is taken or its provider is not in the settings.
    pub fn add_user(&self, user: &User) -> Result<Result<(), AccountError>, StoreError> {
        let _one_at_a_time = ACCOUNT_CHANGES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if self.user(&user.name)?.is_some() {
            return Ok(Err(AccountError::NameTaken));
        }
        if !self.provider_known(user.role.provider())? {
            return Ok(Err(AccountError::ProviderUnknown));
        }
        self.put_user(user)?;
        Ok(Ok(()))
    }

    /// Makes `change` to the account `name` and returns the account as it is now; refused, and nothing
    /// written, when the change is not allowed (see [`User::apply`]).
    pub fn change_user(
        &self,
        name: &UserName,
        change: AccountChange,
    ) -> Result<Result<User, AccountError>, StoreError> {
        let _one_at_a_time = ACCOUNT_CHANGES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let Some(mut user) = self.user(name)? else {
            return Ok(Err(AccountError::NoSuchAccount));
        };
        if let AccountChange::Role(role) = &change
            && !self.provider_known(role.provider())?
        {
            return Ok(Err(AccountError::ProviderUnknown));
        }
        let other_admins = self
            .users()?
            .iter()
            .filter(|other| other.name != *name && other.is_active_admin())
            .count();
        if let Err(error) = user.apply(change, other_admins) {
            return Ok(Err(error));
        }
        self.put_user(&user)?;
        Ok(Ok(user))
    }

    /// Creates or updates the account of someone the identity provider vouched for, with the role its
    /// groups give now; refused, and nothing written, when the mapping gave no role, the account was
    /// turned off, the name belongs to a password account, or the mapped provider is unknown.
    pub fn sso_login(
        &self,
        login: SsoLogin,
        today: jiff::civil::Date,
    ) -> Result<Result<User, SsoRefusal>, StoreError> {
        let _one_at_a_time = ACCOUNT_CHANGES
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let name = login.identity.user_name();
        let existing = self.user(&name)?;
        if let Some(user) = &existing {
            if user.sso.as_ref() != Some(&login.identity) {
                return Ok(Err(SsoRefusal::NameTaken));
            }
            if user.disabled {
                return Ok(Err(SsoRefusal::Disabled));
            }
        }
        let Some(role) = login.role else {
            return Ok(Err(SsoRefusal::NoRole));
        };
        if !self.provider_known(role.provider())? {
            return Ok(Err(SsoRefusal::ProviderUnknown));
        }
        let user = match existing {
            Some(mut user) => {
                user.role = role;
                if !login.display_name.trim().is_empty() {
                    user.display_name = login.display_name.trim().to_string();
                }
                user
            }
            None => User::from_sso(login.identity, &login.display_name, role, today),
        };
        self.put_user(&user)?;
        Ok(Ok(user))
    }

    fn provider_known(&self, provider: Option<&ProviderId>) -> Result<bool, StoreError> {
        let Some(provider) = provider else {
            return Ok(true);
        };
        Ok(self
            .municipality()?
            .is_some_and(|municipality| municipality.provider(provider).is_some()))
    }

    /// Removes an account. Returns whether it existed.
    pub fn remove_user(&self, name: &UserName) -> Result<bool, StoreError> {
        let existed = self.t().users.remove(name.as_str().as_bytes())?.is_some();
        self.flush()?;
        Ok(existed)
    }
}

impl Store {
    pub fn login_session(&self, id: &str) -> Result<Option<Vec<u8>>, StoreError> {
        Ok(self
            .t()
            .logins
            .get(id.as_bytes())?
            .map(|bytes| bytes.to_vec()))
    }

    /// Stores a login session; with `only_new`, refuses (returns false) when the id is taken.
    pub fn put_login_session(
        &self,
        id: &str,
        bytes: &[u8],
        only_new: bool,
    ) -> Result<bool, StoreError> {
        if only_new {
            let swapped = self.t().logins.compare_and_swap(
                id.as_bytes(),
                None as Option<&[u8]>,
                Some(bytes),
            )?;
            if swapped.is_err() {
                return Ok(false);
            }
        } else {
            self.t().logins.insert(id.as_bytes(), bytes)?;
        }
        self.flush()?;
        Ok(true)
    }

    pub fn remove_login_session(&self, id: &str) -> Result<(), StoreError> {
        self.t().logins.remove(id.as_bytes())?;
        self.flush()
    }

    /// Removes the login sessions `expired` says are over.
    pub fn prune_login_sessions(&self, expired: impl Fn(&[u8]) -> bool) -> Result<(), StoreError> {
        for entry in self.t().logins.iter() {
            let (key, value) = entry?;
            if expired(&value) {
                self.t().logins.remove(key)?;
            }
        }
        self.flush()
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
            Role::Provider(ProviderId::parse("buurtwerk").unwrap()),
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

    #[test]
    fn a_stored_provider_account_reads_with_its_provider_and_never_without_one() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("store")).unwrap();
        let record = |name: &str, provider: &str| {
            format!(
                r#"{{"v":"1","name":"{name}","display_name":"Piet","role":"provider",{provider}"password":"","created":"2026-11-23"}}"#
            )
        };
        store
            .t()
            .users
            .insert(
                "piet",
                record("piet", r#""provider":"buurtwerk","#).as_bytes(),
            )
            .unwrap();
        let piet = store
            .user(&UserName::parse("piet").unwrap())
            .unwrap()
            .unwrap();
        assert_eq!(
            piet.role,
            Role::Provider(ProviderId::parse("buurtwerk").unwrap())
        );

        store
            .t()
            .users
            .insert("kees", record("kees", "").as_bytes())
            .unwrap();
        let error = store
            .user(&UserName::parse("kees").unwrap())
            .unwrap_err()
            .to_string();
        assert!(
            error.contains("account kees")
                && error.contains("provider staff must belong to a provider")
                && error.contains("verhalenbank user remove kees"),
            "{error}"
        );
        assert!(
            store.users().is_err(),
            "no list reads it with a guessed scope"
        );
    }
}
