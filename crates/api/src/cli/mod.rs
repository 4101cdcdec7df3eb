//! The `utblick` command line: the server, and IT's commands — export, import, backup,
//! restore, accounts and API tokens.
//!
//! Export, import, `user` and `token` run the API's own operations in-process (the same
//! routes, checks, audit and files as over HTTP, without a network port): what a script
//! gets from `utblick export projects` is byte for byte what `GET /api/v1/projects?format=csv`
//! answers. They act as the command line itself ([`Principal::CommandLine`]), which may
//! do what an administrator may; the audit log names it `kommandoraden (<user>)`.
//!
//! [`Principal::CommandLine`]: utblick_domain::Principal::CommandLine

mod backup;
mod local;

use std::io::{BufRead, Write};
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::settings::Settings;

/// Exit codes a script can rely on (also in `--help` and README).
pub mod exit {
    /// Done.
    pub const OK: u8 = 0;
    /// Failed for another reason: a file that cannot be written, an unexpected answer.
    pub const FAILED: u8 = 1;
    /// Wrong arguments (clap's own code for them).
    pub const USAGE: u8 = 2;
    /// The configuration cannot be read, or the database cannot be reached.
    pub const UNAVAILABLE: u8 = 3;
    /// Refused: the input is invalid, or what it names does not exist.
    pub const REFUSED: u8 = 4;
    /// A conflict: the record changed meanwhile, or the target exists or is not empty.
    pub const CONFLICT: u8 = 5;
    /// A tool the command needs is not installed (`pg_dump`, `pg_restore`).
    pub const MISSING_TOOL: u8 = 6;
}

const AFTER_HELP: &str = "\
Exit codes:
  0  done
  1  failed for another reason (a file that cannot be written, an unexpected answer)
  2  wrong arguments
  3  the configuration cannot be read, or the database cannot be reached
  4  refused: the input is invalid, or what it names does not exist
  5  conflict: the record changed meanwhile, or the target exists or is not empty
  6  a tool the command needs is not installed (pg_dump, pg_restore)

Output: what a command produces (an export, a report, an account as JSON) goes to standard
output; progress and messages go to standard error (a progress bar on a terminal, plain
lines otherwise), errors as `utblick: error: …`.

