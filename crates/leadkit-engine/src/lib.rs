//! The per-turn lead-capture engine behind [leadkit], and the messages a bot
//! shows when it asks a visitor for contact details.
//!
//! Most users depend on [leadkit] instead, which re-exports this crate
//! unchanged (`leadkit::engine`, `leadkit::messages`, `leadkit::Error`)
//! together with the core, the analyzers, the stores and the HTTP layer.
//! Depend on `leadkit-engine` directly to build on the engine without the
//! facade's features, as `leadkit-axum` does.
//!
//! The engine wires together three crates whose types appear in its API:
//! the sans-IO core ([`leadkit_core`]: ids, policies, actions), an analyzer
//! ([`leadkit_llm`]) and a store ([`leadkit_store`]). Name those types
//! through their own crates.
//!
//! # The messages
//!
//! [`messages`] holds what a bot shows when it asks a visitor for contact
//! details, holds a query until details are given, or asks for a
//! correction, in English, Spanish, German, French and Portuguese; every
//! sentence can be reworded.
//!
//! ```
//! use chrono::DateTime;
//! use leadkit_core::{Conversation, Policy, Signals, UserTurn};
//! use leadkit_engine::messages::{Locale, MessageCatalog};
//!
//! let policy = Policy::before_chat();
//! let mut conversation = Conversation::new();
//! let outcome = conversation.handle_user_turn(&policy, UserTurn::new(DateTime::UNIX_EPOCH, Signals::none()))?;
//! let reply = MessageCatalog::builtin(Locale::Spanish).render(&outcome.action, &policy.consent.text);
//! assert_eq!(
//!     reply.as_deref(),
//!     Some("Antes de responder, por favor comparte tu correo electrónico o tu número de teléfono (y tu nombre, si quieres)."),
//! );
//! # Ok::<(), leadkit_engine::Error>(())
//! ```
//!
//! # The engine
//!
//! [`engine::Engine`] wires the core, an analyzer and a store together.
//! Call it on every visitor message; it analyzes the message, decides,
//! renders the request in the visitor's language and stores the turn's
//! state, the message and any lead in one transaction.
//!
//! ```
//! use std::sync::Arc;
//! use leadkit_core::{ActionKind, BotId, ConversationId, Field, WorkspaceId};
//! use leadkit_engine::engine::{Engine, Visit};
//! use leadkit_store::MemoryStore;
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
//! assert_eq!(lead.details.get(Field::Email), Some("ana@example.com"));
//! # Ok::<(), leadkit_engine::Error>(())
//! # }).unwrap();
//! ```
//!
//! # Several servers, one store
//!
//! A conversation's state is saved with a version, and each turn's write
//! is a compare-and-swap on it: when two servers handle messages of one
//! conversation at once, the second write conflicts and that turn is
//! decided again on the state the first one wrote. The engine keeps the
//! states of the conversations it handled last (see
//! [`EngineBuilder::cached_states`](engine::EngineBuilder::cached_states)),
//! so a turn normally writes without reading first; a stale cached state
//! costs one conflict and one read, never a lost update.
//!
//! [leadkit]: https://docs.rs/leadkit
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod engine;
mod error;
pub mod messages;

pub use error::Error;
