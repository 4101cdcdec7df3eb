//! Access tokens: JWT signed with HS256 only, with `exp nbf iat iss aud sub` required.
//! The token names a user and a session; the session and the user are checked on every
//! request, so logout, deactivation and role changes take effect at once.

use std::path::Path;

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Serialize};

use crate::settings::AuthSettings;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    pub sid: String,
    pub iss: String,
    pub aud: String,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub jti: String,
}

pub struct JwtKeys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
    issuer: String,
    audience: String,
    ttl: i64,
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("auth.jwt_secret is required in production mode (UTBLICK__AUTH__JWT_SECRET, at least 32 bytes)")]
    Missing,
    #[error("auth.jwt_secret must be at least 32 bytes")]
    TooShort,
    #[error("cannot read or write the signing key file {0}: {1}")]
    File(String, std::io::Error),
}

pub const MIN_SECRET_BYTES: usize = 32;

/// The signing secret: from settings; in local mode, from (or newly into)
/// `<data_dir>/jwt-secret`.
pub fn load_secret(settings: &AuthSettings, data_dir: &Path) -> Result<SecretString, KeyError> {
    if let Some(s) = &settings.jwt_secret {
        if s.expose_secret().len() < MIN_SECRET_BYTES {
            return Err(KeyError::TooShort);
        }
        return Ok(s.clone());
    }
    if settings.production {
        return Err(KeyError::Missing);
    }
    let path = data_dir.join("jwt-secret");
    let err = |e| KeyError::File(path.display().to_string(), e);
    if let Ok(existing) = std::fs::read_to_string(&path) {
        let existing = existing.trim().to_owned();
        if existing.len() >= MIN_SECRET_BYTES {
            return Ok(SecretString::from(existing));
        }
    }
    std::fs::create_dir_all(data_dir).map_err(err)?;
    let secret = super::secrets::random_hex(32);
    write_private(&path, &secret).map_err(err)?;
    tracing::info!(file = %path.display(), "generated a signing key for access tokens (local mode)");
    Ok(SecretString::from(secret))
}

#[cfg(unix)]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let mut f = std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)?;
    f.write_all(content.as_bytes())
}

#[cfg(not(unix))]
fn write_private(path: &Path, content: &str) -> std::io::Result<()> {
    std::fs::write(path, content)
}

impl JwtKeys {
    pub fn new(secret: &SecretString, settings: &AuthSettings) -> Self {
        let bytes = secret.expose_secret().as_bytes();
        let mut validation = Validation::new(Algorithm::HS256);
        validation.algorithms = vec![Algorithm::HS256];
        validation.set_issuer(&[&settings.issuer]);
        validation.set_audience(&[&settings.audience]);
        validation.set_required_spec_claims(&["exp", "nbf", "iat", "iss", "aud", "sub"]);
        validation.validate_exp = true;
        validation.validate_nbf = true;
        validation.leeway = 5;
        Self {
            encoding: EncodingKey::from_secret(bytes),
            decoding: DecodingKey::from_secret(bytes),
            validation,
            issuer: settings.issuer.clone(),
            audience: settings.audience.clone(),
            ttl: settings.access_ttl_seconds.clamp(30, 900),
        }
    }

    pub fn ttl(&self) -> i64 {
        self.ttl
    }

    /// A signed access token for `user_id` in `session_id`, valid from `now` (unix seconds).
    pub fn issue(
        &self,
        user_id: i64,
        session_id: &str,
        now: i64,
    ) -> Result<String, jsonwebtoken::errors::Error> {
        let claims = Claims {
            sub: user_id.to_string(),
            sid: session_id.to_owned(),
            iss: self.issuer.clone(),
            aud: self.audience.clone(),
            iat: now,
            nbf: now,
            exp: now + self.ttl,
            jti: super::secrets::random_hex(8),
        };
        encode(&Header::new(Algorithm::HS256), &claims, &self.encoding)
    }

    /// The claims of a valid token; `None` for anything else (tampered, expired, another
    /// algorithm, `alg: none`, wrong issuer or audience, missing claims).
    pub fn verify(&self, token: &str) -> Option<Claims> {
        decode::<Claims>(token, &self.decoding, &self.validation).ok().map(|d| d.claims)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::settings::Settings;

    fn auth(production: bool, secret: Option<&str>) -> AuthSettings {
        let mut s = Settings::load_from(None, std::iter::empty()).unwrap().auth;
        s.production = production;
        s.jwt_secret = secret.map(|v| SecretString::from(v.to_owned()));
        s
    }

    #[test]
    fn local_mode_generates_a_private_secret_once_and_keeps_it() {
        let dir = std::env::temp_dir().join(format!("utblick-jwt-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let first = load_secret(&auth(false, None), &dir).unwrap();
        let again = load_secret(&auth(false, None), &dir).unwrap();
        assert_eq!(first.expose_secret(), again.expose_secret());
        assert!(first.expose_secret().len() >= MIN_SECRET_BYTES);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.join("jwt-secret")).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "only the owner may read the key");
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn production_needs_a_long_enough_secret() {
        let dir = std::env::temp_dir();
        assert!(matches!(load_secret(&auth(true, None), &dir), Err(KeyError::Missing)));
        assert!(matches!(load_secret(&auth(true, Some("short")), &dir), Err(KeyError::TooShort)));
        assert!(load_secret(&auth(true, Some(&"k".repeat(32))), &dir).is_ok());
    }

    #[test]
    fn tokens_round_trip_and_expire_by_their_claims() {
        let keys = JwtKeys::new(&SecretString::from("s".repeat(40)), &auth(false, None));
        let now = chrono::Utc::now().timestamp();
        let token = keys.issue(7, "abc", now).unwrap();
        let claims = keys.verify(&token).unwrap();
        assert_eq!((claims.sub.as_str(), claims.sid.as_str()), ("7", "abc"));
        assert_eq!(claims.exp - claims.iat, 900);
        assert!(keys.verify(&keys.issue(7, "abc", now - 2000).unwrap()).is_none(), "expired");
    }
}