Configuration: built-in defaults, then utblick.toml (or the file named by UTBLICK_CONFIG),
then environment variables UTBLICK__SECTION__KEY (e.g. UTBLICK__SERVER__PORT=9000) and
DATABASE_URL (postgres://… for PostgreSQL; default: a SQLite file in ./data). See README.md.";

/// Utblick — the municipality's programme for international work.
#[derive(Debug, Parser)]
#[command(name = "utblick", version, after_help = AFTER_HELP, max_term_width = 100)]
pub struct Cli {
    /// Language of messages, and of exports for people: `sv` gives Swedish column headers
    /// and names (what Excel users read), `en` the stable keys and codes (what scripts read).
    /// Default: the environment's (`LC_ALL`, `LC_MESSAGES`, `LANG`): `sv` where it is Swedish.
    #[arg(long, global = true, value_enum)]
    pub lang: Option<Lang>,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    Sv,
    En,
}

impl Lang {
    /// The environment's language: the first of `LC_ALL`, `LC_MESSAGES` and `LANG` that is
    /// set; Swedish where it starts with `sv`, else English.
    pub fn of_environment(var: impl Fn(&str) -> Option<String>) -> Self {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"].iter().find_map(|k| var(k).filter(|v| !v.is_empty()));
        if locale.is_some_and(|l| l.starts_with("sv")) { Lang::Sv } else { Lang::En }
    }

    fn code(self) -> &'static str {
        match self {
            Lang::Sv => "sv",
            Lang::En => "en",
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server (the default): migrations, the seed on the first start, HTTP.
    Serve,
    /// Run pending database migrations and exit.
    Migrate,
    /// Export a list, or every list, as CSV, XLSX or JSON.
    Export(ExportArgs),
    /// Import projects or activities from a CSV, XLSX or JSON file as exported. Idempotent:
    /// rows equal to what is stored change nothing. Prints the report as JSON.
    Import(ImportArgs),
    /// Back up the database to a new file: SQLite by an online copy (the server may keep
    /// running), PostgreSQL with pg_dump's custom format.
    Backup {
        /// The backup file to write; it must not exist.
        file: PathBuf,
    },
    /// Restore a backup into the configured database, which must be empty (a new SQLite file
    /// or a new PostgreSQL database); migrations newer than the backup are then applied.
    Restore {
        /// A file written by `utblick backup`.
        file: PathBuf,
    },
    /// People's accounts. Answers are the API's, as JSON.
    #[command(subcommand)]
    User(UserCommand),
    /// API tokens. Answers are the API's, as JSON.
    #[command(subcommand)]
    Token(TokenCommand),
}

/// The lists that export, in the order `export --all` writes them (the audit log first, so
/// that it shows the database as it was before this export's own audit events).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum List {
    AuditEvents,
    Users,
    ApiTokens,
    Programmes,
    Decisions,
    Frameworks,
    Goals,
    Organisations,
    Contacts,
    TwinTowns,
    Collaborations,
    Projects,
    Activities,
    Leads,
    KpiValues,
}

impl List {
    /// The list's name, as in its API path (`/api/v1/<name>`) and its export's file.
    pub fn name(self) -> String {
        self.to_possible_value().map(|v| v.get_name().to_owned()).unwrap_or_default()
    }

    /// Whether the list answers in pages (all but the KPI values, which answer whole).
    pub fn pages(self) -> bool {
        self != List::KpiValues
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Csv,
    Json,
    Xlsx,
}

impl Format {
    fn code(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Json => "json",
            Format::Xlsx => "xlsx",
        }
    }
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The list to export.
    #[arg(required_unless_present = "all", conflicts_with = "all")]
    pub list: Option<List>,
    /// Every list, each to its own file (`<list>.<format>`) in the directory --output names.
    #[arg(long, requires = "output")]
    pub all: bool,
    /// The file format: CSV as Swedish Excel opens it, JSON, or an XLSX workbook.
    #[arg(long, short, value_enum, default_value = "csv")]
    pub format: Format,
    /// A filter, search or order, as the list's query parameter (`--filter status=active
    /// --filter q=Litauen`); repeatable. See the list's parameters in the API documentation.
    #[arg(long = "filter", value_name = "KEY=VALUE", value_parser = key_value)]
    pub filters: Vec<(String, String)>,
    /// The file to write (with --all, the directory); standard output when left out.
    #[arg(long, short)]
    pub output: Option<PathBuf>,
}

/// The registers that import.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Importable {
    Projects,
    Activities,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// What the file holds.
    pub list: Importable,
    /// The file (CSV, XLSX or JSON, as exported); `-` reads standard input.
    pub file: PathBuf,
    /// Check the whole file and report what the import would do, storing nothing.
    #[arg(long)]
    pub dry_run: bool,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Every account (filters as the list's query parameters: role, organisation_id,
    /// active, q, sort).
    List {
        #[arg(long = "filter", value_name = "KEY=VALUE", value_parser = key_value)]
        filters: Vec<(String, String)>,
    },
    /// One account.
    Show { id: i64 },
    /// Create an account. Its first password is read from the environment variable
    /// UTBLICK_NEW_PASSWORD, or else from the first line of standard input (never from an
    /// argument); the person changes it at first sign-in.
    Create {
        #[arg(long)]
        email: String,
        /// admin, coordinator, reporter or reader.
        #[arg(long)]
        role: String,
        /// The name shown (default: the e-mail address).
        #[arg(long)]
        name: Option<String>,
        /// The organisation a reporter reports for.
        #[arg(long)]
        organisation: Option<i64>,
    },
    /// Change an account: only what is given changes.
    Update {
        id: i64,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        role: Option<String>,
        #[arg(long, conflicts_with = "no_organisation")]
        organisation: Option<i64>,
        /// Remove the account's organisation.
        #[arg(long)]
        no_organisation: bool,
        /// `false` deactivates the account (its sessions end at once), `true` reactivates it.
        #[arg(long)]
        active: Option<bool>,
    },
    /// Set a new password for someone who lost theirs (read as for `create`); their
    /// sessions end and they change it at their next sign-in.
    ResetPassword { id: i64 },
}

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Every API token, never the secrets (filters: state, scope, q, sort).
    List {
        #[arg(long = "filter", value_name = "KEY=VALUE", value_parser = key_value)]
        filters: Vec<(String, String)>,
    },
    /// Create a token; the answer holds the token itself, this once.
    Create {
        /// What it is for.
        #[arg(long)]
        name: String,
        /// What it may do (read, export, kpi:read, goals:write, import); repeatable or
        /// comma-separated.
        #[arg(long = "scope", required = true, value_delimiter = ',')]
        scopes: Vec<String>,
        /// When it stops working (RFC 3339, e.g. 2027-12-31T00:00:00Z); none means until
        /// revoked.
        #[arg(long)]
        expires: Option<String>,
        /// The administrator (e-mail) it is created by: a token is always some person's.
        #[arg(long)]
        by: String,
    },
    /// Revoke a token: it stops working at once.
    Revoke { id: i64 },
    /// Revoke every token a person (by user id) created, for example when they leave.
    RevokeAllOf { user_id: i64 },
}

