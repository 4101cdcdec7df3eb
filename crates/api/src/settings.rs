//! Typed settings: built-in defaults → an optional TOML file → environment variables
//! `UTBLICK__SECTION__KEY` (and the conventional `DATABASE_URL`).

use std::path::{Path, PathBuf};

use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use utblick_db::{DbError, DbSettings};

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    pub server: ServerSettings,
    pub database: DatabaseSettings,
    pub log: LogSettings,
    pub web: WebSettings,
    pub auth: AuthSettings,
    pub mail: MailSettings,
    pub kolada: KoladaSettings,
    pub oidc: OidcSettings,
}

/// Sign-in with the municipality's identity provider (OpenID Connect). Off while `issuer` is
/// unset.
/// [`OidcSettings`], checked.
#[derive(Debug, Clone)]
pub struct Oidc {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: Option<SecretString>,
    pub redirect_url: String,
    pub scopes: Vec<String>,
    pub groups_claim: String,
    pub rules: Vec<utblick_domain::oidc::GroupRule>,
    pub passwords_for_administrators_only: bool,
}

/// `group=role[:ORG]; …` as rules.
fn parse_group_rules(text: &str) -> Result<Vec<utblick_domain::oidc::GroupRule>, String> {
    text.split(';')
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(|r| {
            let (group, access) = r
                .split_once('=')
                .ok_or_else(|| format!("`{r}`: write group=role or group=role:ORGANISATION"))?;
            let (role, organisation) = match access.split_once(':') {
                Some((role, org)) => (role, Some(org)),
                None => (access, None),
            };
            utblick_domain::oidc::GroupRule::parse(group, role.trim(), organisation)
                .map_err(|e| format!("`{r}`: {}: {}", e.field, e.message))
        })
        .collect()
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OidcSettings {
    /// The provider's issuer URL (its discovery document is `<issuer>/.well-known/openid-configuration`):
    /// Entra ID `https://login.microsoftonline.com/<tenant id>/v2.0`, Keycloak
    /// `https://<host>/realms/<realm>`.
    pub issuer: Option<String>,
    /// Utblick's client id at the provider.
    pub client_id: String,
    /// Its client secret (sent with HTTP Basic to the token endpoint).
    pub client_secret: Option<SecretString>,
    /// The address the provider sends people back to; default `<mail.public_url>/api/v1/auth/oidc/callback`.
    /// Register it at the provider.
    pub redirect_url: Option<String>,
    /// The scopes asked for besides `openid` (default `email profile`).
    pub scopes: String,
    /// The claim of the ID token holding the person's groups or roles (default `groups`;
    /// Entra ID's app roles: `roles`).
    pub groups_claim: String,
    /// Which groups give which role: `group=role` or `group=role:ORG` (a reporter's
    /// organisation, by its external id), separated by `;` — for example
    /// `utblick-admin=admin; utblick-reporter-tekniska=reporter:TEK`.
    pub group_rules: String,
    /// Who may still sign in with a password while a provider is set: `everyone` (default)
    /// or `administrators`.
    pub passwords: String,
}

/// The Kolada-shaped KPI API (`/kolada/v3`).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KoladaSettings {
    /// The municipality's code, as Kolada and SCB know it (default `0687`, Tranås).
    pub municipality_code: String,
}

