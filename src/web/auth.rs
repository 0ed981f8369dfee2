//! Logging in: accounts are checked against the store (axum-login), login sessions live server-side in
//! sled (tower-sessions), and the cookie only carries a random session id (HttpOnly, SameSite=Lax,
//! Secure when the site is served over https).
//!
//! Handlers say who may reach them with an extractor: [`Staff`] for anyone logged in, [`Facilitator`],
//! [`Analyst`] and [`Admin`] for the roles. A visitor who is not logged in is sent to the login page
//! (and back afterwards); someone logged in without the role gets "no access" (403).

use std::sync::Arc;

use async_trait::async_trait;
use axum::extract::{FromRequestParts, OptionalFromRequestParts};
use axum::http::request::Parts;
use axum_login::{AuthManagerLayer, AuthManagerLayerBuilder, AuthUser, AuthnBackend, UserId};
use tower_sessions::cookie::SameSite;
use tower_sessions::cookie::time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};
use tower_sessions::{Expiry, SessionManagerLayer};

use super::AppError;
use crate::accounts::User;
use crate::bank::Bank;
use crate::ids::UserName;

/// How long a login lasts without activity.
const IDLE_HOURS: i64 = 8;

impl AuthUser for User {
    type Id = UserName;

    fn id(&self) -> UserName {
        self.name.clone()
    }

    /// Changing the password ends every other login of the account.
    fn session_auth_hash(&self) -> &[u8] {
        self.password.as_str().as_bytes()
    }
}

/// What the login form sends.
#[derive(Clone)]
pub struct Credentials {
    pub name: String,
    pub password: String,
    /// The code from the authenticator app, for accounts with a second factor.
    pub code: String,
}

/// Checks credentials and reads accounts from the store.
#[derive(Clone)]
pub struct Accounts {
    bank: Arc<Bank>,
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct AccountsError(String);

impl AuthnBackend for Accounts {
    type User = User;
    type Credentials = Credentials;
    type Error = AccountsError;

    async fn authenticate(&self, creds: Credentials) -> Result<Option<User>, AccountsError> {
        let bank = self.bank.clone();
        tokio::task::spawn_blocking(move || {
            let user = match UserName::parse(creds.name.trim().to_lowercase().as_str()) {
                Ok(name) => bank.user(&name).map_err(|e| AccountsError(e.to_string()))?,
                Err(_) => None,
            };
            // Without an account the password is still hashed once, so an answer takes as long either way.
            let checked = match &user {
                Some(user) => user.password.verify(&creds.password),
                None => DUMMY_DIGEST.verify(&creds.password),
            };
            // Accounts of the identity provider have no password here: they log in there.
            let Some(mut user) =
                user.filter(|user| checked && !user.disabled && user.sso.is_none())
            else {
                return Ok(None);
            };
            if let Some(factor) = &user.second_factor {
                let now = jiff::Timestamp::now().as_second().max(0) as u64;
                match factor.check(&creds.code, now) {
                    Some(used) => {
                        user.second_factor = Some(used);
                        bank.put_user(&user)
                            .map_err(|e| AccountsError(e.to_string()))?;
                    }
                    None => return Ok(None),
                }
            }
            Ok(Some(user))
        })
        .await
        .map_err(|e| AccountsError(e.to_string()))?
    }

    async fn get_user(&self, name: &UserId<Self>) -> Result<Option<User>, AccountsError> {
        let bank = self.bank.clone();
        let name = name.clone();
        // An account turned off has no user any more: its logins end with the next request.
        tokio::task::spawn_blocking(move || bank.user(&name))
            .await
            .map_err(|e| AccountsError(e.to_string()))?
            .map(|user| user.filter(|user| !user.disabled))
            .map_err(|e| AccountsError(e.to_string()))
    }
}

/// A hash of a password nobody has, to spend the same time on unknown names.
static DUMMY_DIGEST: std::sync::LazyLock<crate::accounts::PasswordDigest> =
    std::sync::LazyLock::new(|| {
        crate::accounts::PasswordDigest::new(&crate::accounts::generate_password())
            .expect("a generated password hashes")
    });

/// Login sessions in the store.
#[derive(Clone)]
pub struct StoredSessions {
    bank: Arc<Bank>,
}

impl std::fmt::Debug for StoredSessions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StoredSessions")
    }
}

fn backend_error(error: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(error.to_string())
}

impl StoredSessions {
    fn write(&self, record: &Record, only_new: bool) -> session_store::Result<bool> {
        let bytes =
            serde_json::to_vec(record).map_err(|e| session_store::Error::Encode(e.to_string()))?;
        self.bank
            .put_login_session(&record.id.to_string(), &bytes, only_new)
            .map_err(backend_error)
    }

    /// Removes the login sessions that are over, as the server starts.
    pub fn prune(bank: Arc<Bank>) -> anyhow::Result<()> {
        StoredSessions { bank }.prune_expired()
    }

    fn prune_expired(&self) -> anyhow::Result<()> {
        let now = OffsetDateTime::now_utc();
        self.bank.prune_login_sessions(|bytes| {
            !matches!(serde_json::from_slice::<Record>(bytes), Ok(r) if r.expiry_date > now)
        })?;
        Ok(())
    }
}