fn key_value(s: &str) -> Result<(String, String), String> {
    let (k, v) = s.split_once('=').ok_or_else(|| format!("`{s}` is not KEY=VALUE"))?;
    let k = k.trim();
    if k.is_empty() {
        return Err(format!("`{s}` has no key"));
    }
    if matches!(k, "format" | "page" | "per_page") {
        return Err(format!("`{k}` is the command's to set"));
    }
    Ok((k.to_owned(), v.to_owned()))
}

impl crate::startup::StartupError {
    /// The configuration or the database: [`exit::UNAVAILABLE`]; anything else (the port is
    /// taken): [`exit::FAILED`].
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Settings(_) | Self::Database { .. } => exit::UNAVAILABLE,
            _ => exit::FAILED,
        }
    }
}

/// A failure: the message for standard error and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CliError {
    pub code: u8,
    pub message: String,
}

impl CliError {
    pub fn new(code: u8, message: impl Into<String>) -> Self {
        Self { code, message: message.into() }
    }
}

impl From<std::io::Error> for CliError {
    fn from(e: std::io::Error) -> Self {
        Self::new(exit::FAILED, e.to_string())
    }
}

/// What a command reads and writes besides files: standard output, standard input (a
/// password), and `UTBLICK_NEW_PASSWORD`.
pub struct Io<'a> {
    pub out: &'a mut dyn Write,
    pub input: &'a mut dyn BufRead,
    pub new_password: Option<String>,
}

/// Parses the arguments. `Err`: help or the version (exit code 0, the text for standard
/// output), or wrong arguments (exit code 2, one line for standard error).
pub fn parse(
    args: impl IntoIterator<Item = impl Into<std::ffi::OsString> + Clone>,
) -> Result<Cli, (u8, String)> {
    let args: Vec<std::ffi::OsString> = args.into_iter().map(Into::into).collect();
    // A password given as an argument would stay in the shell's history and the process list.
    if args.iter().any(|a| a.to_str().is_some_and(|a| a == "--password" || a.starts_with("--password="))) {
        let why = "passwords are never taken as arguments; use UTBLICK_NEW_PASSWORD or standard input";
        return Err((exit::USAGE, format!("utblick: error: {why}")));
    }
    Cli::try_parse_from(args).map_err(|e| {
        let code = u8::try_from(e.exit_code()).unwrap_or(exit::USAGE);
        if code == exit::OK {
            return (code, e.to_string());
        }
        // clap's first line (`error: unexpected argument '--fast' found`), as one line.
        let text = e.to_string();
        let first = text.lines().next().unwrap_or_default().trim_start_matches("error: ");
        (code, format!("utblick: error: {first}; try `utblick --help`"))
    })
}

