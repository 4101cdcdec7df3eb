//! The municipality's identity provider (OpenID Connect), through the `openidconnect` crate:
//! discovery (kept an hour, read again at once when a token is signed with a key not yet
//! known: the provider rotated its keys), the authorization code flow with PKCE, `state` and
//! `nonce`, and the ID token's checks (signature, `iss`, `aud`, `exp`, `nonce`) — none of
//! them written here.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use openidconnect::core::{
    CoreAuthDisplay, CoreAuthPrompt, CoreErrorResponseType, CoreGenderClaim, CoreJsonWebKey,
    CoreJweContentEncryptionAlgorithm, CoreJwsSigningAlgorithm, CoreResponseType, CoreRevocableToken,
    CoreRevocationErrorResponse, CoreTokenIntrospectionResponse, CoreTokenType,
};
use openidconnect::{
    AdditionalClaims, AuthenticationFlow, AuthorizationCode, Client, ClientId, ClientSecret, CsrfToken,
    EmptyExtraTokenFields, EndpointMaybeSet, EndpointNotSet, EndpointSet, IdTokenFields, IssuerUrl, Nonce,
    PkceCodeChallenge, PkceCodeVerifier, PostLogoutRedirectUrl, ProviderMetadataWithLogout, RedirectUrl,
    Scope, StandardErrorResponse, StandardTokenResponse, TokenResponse as _,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use utblick_app::oidc::ProviderIdentity;

use crate::settings::Oidc;

/// The ID token's claims besides the standard ones: the groups (under the configured claim)
/// and the provider's session id (`sid`).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct OtherClaims {
    #[serde(flatten)]
    pub claims: HashMap<String, serde_json::Value>,
}

impl AdditionalClaims for OtherClaims {}

type Fields = IdTokenFields<
    OtherClaims,
    EmptyExtraTokenFields,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJwsSigningAlgorithm,
>;
type Tokens = StandardTokenResponse<Fields, CoreTokenType>;
type Metadata = ProviderMetadataWithLogout;
type OidcClient = Client<
    OtherClaims,
    CoreAuthDisplay,
    CoreGenderClaim,
    CoreJweContentEncryptionAlgorithm,
    CoreJsonWebKey,
    CoreAuthPrompt,
    StandardErrorResponse<CoreErrorResponseType>,
    Tokens,
    CoreTokenIntrospectionResponse,
    CoreRevocableToken,
    CoreRevocationErrorResponse,
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// How long discovery is kept before it is read again.
const KEEP_DISCOVERY: Duration = Duration::from_secs(3600);

/// Why a sign-in through the provider failed.
#[derive(Debug, thiserror::Error)]
pub enum OidcError {
    /// The provider could not be reached or answered nonsense (discovery, keys, token
    /// endpoint down): try again later.
    #[error("the identity provider is unavailable: {0}")]
    Unavailable(String),
    /// What came back is refused: the code (used, expired, not this client's) or the ID
    /// token (signature, issuer, audience, expiry, nonce).
    #[error("the identity provider's answer is refused: {0}")]
    Refused(String),
}

/// A sign-in sent to the provider: where to send the browser, and what to keep until it
/// comes back.
#[derive(Debug)]
pub struct Begun {
    pub url: url::Url,
    pub state: String,
    pub nonce: String,
    pub pkce_verifier: String,
}

/// The configured provider.
pub struct Provider {
    pub config: Oidc,
    http: openidconnect::reqwest::Client,
    discovered: tokio::sync::Mutex<Option<(Metadata, Instant)>>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider").field("issuer", &self.config.issuer).finish_non_exhaustive()
    }
}

impl Provider {
    pub fn new(config: Oidc) -> Result<Self, String> {
        let http = openidconnect::reqwest::Client::builder()
            // Following redirects would let a provider's answer send Utblick anywhere.
            .redirect(openidconnect::reqwest::redirect::Policy::none())
            .timeout(Duration::from_secs(10))
            .build()
            .map_err(|e| format!("oidc: HTTP client: {e}"))?;
        IssuerUrl::new(config.issuer.clone()).map_err(|e| format!("oidc.issuer: {e}"))?;
        RedirectUrl::new(config.redirect_url.clone()).map_err(|e| format!("oidc.redirect_url: {e}"))?;
        Ok(Self { config, http, discovered: tokio::sync::Mutex::new(None) })
    }

