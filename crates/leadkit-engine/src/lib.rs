#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

pub mod engine;
mod error;

pub use engine::{Engine, EngineBuilder, TurnReply, Visit};
pub use error::{BoxError, Error};
/// The localised ask, gate and correction messages ([`leadkit_messages`]).
pub use leadkit_messages as messages;
