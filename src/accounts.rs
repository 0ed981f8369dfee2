//! Accounts and roles: who works with the bank and what their role lets them see and do.
//!
//! Four roles. The administrator (beheerder) manages accounts and settings; the municipal analyst sees
//! every story, moderates, runs evaluation rounds and edits the goal tree; the facilitator sees every
//! story and runs storytelling sessions; provider staff belong to one provider organisation and see
//! that organisation's stories (in any state) besides the public ones. Residents need no account.
//!
//! Passwords are kept only as Argon2id hashes in the PHC string format; the plain password exists only
//! while it is checked. An administrator changes an account with an [`AccountChange`] (role, turned
//! off and on, a new password, the second factor off), the same from the command line and `/beheer`.
//! Domain only: the store keeps users, the web layer keeps sessions.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use jiff::civil::Date;
use rand::Rng;
use serde::{Deserialize, Serialize};

use crate::ids::{ProviderId, UserName};
use crate::story::Scope;

/// Shortest password accepted.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// What a role is called, without the provider that provider staff belong to: what forms, the command
/// line and the store name, and what may be done with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleKind {
    Admin,
    Analyst,
    Facilitator,
    Provider,
}

impl RoleKind {
    pub const ALL: [RoleKind; 4] = [
        RoleKind::Admin,
        RoleKind::Analyst,
        RoleKind::Facilitator,
        RoleKind::Provider,
    ];

    pub fn code(self) -> &'static str {
        match self {
            RoleKind::Admin => "admin",
            RoleKind::Analyst => "analyst",
            RoleKind::Facilitator => "facilitator",
            RoleKind::Provider => "provider",
        }
    }

    /// Reads a role as written on the command line, in English or Dutch.
    pub fn parse(text: &str) -> Option<RoleKind> {
        match text.trim().to_lowercase().as_str() {
            "admin" | "beheerder" => Some(RoleKind::Admin),
            "analyst" | "analist" => Some(RoleKind::Analyst),
            "facilitator" | "begeleider" | "gespreksleider" => Some(RoleKind::Facilitator),
            "provider" | "aanbieder" => Some(RoleKind::Provider),
            _ => None,
        }
    }
}

/// What someone may do and see. Provider staff belong to exactly one provider, so an account of a
/// provider without its provider cannot be made, stored or read.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Role {
    Admin,
    Analyst,
    Facilitator,
    /// Staff of this provider.
    Provider(ProviderId),
}

impl Role {
    /// A role from its kind and the provider given with it: provider staff need one, nobody else
    /// takes one.
    pub fn new(kind: RoleKind, provider: Option<ProviderId>) -> Result<Role, AccountError> {
        match (kind, provider) {
            (RoleKind::Provider, Some(provider)) => Ok(Role::Provider(provider)),
            (RoleKind::Provider, None) => Err(AccountError::ProviderMissing),
            (_, Some(_)) => Err(AccountError::ProviderNotAllowed),
            (RoleKind::Admin, None) => Ok(Role::Admin),
            (RoleKind::Analyst, None) => Ok(Role::Analyst),
            (RoleKind::Facilitator, None) => Ok(Role::Facilitator),
        }
    }

    pub fn kind(&self) -> RoleKind {
        match self {
            Role::Admin => RoleKind::Admin,
            Role::Analyst => RoleKind::Analyst,
            Role::Facilitator => RoleKind::Facilitator,
            Role::Provider(_) => RoleKind::Provider,
        }
    }

    pub fn code(&self) -> &'static str {
        self.kind().code()
    }

    /// The provider of provider staff; `None` for every other role.
    pub fn provider(&self) -> Option<&ProviderId> {
        match self {
            Role::Provider(provider) => Some(provider),
            _ => None,
        }
    }

    /// Only analysts (and administrators) moderate stories.
    pub fn may_moderate(&self) -> bool {
        matches!(self, Role::Analyst | Role::Admin)
    }

    /// Analysts and administrators change the goal tree and run evaluation rounds.
    pub fn may_analyse(&self) -> bool {
        matches!(self, Role::Analyst | Role::Admin)
    }

    /// Facilitators, analysts and administrators run storytelling sessions and record interpretations.
    pub fn may_facilitate(&self) -> bool {
        matches!(self, Role::Facilitator | Role::Analyst | Role::Admin)
    }

    /// Which stories this role may see: provider staff their organisation's and the public ones,
    /// everyone else all of them.
    pub fn scope(&self) -> Scope {
        match self {
            Role::Provider(provider) => Scope::Provider(provider.clone()),
            Role::Admin | Role::Analyst | Role::Facilitator => Scope::Municipality,
        }
    }
}

