//! The API, answered in-process for the command line: the server's own app
//! ([`crate::startup::app`]) with the command line's identity, called without a socket.

use std::io::Write;
use std::path::Path;
use std::pin::pin;

use actix_http::Request;
use actix_service::{IntoServiceFactory, Service, ServiceFactory};
use actix_web::body::MessageBody;
use actix_web::dev::ServiceResponse;
use actix_web::http::{Method, StatusCode, header};
use actix_web::test::TestRequest;
use actix_web::web;
use clap::ValueEnum;

use super::{
    CliError, ExportArgs, Format, ImportArgs, Importable, Io, Lang, List, Progress, TokenCommand,
    UserCommand, exit, new_password,
};
use crate::auth::caller::CommandLine;
use crate::settings::Settings;
use crate::startup::{AppState, StartupError, app, auth_state, prepare_database_with};

/// The API in-process, acting as the command line.
pub struct Api<S> {
    service: S,
    authorization: String,
    lang: Lang,
}

fn startup_failed(e: StartupError) -> CliError {
    CliError::new(e.exit_code(), e.to_string())
}

impl Api<()> {
    /// Opens the database (running pending migrations) and builds the app. `acting_for`:
    /// the e-mail of an active administrator the commands act for (creating an API token).
    pub async fn open(
        settings: &Settings,
        lang: Lang,
        acting_for: Option<&str>,
    ) -> Result<
        Api<impl Service<Request, Response = ServiceResponse<impl MessageBody>, Error = actix_web::Error>>,
        CliError,
    > {
        let pool = prepare_database_with(settings, false).await.map_err(startup_failed)?;
        let acting_for = match acting_for {
            None => None,
            Some(email) => Some(administrator(&pool, email).await?),
        };
        let auth = web::Data::new(auth_state(settings).await.map_err(startup_failed)?);
        let seclog = web::Data::new(crate::security_log::SecurityLog::new(&settings.auth));
        let identity = CommandLine::new(acting_for);
        let authorization = identity.authorization();
        let state = AppState::new(settings, pool, auth, seclog, Some(identity)).map_err(startup_failed)?;
        let service = app(state)
            .into_factory()
            .new_service(actix_web::dev::AppConfig::default())
            .await
            .map_err(|()| CliError::new(exit::FAILED, "the application could not be built"))?;
        Ok(Api { service, authorization, lang })
    }
}

/// The active administrator with this e-mail address.
async fn administrator(
    pool: &utblick_db::DbPool,
    email: &str,
) -> Result<utblick_db::models::UserRow, CliError> {
    let email = utblick_domain::Email::parse(email)
        .map_err(|e| CliError::new(exit::REFUSED, format!("--by: {}", e.message)))?;
    let pool = pool.clone();
    let found = tokio::task::spawn_blocking(move || {
        let mut conn = pool.get()?;
        utblick_db::identity::find_user_by_email(&mut conn, email.as_str())
    })
    .await
    .map_err(|e| CliError::new(exit::FAILED, e.to_string()))?
    .map_err(|e| CliError::new(exit::UNAVAILABLE, e.to_string()))?;
    match found {
        Some(u) if u.active && u.role == "admin" => Ok(u),
        _ => Err(CliError::new(
            exit::REFUSED,
            "--by: no active administrator has this e-mail address (an API token is created by one)",
        )),
    }
}

/// A request's answer: its status, `ETag`, and body.
struct Answer {
    status: StatusCode,
    etag: Option<String>,
    body: Vec<u8>,
}

