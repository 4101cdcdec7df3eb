//! Authentication: passwords (argon2id), access tokens (JWT, HS256 pinned), sessions with
//! rotating refresh tokens, API tokens for machines, login throttling, and the [`Caller`]
//! extractor every handler uses to learn who is asking.

pub mod caller;
pub mod cookie;
pub mod jwt;
pub mod oidc;
pub mod password;
pub mod secrets;

use std::sync::Arc;

pub use caller::{AuditContext, Caller};

use crate::settings::AuthSettings;

/// Everything authentication needs at run time, shared by all workers.
#[derive(Clone)]
pub struct AuthState {
    pub jwt: Arc<jwt::JwtKeys>,
    pub hasher: password::Hasher,
    pub settings: AuthSettings,
}
