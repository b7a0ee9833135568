//! The crate's one error type (opening a database and running migrations;
//! the store traits report `leadkit_store::Error`).

/// What can go wrong when opening a store.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The database could not be opened or reached (a bad path or URL, a
    /// server that is down, wrong credentials). Check the location and
    /// that the server runs.
    #[error("could not open the database; check the path or URL and that the server runs")]
    Connect(#[source] sqlx::Error),

    /// The embedded migrations could not be applied (the database was
    /// migrated by a newer leadkit, or was changed by hand).
    #[error("could not apply the leadkit schema migrations")]
    Migrate(#[source] sqlx::migrate::MigrateError),

    /// A setting is out of range (for example a pool of zero connections).
    #[error("invalid setting: {reason}")]
    InvalidSetting {
        /// What is wrong.
        reason: &'static str,
    },
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) fn backend(error: sqlx::Error) -> leadkit_store::Error {
    leadkit_store::Error::backend(error)
}

#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub(crate) fn corrupt(
    what: &'static str,
    error: impl std::error::Error + Send + Sync + 'static,
) -> leadkit_store::Error {
    leadkit_store::Error::corrupt(what, error)
}
