//! Building the application: database, migrations, seed, listener, server.

use std::net::TcpListener;
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle, Service, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::{DefaultHeaders, ErrorHandlers};
use actix_web::{App, HttpMessage, HttpRequest, HttpResponse, ResponseError, web};
use futures_util::future::{Either, ready};
use tracing_actix_web::{RequestId, TracingLogger};
use utblick_db::seed::SeedOutcome;
use utblick_db::{Backend, DbError, DbPool};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::{Config as SwaggerConfig, SwaggerUi};

use crate::auth::{AuditContext, AuthState, jwt, password};
use crate::error::{self, ApiError};
use crate::openapi::{self, RouteTable};
use crate::routes::meta::SpecJson;
use crate::settings::Settings;
use crate::web_files;

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error("{0}")]
    Settings(#[from] crate::settings::SettingsError),
    #[error("database ({target}): {source}")]
    Database { target: String, source: DbError },
    #[error("cannot listen on {addr}: {source}")]
    Bind { addr: String, source: std::io::Error },
    #[error("{0}")]
    Other(String),
}

/// A running (or ready to run) Utblick.
pub struct Application {
    port: u16,
    backend: Backend,
    server: Server,
    /// The reminders' mailer and its pool, while `mail.smtp_url` is set: it runs exactly as
    /// long as the server.
    mailer: Option<(crate::mail::Mailer, DbPool)>,
}

/// Opens the database, runs pending migrations and, on the very first start, loads the
/// seed. Returns the pool.
pub async fn prepare_database(settings: &Settings) -> Result<DbPool, StartupError> {
    prepare_database_with(settings, true).await
}

/// As [`prepare_database`]; `bootstrap` creates the first administrator when there are
/// no users (the server does; `utblick user create` does not, it makes its own).
pub async fn prepare_database_with(settings: &Settings, bootstrap: bool) -> Result<DbPool, StartupError> {
    let db =
        settings.db().map_err(|source| StartupError::Database { target: "configuration".into(), source })?;
    let target = db.redacted();
    let pool_size = settings.database.pool_size;
    let timeout = Duration::from_secs(settings.database.connect_timeout_seconds.max(1));
    let seed = settings.database.seed_demo_data;
    let t = target.clone();
    let pool = tokio::task::spawn_blocking(move || -> Result<DbPool, DbError> {
        let pool = utblick_db::build_pool(&db, pool_size, timeout)?;
        let mut conn = pool.get()?;
        let applied = utblick_db::migrations::run_pending(&mut conn)?;
        if !applied.is_empty() {
            tracing::info!(database = %t, migrations = ?applied, "applied migrations");
        }
        if seed {
            let now = chrono::Utc::now().naive_utc();
            match utblick_db::seed::load_if_first_start(&mut conn, now)? {
                SeedOutcome::Loaded => {
                    tracing::info!("first start: loaded the seed programme \"Internationellt arbete\"")
                }
                SeedOutcome::AlreadyLoaded => {}
                SeedOutcome::SkippedExistingData => {
                    tracing::info!("first start on a database with data: the seed was not loaded")
                }
            }
        }
        if bootstrap {
            bootstrap_admin(&mut conn)?;
        }
        drop(conn);
        Ok(pool)
    })
    .await
    .map_err(|e| StartupError::Other(format!("database setup task failed: {e}")))?
    .map_err(|source| StartupError::Database { target: target.clone(), source })?;
    tracing::info!(database = %target, "database ready");
    Ok(pool)
}

/// Deletes the security events older than their retention period (at start; while running,
/// the security log prunes as it writes).
async fn prune_security_events(pool: &DbPool, log: &crate::security_log::SecurityLog) {
    let (pool, cutoff) = (pool.clone(), log.cutoff(chrono::Utc::now().naive_utc()));
    let pruned = tokio::task::spawn_blocking(move || -> Result<usize, DbError> {
        let mut conn = pool.get()?;
        utblick_db::security::prune_security_events(&mut conn, cutoff)
    })
    .await;
    match pruned {
        Ok(Ok(0)) => {}
        Ok(Ok(n)) => tracing::info!(deleted = n, "pruned security events past their retention period"),
        Ok(Err(e)) => tracing::warn!(error = %e, "could not prune security events"),
        Err(e) => tracing::warn!(error = %e, "could not prune security events"),
    }
}