/// Why an account cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccountError {
    #[error("provider staff must belong to a provider: give its id")]
    ProviderMissing,
    #[error("only provider staff belong to a provider")]
    ProviderNotAllowed,
    #[error("a password needs at least {MIN_PASSWORD_CHARS} characters")]
    PasswordTooShort,
    #[error("the password could not be hashed: {0}")]
    Hashing(String),
    #[error("there is no provider with this id in municipality.toml")]
    ProviderUnknown,
    #[error("an account with this name already exists")]
    NameTaken,
    #[error("there is no account with this name")]
    NoSuchAccount,
    #[error("this account has no two-step verification")]
    NoSecondFactor,
    #[error("this is the last administrator who can log in: make another one first")]
    LastAdmin,
}

/// A change an administrator makes to an existing account.
#[derive(Debug, Clone, PartialEq)]
pub enum AccountChange {
    /// A new role (with the provider, for provider staff).
    Role(Role),
    /// The account can no longer log in; its logins end.
    Disable,
    /// The account can log in again.
    Enable,
    /// A new password (its plain text lives only until it is hashed); the account's logins end.
    Password(String),
    /// The second factor off, for someone who lost the phone with the app.
    SecondFactorOff,
}

impl AccountChange {
    /// The audit log's action code for this change.
    pub fn audit_action(&self) -> &'static str {
        match self {
            AccountChange::Role(_) => "user.role_changed",
            AccountChange::Disable => "user.disabled",
            AccountChange::Enable => "user.enabled",
            AccountChange::Password(_) => "user.password_set",
            AccountChange::SecondFactorOff => "second_factor.changed",
        }
    }

    /// Whether the account stays one that can log in as administrator after this change.
    fn keeps_admin(&self, user: &User) -> bool {
        match self {
            AccountChange::Role(role) => *role == Role::Admin && !user.disabled,
            AccountChange::Disable => false,
            _ => user.is_active_admin(),
        }
    }
}

/// A password as stored: its Argon2id hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PasswordDigest(String);

impl PasswordDigest {
    /// Hashes a password with a fresh random salt.
    pub fn new(password: &str) -> Result<PasswordDigest, AccountError> {
        if password.chars().count() < MIN_PASSWORD_CHARS {
            return Err(AccountError::PasswordTooShort);
        }
        let mut bytes = [0u8; 16];
        rand::rng().fill(&mut bytes);
        let salt = SaltString::encode_b64(&bytes)
            .map_err(|error| AccountError::Hashing(error.to_string()))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|hash| PasswordDigest(hash.to_string()))
            .map_err(|error| AccountError::Hashing(error.to_string()))
    }

    /// Whether `password` is the one hashed here. Takes as long whatever the answer.
    pub fn verify(&self, password: &str) -> bool {
        PasswordHash::new(&self.0).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(password.as_bytes(), &hash)
                .is_ok()
        })
    }

    /// The stored text, for the store's record.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// A digest read back from the store.
    pub fn from_stored(text: String) -> PasswordDigest {
        PasswordDigest(text)
    }
}

/// A readable random password: five groups of four letters and digits without look-alikes.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    (0..5)
        .map(|_| {
            (0..4)
                .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char)
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join("-")
}

/// Someone who works with the bank.
#[derive(Debug, Clone, PartialEq)]
pub struct User {
    pub name: UserName,
    /// How the person is addressed on pages ("Jet de Vries").
    pub display_name: String,
    /// The role, with the organisation of provider staff.
    pub role: Role,
    pub password: PasswordDigest,
    pub created: Date,
    /// The second factor (an authenticator app's codes), for administrators and analysts who turned it on.
    pub second_factor: Option<SecondFactor>,
    /// Turned off by an administrator: the account cannot log in, and its logins have ended.
    pub disabled: bool,
    /// For an account that logs in through the identity provider (single sign-on): who it is there.
    /// Such an account has no password here, and its role is read from its groups at every login.
    pub sso: Option<crate::sso::SsoIdentity>,
}

/// A time-based one-time password (RFC 6238: six digits, 30 seconds, SHA-1, as every authenticator
/// app reads it) as a second factor at login. A code is accepted once: the step it was made for is
/// remembered, and codes of that step or before are refused after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecondFactor {
    /// The shared secret in base32, as the app is given it.
    pub secret: String,
    /// The time step of the last code accepted.
    pub last_step: u64,
}

impl SecondFactor {
    /// A fresh secret of 160 random bits.
    pub fn generate() -> SecondFactor {
        SecondFactor {
            secret: totp_rs::Secret::new_stack(rand::rng().random()).to_base32(),
            last_step: 0,
        }
    }

    fn totp(&self, account: &str) -> Option<totp_rs::Totp> {
        let secret = totp_rs::Secret::try_from_base32(&self.secret).ok()?;
        totp_rs::Builder::new()
            .with_secret(secret)
            .with_account_name(account)
            .with_issuer(Some("Verhalenbank"))
            .build()
            .ok()
    }

