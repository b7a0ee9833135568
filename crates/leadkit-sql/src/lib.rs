//! SQLite and PostgreSQL backends for the
//! [leadkit-store](leadkit_store) traits, on [sqlx](https://docs.rs/sqlx).
//!
//! [`SqliteStore`] is the embedded default: one file (or memory), no
//! server, bundled SQLite. [`PostgresStore`] is for scale and for several
//! servers sharing one database. Both implement every trait of
//! `leadkit-store` ([`Store`](leadkit_store::Store) included), behave the
//! same (the same conformance suite runs against both), and share their
//! code and SQL: both are a [`SqlStore`], written once as generic code
//! over a small private backend trait that holds only what differs (the
//! database type, how a write transaction begins, the row-lock syntax,
//! which errors are retried, and SQLite's fast paths). Queries are checked
//! at run time (no `DATABASE_URL` when building) and every value is bound,
//! never spliced into SQL.
//!
//! ```
//! use chrono::{DateTime, Utc};
//! use leadkit_core::{BotId, ContactDetails, LeadId, WorkspaceId};
//! use leadkit_sql::SqliteStore;
//! use leadkit_store::{LeadQuery, LeadStore, LeadUpsert};
//!
//! # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
//! let store = SqliteStore::open_in_memory().await?;
//! let ws = WorkspaceId::from_u128(1);
//! let details = ContactDetails::new().with_name("Zoë Ångström").with_email("zoe@example.com");
//! let upsert = LeadUpsert::new(LeadId::from_u128(2), BotId::from_u128(3), details, DateTime::<Utc>::UNIX_EPOCH);
//! store.upsert_lead(ws, &upsert).await?;
//! let page = store.query_leads(ws, &LeadQuery::new().search("ANGSTROM")).await?;
//! assert_eq!(page.leads.len(), 1);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! # }).unwrap();
//! ```
//!
//! # Schema
//!
//! Migrations are embedded (`migrations/sqlite`, `migrations/postgres`)
//! and applied when a store opens. Leads carry a folded search column and
//! one folded sort column per sortable text field; every sort column has an
//! index `(workspace_id, column, id)` so a keyset page is an index range
//! scan; PostgreSQL adds a `pg_trgm` GIN index for substring search.
//! De-duplication keys live in `lead_keys` with a primary key
//! `(workspace_id, kind, key)`: the database, not a read-then-write race,
//! decides that one visitor makes one lead.
//!
//! # Crate features
//!
//! - `sqlite` (default): [`SqliteStore`], with SQLite compiled in.
//! - `postgres`: [`PostgresStore`].
#![forbid(unsafe_code)]
#![deny(missing_docs)]

#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod codec;
#[cfg(any(feature = "sqlite", feature = "postgres"))]
mod columns;
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
