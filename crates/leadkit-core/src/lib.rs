//! The lead-capture policy and per-conversation state machine of
//! [leadkit](https://github.com/leadkit/leadkit).
//!
//! A chatbot that captures leads has to decide, on every visitor message,
//! whether to just answer, to answer and ask for contact details, to hold
//! the answer until details are given, or to ask for a correction because
//! the email typed was incomplete. This crate makes that decision. It is
//! *sans-IO*: no network, no database, no clock, no randomness, no async.
//! Time and ids come in as inputs; decisions come out as values. The same
//! inputs always give the same outputs, which makes it easy to test, to
//! replay, and to run on any runtime.
//!
//! Other leadkit crates do the I/O around it: `leadkit-contact` validates
//! what the visitor typed, `leadkit-llm` turns a message into [`Signals`],
//! `leadkit-store` keeps leads and transcripts, and `leadkit` wires them
//! into a per-turn engine.
//!
//! # Policies and modes
//!
//! Each bot has a [`Policy`]: a switch ([`Policy::enabled`]), a [`Mode`],
//! the [`FieldRequirements`] (name / email / phone each required, one of a
//! group, optional or not asked), whether [consent](ConsentPolicy) must be
//! recorded before a lead counts, and for the voluntary modes a maximum
//! number of requests and a cool-down after a decline or an ignored request.
//!
//! | mode | the visitor can chat without details | when the bot asks |
//! |---|---|---|
//! | [`Mode::AfterFirstQuery`] | yes | with the answer to the first query (then, if asks remain, after a cool-down) |
//! | [`Mode::OnInterest`] | yes | on a turn whose interest reaches the threshold |
//! | [`Mode::EveryReply`] | yes | on every reply until the details are in |
//! | [`Mode::BeforeChat`] | no | every query is held until the required details are valid |
//!
//! Presets: [`Policy::after_first_query`] (also the [`Default`]),
//! [`Policy::on_interest`], [`Policy::every_reply`],
//! [`Policy::before_chat`] and [`Policy::disabled`].
//!
//! # The state machine
//!
//! A [`Conversation`] holds what one conversation has seen: turns, requests
//! made, the details given so far, consent, whether the visitor is known.
//! Feed it inputs in the order they happened and act on what it returns:
//!
//! ```
//! use chrono::{DateTime, Duration, Utc};
//! use leadkit_core::{
//!     Action, ContactDetails, Conversation, Event, Field, Policy, Signals, UserTurn,
//! };
//!
//! let policy = Policy::after_first_query(); // ask for name and email
//! let mut conversation = Conversation::new();
//! let t0 = DateTime::<Utc>::UNIX_EPOCH; // time is an input; the core never reads a clock
//!
//! // Turn 1: a question. The analyzer found nothing of note.
//! let outcome = conversation.handle_user_turn(&policy, UserTurn::new(t0, Signals::none()))?;
//! let Action::AnswerAndAsk(request) = outcome.action else { panic!("expected a request") };
//! assert!(request.fields.required.contains(Field::Email));
//! // ... answer the question, append the request, then record the reply:
//! conversation.handle_assistant_reply(t0 + Duration::seconds(1))?;
//!
//! // Turn 2: the visitor shares an email (validated by the analyzer).
//! let signals = Signals::none().with_details(ContactDetails::new().with_email("ana@example.com"));
//! let outcome = conversation.handle_user_turn(&policy, UserTurn::new(t0 + Duration::seconds(30), signals))?;
//! // A way to reach the visitor is enough to create the lead ...
//! assert!(matches!(outcome.events.as_slice(), [Event::LeadCaptured(lead)] if !lead.complete));
//! // ... and only the missing name is asked for, never the email again.
//! assert_eq!(outcome.action.fields().iter().collect::<Vec<_>>(), [Field::Name]);
//!
//! // The state is small serde data: save it between turns.
//! let saved = conversation.to_json();
//! let restored = Conversation::from_json(&saved)?;
//! assert_eq!(restored, conversation);
//! # Ok::<(), leadkit_core::Error>(())
//! ```
//!
//! The rules it keeps, checked by property tests over random policies and
//! inputs:
//!
//! 1. A disabled policy never asks and never creates a lead.
//! 2. A known visitor ([`Conversation::handle_known_visitor`]) is never
//!    asked and never gated; the conversation is linked to their lead.
//! 3. Details volunteered at any time in any enabled mode are captured;
//!    partial details are kept and only the missing fields are asked for.
//! 4. The voluntary modes never hold a query; they respect the maximum
//!    number of requests and the cool-down; a visitor who declined can still
//!    give details later.
//! 5. [`Mode::BeforeChat`] answers no query before the required details
//!    (and consent, if required) are in.
//! 6. A field once captured is never asked for again.
//! 7. The state is versioned serde data ([`STATE_VERSION`]), a few hundred
//!    bytes of JSON, and a conversation restored mid-way behaves exactly as
//!    one that never left memory.
//! 8. The same inputs give the same outputs.
//!
//! A lead is created ([`Event::LeadCaptured`]) as soon as the visitor has
//! given a way to reach them (an email or a phone) or every required field,
//! and consent when the policy requires it; later details update it
//! ([`Event::LeadUpdated`]). Personal values are wrapped in [`Pii`], which
//! never shows them in `Debug` output.
//!
//! # Errors
//!
//! Bad input is an [`Error`], never a panic: inputs out of time order, an
//! inconsistent policy, a saved state of an unknown version or a corrupt one.
//! A failed input leaves the state unchanged.
//!
//! # Crate features
//!
//! - `json` (default): [`Conversation::to_json`] and
//!   [`Conversation::from_json`], which report unknown versions and corrupt
//!   blobs as typed errors. Without it the state is still `Serialize` /
//!   `Deserialize` for any serde format.
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