/// The e-mail of the administrator created on the very first start.
pub const FIRST_ADMIN_EMAIL: &str = "admin@utblick.local";

/// On the very first start (no users at all), creates an administrator with a generated
/// password, printed once to the log; it must be changed at first sign-in.
fn bootstrap_admin(conn: &mut utblick_db::DbConn) -> Result<(), DbError> {
    if utblick_db::identity::count_users(conn)? > 0 {
        return Ok(());
    }
    let password = crate::auth::secrets::generated_password();
    let hash = password::hash_blocking(&password).map_err(|e| DbError::Corrupt(e.to_string()))?;
    let now = chrono::Utc::now().naive_utc();
    utblick_db::write_transaction::<_, DbError, _>(conn, |conn| {
        let user = utblick_db::identity::insert_user(
            conn,
            &utblick_db::models::NewUserRow {
                email: FIRST_ADMIN_EMAIL,
                display_name: "Administratör",
                role: "admin",
                organisation_id: None,
                active: true,
                password_hash: &hash,
                must_change_password: true,
                version: 1,
                created_at: now,
                updated_at: now,
            },
        )?;
        AuditContext::system("first start").record(
            conn,
            now,
            "user.created",
            "user",
            Some(user.id.to_string()),
            serde_json::json!({"email": FIRST_ADMIN_EMAIL, "role": "admin", "reason": "first start"}),
        )
    })?;
    tracing::warn!(
        email = FIRST_ADMIN_EMAIL,
        password = %password,
        "FIRST START: created the administrator account. Sign in with this e-mail and password and \
         change the password at once; it is shown only this one time. (Or create your own admin with \
         `utblick user create --email … --role admin`.)"
    );
    Ok(())
}

/// `utblick user create`: an account made from the command line (IT's first admin).
pub async fn create_user_from_cli(
    settings: &Settings,
    email: &str,
    role: &str,
    name: Option<&str>,
    organisation: Option<i64>,
    password: &str,
) -> Result<(i64, String), StartupError> {
    use utblick_domain::access::{check_password, check_role_binding, parse_display_name};
    let invalid = |e: utblick_domain::FieldError| StartupError::Other(format!("{}: {}", e.field, e.message));
    let email = utblick_domain::Email::parse(email).map_err(invalid)?;
    let role = utblick_domain::Role::parse(role).map_err(invalid)?;
    let name = parse_display_name(name.unwrap_or(email.as_str())).map_err(invalid)?;
    check_role_binding(role, organisation).map_err(invalid)?;
    check_password(password).map_err(invalid)?;
    let pool = prepare_database_with(settings, false).await?;
    let hash = password::hash_blocking(password).map_err(|e| StartupError::Other(e.to_string()))?;
    let target = settings.db().map(|d| d.redacted()).unwrap_or_default();
    tokio::task::spawn_blocking(move || -> Result<(i64, String), DbError> {
        let mut conn = pool.get()?;
        let now = chrono::Utc::now().naive_utc();
        utblick_db::write_transaction(&mut conn, |conn| {
            let user = utblick_db::identity::insert_user(
                conn,
                &utblick_db::models::NewUserRow {
                    email: email.as_str(),
                    display_name: name.as_str(),
                    role: role.code(),
                    organisation_id: organisation,
                    active: true,
                    password_hash: &hash,
                    must_change_password: false,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                },
            )?;
            AuditContext::system("command line").record(
                conn,
                now,
                "user.created",
                "user",
                Some(user.id.to_string()),
                serde_json::json!({"email": user.email, "role": user.role, "organisation_id": user.organisation_id}),
            )?;
            Ok((user.id, user.email))
        })
    })
    .await
    .map_err(|e| StartupError::Other(e.to_string()))?
    .map_err(|source| StartupError::Database { target, source })
}

