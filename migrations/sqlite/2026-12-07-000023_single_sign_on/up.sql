-- Sign-in with the municipality's identity provider (OpenID Connect).
-- An account signed in through the provider is linked to it by the provider's issuer and
-- subject (the `sub` claim: stable, unlike the e-mail address); `role_source` says where its
-- role comes from: local (a password account), provider (the groups at the last sign-in),
-- administrator (approved or set by an administrator), pending (waiting for approval).
ALTER TABLE users ADD COLUMN oidc_issuer TEXT;
ALTER TABLE users ADD COLUMN oidc_subject TEXT;
ALTER TABLE users ADD COLUMN role_source TEXT NOT NULL DEFAULT 'local'
    CHECK (role_source IN ('local', 'provider', 'administrator', 'pending'));
CREATE UNIQUE INDEX users_oidc_identity ON users (oidc_issuer, oidc_subject);

-- How a session was opened, and for the provider's sessions what ends them: the provider's
-- session id (`sid`, for back-channel logout) and the ID token (the hint of a sign-out at the
-- provider).
ALTER TABLE sessions ADD COLUMN method TEXT NOT NULL DEFAULT 'password'
    CHECK (method IN ('password', 'oidc'));
ALTER TABLE sessions ADD COLUMN oidc_sid TEXT;
ALTER TABLE sessions ADD COLUMN id_token TEXT;
CREATE INDEX sessions_oidc_sid ON sessions (oidc_sid);

-- A sign-in under way at the provider: its `state` (the key), `nonce` and PKCE verifier,
-- used once, kept in the database so that any instance may receive the provider's answer.
CREATE TABLE oidc_logins (
    state TEXT PRIMARY KEY NOT NULL,
    nonce TEXT NOT NULL,
    pkce_verifier TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL,
    used_at TIMESTAMP
);
