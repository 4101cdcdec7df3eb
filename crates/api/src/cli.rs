//! The `utblick` command line.

pub const USAGE: &str = "\
Utblick — the municipality's programme for international work.

Usage:
  utblick [serve]     run the server (default): migrations, seed on first start, HTTP
  utblick migrate     run pending database migrations and exit
  utblick --help      this text
  utblick --version   the version

Configuration: built-in defaults, then utblick.toml (or the file named by UTBLICK_CONFIG),
then environment variables UTBLICK__SECTION__KEY (e.g. UTBLICK__SERVER__PORT=9000) and
DATABASE_URL (postgres://… for PostgreSQL; default: a SQLite file in ./data). See README.md.
";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Serve,
    Migrate,
    Help,
    Version,
}

pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    let args: Vec<String> = args.into_iter().skip(1).collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["serve"] => Ok(Command::Serve),
        ["migrate"] => Ok(Command::Migrate),
        ["-h" | "--help" | "help"] => Ok(Command::Help),
        ["-V" | "--version" | "version"] => Ok(Command::Version),
        other => Err(format!("unknown arguments: {}; try `utblick --help`", other.join(" "))),
    }
}

/// Multi-line driver messages (libpq's, for one) become one line.
pub fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(a: &[&str]) -> Vec<String> {
        std::iter::once("utblick").chain(a.iter().copied()).map(String::from).collect()
    }

    #[test]
    fn parses_the_commands() {
        assert_eq!(parse(args(&[])), Ok(Command::Serve));
        assert_eq!(parse(args(&["serve"])), Ok(Command::Serve));
        assert_eq!(parse(args(&["migrate"])), Ok(Command::Migrate));
        assert_eq!(parse(args(&["--help"])), Ok(Command::Help));
        assert!(parse(args(&["serve", "now"])).is_err());
    }

    #[test]
    fn collapses_driver_messages_to_one_line() {
        assert_eq!(
            one_line("connection failed:\n\tIs the server running?\n"),
            "connection failed: Is the server running?"
        );
    }
}