    /// Checks `code` at unix time `now`; on success returns the factor with the step remembered.
    pub fn check(&self, code: &str, now: u64) -> Option<SecondFactor> {
        let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let step = self.totp("verhalenbank")?.check(&code, now)?;
        (step > self.last_step).then(|| SecondFactor {
            secret: self.secret.clone(),
            last_step: step,
        })
    }

    /// The `otpauth://` address an authenticator app reads from a QR code.
    pub fn url(&self, account: &str) -> Option<String> {
        self.totp(account)?.to_url().ok()
    }

    /// The code for unix time `now`, as the app shows it (for tests and the command line).
    pub fn code_at(&self, now: u64) -> Option<String> {
        Some(self.totp("verhalenbank")?.generate(now).to_string())
    }
}

impl User {
    /// A new account with a password, checked.
    pub fn new(
        name: UserName,
        display_name: &str,
        role: Role,
        password: &str,
        created: Date,
    ) -> Result<User, AccountError> {
        let password = PasswordDigest::new(password)?;
        Ok(User::made(
            name,
            display_name,
            role,
            password,
            created,
            None,
        ))
    }

    /// An account for someone who logs in through the identity provider: named after the identity
    /// ([`crate::sso::SsoIdentity::user_name`]), without a password (none verifies), with the role
    /// the mapping gave.
    pub fn from_sso(
        identity: crate::sso::SsoIdentity,
        display_name: &str,
        role: Role,
        created: Date,
    ) -> User {
        let name = identity.user_name();
        // No password verifies against an empty digest.
        let password = PasswordDigest::from_stored(String::new());
        User::made(name, display_name, role, password, created, Some(identity))
    }

    /// A new, enabled account without a second factor; a blank display name is the account's name.
    fn made(
        name: UserName,
        display_name: &str,
        role: Role,
        password: PasswordDigest,
        created: Date,
        sso: Option<crate::sso::SsoIdentity>,
    ) -> User {
        User {
            display_name: if display_name.trim().is_empty() {
                name.to_string()
            } else {
                display_name.trim().to_string()
            },
            name,
            role,
            password,
            created,
            second_factor: None,
            disabled: false,
            sso,
        }
    }

    /// Makes `change`, checked. `other_admins` is how many other accounts can log in as administrator:
    /// the last one is not turned off or given another role, so the bank always has someone to manage it.
    pub fn apply(
        &mut self,
        change: AccountChange,
        other_admins: usize,
    ) -> Result<(), AccountError> {
        if self.is_active_admin() && !change.keeps_admin(self) && other_admins == 0 {
            return Err(AccountError::LastAdmin);
        }
        match change {
            AccountChange::Role(role) => self.role = role,
            AccountChange::Disable => self.disabled = true,
            AccountChange::Enable => self.disabled = false,
            AccountChange::Password(password) => self.password = PasswordDigest::new(&password)?,
            AccountChange::SecondFactorOff => {
                self.second_factor
                    .take()
                    .ok_or(AccountError::NoSecondFactor)?;
            }
        }
        Ok(())
    }

    /// An administrator who can log in.
    pub fn is_active_admin(&self) -> bool {
        self.is_admin() && !self.disabled
    }

    /// Which stories this person may see: provider staff their organisation's and the public ones,
    /// everyone else all of them.
    pub fn scope(&self) -> Scope {
        self.role.scope()
    }

    pub fn may_moderate(&self) -> bool {
        self.role.may_moderate()
    }

    pub fn may_analyse(&self) -> bool {
        self.role.may_analyse()
    }

    pub fn may_facilitate(&self) -> bool {
        self.role.may_facilitate()
    }