/// E-mail: the annual report's reminders to the organisations' contact persons. Off while
/// `smtp_url` is unset.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MailSettings {
    /// The SMTP server: `smtp://host:25` (no encryption, for a relay inside the municipality's
    /// network), `smtp://user:password@host:587?tls=required` (STARTTLS) or
    /// `smtps://user:password@host:465` (TLS). Unset: no e-mail is sent.
    pub smtp_url: Option<SecretString>,
    /// The sender (default `Utblick <utblick@localhost>`).
    pub from: String,
    /// The address people open Utblick at, for the links in the e-mails (default
    /// `http://127.0.0.1:8080`).
    pub public_url: String,
    /// Seconds between two looks for reminders that are due (default 60).
    pub interval_seconds: u64,
    /// How long one message may take the SMTP server, in seconds (default 30).
    pub timeout_seconds: u64,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuthSettings {
    /// Production mode: refuse to start without `jwt_secret` (default false: local mode
    /// generates a secret and keeps it in the data directory).
    pub production: bool,
    /// The HS256 signing secret for access tokens, at least 32 bytes.
    pub jwt_secret: Option<SecretString>,
    /// The `iss` of access tokens (default `utblick`).
    pub issuer: String,
    /// The `aud` of access tokens (default `utblick-api`).
    pub audience: String,
    /// Access token lifetime in seconds (default 900; at most 900).
    pub access_ttl_seconds: i64,
    /// How long a sign-in lasts, in seconds: the session and its refresh tokens expire
    /// after this (default 28800, a working day).
    pub session_ttl_seconds: i64,
    /// Failed logins per account within the window before it is throttled (default 5).
    pub max_failures_per_account: i32,
    /// Failed logins per client address within the window (default 20).
    pub max_failures_per_client: i32,
    /// The throttling window and block, in seconds (default 900).
    pub throttle_window_seconds: i64,
    /// Password hashes computed at once (default: the number of cores).
    pub hashing_concurrency: Option<usize>,
    /// How long security events (failed and throttled sign-ins, …) are kept, in days
    /// (default 90).
    pub security_log_retention_days: i64,
    /// Security events written per client address and minute; the rest are only counted
    /// (default 10).
    pub security_log_per_client_per_minute: u32,
    /// Security events written per minute in all (default 300).
    pub security_log_per_minute: u32,
}