/// Signing keys and the password hasher.
pub async fn auth_state(settings: &Settings) -> Result<AuthState, StartupError> {
    let secret = jwt::load_secret(&settings.auth, &settings.database.data_dir)
        .map_err(|e| StartupError::Other(e.to_string()))?;
    let keys = jwt::JwtKeys::new(&secret, &settings.auth);
    let concurrency = settings
        .auth
        .hashing_concurrency
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, std::num::NonZero::get));
    let hasher = tokio::task::spawn_blocking(move || password::Hasher::new(concurrency))
        .await
        .map_err(|e| StartupError::Other(e.to_string()))?
        .map_err(|e| StartupError::Other(e.to_string()))?;
    Ok(AuthState { jwt: std::sync::Arc::new(keys), hasher, settings: settings.auth.clone() })
}

impl Application {
    pub async fn build(settings: Settings) -> Result<Self, StartupError> {
        let mailer = crate::mail::Mailer::from_settings(&settings.mail, &settings.web.municipality)?;
        let auth = web::Data::new(auth_state(&settings).await?);
        let pool = prepare_database(&settings).await?;
        match &mailer {
            Some(m) => tracing::info!(mailer = ?m, "reminders by e-mail: on"),
            None => tracing::info!("reminders by e-mail: off (mail.smtp_url is not set)"),
        }
        let mailer = mailer.map(|m| (m, pool.clone()));
        let seclog = web::Data::new(crate::security_log::SecurityLog::new(&settings.auth));
        prune_security_events(&pool, &seclog).await;
        let backend = settings
            .db()
            .map_err(|source| StartupError::Database { target: "configuration".into(), source })?
            .backend();
        let addr = format!("{}:{}", settings.server.host, settings.server.port);
        let listener =
            TcpListener::bind(&addr).map_err(|source| StartupError::Bind { addr: addr.clone(), source })?;
        let port = listener.local_addr().map_err(|source| StartupError::Bind { addr, source })?.port();

        let state = AppState::new(&settings, pool, auth, seclog, None)?;
        let limits = crate::server::guard::Limits {
            send_timeout: Duration::from_secs(settings.server.send_timeout_seconds.max(1)),
            ..Default::default()
        };
        let server =
            crate::server::serve(listener, settings.server.workers, limits, 10, move || app(state.clone()))
                .map_err(|source| StartupError::Bind { addr: format!("port {port}"), source })?;
        Ok(Self { port, backend, server, mailer })
    }

