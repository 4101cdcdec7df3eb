//! `utblick backup` and `utblick restore`.
//!
//! SQLite: a consistent online copy (`VACUUM INTO`) while the server may keep running;
//! restored by copying it the same way into the configured file, which must be new or
//! empty. PostgreSQL: `pg_dump`'s custom format and `pg_restore` (one transaction, stopping
//! at the first error) into an empty database, the tools found on `PATH` or in Debian's
//! `/usr/lib/postgresql/<version>/bin`; the password goes to them in `PGPASSWORD`, never as
//! an argument other local users could read. Either way, migrations newer than the backup
//! are applied after a restore. Backups hold password hashes and personal data: they are
//! written readable by their owner only.

use std::path::{Path, PathBuf};
use std::process::Stdio;

use utblick_db::{Backend, DbSettings};

use super::{CliError, Progress, exit, size};
use crate::settings::Settings;
use crate::startup::prepare_database_with;

const SQLITE_MAGIC: &[u8] = b"SQLite format 3\0";
const PG_DUMP_MAGIC: &[u8] = b"PGDMP";

fn db(settings: &Settings) -> Result<DbSettings, CliError> {
    settings.db().map_err(|e| CliError::new(exit::UNAVAILABLE, format!("database: {e}")))
}

fn unavailable(e: impl std::fmt::Display) -> CliError {
    CliError::new(exit::UNAVAILABLE, format!("database: {e}"))
}

/// Runs blocking database work off the runtime.
async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, CliError> + Send + 'static,
) -> Result<T, CliError> {
    tokio::task::spawn_blocking(f).await.map_err(|e| CliError::new(exit::FAILED, e.to_string()))?
}

/// `file.partial`, beside it: written first, renamed when whole, so that a file by the
/// backup's name is always a whole backup.
fn partial(file: &Path) -> PathBuf {
    let mut name = file.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    file.with_file_name(name)
}

/// Creates an empty file readable by its owner only.
fn create_private(path: &Path) -> Result<(), CliError> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map(drop).map_err(|e| CliError::new(exit::FAILED, format!("{}: {e}", path.display())))
}

/// `utblick backup FILE`.
pub async fn backup(settings: &Settings, file: &Path) -> Result<(), CliError> {
    let db = db(settings)?;
    if file.exists() {
        return Err(CliError::new(
            exit::CONFLICT,
            format!("{} exists; a backup never overwrites a file", file.display()),
        ));
    }
    let work = partial(file);
    let _ = std::fs::remove_file(&work);
    create_private(&work)?;
    let progress = Progress::spinner(format!("backup av {}", db.redacted()));
    let written = match db.backend() {
        Backend::Sqlite => {
            let source = db.sqlite_path().filter(|p| p.exists()).ok_or_else(|| {
                CliError::new(exit::UNAVAILABLE, format!("there is no database at {}", db.redacted()))
            })?;
            let target = work.clone();
            blocking(move || {
                let mut conn =
                    utblick_db::establish(&DbSettings::sqlite_file(&source)).map_err(unavailable)?;
                utblick_db::backup::sqlite_copy_into(&mut conn, &target)
                    .map_err(|e| CliError::new(exit::FAILED, format!("the copy failed: {e}")))
            })
            .await
        }
        Backend::Postgres => {
            let args = vec!["--format=custom".into(), format!("--file={}", work.display())];
            pg_tool("pg_dump", &db, args).await
        }
    };
    if let Err(e) = written {
        let _ = std::fs::remove_file(&work);
        return Err(e);
    }
    std::fs::File::open(&work)?.sync_all()?;
    std::fs::rename(&work, file)?;
    let bytes = std::fs::metadata(file)?.len();
    progress.done(&format!("backed up {} to {} ({})", db.redacted(), file.display(), size(bytes)));
    Ok(())
}

