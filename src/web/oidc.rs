//! Single sign-on with the municipality's identity provider (OpenID Connect, with the `openidconnect`
//! crate): the authorization code flow with PKCE, a random `state` and `nonce` per login, and the ID
//! token checked (signature against the provider's published keys, issuer, audience, expiry, nonce,
//! and the access token's hash when it carries one).
//!
//! The provider's metadata (endpoints, keys) is read by discovery at the first login and again when it
//! is older than [`METADATA_MAX_AGE`], so a server starts even while the provider is down and follows
//! its key rotation. What a login needs to remember between leaving for the provider and coming back
//! ([`Pending`]) is kept in the server-side login session, used once. The HTTP client follows no
//! redirects (the crate's advice against request forgery) and gives up after ten seconds.
//!
//! Nothing of a token goes to the log or to a page: failures are told by kind ([`OidcError`]).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreAuthenticationFlow, CoreErrorResponseType,
    CoreGenderClaim, CoreJsonWebKey, CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm,
    CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AccessTokenHash, AdditionalClaims, AuthorizationCode, ClaimsVerificationError, ClientId,
    ClientSecret, CsrfToken, EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet,
    IdTokenFields, IssuerUrl, LogoutRequest, Nonce, OAuth2TokenResponse, PkceCodeChallenge,
    PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl, Scope,
    StandardErrorResponse, StandardTokenResponse, TokenResponse,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::sso::{RoleMapping, SsoIdentity};

/// How long the provider's metadata and keys are used before they are read again.
pub const METADATA_MAX_AGE: Duration = Duration::from_secs(600);

/// The path the provider sends people back to.
pub const CALLBACK_PATH: &str = "/login/oidc/terug";

/// Single sign-on as configured (`oidc-…` in `verhalenbank.toml`, flags or environment).
#[derive(Debug, Clone)]
pub struct OidcSettings {
    /// The issuer URL, as the provider's discovery document names it.
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<String>,
    /// The full address of [`CALLBACK_PATH`] on this site, as registered with the provider; when left
    /// out it is made from the address each request came in on (https with `--https`).
    pub redirect_url: Option<String>,
    /// The provider's name on the login button ("Inloggen met …").
    pub name: String,
    /// The claim of the ID token that lists the person's groups.
    pub groups_claim: String,
    pub roles: Vec<RoleMapping>,
    /// Whom someone without a role should ask, as the refusal page names it.
    pub contact: Option<String>,
}

/// Every claim of the ID token besides the standard ones, so the groups claim can have any name.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OtherClaims(HashMap<String, serde_json::Value>);

impl AdditionalClaims for OtherClaims {}

type Tokens = StandardTokenResponse<
    IdTokenFields<
        OtherClaims,
        EmptyExtraTokenFields,
        CoreGenderClaim,
        CoreJweContentEncryptionAlgorithm,
        CoreJwsSigningAlgorithm,
    >,
    CoreTokenType,
>;

type OidcClient = openidconnect::Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    openidconnect::core::CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// Why a login through the provider did not succeed, by kind; the log and the audit log get only this.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OidcError {
    #[error("the identity provider could not be reached or its discovery document did not read")]
    Unreachable,
    #[error("no login was started in this browser session, or it was already used")]
    NoPendingLogin,
    #[error("the state returned does not match the login that was started")]
    StateMismatch,
    #[error("the identity provider answered with an error ({0})")]
    Provider(String),
    #[error("the code could not be exchanged for tokens")]
    TokenRequest,
    #[error("the identity provider sent no ID token")]
    NoIdToken,
    #[error("the ID token has expired")]
    Expired,
    #[error("the ID token's nonce does not match the login that was started")]
    Nonce,
    #[error("the ID token's signature does not check")]
    Signature,
    #[error("the ID token is not valid: {0}")]
    Invalid(&'static str),
    #[error("the access token does not match the ID token")]
    AccessTokenHash,
}

impl OidcError {
    /// Whether the provider (not the person, nor an attacker) is the likely cause: shown as a 502.
    pub fn provider_down(&self) -> bool {
        matches!(self, OidcError::Unreachable | OidcError::TokenRequest)
    }
}