    /// The provider's metadata and keys: kept for an hour, or read again now (`fresh`).
    async fn metadata(&self, fresh: bool) -> Result<Metadata, OidcError> {
        let mut kept = self.discovered.lock().await;
        if let Some((m, at)) = kept.as_ref()
            && !fresh
            && at.elapsed() < KEEP_DISCOVERY
        {
            return Ok(m.clone());
        }
        let issuer =
            IssuerUrl::new(self.config.issuer.clone()).map_err(|e| OidcError::Unavailable(e.to_string()))?;
        let m = Metadata::discover_async(issuer, &self.http)
            .await
            .map_err(|e| OidcError::Unavailable(format!("discovery: {}", chain(&e))))?;
        *kept = Some((m.clone(), Instant::now()));
        Ok(m)
    }

    fn client(&self, m: Metadata) -> Result<OidcClient, OidcError> {
        let secret =
            self.config.client_secret.as_ref().map(|s| ClientSecret::new(s.expose_secret().to_owned()));
        let redirect = RedirectUrl::new(self.config.redirect_url.clone())
            .map_err(|e| OidcError::Unavailable(e.to_string()))?;
        Ok(OidcClient::from_provider_metadata(m, ClientId::new(self.config.client_id.clone()), secret)
            .set_redirect_uri(redirect))
    }

    /// Begins a sign-in: the provider's authorization URL with a new `state`, `nonce` and
    /// PKCE challenge.
    pub async fn begin(&self) -> Result<Begun, OidcError> {
        let client = self.client(self.metadata(true).await?)?;
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = client.authorize_url(
            AuthenticationFlow::<CoreResponseType>::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in &self.config.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        Ok(Begun {
            url,
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            pkce_verifier: verifier.secret().clone(),
        })
    }

    /// Finishes a sign-in: the code exchanged (with the PKCE verifier) at the token endpoint,
    /// the ID token checked (with `nonce`), the person it names.
    pub async fn finish(
        &self,
        code: &str,
        nonce: &str,
        pkce_verifier: &str,
    ) -> Result<ProviderIdentity, OidcError> {
        let metadata = self.metadata(false).await?;
        let client = self.client(metadata)?;
        let tokens = client
            .exchange_code(AuthorizationCode::new(code.to_owned()))
            .map_err(|e| OidcError::Unavailable(format!("the provider has no token endpoint: {e}")))?
            .set_pkce_verifier(PkceCodeVerifier::new(pkce_verifier.to_owned()))
            .request_async(&self.http)
            .await
            .map_err(|e| match &e {
                openidconnect::RequestTokenError::ServerResponse(r) => {
                    OidcError::Refused(format!("the token endpoint: {}", r.error()))
                }
                _ => OidcError::Unavailable(format!("the token endpoint: {}", chain(&e))),
            })?;
        let id_token = tokens.id_token().ok_or_else(|| OidcError::Refused("no ID token".into()))?;
        let nonce = Nonce::new(nonce.to_owned());
        let claims = match id_token.claims(&client.id_token_verifier(), &nonce) {
            Ok(c) => c.clone(),
            // Signed with a key not known yet: the provider may have rotated its keys.
            Err(openidconnect::ClaimsVerificationError::SignatureVerification(_)) => {
                let client = self.client(self.metadata(true).await?)?;
                id_token
                    .claims(&client.id_token_verifier(), &nonce)
                    .map_err(|e| OidcError::Refused(format!("the ID token: {e}")))?
                    .clone()
            }
            Err(e) => return Err(OidcError::Refused(format!("the ID token: {e}"))),
        };
        let other = &claims.additional_claims().claims;
        let groups = match other.get(&self.config.groups_claim) {
            Some(serde_json::Value::Array(items)) => {
                items.iter().filter_map(|g| g.as_str().map(str::to_owned)).collect()
            }
            Some(serde_json::Value::String(one)) => vec![one.clone()],
            _ => Vec::new(),
        };
        let name = claims
            .name()
            .and_then(|n| n.get(None))
            .map(|n| n.as_str().to_owned())
            .or_else(|| claims.preferred_username().map(|u| u.as_str().to_owned()));
        Ok(ProviderIdentity {
            issuer: claims.issuer().as_str().trim_end_matches('/').to_owned(),
            subject: claims.subject().as_str().to_owned(),
            email: claims.email().map(|e| e.as_str().to_owned()),
            name,
            groups,
            sid: other.get("sid").and_then(|s| s.as_str()).map(str::to_owned),
            id_token: id_token.to_string(),
        })
    }

    /// Where to send the browser to sign out at the provider too (RP-initiated logout), if
    /// the provider has an end-session endpoint.
    pub async fn end_session_url(&self, id_token: Option<&str>, back_to: &str) -> Option<url::Url> {
        let m = self.metadata(false).await.ok()?;
        let endpoint = m.additional_metadata().end_session_endpoint.clone()?;
        let mut url = endpoint.url().clone();
        {
            let mut q = url.query_pairs_mut();
            if let Some(hint) = id_token {
                q.append_pair("id_token_hint", hint);
            }
            q.append_pair("client_id", &self.config.client_id);
            if PostLogoutRedirectUrl::new(back_to.to_owned()).is_ok() {
                q.append_pair("post_logout_redirect_uri", back_to);
            }
        }
        Some(url)
    }
}

/// The event a back-channel logout token carries.
const BACKCHANNEL_LOGOUT: &str = "http://schemas.openid.net/event/backchannel-logout";

/// Who a verified back-channel logout token signs out: the provider's subject and/or its
/// session id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoggedOut {
    pub subject: Option<String>,
    pub sid: Option<String>,
}