    /// Administrators and analysts, who reach every story, may protect their login with a second factor.
    /// Accounts of the identity provider have its own second factor instead.
    pub fn may_use_second_factor(&self) -> bool {
        matches!(self.role, Role::Admin | Role::Analyst) && self.sso.is_none()
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn second_factor_codes_are_accepted_once_and_only_in_time() {
        let factor = SecondFactor::generate();
        assert_eq!(factor.secret.len(), 32);
        let now = 1_790_000_000;
        let code = factor.code_at(now).unwrap();
        assert_eq!(code.len(), 6);
        let used = factor.check(&code, now).expect("the current code");
        assert!(used.check(&code, now).is_none(), "a code works once");
        let next = factor.code_at(now + 30).unwrap();
        assert!(used.check(&next, now + 30).is_some());
        assert!(factor.check(&code, now + 120).is_none(), "too late");
        assert!(factor.check("000000x", now).is_none());
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(factor.check(&spaced, now).is_some());
        assert!(
            factor
                .url("analist")
                .unwrap()
                .starts_with("otpauth://totp/Verhalenbank:analist?")
        );
    }

    fn name(text: &str) -> UserName {
        UserName::parse(text).unwrap()
    }

    fn today() -> Date {
        jiff::civil::date(2026, 11, 23)
    }

    #[test]
    fn passwords_are_hashed_and_verified() {
        let digest = PasswordDigest::new("correct horse battery").unwrap();
        assert!(
            digest.as_str().starts_with("$argon2id$"),
            "{}",
            digest.as_str()
        );
        assert!(!digest.as_str().contains("correct horse"));
        assert!(digest.verify("correct horse battery"));
        assert!(!digest.verify("correct horse batterY"));
        assert!(!PasswordDigest::from_stored("kapot".to_string()).verify("kapot"));
        assert_eq!(
            PasswordDigest::new("te kort"),
            Err(AccountError::PasswordTooShort)
        );
        let generated = generate_password();
        assert_eq!(generated.len(), 24);
        assert!(PasswordDigest::new(&generated).unwrap().verify(&generated));
    }

    #[test]
    fn roles_decide_scope_and_rights() {
        let provider = ProviderId::parse("buurtwerk").unwrap();
        let staff = User::new(
            name("piet"),
            "Piet",
            Role::Provider(provider.clone()),
            "een lang wachtwoord",
            today(),
        )
        .unwrap();
        assert_eq!(staff.scope(), Scope::Provider(provider.clone()));
        assert!(!staff.may_moderate() && !staff.may_facilitate() && !staff.may_analyse());

        let analyst = User::new(
            name("ana"),
            " ",
            Role::Analyst,
            "een lang wachtwoord",
            today(),
        )
        .unwrap();
        assert_eq!(analyst.display_name, "ana");
        assert_eq!(analyst.scope(), Scope::Municipality);
        assert!(analyst.may_moderate() && analyst.may_analyse() && !analyst.is_admin());

        let facilitator = User::new(
            name("fee"),
            "Fee",
            Role::Facilitator,
            "een lang wachtwoord",
            today(),
        )
        .unwrap();
        assert!(facilitator.may_facilitate() && !facilitator.may_moderate());

        assert_eq!(
            Role::new(RoleKind::Provider, None),
            Err(AccountError::ProviderMissing)
        );
        assert_eq!(
            Role::new(RoleKind::Admin, Some(provider.clone())),
            Err(AccountError::ProviderNotAllowed)
        );
        assert_eq!(
            Role::new(RoleKind::Provider, Some(provider.clone())),
            Ok(Role::Provider(provider.clone()))
        );
        assert_eq!(Role::Provider(provider).code(), "provider");
        assert_eq!(RoleKind::parse("Beheerder"), Some(RoleKind::Admin));
        assert_eq!(RoleKind::parse("aanbieder"), Some(RoleKind::Provider));
        assert_eq!(RoleKind::parse("gast"), None);
    }

    #[test]
    fn changes_are_checked_and_the_last_administrator_stays() {
        let mut admin = User::new(
            name("baas"),
            "",
            Role::Admin,
            "een lang wachtwoord",
            today(),
        )
        .unwrap();
        assert_eq!(
            admin.clone().apply(AccountChange::Disable, 0),
            Err(AccountError::LastAdmin)
        );
        let analyst = AccountChange::Role(Role::Analyst);
        assert_eq!(
            admin.clone().apply(analyst.clone(), 0),
            Err(AccountError::LastAdmin)
        );
        assert_eq!(
            admin.apply(AccountChange::Password("nieuw en lang genoeg".into()), 0),
            Ok(())
        );
        assert!(admin.password.verify("nieuw en lang genoeg"));
        assert_eq!(
            admin.apply(AccountChange::Password("kort".into()), 0),
            Err(AccountError::PasswordTooShort)
        );
        assert_eq!(
            admin.apply(AccountChange::SecondFactorOff, 0),
            Err(AccountError::NoSecondFactor)
        );
        admin.second_factor = Some(SecondFactor::generate());
        assert_eq!(admin.apply(AccountChange::SecondFactorOff, 0), Ok(()));
        assert!(admin.second_factor.is_none());

        assert_eq!(admin.apply(AccountChange::Disable, 1), Ok(()));
        assert!(admin.disabled && !admin.is_active_admin());
        assert_eq!(admin.apply(AccountChange::Enable, 0), Ok(()));
        assert!(admin.is_active_admin());
        let buurtwerk = ProviderId::parse("buurtwerk").unwrap();
        assert_eq!(
            admin.apply(AccountChange::Role(Role::Provider(buurtwerk.clone())), 1),
            Ok(())
        );
        assert_eq!(admin.scope(), Scope::Provider(buurtwerk));
        assert_eq!(analyst.audit_action(), "user.role_changed");
    }
}