fn claims_error(error: &ClaimsVerificationError) -> OidcError {
    match error {
        ClaimsVerificationError::Expired(_) => OidcError::Expired,
        ClaimsVerificationError::InvalidNonce(_) => OidcError::Nonce,
        ClaimsVerificationError::SignatureVerification(_) => OidcError::Signature,
        ClaimsVerificationError::InvalidAudience(_) => OidcError::Invalid("audience"),
        ClaimsVerificationError::InvalidIssuer(_) => OidcError::Invalid("issuer"),
        ClaimsVerificationError::InvalidSubject(_) => OidcError::Invalid("subject"),
        ClaimsVerificationError::InvalidAuthTime(_) => OidcError::Invalid("auth_time"),
        ClaimsVerificationError::InvalidAuthContext(_) => OidcError::Invalid("acr"),
        ClaimsVerificationError::Unsupported(_) => OidcError::Invalid("unsupported"),
        _ => OidcError::Invalid("claims"),
    }
}

/// What the bank remembers of a login between sending someone to the provider and their return.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Pending {
    state: String,
    nonce: String,
    verifier: String,
    /// The redirect URL this login was started with (the token request repeats it).
    redirect: String,
    /// The page on this site to go back to afterwards.
    pub back: String,
}

/// Who the provider says logged in.
#[derive(Debug, Clone)]
pub struct Verified {
    pub identity: SsoIdentity,
    /// The name to show on pages: `name`, else `preferred_username`, else empty.
    pub display_name: String,
    pub groups: Vec<String>,
}

/// The single sign-on client: the settings, an HTTP client, and the provider's metadata once read.
pub struct Oidc {
    pub settings: OidcSettings,
    http: reqwest::Client,
    metadata: tokio::sync::Mutex<Option<(Instant, Arc<ProviderMetadataWithLogout>)>>,
}

impl std::fmt::Debug for Oidc {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Oidc")
            .field("issuer", &self.settings.issuer)
            .finish_non_exhaustive()
    }
}

/// The SHA-256 of a text, to compare secrets without leaking their length or a prefix by timing.
fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}

impl Oidc {
    pub fn new(settings: OidcSettings) -> anyhow::Result<Oidc> {
        IssuerUrl::new(settings.issuer.clone()).map_err(|error| {
            anyhow::anyhow!(
                "oidc-issuer {:?} is not a URL ({error}); expected the identity provider's issuer, such as https://login.microsoftonline.com/TENANT-ID/v2.0",
                settings.issuer
            )
        })?;
        if let Some(url) = &settings.redirect_url {
            RedirectUrl::new(url.clone()).map_err(|error| {
                anyhow::anyhow!(
                    "oidc-redirect-url {url:?} is not a URL ({error}); expected the full address of {CALLBACK_PATH} on this site, such as https://verhalen.gemeente.nl{CALLBACK_PATH}"
                )
            })?;
        }
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()?;
        Ok(Oidc {
            settings,
            http,
            metadata: tokio::sync::Mutex::new(None),
        })
    }

    /// The provider's metadata, read again when older than [`METADATA_MAX_AGE`].
    async fn metadata(&self) -> Result<Arc<ProviderMetadataWithLogout>, OidcError> {
        let mut cached = self.metadata.lock().await;
        if let Some((read, metadata)) = cached.as_ref()
            && read.elapsed() < METADATA_MAX_AGE
        {
            return Ok(metadata.clone());
        }
        let issuer =
            IssuerUrl::new(self.settings.issuer.clone()).map_err(|_| OidcError::Unreachable)?;
        match ProviderMetadataWithLogout::discover_async(issuer, &self.http).await {
            Ok(metadata) => {
                let metadata = Arc::new(metadata);
                *cached = Some((Instant::now(), metadata.clone()));
                Ok(metadata)
            }
            Err(error) => {
                tracing::warn!(
                    issuer = %self.settings.issuer,
                    error = %error,
                    "the identity provider's discovery failed"
                );
                Err(OidcError::Unreachable)
            }
        }
    }

