#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

/// The HTTP layer: chat endpoint, admin API and leads dashboard ([`leadkit_axum`]).
#[cfg(feature = "axum")]
pub use leadkit_axum as axum;
/// Contact validation and extraction ([`leadkit_contact`]).
pub use leadkit_contact as contact;
/// The lead-capture policy and state machine ([`leadkit_core`]).
pub use leadkit_core as core;
pub use leadkit_engine::{Engine, Error, Visit, engine, messages};
/// Turn analyzers and chat models ([`leadkit_llm`]).
pub use leadkit_llm as llm;
/// SQLite and PostgreSQL stores ([`leadkit_sql`]).
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use leadkit_sql as sql;
/// Storage traits, the in-memory store and CSV export ([`leadkit_store`]).
pub use leadkit_store as store;
