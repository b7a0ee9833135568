//! Lead capture for chatbots and AI agents.
//!
//! `leadkit` is the crate an integrator depends on. It re-exports the other
//! leadkit crates ([`core`], [`contact`], [`llm`], [`store`], [`sql`],
//! [`axum`]), the [`messages`] a bot shows when it asks a visitor for
//! contact details, holds a query until details are given, or asks for a
//! correction (English, Spanish, German, French and Portuguese), and the
//! per-turn [`engine`]. The engine and the messages live in
//! [`leadkit_engine`]; the paths here are the ones to use.
//!
//! ```
//! use chrono::DateTime;
//! use leadkit::core::{Conversation, Policy, Signals, UserTurn};
//! use leadkit::messages::{Locale, MessageCatalog};
//!
//! let policy = Policy::before_chat();
//! let mut conversation = Conversation::new();
//! let outcome = conversation.handle_user_turn(&policy, UserTurn::new(DateTime::UNIX_EPOCH, Signals::none()))?;
//! let reply = MessageCatalog::builtin(Locale::Spanish).render(&outcome.action, &policy.consent.text);
//! assert_eq!(
//!     reply.as_deref(),
//!     Some("Antes de responder, por favor comparte tu correo electrónico o tu número de teléfono (y tu nombre, si quieres)."),
//! );
//! # Ok::<(), leadkit::Error>(())
//! ```
//!
//! # The engine
//!
//! [`engine::Engine`] wires the core, an analyzer ([`llm`]) and a store
//! ([`store`]) together. Call it on every visitor message; it analyzes the
//! message, decides, renders the request in the visitor's language and
//! stores the turn's state, the message and any lead in one transaction.
//!
//! ```
//! use std::sync::Arc;
//! use leadkit::engine::{Engine, Visit};
//! use leadkit::core::{ActionKind, BotId, ConversationId, WorkspaceId};
//! use leadkit::store::MemoryStore;
//!
//! # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
//! let engine = Engine::builder().store(Arc::new(MemoryStore::new())).build()?;
//! let visit = Visit::new(WorkspaceId::from_u128(1), BotId::from_u128(2), ConversationId::from_u128(3));
//!
//! // The default policy answers the first query and asks for name and email.
//! let reply = engine.user_message(&visit, "What are your opening hours?").await?;
//! assert_eq!(reply.kind(), ActionKind::Ask);
//! engine.assistant_message(&visit, "We're open 9 to 5. By the way, ...").await?;
//!
//! let reply = engine.user_message(&visit, "Sure, I'm Ana Souza, ana@example.com").await?;
//! let lead = reply.lead.expect("a lead was captured");
//! assert_eq!(lead.details.get(leadkit::core::Field::Email), Some("ana@example.com"));
//! # Ok::<(), leadkit::Error>(())
//! # }).unwrap();
//! ```
//!
//! # Crate features
//!
//! - `sqlite` (default): the embedded SQLite store, as [`sql`].
//! - `postgres`: the PostgreSQL store, as [`sql`].
//! - `openai`: the OpenAI-compatible chat-model client in [`llm`].
//! - `axum`: the HTTP layer (chat endpoint, admin API and leads dashboard),
//!   as [`axum`].
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
pub use leadkit_engine::{Error, engine, messages};
/// Turn analyzers and chat models ([`leadkit_llm`]).
pub use leadkit_llm as llm;
/// SQLite and PostgreSQL stores ([`leadkit_sql`]).
#[cfg(any(feature = "sqlite", feature = "postgres"))]
pub use leadkit_sql as sql;
/// Storage traits, the in-memory store and CSV export ([`leadkit_store`]).
pub use leadkit_store as store;