    fn client(&self, metadata: &ProviderMetadataWithLogout) -> OidcClient {
        OidcClient::from_provider_metadata(
            metadata.clone(),
            ClientId::new(self.settings.client_id.clone()),
            self.settings.client_secret.clone().map(ClientSecret::new),
        )
    }

    /// Starts a login: the address to send the browser to, and what to remember until it is back.
    pub async fn start(
        &self,
        redirect: String,
        back: String,
    ) -> Result<(String, Pending), OidcError> {
        let metadata = self.metadata().await?;
        let redirect_url =
            RedirectUrl::new(redirect.clone()).map_err(|_| OidcError::Invalid("redirect"))?;
        let client = self.client(&metadata).set_redirect_uri(redirect_url);
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let (url, state, nonce) = client
            .authorize_url(
                CoreAuthenticationFlow::AuthorizationCode,
                CsrfToken::new_random,
                Nonce::new_random,
            )
            .add_scope(Scope::new("profile".to_string()))
            .set_pkce_challenge(challenge)
            .url();
        Ok((
            url.to_string(),
            Pending {
                state: state.secret().clone(),
                nonce: nonce.secret().clone(),
                verifier: verifier.secret().clone(),
                redirect,
                back,
            },
        ))
    }

    /// Finishes a login the provider sent back with `code` and `state`: checks the state, exchanges
    /// the code (with the PKCE verifier) and checks the ID token.
    pub async fn finish(
        &self,
        pending: Pending,
        code: &str,
        state: &str,
    ) -> Result<Verified, OidcError> {
        if digest(state) != digest(&pending.state) {
            return Err(OidcError::StateMismatch);
        }
        let metadata = self.metadata().await?;
        let redirect_url = RedirectUrl::new(pending.redirect.clone())
            .map_err(|_| OidcError::Invalid("redirect"))?;
        let client = self.client(&metadata).set_redirect_uri(redirect_url);
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_string()))
            .map_err(|_| OidcError::TokenRequest)?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier.clone()))
            .request_async(&self.http)
            .await
            .map_err(|error| match error {
                openidconnect::RequestTokenError::ServerResponse(response) => {
                    OidcError::Provider(response.error().to_string())
                }
                _ => OidcError::TokenRequest,
            })?;
        let id_token = tokens.id_token().ok_or(OidcError::NoIdToken)?;
        let verifier = client.id_token_verifier();
        let nonce = Nonce::new(pending.nonce.clone());
        let claims = id_token
            .claims(&verifier, &nonce)
            .map_err(|error| claims_error(&error))?;
        if let Some(expected) = claims.access_token_hash() {
            let algorithm = id_token
                .signing_alg()
                .map_err(|_| OidcError::Invalid("alg"))?;
            let key = id_token
                .signing_key(&verifier)
                .map_err(|_| OidcError::Signature)?;
            let actual = AccessTokenHash::from_token(tokens.access_token(), algorithm, key)
                .map_err(|_| OidcError::AccessTokenHash)?;
            if actual != *expected {
                return Err(OidcError::AccessTokenHash);
            }
        }
        let display_name = claims
            .name()
            .and_then(|name| name.get(None))
            .map(|name| name.as_str().to_string())
            .or_else(|| {
                claims
                    .preferred_username()
                    .map(|name| name.as_str().to_string())
            })
            .unwrap_or_default();
        let groups = crate::sso::groups_of(
            claims
                .additional_claims()
                .0
                .get(&self.settings.groups_claim),
        );
        Ok(Verified {
            identity: SsoIdentity {
                issuer: metadata.issuer().as_str().to_string(),
                subject: claims.subject().as_str().to_string(),
            },
            display_name,
            groups,
        })
    }

    /// Where to send someone who logs out, when the provider advertises an `end_session_endpoint`
    /// (RP-initiated logout): there, with this client's id and the way back to `after`.
    pub async fn logout_url(&self, after: &str) -> Option<String> {
        let metadata = self.metadata().await.ok()?;
        let endpoint = metadata
            .additional_metadata()
            .end_session_endpoint
            .clone()?;
        let mut request = LogoutRequest::from(endpoint)
            .set_client_id(ClientId::new(self.settings.client_id.clone()));
        if let Ok(after) = PostLogoutRedirectUrl::new(after.to_string()) {
            request = request.set_post_logout_redirect_uri(after);
        }
        Some(request.http_get_url().to_string())
    }
}