impl AuthSettings {
    /// A sign-in attempt with this installation's throttling limits.
    pub fn attempt(&self, email: &str, client_ip: Option<&str>) -> utblick_app::sessions::Attempt {
        let limits = (self.max_failures_per_account, self.max_failures_per_client);
        utblick_app::sessions::Attempt::new(email, client_ip, limits, self.throttle_window_seconds)
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ServerSettings {
    /// Address to listen on (default `127.0.0.1`).
    pub host: String,
    /// Port to listen on (default 8080; 0 picks a free port).
    pub port: u16,
    /// Largest request body accepted, in bytes (default 1 MiB).
    pub body_limit_bytes: usize,
    /// Largest attached file accepted (evidence of a report, project or activity), in bytes
    /// (default 10 MiB). Files are stored in the database, so backups hold them.
    pub max_attachment_bytes: usize,
    /// Worker threads (default: one per core).
    pub workers: Option<usize>,
    /// The reverse proxies in front of Utblick, as comma-separated IP addresses (default
    /// none). Only a request coming from one of them has its `X-Forwarded-For` believed:
    /// the client is the right-most address in it that is not a trusted proxy. Without
    /// this, the client is the TCP peer — behind a proxy that would make every user share
    /// the proxy's address for login throttling and the audit log.
    pub trusted_proxies: String,
    /// A response that makes no progress for this long (the client stopped reading) ends
    /// its connection, in seconds (default 30).
    pub send_timeout_seconds: u64,
    /// List exports (CSV/JSON) running at once, in all (default 4). However many run, they
    /// read from the database with at most three quarters of the pool, so sign-in and short
    /// reads always find a connection.
    pub max_exports: usize,
    /// List exports running at once for one caller (a person, a token, or an anonymous
    /// address; default 2).
    pub max_exports_per_caller: usize,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DatabaseSettings {
    /// `postgres://…` for PostgreSQL, or a SQLite file path; unset means
    /// `<data_dir>/utblick.sqlite3`.
    pub url: Option<SecretString>,
    /// Where the default SQLite file (and later backups) live (default `./data`).
    pub data_dir: PathBuf,
    /// Connections in the pool (default 10; SQLite uses at most 8).
    pub pool_size: u32,
    /// How long to wait for a connection, in seconds (default 5).
    pub connect_timeout_seconds: u64,
    /// Load the seed programme on the first start against an empty database (default true).
    pub seed_demo_data: bool,
    /// SQLite only: `full` (default) syncs every commit to the disk, so an acknowledged change
    /// survives a power cut; `normal` is faster but may lose the last commits in one.
    pub sqlite_synchronous: utblick_db::SqliteSynchronous,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogSettings {
    /// `text` (default) or `json`.
    pub format: LogFormat,
    /// A `tracing` filter, e.g. `info` or `utblick_api=debug,info` (`RUST_LOG` wins).
    pub level: String,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebSettings {
    /// Serve the web frontend at `/` (default true).
    pub enabled: bool,
    /// The directory holding `index.html` (default: `web/` of the working directory or
    /// of the source tree).
    pub dir: Option<PathBuf>,
    /// The municipality's name, shown in every page's header beside the product's
    /// (default `Tranås kommun`).
    pub municipality: String,
}

#[derive(Debug, thiserror::Error)]
pub enum SettingsError {
    #[error("invalid configuration: {0}")]
    Config(#[from] config::ConfigError),
    #[error(transparent)]
    Database(#[from] DbError),
    #[error("invalid configuration: {key}: {message}")]
    Invalid { key: &'static str, message: String },
}

impl Settings {
    /// Reads the settings the way the binary does. The file is `$UTBLICK_CONFIG`, else
    /// `utblick.toml` in the working directory if it exists.
    pub fn load() -> Result<Self, SettingsError> {
        let file = std::env::var_os("UTBLICK_CONFIG").map(PathBuf::from);
        Self::load_from(file.as_deref(), std::env::vars())
    }

    /// Reads the settings from an optional file and the given environment.
    pub fn load_from(
        file: Option<&Path>,
        env: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, SettingsError> {
        let env: std::collections::HashMap<String, String> =
            env.into_iter().filter(|(k, _)| k.starts_with("UTBLICK__") || k == "DATABASE_URL").collect();
        let mut b = config::Config::builder()
            .set_default("server.host", "127.0.0.1")?
            .set_default("server.port", 8080)?
            .set_default("server.body_limit_bytes", 1_048_576)?
            .set_default("server.max_attachment_bytes", utblick_domain::attachment::DEFAULT_MAX_BYTES)?
            .set_default("server.trusted_proxies", "")?
            .set_default("server.send_timeout_seconds", 30)?
            .set_default("server.max_exports", 4)?
            .set_default("server.max_exports_per_caller", 2)?
            .set_default("database.data_dir", "data")?
            .set_default("database.pool_size", 10)?
            .set_default("database.connect_timeout_seconds", 5)?
            .set_default("database.seed_demo_data", true)?
            .set_default("database.sqlite_synchronous", "full")?
            .set_default("log.format", "text")?
            .set_default("log.level", "info")?
            .set_default("web.enabled", true)?
            .set_default("web.municipality", "Tranås kommun")?
            .set_default("kolada.municipality_code", "0687")?
            .set_default("oidc.client_id", "")?
            .set_default("oidc.scopes", "email profile")?
            .set_default("oidc.groups_claim", "groups")?
            .set_default("oidc.group_rules", "")?
            .set_default("oidc.passwords", "everyone")?
            .set_default("mail.from", "Utblick <utblick@localhost>")?
            .set_default("mail.public_url", "http://127.0.0.1:8080")?
            .set_default("mail.interval_seconds", 60)?
            .set_default("mail.timeout_seconds", 30)?
            .set_default("auth.production", false)?
            .set_default("auth.issuer", "utblick")?
            .set_default("auth.audience", "utblick-api")?
            .set_default("auth.access_ttl_seconds", 900)?
            .set_default("auth.session_ttl_seconds", 28_800)?
            .set_default("auth.max_failures_per_account", 5)?
            .set_default("auth.max_failures_per_client", 20)?
            .set_default("auth.throttle_window_seconds", 900)?
            .set_default("auth.security_log_retention_days", 90)?
            .set_default("auth.security_log_per_client_per_minute", 10)?
            .set_default("auth.security_log_per_minute", 300)?;
        b = match file {
            Some(path) => b.add_source(config::File::from(path).required(true)),
            None => b.add_source(config::File::with_name("utblick.toml").required(false)),
        };
        b = b.add_source(
            config::Environment::with_prefix("UTBLICK")
                .prefix_separator("__")
                .separator("__")
                .try_parsing(true)
                .source(Some(env.clone())),
        );
        if let Some(url) = env.get("DATABASE_URL").filter(|u| !u.trim().is_empty()) {
            b = b.set_override("database.url", url.as_str())?;
        }
        Ok(b.build()?.try_deserialize()?)
    }

    /// The database to use, parsed: the URL if set, else the SQLite file in the data dir.
    pub fn db(&self) -> Result<DbSettings, DbError> {
        let db = match &self.database.url {
            Some(url) if !url.expose_secret().trim().is_empty() => DbSettings::parse(url.expose_secret())?,
            _ => DbSettings::sqlite_file(&self.database.data_dir.join("utblick.sqlite3")),
        };
        Ok(db.with_sqlite_synchronous(self.database.sqlite_synchronous))
    }

    /// The identity provider's settings, checked; `None` while `oidc.issuer` is unset.
    pub fn oidc(&self) -> Result<Option<Oidc>, SettingsError> {
        let o = &self.oidc;
        let Some(issuer) = o.issuer.as_deref().map(str::trim).filter(|i| !i.is_empty()) else {
            return Ok(None);
        };
        let invalid = |key: &'static str, message: String| SettingsError::Invalid { key, message };
        if !(issuer.starts_with("https://") || issuer.starts_with("http://")) {
            return Err(invalid("oidc.issuer", format!("`{issuer}` is not an http(s) URL")));
        }
        if o.client_id.trim().is_empty() {
            return Err(invalid("oidc.client_id", "is required when oidc.issuer is set".into()));
        }
        let redirect_url = match o.redirect_url.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            Some(r) => r.to_owned(),
            None => format!("{}/api/v1/auth/oidc/callback", self.mail.public_url.trim_end_matches('/')),
        };
        let rules = parse_group_rules(&o.group_rules).map_err(|m| invalid("oidc.group_rules", m))?;
        let passwords_for_administrators_only = match o.passwords.trim() {
            "everyone" => false,
            "administrators" => true,
            other => {
                return Err(invalid(
                    "oidc.passwords",
                    format!("`{other}`: write everyone or administrators"),
                ));
            }
        };
        Ok(Some(Oidc {
            issuer: issuer.trim_end_matches('/').to_owned(),
            client_id: o.client_id.trim().to_owned(),
            client_secret: o.client_secret.clone(),
            redirect_url,
            scopes: o.scopes.split_whitespace().filter(|s| *s != "openid").map(str::to_owned).collect(),
            groups_claim: o.groups_claim.trim().to_owned(),
            rules,
            passwords_for_administrators_only,
        }))
    }

    /// `server.trusted_proxies`, parsed.
    pub fn trusted_proxies(&self) -> Result<Vec<std::net::IpAddr>, SettingsError> {
        self.server
            .trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse().map_err(|_| SettingsError::Invalid {
                    key: "server.trusted_proxies",
                    message: format!(
                        "`{s}` is not an IP address (write them comma-separated, e.g. 10.0.0.2,::1)"
                    ),
                })
            })
            .collect()
    }

    /// The web frontend directory, if one is to be served and can be found.
    pub fn web_dir(&self) -> Option<PathBuf> {
        if !self.web.enabled {
            return None;
        }
        if let Some(dir) = &self.web.dir {
            return Some(dir.clone());
        }
        let candidates = [PathBuf::from("web"), Path::new(env!("CARGO_MANIFEST_DIR")).join("../../web")];
        candidates.into_iter().find(|d| d.join("index.html").is_file())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())).collect()
    }

    #[test]
    fn defaults_run_on_loopback_8080_with_sqlite_in_data() {
        let s = Settings::load_from(None, env(&[])).unwrap();
        assert_eq!((s.server.host.as_str(), s.server.port), ("127.0.0.1", 8080));
        assert_eq!(s.db().unwrap().sqlite_path().unwrap(), PathBuf::from("data/utblick.sqlite3"));
        assert!(s.database.seed_demo_data);
        assert_eq!(s.database.sqlite_synchronous, utblick_db::SqliteSynchronous::Full);
        assert_eq!(s.log.format, LogFormat::Text);
    }

    #[test]
    fn sqlite_durability_is_a_setting() {
        let s =
            Settings::load_from(None, env(&[("UTBLICK__DATABASE__SQLITE_SYNCHRONOUS", "normal")])).unwrap();
        assert_eq!(s.database.sqlite_synchronous, utblick_db::SqliteSynchronous::Normal);
        assert_eq!(
            s.db().unwrap(),
            DbSettings::sqlite_file(Path::new("data/utblick.sqlite3"))
                .with_sqlite_synchronous(utblick_db::SqliteSynchronous::Normal)
        );
        assert!(Settings::load_from(None, env(&[("UTBLICK__DATABASE__SQLITE_SYNCHRONOUS", "off")])).is_err());
    }

    #[test]
    fn environment_overrides_with_double_underscores() {
        let s = Settings::load_from(
            None,
            env(&[
                ("UTBLICK__SERVER__PORT", "9000"),
                ("UTBLICK__LOG__FORMAT", "json"),
                ("UTBLICK__DATABASE__POOL_SIZE", "3"),
                ("UTBLICK_TEST_PG_URL", "ignored"),
            ]),
        )
        .unwrap();
        assert_eq!(s.server.port, 9000);
        assert_eq!(s.log.format, LogFormat::Json);
        assert_eq!(s.database.pool_size, 3);
    }

    #[test]
    fn database_url_chooses_postgres() {
        let s = Settings::load_from(None, env(&[("DATABASE_URL", "postgres://u:p@h/db")])).unwrap();
        assert_eq!(s.db().unwrap().backend(), utblick_db::Backend::Postgres);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_refused() {
        assert!(Settings::load_from(None, env(&[("UTBLICK__SERVER__PROT", "1")])).is_err());
        assert!(Settings::load_from(None, env(&[("UTBLICK__SERVER__PORT", "lots")])).is_err());
    }

    #[test]
    fn the_identity_provider_is_off_until_an_issuer_is_set_and_its_rules_are_checked() {
        let load = |pairs: &[(&str, &str)]| {
            Settings::load_from(None, pairs.iter().map(|(k, v)| ((*k).to_owned(), (*v).to_owned())))
                .unwrap()
                .oidc()
        };
        assert!(load(&[]).unwrap().is_none());
        let o = load(&[
            ("UTBLICK__OIDC__ISSUER", "https://idp.tranas.se/realms/kommun/"),
            ("UTBLICK__OIDC__CLIENT_ID", "utblick"),
            ("UTBLICK__OIDC__GROUP_RULES", "utblick-admin=admin; utblick-reporter-tekniska=reporter:TEK;"),
            ("UTBLICK__MAIL__PUBLIC_URL", "https://utblick.tranas.se/"),
        ])
        .unwrap()
        .unwrap();
        assert_eq!(o.issuer, "https://idp.tranas.se/realms/kommun");
        assert_eq!(o.redirect_url, "https://utblick.tranas.se/api/v1/auth/oidc/callback");
        assert_eq!(o.rules.len(), 2);
        assert_eq!(o.rules[1].organisation.as_deref(), Some("TEK"));
        assert_eq!(o.scopes, ["email", "profile"]);
        let bad = |k: &str, v: &str| {
            let mut pairs = vec![("UTBLICK__OIDC__ISSUER", "https://idp"), ("UTBLICK__OIDC__CLIENT_ID", "u")];
            pairs.push((k, v));
            load(&pairs).unwrap_err().to_string()
        };
        assert!(bad("UTBLICK__OIDC__GROUP_RULES", "g=reporter").contains("organisation"));
        assert!(bad("UTBLICK__OIDC__GROUP_RULES", "g").contains("group=role"));
        assert!(bad("UTBLICK__OIDC__PASSWORDS", "nobody").contains("oidc.passwords"));
        assert!(bad("UTBLICK__OIDC__CLIENT_ID", " ").contains("client_id"));
    }

    #[test]
    fn trusted_proxies_are_ip_addresses() {
        let s = Settings::load_from(None, env(&[])).unwrap();
        assert!(s.trusted_proxies().unwrap().is_empty());
        let s =
            Settings::load_from(None, env(&[("UTBLICK__SERVER__TRUSTED_PROXIES", "10.0.0.2, ::1")])).unwrap();
        assert_eq!(s.trusted_proxies().unwrap().len(), 2);
        let s = Settings::load_from(None, env(&[("UTBLICK__SERVER__TRUSTED_PROXIES", "nginx")])).unwrap();
        assert!(s.trusted_proxies().unwrap_err().to_string().contains("server.trusted_proxies"));
    }

    #[test]
    fn reads_a_toml_file() {
        let dir = std::env::temp_dir().join(format!("utblick-settings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join("utblick.toml");
        std::fs::write(&f, "[server]\nport = 7070\n[database]\nseed_demo_data = false\n").unwrap();
        let s = Settings::load_from(Some(&f), env(&[("UTBLICK__SERVER__HOST", "0.0.0.0")])).unwrap();
        assert_eq!((s.server.host.as_str(), s.server.port), ("0.0.0.0", 7070));
        assert!(!s.database.seed_demo_data);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