    pub fn port(&self) -> u16 {
        self.port
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// A handle to stop the server (tests, signals).
    pub fn handle(&self) -> ServerHandle {
        self.server.handle()
    }

    /// Serves until stopped; the reminders' mailer runs beside it and stops with it.
    pub async fn run_until_stopped(self) -> std::io::Result<()> {
        let mailer = self.mailer.map(|(m, pool)| m.start(pool));
        let served = self.server.await;
        if let Some(task) = mailer {
            task.abort();
        }
        served
    }
}

/// Everything the application's routes share, built once and handed to each worker's app
/// (and to the command line's, which answers its requests in-process).
#[derive(Clone)]
pub struct AppState {
    pool: web::Data<DbPool>,
    proxies: web::Data<crate::auth::caller::TrustedProxies>,
    auth: web::Data<AuthState>,
    seclog: web::Data<crate::security_log::SecurityLog>,
    exports: web::Data<crate::export::ExportGate>,
    spec_json: web::Data<SpecJson>,
    site: web::Data<crate::routes::meta::Site>,
    routes: web::Data<RouteTable>,
    attachments: web::Data<crate::routes::attachments::Limit>,
    kolada: web::Data<crate::routes::kolada::KoladaSite>,
    frozen_kpis: web::Data<utblick_app::kpis::FrozenValues>,
    limit: usize,
    file_limit: usize,
    web_dir: Option<std::path::PathBuf>,
    /// The municipality's identity provider, when one is set.
    oidc: Option<web::Data<crate::auth::oidc::Provider>>,
    /// Only in the command line's app: who its requests act as ([`crate::auth::caller::CommandLine`]).
    command_line: Option<web::Data<crate::auth::caller::CommandLine>>,
}

impl AppState {
    pub fn new(
        settings: &Settings,
        pool: DbPool,
        auth: web::Data<AuthState>,
        seclog: web::Data<crate::security_log::SecurityLog>,
        command_line: Option<crate::auth::caller::CommandLine>,
    ) -> Result<Self, StartupError> {
        let proxies = web::Data::new(crate::auth::caller::TrustedProxies(settings.trusted_proxies()?));
        let spec = openapi::openapi();
        // The spec is built from types; it always serialises.
        let spec_json = SpecJson(serde_json::to_string(&spec).unwrap_or_default());
        let routes = RouteTable::from_openapi(&spec);
        let web_dir = settings.web_dir();
        match &web_dir {
            Some(d) => tracing::info!(dir = %d.display(), "serving the web frontend"),
            None => tracing::warn!("no web frontend directory found; serving the API only"),
        }
        let limit = settings.server.body_limit_bytes;
        let file_limit = settings.server.max_attachment_bytes;
        let attachments = web::Data::new(crate::routes::attachments::Limit(file_limit));
        // Exports read with at most three quarters of the pool (and never all but one of
        // it): the rest is kept for sign-in and short reads.
        let pool_max = pool.max_size() as usize;
        let export_reads = pool_max.saturating_sub((pool_max / 4).max(2)).max(1);
        let exports = web::Data::new(crate::export::ExportGate::new(
            settings.server.max_exports,
            settings.server.max_exports_per_caller,
            export_reads,
        ));
        let pool = web::Data::new(pool);
        let spec_json = web::Data::new(spec_json);
        let oidc = match settings.oidc()? {
            Some(config) => {
                Some(web::Data::new(crate::auth::oidc::Provider::new(config).map_err(StartupError::Other)?))
            }
            None => None,
        };
        let site = web::Data::new(crate::routes::meta::Site {
            municipality: settings.web.municipality.clone(),
            product: "Utblick",
            single_sign_on: oidc.is_some(),
        });
        let routes = web::Data::new(routes);
        let frozen_kpis = web::Data::new(utblick_app::kpis::FrozenValues::default());
        let kolada = web::Data::new(crate::routes::kolada::KoladaSite {
            code: settings.kolada.municipality_code.clone(),
            name: settings.web.municipality.clone(),
        });

        Ok(Self {
            pool,
            proxies,
            auth,
            seclog,
            exports,
            spec_json,
            site,
            routes,
            attachments,
            kolada,
            frozen_kpis,
            limit,
            file_limit,
            web_dir,
            oidc,
            command_line: command_line.map(web::Data::new),
        })
    }
}

/// The application: every route, the shared state and the middleware, answering as the
/// server does — for each of the server's workers, and in-process for the command line.
pub fn app(
    s: AppState,
) -> App<
    impl actix_web::dev::ServiceFactory<
        actix_web::dev::ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl actix_web::body::MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (limit, file_limit) = (s.limit, s.file_limit);