/// Runs one of IT's commands (not `serve` or `migrate`, which the binary runs) on its own
/// runtime: the exit code. Messages and errors go to standard error.
pub fn run(cli: Cli, mut settings: Settings, io: &mut Io<'_>) -> u8 {
    // A command never loads the demo data: a restore's target must stay empty until filled.
    settings.database.seed_demo_data = false;
    let lang = cli.lang.unwrap_or_else(|| Lang::of_environment(|k| std::env::var(k).ok()));
    let Some(command) = cli.command else { return exit::USAGE };
    let result =
        actix_web::rt::System::new().block_on(async move { execute(command, lang, &settings, io).await });
    match result {
        Ok(()) => exit::OK,
        Err(e) => {
            eprintln!("utblick: error: {}", one_line(&e.message));
            e.code
        }
    }
}

async fn execute(command: Command, lang: Lang, settings: &Settings, io: &mut Io<'_>) -> Result<(), CliError> {
    match command {
        Command::Serve | Command::Migrate => Err(CliError::new(exit::USAGE, "run by the binary itself")),
        Command::Backup { file } => backup::backup(settings, &file).await,
        Command::Restore { file } => backup::restore(settings, &file).await,
        Command::Export(args) => {
            let api = local::Api::open(settings, lang, None).await?;
            api.export(&args, io).await
        }
        Command::Import(args) => {
            let api = local::Api::open(settings, lang, None).await?;
            api.import(&args, io).await
        }
        Command::User(c) => {
            let api = local::Api::open(settings, lang, None).await?;
            api.user(c, io).await
        }
        Command::Token(TokenCommand::Create { name, scopes, expires, by }) => {
            let api = local::Api::open(settings, lang, Some(&by)).await?;
            api.create_token(&name, &scopes, expires.as_deref(), io).await
        }
        Command::Token(c) => {
            let api = local::Api::open(settings, lang, None).await?;
            api.token(c, io).await
        }
    }
}

/// A new password: `UTBLICK_NEW_PASSWORD`, or the first line of standard input.
fn new_password(io: &mut Io<'_>) -> Result<String, CliError> {
    if let Some(p) = io.new_password.clone() {
        return Ok(p);
    }
    let mut line = String::new();
    io.input
        .read_line(&mut line)
        .map_err(|e| CliError::new(exit::FAILED, format!("cannot read the password from stdin: {e}")))?;
    let p = line.trim_end_matches(['\n', '\r']).to_owned();
    if p.is_empty() {
        return Err(CliError::new(
            exit::REFUSED,
            "no password: set UTBLICK_NEW_PASSWORD or write it on standard input",
        ));
    }
    Ok(p)
}

/// Multi-line driver messages (libpq's, for one) become one line.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Progress on standard error: a spinner or bar on a terminal; elsewhere nothing until the
/// plain line [`Progress::done`] writes.
struct Progress {
    bar: indicatif::ProgressBar,
}