impl<S, B> Api<S>
where
    S: Service<Request, Response = ServiceResponse<B>, Error = actix_web::Error>,
    B: MessageBody,
{
    fn request(&self, method: Method, uri: &str) -> TestRequest {
        TestRequest::default()
            .method(method)
            .uri(uri)
            .insert_header((header::AUTHORIZATION, self.authorization.clone()))
            .insert_header((header::ACCEPT_LANGUAGE, self.lang.code()))
    }

    async fn call(&self, req: TestRequest) -> Result<ServiceResponse<B>, CliError> {
        self.service.call(req.to_request()).await.map_err(|e| CliError::new(exit::FAILED, e.to_string()))
    }

    /// Sends a request and reads the whole answer; an error status is a [`CliError`].
    async fn send(&self, req: TestRequest) -> Result<Answer, CliError> {
        let res = self.call(req).await?;
        let status = res.status();
        let etag = res.headers().get(header::ETAG).and_then(|v| v.to_str().ok()).map(str::to_owned);
        let mut body = Vec::new();
        read_body(res, &mut body, &mut |_| {}).await?;
        if !status.is_success() {
            return Err(refused(status, &body));
        }
        Ok(Answer { status, etag, body })
    }

    /// Sends a request and writes its JSON answer, pretty, to standard output.
    async fn print(&self, req: TestRequest, io: &mut Io<'_>) -> Result<Answer, CliError> {
        let answer = self.send(req).await?;
        if !answer.body.is_empty() {
            let value: serde_json::Value = serde_json::from_slice(&answer.body)
                .map_err(|e| CliError::new(exit::FAILED, format!("the answer is not JSON: {e}")))?;
            serde_json::to_writer_pretty(&mut *io.out, &value)
                .map_err(|e| CliError::new(exit::FAILED, e.to_string()))?;
            writeln!(io.out)?;
        }
        Ok(answer)
    }

    /// `utblick export`.
    pub async fn export(&self, args: &ExportArgs, io: &mut Io<'_>) -> Result<(), CliError> {
        let Some(dir) = args.output.as_deref().filter(|_| args.all) else {
            let list = args.list.ok_or_else(|| CliError::new(exit::USAGE, "name a list, or --all"))?;
            return match &args.output {
                Some(path) => {
                    let mut file = std::fs::File::create(path)
                        .map_err(|e| CliError::new(exit::FAILED, format!("{}: {e}", path.display())))?;
                    let rows = self.export_one(list, args.format, &args.filters, &mut file, true).await?;
                    file.sync_all()?;
                    eprintln!("utblick: exported {}{} to {}", rows_of(rows), list.name(), path.display());
                    Ok(())
                }
                None => {
                    let rows = self.export_one(list, args.format, &args.filters, io.out, true).await?;
                    io.out.flush()?;
                    eprintln!("utblick: exported {}{}", rows_of(rows), list.name());
                    Ok(())
                }
            };
        };
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::new(exit::FAILED, format!("{}: {e}", dir.display())))?;
        let lists = List::value_variants();
        let progress = Progress::bar(lists.len() as u64, "listor".into());
        let mut total = 0;
        for list in lists {
            let path = dir.join(format!("{}.{}", list.name(), args.format.code()));
            progress.bar.set_message(list.name());
            let mut file = std::fs::File::create(&path)
                .map_err(|e| CliError::new(exit::FAILED, format!("{}: {e}", path.display())))?;
            total += self
                .export_one(*list, args.format, &args.filters, &mut file, false)
                .await?
                .unwrap_or_default();
            file.sync_all()?;
            progress.bar.inc(1);
        }
        let kpis = if lists.contains(&List::KpiValues) {
            " and the KPI values"
        } else {
            " (the KPI values: CSV or JSON only)"
        };
        progress.done(&format!("exported {} lists ({total} rows{kpis}) to {}", lists.len(), dir.display()));
        Ok(())
    }

    /// One list to `out`, as the API streams it; the number of rows.
    async fn export_one(
        &self,
        list: List,
        format: Format,
        filters: &[(String, String)],
        out: &mut dyn Write,
        alone: bool,
    ) -> Result<Option<u64>, CliError> {
        let query = |extra: &[(&str, &str)]| query_of(filters, extra);
        let path = format!("/api/v1/{}", list.name());
        // The count first (a page of one), for the progress and the report.
        let rows = if list.pages() {
            let page = self
                .send(self.request(Method::GET, &format!("{path}?{}", query(&[("per_page", "1")]))))
                .await?;
            serde_json::from_slice::<serde_json::Value>(&page.body).ok().and_then(|v| v["total"].as_u64())
        } else {
            None
        };
        let res = self
            .call(self.request(Method::GET, &format!("{path}?{}", query(&[("format", format.code())]))))
            .await?;
        let status = res.status();
        if !status.is_success() {
            let mut body = Vec::new();
            read_body(res, &mut body, &mut |_| {}).await?;
            return Err(refused(status, &body));
        }
        let counted = rows.map(|n| format!(" ({n} rader)")).unwrap_or_default();
        // Its own spinner, unless it is one of `--all`'s lists (their bar is the progress).
        let progress = alone.then(|| Progress::spinner(format!("{}{counted}", list.name())));
        read_body(res, out, &mut |n| progress.iter().for_each(|p| p.bar.inc(n))).await?;
        drop(progress);
        Ok(rows)
    }

    /// `utblick import`.
    pub async fn import(&self, args: &ImportArgs, io: &mut Io<'_>) -> Result<(), CliError> {
        let (bytes, name) = if args.file.as_os_str() == "-" {
            let mut bytes = Vec::new();
            std::io::Read::read_to_end(&mut io.input, &mut bytes)?;
            (bytes, "standard input".to_owned())
        } else {
            let bytes = std::fs::read(&args.file)
                .map_err(|e| CliError::new(exit::REFUSED, format!("{}: {e}", args.file.display())))?;
            (bytes, args.file.display().to_string())
        };
        let list = match args.list {
            Importable::Projects => "projects",
            Importable::Activities => "activities",
        };
        let uri = format!("/api/v1/imports/{list}?dry_run={}", args.dry_run);
        let progress = Progress::spinner(format!("import {list} från {name}"));
        let req = self
            .request(Method::POST, &uri)
            .insert_header((header::CONTENT_TYPE, content_type(&args.file, &bytes)))
            .set_payload(bytes);
        let answer = self.print(req, io).await?;
        let report: serde_json::Value = serde_json::from_slice(&answer.body).unwrap_or_default();
        let n = |k: &str| report[k].as_u64().unwrap_or_default();
        let what = if args.dry_run { "would import" } else { "imported" };
        progress.done(&format!(
            "{what} {list} from {name}: {} rows, {} created, {} updated, {} unchanged",
            n("rows"),
            n("created"),
            n("updated"),
            n("unchanged")
        ));
        Ok(())
    }

    /// `utblick user …`.
    pub async fn user(&self, command: UserCommand, io: &mut Io<'_>) -> Result<(), CliError> {
        match command {
            UserCommand::List { filters } => self.print_list("users", &filters, io).await,
            UserCommand::Show { id } => {
                self.print(self.request(Method::GET, &format!("/api/v1/users/{id}")), io).await.map(drop)
            }
            UserCommand::Create { email, role, name, organisation } => {
                let password = new_password(io)?;
                let body = serde_json::json!({
                    "email": email, "display_name": name.unwrap_or_else(|| email.clone()), "role": role,
                    "organisation_id": organisation, "password": password,
                });
                let answer =
                    self.print(self.request(Method::POST, "/api/v1/users").set_json(body), io).await?;
                let id = serde_json::from_slice::<serde_json::Value>(&answer.body)
                    .ok()
                    .and_then(|v| v["id"].as_i64());
                eprintln!("utblick: created user {} ({email}, {role})", id.unwrap_or_default());
                Ok(())
            }
            UserCommand::Update { id, name, role, organisation, no_organisation, active } => {
                let mut patch = serde_json::Map::new();
                if let Some(n) = name {
                    patch.insert("display_name".into(), n.into());
                }
                if let Some(r) = role {
                    patch.insert("role".into(), r.into());
                }
                if let Some(o) = organisation {
                    patch.insert("organisation_id".into(), o.into());
                }
                if no_organisation {
                    patch.insert("organisation_id".into(), serde_json::Value::Null);
                }
                if let Some(a) = active {
                    patch.insert("active".into(), a.into());
                }
                if patch.is_empty() {
                    return Err(CliError::new(
                        exit::USAGE,
                        "nothing to change: give --name, --role, --organisation, --no-organisation or --active",
                    ));
                }
                let path = format!("/api/v1/users/{id}");
                // The version read now: a change made meanwhile by someone else is refused (5).
                let current = self.send(self.request(Method::GET, &path)).await?;
                let mut req = self
                    .request(Method::PATCH, &path)
                    .insert_header((header::CONTENT_TYPE, "application/merge-patch+json"))
                    .set_payload(serde_json::Value::Object(patch).to_string());
                if let Some(etag) = current.etag {
                    req = req.insert_header((header::IF_MATCH, etag));
                }
                self.print(req, io).await.map(drop)
            }
            UserCommand::ResetPassword { id } => {
                let password = new_password(io)?;
                let req = self
                    .request(Method::POST, &format!("/api/v1/users/{id}/password"))
                    .set_json(serde_json::json!({ "new_password": password }));
                self.send(req).await?;
                eprintln!("utblick: reset the password of user {id}; they change it at their next sign-in");
                Ok(())
            }
        }
    }

    /// `utblick token …` (but `create`, which acts for an administrator).
    pub async fn token(&self, command: TokenCommand, io: &mut Io<'_>) -> Result<(), CliError> {
        let post = |path: String| self.request(Method::POST, &path);
        match command {
            TokenCommand::List { filters } => self.print_list("api-tokens", &filters, io).await,
            TokenCommand::Revoke { id } => {
                self.print(post(format!("/api/v1/api-tokens/{id}/revoke")), io).await.map(drop)
            }
            TokenCommand::RevokeAllOf { user_id } => {
                self.print(post(format!("/api/v1/users/{user_id}/revoke-api-tokens")), io).await.map(drop)
            }
            TokenCommand::Create { .. } => {
                Err(CliError::new(exit::FAILED, "token create acts for an administrator"))
            }
        }
    }

    /// `utblick token create`: the token is printed (this once) in the JSON answer.
    pub async fn create_token(
        &self,
        name: &str,
        scopes: &[String],
        expires: Option<&str>,
        io: &mut Io<'_>,
    ) -> Result<(), CliError> {
        let body = serde_json::json!({ "name": name, "scopes": scopes, "expires_at": expires });
        let answer = self.print(self.request(Method::POST, "/api/v1/api-tokens").set_json(body), io).await?;
        debug_assert_eq!(answer.status, StatusCode::CREATED);
        eprintln!("utblick: created the API token; copy `token` now, it is not shown again");
        Ok(())
    }

    /// A whole list as the API's JSON export.
    async fn print_list(
        &self,
        list: &str,
        filters: &[(String, String)],
        io: &mut Io<'_>,
    ) -> Result<(), CliError> {
        let query = query_of(filters, &[("format", "json")]);
        self.print(self.request(Method::GET, &format!("/api/v1/{list}?{query}")), io).await.map(drop)
    }
}

