#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

mod consent;
mod contact;
mod conversation;
mod decision;
mod error;
mod fields;
mod ids;
mod pii;
mod policy;
mod signals;
mod status;
mod text;

pub use consent::Consent;
pub use contact::{ContactDetails, Field, FieldSet};
pub use conversation::{Conversation, STATE_VERSION};
pub use decision::{
    Action, ActionKind, AskReason, Correction, Event, KnownVisitor, LeadCapture, Request,
    TurnOutcome, UserTurn,
};
pub use error::Error;
pub use fields::{FieldRequest, FieldRequirements, FieldRule};
pub use ids::{BotId, ConversationId, LeadId, VisitorId, WorkspaceId};
pub use pii::Pii;
pub use policy::{ConsentPolicy, Mode, OnDecline, Policy};
pub use signals::{Interest, InvalidAttempt, InvalidReason, Signals};
pub use status::LeadStatus;
pub use text::fold;
