#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

mod admin;
mod chat;
mod client;
mod config;
mod conversation_token;
mod error;
mod headers;
mod html;
pub mod limits;
mod params;
mod responder;
pub mod session;
mod token;

pub use client::ClientAddress;
pub use config::{DEFAULT_MAX_MESSAGE_BYTES, Leadkit, router};
pub use error::Error;
pub use headers::{CONTENT_SECURITY_POLICY, security_headers};
#[cfg(feature = "mock")]
pub use responder::MockResponder;
pub use responder::Responder;
pub use session::{MemoryRevocations, SessionRevocations};
pub use token::AdminToken;

/// The axum version this crate's router is built with.
pub use axum;
// The leadkit crates this one is built on, so that a user of `leadkit-axum`
// alone can name the types its API takes. Most users go through the
// `leadkit` facade instead (feature `axum`), which re-exports these and this
// crate as `leadkit::axum`.
/// Ids, policies and domain types ([`leadkit_core`]).
pub use leadkit_core;
/// The per-turn engine and its messages ([`leadkit_engine`]).
pub use leadkit_engine;
/// Storage traits and the in-memory store ([`leadkit_store`]).
pub use leadkit_store;
