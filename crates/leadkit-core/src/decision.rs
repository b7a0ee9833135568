//! What goes into the state machine on a user turn, and what comes out.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{
    Consent, ContactDetails, Field, FieldRequest, FieldSet, InvalidReason, LeadId, Signals,
};

/// One user message, as the state machine sees it: when it arrived and what
/// the analyzer found in it. The text itself never enters the core.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct UserTurn {
    /// When the message arrived.
    pub at: DateTime<Utc>,
    /// What the analyzer found.
    pub signals: Signals,
}

impl UserTurn {
    /// A user turn.
    pub fn new(at: DateTime<Utc>, signals: Signals) -> Self {
        Self { at, signals }
    }
}

/// A visitor the integrator already knows (signed in, or identified by a
/// verified id). Known visitors are never asked and never gated.
#[derive(Debug, Clone, Default, PartialEq)]
#[non_exhaustive]
pub struct KnownVisitor {
    /// The visitor's lead, when they have one.
    pub lead: Option<LeadId>,
    /// What is known about them.
    pub details: ContactDetails,
}

impl KnownVisitor {
    /// A known visitor.
    pub fn new(lead: Option<LeadId>, details: ContactDetails) -> Self {
        Self { lead, details }
    }
}

/// Why a request is made; templates can word each differently.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AskReason {
    /// [`Mode::AfterFirstQuery`](crate::Mode::AfterFirstQuery): with the answer to the first query
    /// (the first turn that is not small talk).
    FirstQuery,
    /// A later request in [`Mode::AfterFirstQuery`](crate::Mode::AfterFirstQuery), after a cool-down.
    Reminder,
    /// The turn showed buying interest.
    Interest,
    /// [`Mode::EveryReply`](crate::Mode::EveryReply).
    EveryReply,
    /// The visitor gave some details; the rest are still needed.
    MissingFields,
    /// The details are in; only consent is missing.
    Consent,
    /// [`Mode::BeforeChat`](crate::Mode::BeforeChat): the query is held until details are given.
    Gate,
}

/// A request for contact details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Request {
    /// Which fields to ask for.
    pub fields: FieldRequest,
    /// Whether to show the consent notice and ask for agreement.
    pub consent: bool,
    /// Which request this is in the conversation, from 1: the ask count in
    /// the voluntary modes, the gate count in
    /// [`Mode::BeforeChat`](crate::Mode::BeforeChat). A voluntary-mode
    /// correction repeats the latest ask's number (0 before any ask).
    pub attempt: u32,
    /// Why it is made.
    pub reason: AskReason,
}

/// A request to correct a value that failed validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Correction {
    /// The field whose value was not accepted.
    pub field: Field,
    /// Why ("that email looks incomplete").
    pub reason: InvalidReason,
    /// Everything still needed, the corrected field included.
    pub request: Request,
}

/// What to do with a user turn.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Action {
    /// Answer normally.
    Answer,
    /// Answer, and append the request to the answer.
    AnswerAndAsk(Request),
    /// Do not answer the query; reply with the request instead.
    Gate(Request),
    /// Ask the visitor to correct a value. `answer` says whether the query
    /// is answered as well (the voluntary modes) or held (the gate).
    Correct {
        /// What to correct.
        correction: Correction,
        /// Whether the query is answered too.
        answer: bool,
    },
}

/// The four kinds of [`Action`], for logs, metrics and wire formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ActionKind {
    /// [`Action::Answer`].
    Answer,
    /// [`Action::AnswerAndAsk`].
    Ask,
    /// [`Action::Gate`].
    Gate,
    /// [`Action::Correct`].
    Correct,
}

impl ActionKind {
    /// `"answer"`, `"ask"`, `"gate"` or `"correct"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ActionKind::Answer => "answer",
            ActionKind::Ask => "ask",
            ActionKind::Gate => "gate",
            ActionKind::Correct => "correct",
        }
    }
}

impl fmt::Display for ActionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Action {
    /// The action's kind.
    pub const fn kind(&self) -> ActionKind {
        match self {
            Action::Answer => ActionKind::Answer,
            Action::AnswerAndAsk(_) => ActionKind::Ask,
            Action::Gate(_) => ActionKind::Gate,
            Action::Correct { .. } => ActionKind::Correct,
        }
    }

    /// Whether the visitor's query should be answered.
    pub const fn answers_query(&self) -> bool {
        match self {
            Action::Answer | Action::AnswerAndAsk(_) => true,
            Action::Gate(_) => false,
            Action::Correct { answer, .. } => *answer,
        }
    }

    /// The request carried, if any (a correction carries one too).
    pub const fn request(&self) -> Option<&Request> {
        match self {
            Action::Answer => None,
            Action::AnswerAndAsk(request) | Action::Gate(request) => Some(request),
            Action::Correct { correction, .. } => Some(&correction.request),
        }
    }

    /// The fields mentioned to the visitor (empty for a plain answer).
    pub fn fields(&self) -> FieldSet {
        self.request().map_or(FieldSet::EMPTY, |r| r.fields.all())
    }
}

/// A lead as the conversation knows it, carried by lead events.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LeadCapture {
    /// Every detail captured in this conversation so far.
    pub details: ContactDetails,
    /// Standard fields that are new or changed on this turn.
    pub changed: FieldSet,
    /// Whether a custom field is new or changed on this turn.
    pub custom_changed: bool,
    /// The consent recorded on this turn, if any. Earlier consent was
    /// carried by an earlier event.
    pub consent: Option<Consent>,
    /// Whether the policy's required fields are all present.
    pub complete: bool,
    /// The lead this conversation is linked to, for a known visitor.
    pub known_lead: Option<LeadId>,
}

/// Something that happened on a turn that the integrator should record.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Event {
    /// The visitor became a lead: they gave a way to reach them (or every
    /// required field) and, when the policy requires it, consent. Create the
    /// lead.
    LeadCaptured(LeadCapture),
    /// An existing lead (or a known visitor) gave new or changed details or
    /// consent. Update the lead.
    LeadUpdated(LeadCapture),
    /// The visitor explicitly declined to share details.
    Declined,
    /// [`Mode::BeforeChat`](crate::Mode::BeforeChat): the details are in and
    /// the gate opens. The query held since `first_gated_turn` can now be
    /// answered.
    GateLifted {
        /// The first user turn that was held.
        first_gated_turn: u32,
    },
}

/// The state machine's answer to a user turn.
#[derive(Debug, Clone, PartialEq)]
#[must_use = "the outcome says how to reply and which leads to record"]
#[non_exhaustive]
pub struct TurnOutcome {
    /// The turn's number in the conversation, from 1.
    pub turn: u32,
    /// What to do with the turn.
    pub action: Action,
    /// What to record. Empty on most turns (and then not allocated).
    pub events: Vec<Event>,
}

impl TurnOutcome {
    /// The lead event of this turn, if any.
    pub fn lead(&self) -> Option<&LeadCapture> {
        self.events.iter().find_map(|event| match event {
            Event::LeadCaptured(lead) | Event::LeadUpdated(lead) => Some(lead),
            _ => None,
        })
    }
}
