//! `utblick`: runs the server, or an administrative command.

use std::process::ExitCode;

use utblick_api::cli::{self, Command};
use utblick_api::startup::{self, Application};
use utblick_api::{Settings, telemetry};

fn main() -> ExitCode {
    let command = match cli::parse(std::env::args()) {
        Ok(c) => c,
        Err(e) => return fail(&e),
    };
    match command {
        Command::Help => {
            print!("{}", cli::USAGE);
            return ExitCode::SUCCESS;
        }
        Command::Version => {
            println!("utblick {}", env!("CARGO_PKG_VERSION"));
            return ExitCode::SUCCESS;
        }
        Command::Serve | Command::Migrate | Command::UserCreate { .. } => {}
    }
    let settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string()),
    };
    telemetry::init(&settings.log);
    let result = actix_web::rt::System::new().block_on(async move {
        match command {
            Command::Migrate => {
                let mut s = settings;
                s.database.seed_demo_data = false;
                startup::prepare_database_with(&s, false).await.map(|_| ()).map_err(|e| e.to_string())
            }
            Command::UserCreate { email, role, name, organisation } => {
                let password = new_password()?;
                let (id, email) = startup::create_user_from_cli(
                    &settings,
                    &email,
                    &role,
                    name.as_deref(),
                    organisation,
                    &password,
                )
                .await
                .map_err(|e| e.to_string())?;
                println!("created user {id} ({email}, {role})");
                Ok(())
            }
            _ => {
                let app = Application::build(settings).await.map_err(|e| e.to_string())?;
                tracing::info!(port = app.port(), backend = app.backend().name(), "Utblick is listening");
                app.run_until_stopped().await.map_err(|e| e.to_string())
            }
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

/// The new account's password: `UTBLICK_NEW_PASSWORD`, or the first line of stdin.
fn new_password() -> Result<String, String> {
    if let Ok(p) = std::env::var("UTBLICK_NEW_PASSWORD") {
        return Ok(p);
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line).map_err(|e| format!("cannot read the password from stdin: {e}"))?;
    let p = line.trim_end_matches(['\n', '\r']).to_owned();
    if p.is_empty() {
        return Err("no password: set UTBLICK_NEW_PASSWORD or write it on standard input".into());
    }
    Ok(p)
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("utblick: error: {}", cli::one_line(msg));
    ExitCode::FAILURE
}