impl Progress {
    fn spinner(message: String) -> Self {
        let bar = indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template("{spinner} {msg} {bytes} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(message);
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        Self { bar }
    }

    fn bar(len: u64, message: String) -> Self {
        let bar =
            indicatif::ProgressBar::with_draw_target(Some(len), indicatif::ProgressDrawTarget::stderr());
        if let Ok(style) = indicatif::ProgressStyle::with_template("{bar:30} {pos}/{len} {msg} {elapsed}") {
            bar.set_style(style);
        }
        bar.set_message(message);
        Self { bar }
    }

    /// Ends the bar, and writes `line` (on a terminal and in a pipe alike).
    fn done(&self, line: &str) {
        self.bar.finish_and_clear();
        eprintln!("utblick: {line}");
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}

/// Bytes for people: `12 KiB`.
fn size(bytes: u64) -> String {
    indicatif::BinaryBytes(bytes).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        std::iter::once("utblick").chain(a.iter().copied()).map(String::from).collect()
    }

    #[test]
    fn parses_the_commands() {
        assert!(parse(args(&[])).unwrap().command.is_none());
        assert!(matches!(parse(args(&["serve"])).unwrap().command, Some(Command::Serve)));
        assert!(matches!(parse(args(&["migrate"])).unwrap().command, Some(Command::Migrate)));
        assert_eq!(parse(args(&["--help"])).unwrap_err().0, exit::OK);
        let (code, line) = parse(args(&["serve", "now"])).unwrap_err();
        assert_eq!(code, exit::USAGE);
        assert_eq!(line, "utblick: error: unexpected argument 'now' found; try `utblick --help`");
        let c = parse(args(&["export", "twin-towns", "--filter", "status=active", "-f", "json"])).unwrap();
        let Some(Command::Export(e)) = c.command else { panic!("export") };
        assert_eq!((e.list, e.format), (Some(List::TwinTowns), Format::Json));
        assert_eq!(e.filters, [("status".to_owned(), "active".to_owned())]);
        assert!(parse(args(&["export"])).is_err(), "a list or --all");
        assert!(parse(args(&["export", "--all"])).is_err(), "--all writes to a directory");
        assert!(parse(args(&["export", "projects", "--filter", "format=json"])).is_err());
        assert!(parse(args(&["export", "reports"])).is_err(), "not a list that exports");
        let c =
            parse(args(&["token", "create", "--name", "S", "--scope", "read,kpi:read", "--by", "a@b.se"]))
                .unwrap();
        let Some(Command::Token(TokenCommand::Create { scopes, .. })) = c.command else { panic!("token") };
        assert_eq!(scopes, ["read", "kpi:read"]);
        assert!(
            parse(args(&["user", "create", "--email", "a@b.se", "--role", "admin", "--password", "x"]))
                .is_err()
        );
        assert!(parse(args(&["user", "update", "3", "--organisation", "2", "--no-organisation"])).is_err());
    }

    #[test]
    fn the_language_is_the_environments_unless_asked() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| pairs.iter().find(|(n, _)| *n == k).map(|(_, v)| (*v).to_owned())
        };
        assert_eq!(Lang::of_environment(env(&[("LANG", "sv_SE.UTF-8")])), Lang::Sv);
        assert_eq!(Lang::of_environment(env(&[("LANG", "sv_SE.UTF-8"), ("LC_ALL", "C")])), Lang::En);
        assert_eq!(Lang::of_environment(env(&[("LC_MESSAGES", "sv_FI"), ("LANG", "en_GB")])), Lang::Sv);
        assert_eq!(Lang::of_environment(env(&[])), Lang::En);
        assert_eq!(parse(args(&["--lang", "sv", "migrate"])).unwrap().lang, Some(Lang::Sv));
    }

    #[test]
    fn the_lists_are_named_as_their_api_paths_and_the_audit_log_comes_first() {
        let all = List::value_variants();
        assert_eq!(all[0].name(), "audit-events");
        assert_eq!(List::KpiValues.name(), "kpi-values");
        let spec = serde_json::to_value(crate::openapi::openapi()).unwrap();
        let paths = spec["paths"].as_object().unwrap();
        for l in all {
            let op = &paths[&format!("/api/v1/{}", l.name())]["get"];
            let params = op["parameters"].as_array().unwrap();
            assert!(params.iter().any(|p| p["name"] == "format"), "{} exports", l.name());
        }
        // Every list that exports is here.
        let exporting = paths
            .iter()
            .filter(|(p, ops)| {
                !p.contains('{')
                    && ops["get"]["parameters"]
                        .as_array()
                        .is_some_and(|ps| ps.iter().any(|p| p["name"] == "format"))
            })
            .count();
        assert_eq!(exporting, all.len());
    }

    #[test]
    fn collapses_driver_messages_to_one_line() {
        assert_eq!(
            one_line("connection failed:\n\tIs the server running?\n"),
            "connection failed: Is the server running?"
        );
    }
}
