//! Lead capture for chatbots and AI agents.
//!
//! `leadkit` is the crate an integrator depends on. It re-exports the
//! lead-capture core as [`core`] and ships the [`messages`] a bot shows
//! when it asks a visitor for contact details, holds a query until details
//! are given, or asks for a correction, in English, Spanish, German, French
//! and Portuguese.
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
//! The per-turn engine (analyzer, store and core wired together), the
//! re-exports of the storage and analyzer crates behind features, and the
//! axum routes are being built (see the workspace README).
//!
//! # Crate features
//!
//! None yet.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

mod error;
pub mod messages;

pub use error::Error;
/// The lead-capture policy and state machine ([`leadkit_core`]).
pub use leadkit_core as core;
