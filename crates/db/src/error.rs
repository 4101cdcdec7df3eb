use thiserror::Error;

/// Everything that can go wrong below the API. None of it is the client's fault except
/// [`DbError::UniqueViolation`], which the API maps to 409 by constraint name.
#[derive(Debug, Error)]
pub enum DbError {
    #[error("the database URL is not usable: {0}")]
    BadUrl(String),
    #[error("could not connect to the database: {0}")]
    Connect(#[from] diesel::ConnectionError),
    #[error("could not get a database connection from the pool: {0}")]
    Pool(#[from] diesel::r2d2::PoolError),
    #[error("database query failed: {0}")]
    Query(diesel::result::Error),
    #[error("a row with the same value already exists ({constraint})")]
    UniqueViolation { constraint: String },
    #[error("database migration failed: {0}")]
    Migration(String),
    #[error("stored data breaks a rule: {0}")]
    Corrupt(String),
}

impl DbError {
    /// The database is down or unreachable: nothing the client did, nothing wrong with
    /// the data; worth retrying.
    pub fn is_unavailable(&self) -> bool {
        use diesel::result::{DatabaseErrorKind, Error};
        match self {
            DbError::Pool(_) | DbError::Connect(_) => true,
            DbError::Query(Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _)) => true,
            // libpq reports a connection lost between statements (the server stopped, a
            // failover) as an unknown error with these words, not as a closed connection.
            DbError::Query(Error::DatabaseError(_, info)) => lost_connection(info.message()),
            _ => false,
        }
    }
}

/// libpq's and PostgreSQL's words for a server that is gone, stopping or not yet started.
fn lost_connection(message: &str) -> bool {
    const WORDS: &[&str] = &[
        "no connection to the server",
        "server closed the connection unexpectedly",
        "terminating connection due to administrator command",
        "the database system is shutting down",
        "the database system is starting up",
        "the database system is in recovery mode",
        "could not receive data from server",
        "could not send data to server",
        "SSL connection has been closed unexpectedly",
        "connection to server was lost",
    ];
    WORDS.iter().any(|w| message.contains(w))
}

impl From<diesel::result::Error> for DbError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, info) => DbError::UniqueViolation {
                constraint: info.constraint_name().map_or_else(|| info.message().to_owned(), str::to_owned),
            },
            other => DbError::Query(other),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::result::{DatabaseErrorKind, Error};

    fn unknown(message: &str) -> DbError {
        DbError::Query(Error::DatabaseError(DatabaseErrorKind::Unknown, Box::new(message.to_owned())))
    }

    #[test]
    fn a_lost_server_is_unavailable_and_a_bad_query_is_not() {
        assert!(unknown("no connection to the server\n").is_unavailable());
        assert!(
            unknown("server closed the connection unexpectedly\n\tThis probably means …").is_unavailable()
        );
        assert!(unknown("FATAL:  the database system is shutting down").is_unavailable());
        assert!(!unknown("column \"x\" does not exist").is_unavailable());
        assert!(!DbError::Query(Error::NotFound).is_unavailable());
    }
}
