DROP TABLE oidc_logins;
DROP INDEX sessions_oidc_sid;
ALTER TABLE sessions DROP COLUMN id_token;
ALTER TABLE sessions DROP COLUMN oidc_sid;
ALTER TABLE sessions DROP COLUMN method;
DROP INDEX users_oidc_identity;
ALTER TABLE users DROP COLUMN role_source;
ALTER TABLE users DROP COLUMN oidc_subject;
ALTER TABLE users DROP COLUMN oidc_issuer;