/// A list's query string: the `--filter`s, then what the command sets.
fn query_of(filters: &[(String, String)], extra: &[(&str, &str)]) -> String {
    let pairs: Vec<(&str, &str)> =
        filters.iter().map(|(k, v)| (k.as_str(), v.as_str())).chain(extra.iter().copied()).collect();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

/// `12 rows of ` (or nothing, for a list that does not count its rows).
fn rows_of(rows: Option<u64>) -> String {
    rows.map(|n| format!("{n} rows of ")).unwrap_or_default()
}

/// Copies an answer's body to `out` as it streams, telling `progress` each chunk's size.
async fn read_body<B>(
    res: ServiceResponse<B>,
    out: &mut dyn Write,
    progress: &mut dyn FnMut(u64),
) -> Result<(), CliError>
where
    B: MessageBody,
{
    let mut body = pin!(res.into_body());
    while let Some(chunk) = futures_util::future::poll_fn(|cx| body.as_mut().poll_next(cx)).await {
        let chunk = chunk.map_err(|e| {
            let e: Box<dyn std::error::Error> = e.into();
            CliError::new(exit::FAILED, format!("the answer broke off: {e}"))
        })?;
        out.write_all(&chunk)?;
        progress(chunk.len() as u64);
    }
    Ok(())
}

/// An error answer (problem+json) as the command's error: its detail, and the exit code
/// its status means.
fn refused(status: StatusCode, body: &[u8]) -> CliError {
    let problem: serde_json::Value = serde_json::from_slice(body).unwrap_or_default();
    let detail = problem["detail"].as_str().or(problem["title"].as_str()).unwrap_or("").to_owned();
    let code = match status.as_u16() {
        409 | 412 | 428 => exit::CONFLICT,
        503 => exit::UNAVAILABLE,
        400..=499 => exit::REFUSED,
        _ => exit::FAILED,
    };
    let kind = problem["code"].as_str().map(|c| format!(" [{c}]")).unwrap_or_default();
    CliError::new(code, format!("{detail} ({}{kind})", status.as_u16()))
}

/// The media type of an import file: by its name, else by its first bytes (the API looks
/// at them too).
fn content_type(path: &Path, bytes: &[u8]) -> &'static str {
    let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
    match ext.as_deref() {
        Some("xlsx") => crate::import::XLSX,
        Some("json") => "application/json",
        Some("csv") => "text/csv",
        _ if bytes.starts_with(b"PK\x03\x04") => crate::import::XLSX,
        _ if bytes.trim_ascii_start().starts_with(b"{") => "application/json",
        _ => "text/csv",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_answers_become_exit_codes_and_one_message() {
        let body = br#"{"detail":"title: must not be empty","code":"validation-failed"}"#;
        let e = refused(StatusCode::UNPROCESSABLE_ENTITY, body);
        assert_eq!(e.code, exit::REFUSED);
        assert_eq!(e.message, "title: must not be empty (422 [validation-failed])");
        assert_eq!(refused(StatusCode::PRECONDITION_FAILED, b"{}").code, exit::CONFLICT);
        assert_eq!(refused(StatusCode::NOT_FOUND, b"").code, exit::REFUSED);
        assert_eq!(refused(StatusCode::SERVICE_UNAVAILABLE, b"").code, exit::UNAVAILABLE);
        assert_eq!(refused(StatusCode::INTERNAL_SERVER_ERROR, b"").code, exit::FAILED);
    }

    #[test]
    fn import_files_are_known_by_name_or_content() {
        assert_eq!(content_type(Path::new("a.XLSX"), b""), crate::import::XLSX);
        assert_eq!(content_type(Path::new("-"), b"PK\x03\x04..."), crate::import::XLSX);
        assert_eq!(content_type(Path::new("-"), b" {\"items\":[]}"), "application/json");
        assert_eq!(content_type(Path::new("x.csv"), b"{"), "text/csv");
        assert_eq!(content_type(Path::new("-"), b"id;title"), "text/csv");
    }
}
