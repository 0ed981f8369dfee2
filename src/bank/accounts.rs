//! The bank's door to what staff accounts need: the accounts themselves, the login sessions the web's
//! login layer keeps in the store, the providers' API tokens and the audit log. The web layer reaches
//! these only through here, like everything else in the store.

use crate::accounts::{AccountChange, AccountError, User};
use crate::audit::AuditEntry;
use crate::ids::UserName;
use crate::tokens::{TokenHash, TokenInfo};

use super::Bank;

impl Bank {
    /// The account with this name.
    pub fn user(&self, name: &UserName) -> anyhow::Result<Option<User>> {
        Ok(self.store.user(name)?)
    }

    /// Every account, by name.
    pub fn users(&self) -> anyhow::Result<Vec<User>> {
        Ok(self.store.users()?)
    }

    /// Adds a new account, as `verhalenbank user add` does.
    pub fn add_user(&self, user: &User) -> anyhow::Result<Result<(), AccountError>> {
        Ok(self.store.add_user(user)?)
    }

    /// Changes an account, as the `verhalenbank user` commands do; the account as it is now.
    pub fn change_user(
        &self,
        name: &UserName,
        change: AccountChange,
    ) -> anyhow::Result<Result<User, AccountError>> {
        Ok(self.store.change_user(name, change)?)
    }

    /// Records a single sign-on login: the account keyed by the identity, made or updated with the role
    /// its groups give now (see [`crate::store::Store::sso_login`]).
    pub fn sso_login(
        &self,
        login: crate::sso::SsoLogin,
        today: jiff::civil::Date,
    ) -> anyhow::Result<Result<User, crate::sso::SsoRefusal>> {
        Ok(self.store.sso_login(login, today)?)
    }

    /// Stores an account (new or changed), durably.
    pub fn put_user(&self, user: &User) -> anyhow::Result<()> {
        Ok(self.store.put_user(user)?)
    }

    /// A login session's record as the login layer wrote it.
    pub fn login_session(&self, id: &str) -> anyhow::Result<Option<Vec<u8>>> {
        Ok(self.store.login_session(id)?)
    }

    /// Stores a login session's record; with `only_new`, only when there is none with this id yet.
    /// Returns whether it was stored.
    pub fn put_login_session(
        &self,
        id: &str,
        record: &[u8],
        only_new: bool,
    ) -> anyhow::Result<bool> {
        Ok(self.store.put_login_session(id, record, only_new)?)
    }

    pub fn remove_login_session(&self, id: &str) -> anyhow::Result<()> {
        Ok(self.store.remove_login_session(id)?)
    }

    /// Removes every login session whose record `expired` says is over.
    pub fn prune_login_sessions(&self, expired: impl Fn(&[u8]) -> bool) -> anyhow::Result<()> {
        Ok(self.store.prune_login_sessions(expired)?)
    }

    /// Adds a line to the audit log, durably.
    pub fn append_audit(&self, entry: &AuditEntry) -> anyhow::Result<()> {
        Ok(self.store.append_audit(entry)?)
    }

    /// A page of the audit log, newest first, each line with whether the story it names still exists.
    pub fn audit_page(&self, skip: usize, limit: usize) -> anyhow::Result<Vec<(AuditEntry, bool)>> {
        self.store
            .audit_entries(skip, limit)?
            .into_iter()
            .map(|entry| {
                let exists = entry
                    .target
                    .strip_prefix("story:")
                    .and_then(|id| crate::story::StoryId::parse(id).ok())
                    .map(|id| self.store.get_story(id).map(|story| story.is_some()))
                    .transpose()?
                    .unwrap_or(false);
                Ok((entry, exists))
            })
            .collect()
    }

    /// How many lines the audit log holds.
    pub fn audit_count(&self) -> usize {
        self.store.audit_count()
    }

    /// Every API token's description (never the token itself).
    pub fn tokens(&self) -> anyhow::Result<Vec<TokenInfo>> {
        Ok(self.store.tokens()?)
    }

    /// Stores a new API token as its hash.
    pub fn put_token(&self, hash: &TokenHash, info: &TokenInfo) -> anyhow::Result<()> {
        Ok(self.store.put_token(hash, info)?)
    }

    /// Revokes the token with this id; returns whether there was one.
    pub fn revoke_token(&self, id: &str) -> anyhow::Result<bool> {
        Ok(self.store.revoke_token(id)?)
    }
}