/// `utblick restore FILE`.
pub async fn restore(settings: &Settings, file: &Path) -> Result<(), CliError> {
    let db = db(settings)?;
    let head = read_head(file)?;
    let progress = Progress::spinner(format!("återställer {} till {}", file.display(), db.redacted()));
    match db.backend() {
        Backend::Sqlite => {
            if !head.starts_with(SQLITE_MAGIC) {
                return Err(not_for(file, &head, "SQLite"));
            }
            let target = db
                .sqlite_path()
                .ok_or_else(|| CliError::new(exit::REFUSED, "an in-memory database is not restored into"))?;
            let backup = file.to_owned();
            blocking(move || restore_sqlite(&backup, &target)).await?;
        }
        Backend::Postgres => {
            if !head.starts_with(PG_DUMP_MAGIC) {
                return Err(not_for(file, &head, "PostgreSQL"));
            }
            let check = db.clone();
            let tables = blocking(move || {
                let mut conn = utblick_db::establish(&check).map_err(unavailable)?;
                utblick_db::backup::table_count(&mut conn).map_err(unavailable)
            })
            .await?;
            if tables > 0 {
                return Err(not_empty(&db.redacted(), tables));
            }
            let args = vec![
                "--no-owner".into(),
                "--no-privileges".into(),
                "--exit-on-error".into(),
                "--single-transaction".into(),
                file.display().to_string(),
            ];
            pg_tool("pg_restore", &db, args).await?;
        }
    }
    // Migrations newer than the backup.
    prepare_database_with(settings, false)
        .await
        .map_err(|e| CliError::new(exit::UNAVAILABLE, e.to_string()))?;
    progress.done(&format!("restored {} into {}", file.display(), db.redacted()));
    Ok(())
}

fn read_head(file: &Path) -> Result<Vec<u8>, CliError> {
    use std::io::Read;
    let mut head = Vec::with_capacity(16);
    std::fs::File::open(file)
        .and_then(|f| f.take(16).read_to_end(&mut head))
        .map_err(|e| CliError::new(exit::REFUSED, format!("{}: {e}", file.display())))?;
    Ok(head)
}

fn not_for(file: &Path, head: &[u8], backend: &str) -> CliError {
    let what = if head.starts_with(SQLITE_MAGIC) {
        "a SQLite backup"
    } else if head.starts_with(PG_DUMP_MAGIC) {
        "a PostgreSQL backup"
    } else {
        "not a backup written by `utblick backup`"
    };
    CliError::new(
        exit::REFUSED,
        format!(
            "{} is {what}; the configured database is {backend} (to move between the two, export and import)",
            file.display()
        ),
    )
}

fn not_empty(target: &str, tables: i64) -> CliError {
    CliError::new(
        exit::CONFLICT,
        format!(
            "{target} is not empty ({tables} tables): a backup is restored only into an empty database (a new SQLite file, or a new PostgreSQL database)"
        ),
    )
}

/// Copies a checked SQLite backup to `target`, which must not exist or be empty.
fn restore_sqlite(backup: &Path, target: &Path) -> Result<(), CliError> {
    let mut source = utblick_db::backup::open_sqlite_read_only(backup)
        .map_err(|e| CliError::new(exit::REFUSED, format!("{}: {e}", backup.display())))?;
    let problem = utblick_db::backup::sqlite_backup_problem(&mut source)
        .map_err(|e| CliError::new(exit::REFUSED, format!("{}: {e}", backup.display())))?;
    if let Some(problem) = problem {
        return Err(CliError::new(exit::REFUSED, format!("{}: {problem}", backup.display())));
    }
    if std::fs::metadata(target).is_ok_and(|m| m.len() > 0) {
        let mut existing = utblick_db::backup::open_sqlite_read_only(target).map_err(unavailable)?;
        let tables = utblick_db::backup::table_count(&mut existing).map_err(unavailable)?;
        if tables > 0 {
            return Err(not_empty(&target.display().to_string(), tables));
        }
    }
    if let Some(dir) = target.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| CliError::new(exit::FAILED, format!("{}: {e}", dir.display())))?;
    }
    let work = partial(target);
    let _ = std::fs::remove_file(&work);
    create_private(&work)?;
    if let Err(e) = utblick_db::backup::sqlite_copy_into(&mut source, &work) {
        let _ = std::fs::remove_file(&work);
        return Err(CliError::new(exit::FAILED, format!("the copy failed: {e}")));
    }
    std::fs::File::open(&work)?.sync_all()?;
    // The empty database's own journal files go with it.
    for suffix in ["-wal", "-shm"] {
        let mut name = target.as_os_str().to_os_string();
        name.push(suffix);
        let _ = std::fs::remove_file(PathBuf::from(name));
    }
    std::fs::rename(&work, target)?;
    Ok(())
}

