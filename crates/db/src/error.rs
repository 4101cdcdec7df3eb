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
        matches!(
            self,
            DbError::Pool(_)
                | DbError::Connect(_)
                | DbError::Query(Error::DatabaseError(DatabaseErrorKind::ClosedConnection, _))
        )
    }
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
