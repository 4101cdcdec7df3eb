//! The `utblick` command line.

pub const USAGE: &str = "\
Utblick — the municipality's programme for international work.

Usage:
  utblick [serve]     run the server (default): migrations, seed on first start, HTTP
  utblick migrate     run pending database migrations and exit
  utblick user create --email E --role admin|coordinator|reporter|reader
                      [--name NAME] [--organisation ID]
                      create an account; the password is read from the environment
                      variable UTBLICK_NEW_PASSWORD, or else from the first line of
                      standard input (never from an argument)
  utblick --help      this text
  utblick --version   the version

Configuration: built-in defaults, then utblick.toml (or the file named by UTBLICK_CONFIG),
then environment variables UTBLICK__SECTION__KEY (e.g. UTBLICK__SERVER__PORT=9000) and
DATABASE_URL (postgres://… for PostgreSQL; default: a SQLite file in ./data). See README.md.
";

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    Serve,
    Migrate,
    Help,
    Version,
    UserCreate { email: String, role: String, name: Option<String>, organisation: Option<i64> },
}

pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Command, String> {
    // The first argument is the program's own name.
    let mut args = args.into_iter();
    args.next();
    let args: Vec<String> = args.collect();
    match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [] | ["serve"] => Ok(Command::Serve),
        ["migrate"] => Ok(Command::Migrate),
        ["-h" | "--help" | "help"] => Ok(Command::Help),
        ["-V" | "--version" | "version"] => Ok(Command::Version),
        ["user", "create", rest @ ..] => parse_user_create(rest),
        other => Err(format!("unknown arguments: {}; try `utblick --help`", other.join(" "))),
    }
}

fn parse_user_create(args: &[&str]) -> Result<Command, String> {
    let (mut email, mut role, mut name, mut organisation) = (None, None, None, None);
    let mut it = args.iter();
    while let Some(flag) = it.next() {
        let value = it.next().ok_or_else(|| format!("{flag} needs a value"))?;
        match *flag {
            "--email" => email = Some((*value).to_owned()),
            "--role" => role = Some((*value).to_owned()),
            "--name" => name = Some((*value).to_owned()),
            "--organisation" => {
                organisation = Some(
                    value.parse::<i64>().map_err(|_| "--organisation takes an organisation id".to_owned())?,
                )
            }
            "--password" => {
                return Err(
                    "passwords are never taken as arguments; use UTBLICK_NEW_PASSWORD or stdin".into()
                );
            }
            other => return Err(format!("unknown option {other}; try `utblick --help`")),
        }
    }
    Ok(Command::UserCreate {
        email: email.ok_or("--email is required")?,
        role: role.ok_or("--role is required")?,
        name,
        organisation,
    })
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
        assert_eq!(
            parse(args(&["user", "create", "--email", "a@b.se", "--role", "admin"])),
            Ok(Command::UserCreate {
                email: "a@b.se".into(),
                role: "admin".into(),
                name: None,
                organisation: None
            })
        );
        assert!(
            parse(args(&["user", "create", "--email", "a@b.se", "--role", "admin", "--password", "x"]))
                .is_err()
        );
        assert!(parse(args(&["user", "create", "--role", "admin"])).is_err());
    }

    #[test]
    fn collapses_driver_messages_to_one_line() {
        assert_eq!(
            one_line("connection failed:\n\tIs the server running?\n"),
            "connection failed: Is the server running?"
        );
    }
}