/// Where a PostgreSQL client tool is: on `PATH`, else the newest in Debian's
/// `/usr/lib/postgresql/<version>/bin`.
fn find_tool(name: &str) -> Option<PathBuf> {
    let on_path = std::env::var_os("PATH")
        .map(|p| std::env::split_paths(&p).map(|d| d.join(name)).collect::<Vec<_>>())
        .unwrap_or_default();
    let mut debian: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .map(|dirs| {
            dirs.filter_map(Result::ok)
                .filter_map(|d| {
                    Some((d.file_name().to_str()?.parse::<u32>().ok()?, d.path().join("bin").join(name)))
                })
                .collect()
        })
        .unwrap_or_default();
    debian.sort_by_key(|d| std::cmp::Reverse(d.0));
    on_path.into_iter().chain(debian.into_iter().map(|(_, p)| p)).find(|p| p.is_file())
}

/// Runs `pg_dump` or `pg_restore` against the configured database.
async fn pg_tool(name: &str, db: &DbSettings, mut args: Vec<String>) -> Result<(), CliError> {
    let tool = find_tool(name).ok_or_else(|| {
        CliError::new(
            exit::MISSING_TOOL,
            format!(
                "{name} is not installed (looked on PATH and in /usr/lib/postgresql/*/bin); install the PostgreSQL client tools of the server's version or newer (Debian: apt install postgresql-client)"
            ),
        )
    })?;
    let mut url = url::Url::parse(db.target())
        .map_err(|e| CliError::new(exit::UNAVAILABLE, format!("database URL: {e}")))?;
    let password =
        url.password().map(|p| percent_encoding::percent_decode_str(p).decode_utf8_lossy().into_owned());
    let _ = url.set_password(None);
    args.push(format!("--dbname={url}"));
    args.push("--no-password".into());
    let mut command = tokio::process::Command::new(&tool);
    command.args(&args).stdin(Stdio::null()).stdout(Stdio::null()).stderr(Stdio::piped());
    if let Some(p) = password {
        command.env("PGPASSWORD", p);
    }
    let out = command
        .output()
        .await
        .map_err(|e| CliError::new(exit::MISSING_TOOL, format!("{}: {e}", tool.display())))?;
    if out.status.success() {
        return Ok(());
    }
    let message = String::from_utf8_lossy(&out.stderr);
    let code = if message.contains("connection to server") || message.contains("could not connect") {
        exit::UNAVAILABLE
    } else {
        exit::FAILED
    };
    Err(CliError::new(code, format!("{name} failed: {}", message.trim())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_backup_is_written_beside_its_name_first() {
        assert_eq!(partial(Path::new("/b/utblick.backup")), Path::new("/b/utblick.backup.partial"));
    }

    #[test]
    fn a_backup_for_the_other_database_is_named_as_such() {
        let e = not_for(Path::new("x"), b"PGDMP\x01", "SQLite");
        assert_eq!(e.code, exit::REFUSED);
        assert!(e.message.contains("a PostgreSQL backup"), "{}", e.message);
        assert!(not_for(Path::new("x"), b"hello", "SQLite").message.contains("not a backup"));
    }
}
