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
        Command::Serve | Command::Migrate => {}
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
                startup::prepare_database(&s).await.map(|_| ()).map_err(|e| e.to_string())
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

fn fail(msg: &str) -> ExitCode {
    eprintln!("utblick: error: {}", cli::one_line(msg));
    ExitCode::FAILURE
}
