#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod claims;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod codec;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod columns;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod conversations;
mod error;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod export;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod filter;
#[cfg(feature = "sqlite")]
mod lane;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod migrate;
#[cfg(feature = "postgres")]
mod postgres;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod sql_db;
#[cfg(feature = "sqlite")]
mod sqlite;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod store;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod write_sql;

pub use error::Error;
#[cfg(feature = "postgres")]
pub use postgres::{PostgresBackend, PostgresStore};
#[cfg(feature = "sqlite")]
pub use sqlite::{BUSY_TIMEOUT, CHECKPOINT_INTERVAL, COMMON_SEARCH, SqliteBackend, SqliteStore};
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use store::SqlStore;