impl Provider {
    /// Checks a back-channel logout token (OpenID Connect Back-Channel Logout 1.0, 2.6): signed
    /// with one of the provider's keys (read again once when the key is not known), issued by
    /// it for this client within the last five minutes, carrying the logout event, a `sub` or a
    /// `sid`, and no `nonce`. (`openidconnect` has no logout tokens; `jsonwebtoken` checks the
    /// signature and the registered claims.)
    pub async fn verify_logout_token(&self, token: &str) -> Result<LoggedOut, OidcError> {
        let refused = |why: String| OidcError::Refused(format!("the logout token: {why}"));
        let header = jsonwebtoken::decode_header(token).map_err(|e| refused(e.to_string()))?;
        let mut key = self.logout_key(&header, false).await?;
        if key.is_none() {
            key = self.logout_key(&header, true).await?;
        }
        let key = key.ok_or_else(|| refused("signed with a key the provider does not list".into()))?;
        let mut v = jsonwebtoken::Validation::new(header.alg);
        v.set_issuer(&[self.config.issuer.as_str(), &format!("{}/", self.config.issuer)]);
        v.set_audience(&[self.config.client_id.as_str()]);
        v.set_required_spec_claims(&["iss", "aud", "iat"]);
        v.validate_exp = false;
        let claims = jsonwebtoken::decode::<serde_json::Value>(token, &key, &v)
            .map_err(|e| refused(e.to_string()))?
            .claims;
        let now = chrono::Utc::now().timestamp();
        let iat = claims["iat"].as_i64().unwrap_or_default();
        if !(now - 300..=now + 60).contains(&iat) {
            return Err(refused("issued too long ago".into()));
        }
        if claims.get("exp").and_then(serde_json::Value::as_i64).is_some_and(|exp| exp < now) {
            return Err(refused("expired".into()));
        }
        if claims["events"].get(BACKCHANNEL_LOGOUT).is_none() {
            return Err(refused("no back-channel logout event".into()));
        }
        if claims.get("nonce").is_some() {
            return Err(refused("a logout token has no nonce".into()));
        }
        let text = |k: &str| claims.get(k).and_then(serde_json::Value::as_str).map(str::to_owned);
        let out = LoggedOut { subject: text("sub"), sid: text("sid") };
        if out.subject.is_none() && out.sid.is_none() {
            return Err(refused("names neither sub nor sid".into()));
        }
        Ok(out)
    }

    /// The provider's key for a token's header, from its key set (`None`: not listed).
    async fn logout_key(
        &self,
        header: &jsonwebtoken::Header,
        fresh: bool,
    ) -> Result<Option<jsonwebtoken::DecodingKey>, OidcError> {
        let m = self.metadata(fresh).await?;
        let set = serde_json::to_value(m.jwks()).map_err(|e| OidcError::Unavailable(e.to_string()))?;
        let set: jsonwebtoken::jwk::JwkSet = serde_json::from_value(set)
            .map_err(|e| OidcError::Unavailable(format!("the provider's keys: {e}")))?;
        let jwk = match &header.kid {
            Some(kid) => set.find(kid),
            None if set.keys.len() == 1 => set.keys.first(),
            None => None,
        };
        Ok(jwk.and_then(|k| jsonwebtoken::DecodingKey::from_jwk(k).ok()))
    }
}

/// An error and its causes, in one line.
fn chain(e: &dyn std::error::Error) -> String {
    let mut out = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}