/// The redirect URL for a request: the configured one, or [`CALLBACK_PATH`] on the address the request
/// came in on (https when the site is served over https, or the proxy says so).
pub fn redirect_url(
    settings: &OidcSettings,
    headers: &axum::http::HeaderMap,
    https: bool,
) -> String {
    if let Some(url) = &settings.redirect_url {
        return url.clone();
    }
    let host = headers
        .get(axum::http::header::HOST)
        .and_then(|value| value.to_str().ok())
        .filter(|host| {
            !host.is_empty()
                && host
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    let forwarded_https = headers
        .get("x-forwarded-proto")
        .and_then(|value| value.to_str().ok())
        == Some("https");
    let scheme = if https || forwarded_https {
        "https"
    } else {
        "http"
    };
    format!("{scheme}://{host}{CALLBACK_PATH}")
}

/// The address of this site's front page, from a redirect URL: where the provider sends people after
/// logging out.
pub fn front_page(redirect: &str) -> String {
    match redirect.find("://") {
        Some(scheme_end) => {
            let rest = &redirect[scheme_end + 3..];
            let host_end = rest.find('/').unwrap_or(rest.len());
            format!("{}/", &redirect[..scheme_end + 3 + host_end])
        }
        None => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(redirect: Option<&str>) -> OidcSettings {
        OidcSettings {
            issuer: "https://login.example".into(),
            client_id: "verhalenbank".into(),
            client_secret: None,
            redirect_url: redirect.map(str::to_string),
            name: "Voorbeeld".into(),
            groups_claim: "groups".into(),
            roles: Vec::new(),
            contact: None,
        }
    }

    #[test]
    fn the_redirect_url_is_configured_or_made_from_the_request() {
        let mut headers = axum::http::HeaderMap::new();
        headers.insert("host", "verhalen.gemeente.nl".parse().unwrap());
        assert_eq!(
            redirect_url(&settings(None), &headers, true),
            "https://verhalen.gemeente.nl/login/oidc/terug"
        );
        assert_eq!(
            redirect_url(&settings(None), &headers, false),
            "http://verhalen.gemeente.nl/login/oidc/terug"
        );
        headers.insert("x-forwarded-proto", "https".parse().unwrap());
        assert_eq!(
            redirect_url(&settings(None), &headers, false),
            "https://verhalen.gemeente.nl/login/oidc/terug"
        );
        headers.insert("host", "evil.example/pad?x=".parse().unwrap());
        assert_eq!(
            redirect_url(&settings(None), &headers, true),
            "https://localhost/login/oidc/terug",
            "a host with other characters is not used"
        );
        assert_eq!(
            redirect_url(
                &settings(Some("https://a.nl/login/oidc/terug")),
                &headers,
                false
            ),
            "https://a.nl/login/oidc/terug"
        );
    }

    #[test]
    fn the_front_page_is_the_redirect_urls_origin() {
        assert_eq!(
            front_page("https://verhalen.gemeente.nl/login/oidc/terug"),
            "https://verhalen.gemeente.nl/"
        );
        assert_eq!(
            front_page("http://127.0.0.1:3000"),
            "http://127.0.0.1:3000/"
        );
    }

    #[test]
    fn bad_settings_say_what_was_expected() {
        let mut bad = settings(None);
        bad.issuer = "login.example".into();
        let error = Oidc::new(bad).unwrap_err().to_string();
        assert!(error.contains("oidc-issuer \"login.example\""), "{error}");
        let error = Oidc::new(settings(Some("terug"))).unwrap_err().to_string();
        assert!(error.contains("oidc-redirect-url"), "{error}");
    }
}
