//! `utblick`: runs the server, or one of IT's commands (`utblick --help`).

use std::process::ExitCode;

use utblick_api::cli::{self, Command, exit};
use utblick_api::startup::{self, Application, StartupError};
use utblick_api::{Settings, telemetry};

fn main() -> ExitCode {
    let cli = match cli::parse(std::env::args_os()) {
        Ok(c) => c,
        // Help and the version are answers (0, on standard output); wrong arguments exit 2.
        Err((code, text)) if code == exit::OK => {
            print!("{text}");
            return ExitCode::SUCCESS;
        }
        Err((code, line)) => {
            eprintln!("{line}");
            return ExitCode::from(code);
        }
    };
    let mut settings = match Settings::load() {
        Ok(s) => s,
        Err(e) => return fail(&e.to_string(), exit::UNAVAILABLE),
    };
    let serving = matches!(cli.command, None | Some(Command::Serve) | Some(Command::Migrate));
    if !serving {
        // A command's own lines are its messages (refusals included); the log adds only
        // what failed inside.
        settings.log.level = "error".into();
    }
    telemetry::init(&settings.log);
    if !serving {
        let mut out = std::io::stdout().lock();
        let mut input = std::io::stdin().lock();
        let mut io = cli::Io {
            out: &mut out,
            input: &mut input,
            new_password: std::env::var("UTBLICK_NEW_PASSWORD").ok(),
        };
        return ExitCode::from(cli::run(cli, settings, &mut io));
    }
    let migrate_only = matches!(cli.command, Some(Command::Migrate));
    let startup_failed = |e: StartupError| (e.to_string(), e.exit_code());
    let result = actix_web::rt::System::new().block_on(async move {
        if migrate_only {
            let mut s = settings;
            s.database.seed_demo_data = false;
            return startup::prepare_database_with(&s, false).await.map(|_| ()).map_err(startup_failed);
        }
        let app = Application::build(settings).await.map_err(startup_failed)?;
        tracing::info!(port = app.port(), backend = app.backend().name(), "Utblick is listening");
        app.run_until_stopped().await.map_err(|e| (e.to_string(), exit::FAILED))
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err((e, code)) => fail(&e, code),
    }
}

fn fail(msg: &str, code: u8) -> ExitCode {
    eprintln!("utblick: error: {}", cli::one_line(msg));
    ExitCode::from(code)
}
