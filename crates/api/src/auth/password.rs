//! Password hashing with argon2id (m = 19456 KiB, t = 2, p = 1: OWASP's recommendation),
//! off the async workers and bounded in concurrency.

use std::sync::Arc;

use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use tokio::sync::Semaphore;

use crate::error::ApiError;

fn argon2() -> Result<Argon2<'static>, ApiError> {
    let params =
        Params::new(19_456, 2, 1, None).map_err(|e| ApiError::Internal(format!("argon2 params: {e}")))?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password (blocking; call from a blocking thread).
pub fn hash_blocking(password: &str) -> Result<String, ApiError> {
    let salt = SaltString::generate(&mut OsRng);
    argon2()?
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| ApiError::Internal(format!("password hashing failed: {e}")))
}

/// Checks a password against a stored hash (blocking). A malformed hash never matches.
pub fn verify_blocking(password: &str, hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(hash) else { return false };
    argon2().is_ok_and(|a| a.verify_password(password.as_bytes(), &parsed).is_ok())
}

/// Runs hashing on the blocking pool, at most `permits` at a time, so a burst of logins
/// cannot take every core or every megabyte.
#[derive(Clone)]
pub struct Hasher {
    permits: Arc<Semaphore>,
    /// Verified against when the account does not exist, so an unknown e-mail costs as
    /// much time as a wrong password.
    dummy_hash: Arc<String>,
}

impl Hasher {
    pub fn new(concurrency: usize) -> Result<Self, ApiError> {
        Ok(Self {
            permits: Arc::new(Semaphore::new(concurrency.max(1))),
            dummy_hash: Arc::new(hash_blocking("not a password anyone has: dummy for timing")?),
        })
    }

    pub async fn hash(&self, password: String) -> Result<String, ApiError> {
        let _permit = self.permits.acquire().await.map_err(|e| ApiError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(move || hash_blocking(&password))
            .await
            .map_err(|e| ApiError::Internal(format!("hashing task: {e}")))?
    }

    /// Verifies `password` against `hash`, or against the dummy when there is no account.
    pub async fn verify(&self, password: String, hash: Option<String>) -> Result<bool, ApiError> {
        let _permit = self.permits.acquire().await.map_err(|e| ApiError::Internal(e.to_string()))?;
        // An unknown account, or one without a password (it signs in through the identity
        // provider), takes as long as a wrong password: the time tells nothing.
        let (hash, real) = match hash {
            Some(h) if PasswordHash::new(&h).is_ok() => (h, true),
            _ => (self.dummy_hash.as_ref().clone(), false),
        };
        let ok = tokio::task::spawn_blocking(move || verify_blocking(&password, &hash))
            .await
            .map_err(|e| ApiError::Internal(format!("hashing task: {e}")))?;
        Ok(ok && real)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_with_the_owasp_parameters_and_verify() {
        let h = hash_blocking("gröna äpplen i november").unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify_blocking("gröna äpplen i november", &h));
        assert!(!verify_blocking("gröna äpplen i december", &h));
        assert!(!verify_blocking("x", "not a hash"));
    }
}