#[async_trait]
impl SessionStore for StoredSessions {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        let sessions = self.clone();
        let mut candidate = record.clone();
        let created = tokio::task::spawn_blocking(move || {
            while !sessions.write(&candidate, true)? {
                candidate.id = Id::default();
            }
            Ok::<_, session_store::Error>(candidate)
        })
        .await
        .map_err(backend_error)??;
        record.id = created.id;
        Ok(())
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let sessions = self.clone();
        let record = record.clone();
        tokio::task::spawn_blocking(move || sessions.write(&record, false).map(|_| ()))
            .await
            .map_err(backend_error)?
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let bank = self.bank.clone();
        let key = id.to_string();
        let bytes = tokio::task::spawn_blocking(move || bank.login_session(&key))
            .await
            .map_err(backend_error)?
            .map_err(backend_error)?;
        let Some(bytes) = bytes else {
            return Ok(None);
        };
        let record: Record = serde_json::from_slice(&bytes)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        if record.expiry_date <= OffsetDateTime::now_utc() {
            self.delete(id).await?;
            return Ok(None);
        }
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        let bank = self.bank.clone();
        let key = id.to_string();
        tokio::task::spawn_blocking(move || bank.remove_login_session(&key))
            .await
            .map_err(backend_error)?
            .map_err(backend_error)
    }
}

/// The layer that gives every request its login session and, when logged in, its user.
pub fn layer(bank: Arc<Bank>, secure: bool) -> AuthManagerLayer<Accounts, StoredSessions> {
    let sessions = StoredSessions { bank: bank.clone() };
    let manager = SessionManagerLayer::new(sessions)
        .with_name("verhalenbank")
        .with_http_only(true)
        .with_same_site(SameSite::Lax)
        .with_secure(secure)
        .with_expiry(Expiry::OnInactivity(Duration::hours(IDLE_HOURS)));
    AuthManagerLayerBuilder::new(Accounts { bank }, manager).build()
}

pub type AuthSession = axum_login::AuthSession<Accounts>;

/// Who is logged in, as the page header shows it.
#[derive(Debug, Clone)]
pub struct Visitor {
    pub display_name: String,
    pub role: crate::accounts::Role,
}

tokio::task_local! {
    static VISITOR: Option<Visitor>;
}

/// Middleware: remembers who is logged in while the request is handled, so every page's header can show
/// the right menu without each handler passing the user along.
pub async fn remember_visitor(
    session: AuthSession,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    let visitor = session.user.as_ref().map(|user| Visitor {
        display_name: user.display_name.clone(),
        role: user.role.clone(),
    });
    VISITOR.scope(visitor, next.run(request)).await
}

/// Who is logged in for the request being handled; `None` for visitors without an account.
pub fn visitor() -> Option<Visitor> {
    VISITOR.try_with(Clone::clone).ok().flatten()
}

/// The logged-in user, if any.
pub struct CurrentUser(pub Option<User>);

impl CurrentUser {
    /// Which stories this visitor may see: the user's scope, or the public's without a login.
    pub fn scope(&self) -> crate::index::Scope {
        self.0
            .as_ref()
            .map_or(crate::index::Scope::Public, User::scope)
    }
}

impl<S: Send + Sync> FromRequestParts<S> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        let session = AuthSession::from_request_parts(parts, state)
            .await
            .map_err(|_| AppError::Internal(anyhow::anyhow!("the login layer is missing")))?;
        Ok(CurrentUser(session.user))
    }
}

/// Sends a visitor who is not logged in to the login page, with the way back.
fn login_required(parts: &Parts) -> AppError {
    let back = parts
        .uri
        .path_and_query()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "/".to_string());
    AppError::LoginRequired(back)
}

macro_rules! role_extractor {
    ($(#[$doc:meta])* $name:ident, $allowed:expr) => {
        $(#[$doc])*
        pub struct $name(pub User);

        impl<S: Send + Sync> FromRequestParts<S> for $name {
            type Rejection = AppError;

            async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
                let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
                match user {
                    None => Err(login_required(parts)),
                    Some(user) if ($allowed)(&user) => Ok($name(user)),
                    Some(_) => Err(AppError::Forbidden),
                }
            }
        }

        impl<S: Send + Sync> OptionalFromRequestParts<S> for $name {
            type Rejection = AppError;

            async fn from_request_parts(
                parts: &mut Parts,
                state: &S,
            ) -> Result<Option<Self>, AppError> {
                let CurrentUser(user) = CurrentUser::from_request_parts(parts, state).await?;
                Ok(user.filter(|user| ($allowed)(user)).map($name))
            }
        }
    };
}

role_extractor!(
    /// Anyone logged in.
    Staff,
    |_: &User| true
);
role_extractor!(
    /// Facilitators, analysts and administrators.
    Facilitator,
    User::may_facilitate
);
role_extractor!(
    /// Analysts and administrators.
    Analyst,
    User::may_analyse
);
role_extractor!(
    /// Administrators.
    Admin,
    User::is_admin
);