    let app = openapi::mount(App::new().into_utoipa_app()).into_app();
    let app = app
        .app_data(s.pool.clone())
        .app_data(s.proxies.clone())
        .app_data(s.auth.clone())
        .app_data(s.seclog.clone())
        .app_data(s.exports.clone())
        .app_data(s.spec_json.clone())
        .app_data(s.site.clone())
        .app_data(s.routes.clone())
        .app_data(s.attachments.clone())
        .app_data(s.kolada.clone())
        .app_data(s.frozen_kpis.clone())
        .app_data(web::JsonConfig::default().limit(s.limit).error_handler(error::json_error))
        .app_data(web::PayloadConfig::new(s.limit))
        // Forms (the identity provider's back-channel sign-out) up to the same limit.
        .app_data(web::FormConfig::default().limit(s.limit))
        .app_data(web::PathConfig::default().error_handler(error::path_error))
        .app_data(web::QueryConfig::default().error_handler(error::query_error))
        .service(web::resource("/api/docs").route(web::get().to(web_files::docs_redirect)))
        .service(SwaggerUi::new("/api/docs/{_:.*}").config(SwaggerConfig::from("/api/v1/openapi.json")))
        .default_service(web::to(fallback));
    let app = match &s.command_line {
        Some(identity) => app.app_data(identity.clone()),
        None => app,
    };
    let app = match &s.oidc {
        Some(provider) => app.app_data(provider.clone()),
        None => app,
    };
    let app = match &s.web_dir {
        Some(dir) => app.service(web_files::files(dir)),
        None => app.service(web::resource("/").route(web::get().to(no_frontend))),
    };
    app.wrap(ErrorHandlers::new().default_handler(error::problemize))
        .wrap_fn(move |req, srv| match refused_early(&req, limit, file_limit) {
            // An answer, not an `Err`: the outer layers still add their headers.
            Some(err) => {
                let res = req.into_response(err.error_response()).map_into_boxed_body();
                Either::Left(ready(Ok(res)))
            }
            None => {
                let fut = srv.call(req);
                Either::Right(async move { fut.await.map(ServiceResponse::map_into_boxed_body) })
            }
        })
        // Everything inside answers people in the language the request asks for.
        .wrap(actix_web::middleware::from_fn(crate::lang::language))
        .wrap(SECURITY_HEADERS.iter().fold(DefaultHeaders::new(), |h, (k, v)| h.add((*k, *v))))
        .wrap_fn(|req, srv| {
            // The API docs viewer (third-party) needs inline styles and scripts;
            // everything else gets the strict policy.
            let csp = if req.path().starts_with("/api/docs") { DOCS_CSP } else { STRICT_CSP };
            // API answers carry tokens and personal data: no cache keeps them.
            let api = req.path().starts_with("/api/v1") || req.path().starts_with("/kolada/");
            let fut = srv.call(req);
            async move {
                let mut res: ServiceResponse<_> = fut.await?;
                let headers = res.headers_mut();
                // A handler's own policy is stricter (an attached file's: sandboxed).
                if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
                    headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(csp));
                }
                if api && !headers.contains_key(header::CACHE_CONTROL) {
                    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
                }
                Ok(res)
            }
        })
        .wrap_fn(|req, srv| {
            let id = req.extensions().get::<RequestId>().copied();
            let fut = srv.call(req);
            async move {
                let mut res: ServiceResponse<_> = fut.await?;
                if let Some(v) = id.and_then(|id| HeaderValue::from_str(&id.to_string()).ok()) {
                    res.headers_mut().insert(HeaderName::from_static("x-request-id"), v);
                }
                Ok(res)
            }
        })
        .wrap(TracingLogger::default())
}

/// The headers every response carries (and the answers to malformed requests too).
pub const SECURITY_HEADERS: [(&str, &str); 3] =
    [("x-content-type-options", "nosniff"), ("referrer-policy", "no-referrer"), ("x-frame-options", "DENY")];

/// Images may also be `data:` URLs: Designsystemet draws its icons (an alert's, a select's
/// arrow) as CSS masks of inline SVG. Scripts and styles stay same-origin only.
pub const STRICT_CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";
const DOCS_CSP: &str = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; \
     img-src 'self' data:; connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'";

/// What is refused before any route sees it: a body over the limit (413; an attached file's
/// own limit for an upload), and an API request whose `Accept` allows nothing the API can
/// answer with (406).
fn refused_early(req: &actix_web::dev::ServiceRequest, limit: usize, file_limit: usize) -> Option<ApiError> {
    let limit =
        if crate::routes::attachments::is_upload(req.method(), req.path()) { file_limit } else { limit };
    let too_large = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok())
        .is_some_and(|n| n > limit);
    if too_large {
        return Some(ApiError::PayloadTooLarge { limit });
    }
    let accept = req.headers().get(header::ACCEPT).map(|v| v.to_str().unwrap_or("*/*"));
    if req.path().starts_with("/api/v1") && !crate::negotiate::acceptable(accept) {
        return Some(ApiError::NotAcceptable { available: crate::negotiate::OFFERED.join(", ") });
    }
    None
}

/// Anything no route took: 405 with `Allow` for a documented path, 404 otherwise.
async fn fallback(req: HttpRequest, routes: web::Data<RouteTable>) -> HttpResponse {
    let err = match routes.allowed(req.path()) {
        Some(methods) if !methods.is_empty() => ApiError::MethodNotAllowed {
            method: req.method().to_string(),
            allow: methods.iter().map(|m| m.as_str()).collect::<Vec<_>>().join(", "),
        },
        _ => ApiError::RouteNotFound(req.path().to_owned()),
    };
    err.error_response()
}

async fn no_frontend() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/plain; charset=utf-8")
        .body("Utblick is running. The web frontend directory was not found; the API is at /api/v1 and its docs at /api/docs/.\n")
}
