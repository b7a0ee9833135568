//! The per-conversation state machine.

mod state;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

pub use state::STATE_VERSION;

use crate::{
    Action, AskReason, Consent, ContactDetails, Correction, Error, Event, FieldRequest, FieldSet,
    KnownVisitor, LeadCapture, LeadId, Mode, OnDecline, Policy, Request, Signals, TurnOutcome,
    UserTurn,
};

/// The consent a visitor gave, as the conversation remembers it. The notice
/// text is not kept here (it lives in the policy and in the lead event) so
/// that the state stays small.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ConsentMark {
    pub(crate) version: String,
    pub(crate) at: DateTime<Utc>,
}

/// The lead-capture state of one conversation.
///
/// Feed it every input in the order it happened, passing the bot's current
/// [`Policy`] each time (policies are per bot and may change between turns;
/// the state holds none of it):
///
/// 1. [`handle_known_visitor`](Self::handle_known_visitor) whenever the
///    integrator learns who the visitor is (before the first turn, or later);
/// 2. [`handle_user_turn`](Self::handle_user_turn) for each user message,
///    with the analyzer's [`Signals`]; it returns what to do and the lead
///    events to record;
/// 3. [`handle_assistant_reply`](Self::handle_assistant_reply) for each reply
///    sent.
///
/// An input that fails leaves the state exactly as it was. The state is
/// serde data (see [`STATE_VERSION`]); a conversation saved and restored
/// between any two inputs behaves exactly as one kept in memory.
///
/// `Debug` output redacts every contact detail.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "state::StateRepr", into = "state::StateRepr")]
pub struct Conversation {
    /// User turns handled.
    user_turns: u32,
    /// Requests made in the voluntary modes.
    asks: u32,
    /// Turns held by the gate.
    gates: u32,
    /// The turn of the latest request or correction (0: none yet).
    last_request_turn: u32,
    /// No voluntary request on turns up to and including this one.
    quiet_until: u32,
    /// The visitor declined and has not given details since.
    declined: bool,
    /// The first turn held by the gate (0: none).
    first_gated_turn: u32,
    /// The gate has been lifted.
    gate_lifted: bool,
    /// The visitor is known to the integrator.
    known: bool,
    /// The known visitor's lead.
    known_lead: Option<LeadId>,
    /// A lead event has been emitted (or the visitor is known).
    lead_counted: bool,
    /// Details captured (and, for a known visitor, known).
    details: ContactDetails,
    /// Consent recorded.
    consent: Option<ConsentMark>,
    /// Time of the latest input, to reject inputs out of order.
    last_input_at: Option<DateTime<Utc>>,
}

/// What a turn decided about requests before the mode is applied.
struct Outstanding {
    request: FieldRequest,
    needs_consent: bool,
}

impl Outstanding {
    fn is_done(&self) -> bool {
        self.request.is_satisfied() && !self.needs_consent
    }
}

impl Conversation {
    /// A new conversation: no turns, nothing captured.
    pub fn new() -> Self {
        Self::default()
    }

    // ----- getters ---------------------------------------------------------

    /// User turns handled so far.
    pub fn user_turns(&self) -> u32 {
        self.user_turns
    }

    /// Whether the latest user turn ended with the bot asking for details
    /// or consent (a request, a correction or a closed gate), so that the
    /// visitor's next message answers it: a "yes" there is consent and a
    /// "no" a decline. An analyzer takes it as
    /// `leadkit_llm::TurnInput::with_request_pending`.
    pub fn request_pending(&self) -> bool {
        self.user_turns != 0
            && (self.last_request_turn == self.user_turns || (self.gates > 0 && !self.gate_lifted))
    }

    /// Requests made so far in the voluntary modes.
    pub fn asks(&self) -> u32 {
        self.asks
    }

    /// Turns held by the gate so far.
    pub fn gated_turns(&self) -> u32 {
        self.gates
    }

    /// The details captured so far (for a known visitor, merged with what
    /// was known).
    pub fn details(&self) -> &ContactDetails {
        &self.details
    }

    /// Whether the visitor is known to the integrator.
    pub fn is_known(&self) -> bool {
        self.known
    }

    /// The known visitor's lead, if given.
    pub fn known_lead(&self) -> Option<LeadId> {
        self.known_lead
    }

    /// Whether this conversation has produced a lead (or belongs to a known
    /// visitor).
    pub fn has_lead(&self) -> bool {
        self.lead_counted
    }

    /// Whether consent has been recorded.
    pub fn has_consent(&self) -> bool {
        self.consent.is_some()
    }

    /// The time of the latest input handled. A driver whose clock can step
    /// back (or several servers sharing a conversation) can feed
    /// `max(now, last_input_at)` to stay in order.
    pub fn last_input_at(&self) -> Option<DateTime<Utc>> {
        self.last_input_at
    }

    /// Whether the visitor declined and has not given details since.
    pub fn has_declined(&self) -> bool {
        self.declined
    }

    /// What `policy` would still ask this visitor for (empty for a known
    /// visitor or a disabled policy).
    pub fn outstanding(&self, policy: &Policy) -> FieldRequest {
        if !policy.enabled || self.known {
            return FieldRequest::default();
        }
        self.outstanding_for(policy).request
    }

    // ----- inputs ----------------------------------------------------------

    /// The integrator knows this visitor: never ask them, never gate them,
    /// and link the conversation to their lead.
    ///
    /// `known.details` are merged into [`details`](Self::details); details
    /// the visitor volunteers afterwards are reported as
    /// [`Event::LeadUpdated`].
    pub fn handle_known_visitor(
        &mut self,
        at: DateTime<Utc>,
        known: KnownVisitor,
    ) -> Result<(), Error> {
        self.check_time(at)?;
        self.last_input_at = Some(at);
        self.known = true;
        self.lead_counted = true;
        if known.lead.is_some() {
            self.known_lead = known.lead;
        }
        let _ = self.details.merge_from(known.details);
        Ok(())
    }

    /// An assistant reply was sent (a greeting before the first user turn
    /// is fine too). Only its time matters to the state machine.
    pub fn handle_assistant_reply(&mut self, at: DateTime<Utc>) -> Result<(), Error> {
        self.check_time(at)?;
        self.last_input_at = Some(at);
        Ok(())
    }

    /// A user message: capture what it gave, and decide how to reply.
    ///
    /// Errors (an invalid policy, a time earlier than the previous input)
    /// leave the state unchanged.
    pub fn handle_user_turn(
        &mut self,
        policy: &Policy,
        turn: UserTurn,
    ) -> Result<TurnOutcome, Error> {
        policy.validate()?;
        self.check_time(turn.at)?;
        self.last_input_at = Some(turn.at);
        self.user_turns = self.user_turns.saturating_add(1);
        let number = self.user_turns;

        if !policy.enabled {
            // The switch is off: nothing is kept, nothing asked.
            return Ok(TurnOutcome {
                turn: number,
                action: Action::Answer,
                events: Vec::new(),
            });
        }

        let UserTurn { at, signals } = turn;
        let Signals {
            interest,
            declined,
            consent,
            small_talk,
            details,
            invalid,
        } = signals;
        let mut events = Vec::new();

        // Capture everything volunteered, fields the policy does not ask
        // for included: a visitor who offers a phone number wants a call.
        let gave_details = !details.is_empty();
        let (changed, custom_changed) = self.details.merge_from(details);
        let new_consent = if consent && self.consent_is_outdated(policy) {
            self.consent = Some(ConsentMark {
                version: policy.consent.version.clone(),
                at,
            });
            Some(Consent::new(
                true,
                policy.consent.text.clone(),
                policy.consent.version.clone(),
                at,
            ))
        } else {
            None
        };
        if let Some(event) = self.lead_event(policy, changed, custom_changed, new_consent) {
            events.push(event);
        }

        // A visitor who answers a request in any way is cooperating; one who
        // says nothing about it has ignored it.
        let responded = gave_details || consent || !invalid.is_empty();
        if gave_details {
            self.declined = false;
            self.quiet_until = 0;
        }
        if declined && !gave_details {
            self.declined = true;
            events.push(Event::Declined);
            if policy.on_decline == OnDecline::Cooldown {
                self.quiet_until = number.saturating_add(policy.cooldown_turns);
            }
        } else if !responded
            && self.last_request_turn != 0
            && self.last_request_turn == number - 1
            && policy.mode != Mode::EveryReply
        {
            self.quiet_until = number.saturating_add(policy.cooldown_turns);
        }

        if self.known {
            return Ok(TurnOutcome {
                turn: number,
                action: Action::Answer,
                events,
            });
        }

        let outstanding = self.outstanding_for(policy);
        let correction = invalid
            .iter()
            .find(|attempt| {
                !outstanding.is_done() && outstanding.request.all().contains(attempt.field)
            })
            .copied();

        let action = if policy.mode == Mode::BeforeChat {
            if outstanding.is_done() {
                if self.gates > 0 && !self.gate_lifted {
                    self.gate_lifted = true;
                    events.push(Event::GateLifted {
                        first_gated_turn: self.first_gated_turn,
                    });
                }
                Action::Answer
            } else {
                self.gates = self.gates.saturating_add(1);
                // A gate that closes again (the policy now needs more) holds
                // a new query.
                if self.first_gated_turn == 0 || self.gate_lifted {
                    self.first_gated_turn = number;
                }
                self.gate_lifted = false;
                let request = self.request(&outstanding, self.gates, AskReason::Gate);
                match correction {
                    Some(attempt) => Action::Correct {
                        correction: Correction {
                            field: attempt.field,
                            reason: attempt.reason,
                            request,
                        },
                        answer: false,
                    },
                    None => Action::Gate(request),
                }
            }
        } else if outstanding.is_done() {
            Action::Answer
        } else if let Some(attempt) = correction {
            // A correction helps a visitor who is trying to share; it does
            // not use up an ask.
            self.last_request_turn = number;
            let request = self.request(&outstanding, self.asks, AskReason::MissingFields);
            Action::Correct {
                correction: Correction {
                    field: attempt.field,
                    reason: attempt.reason,
                    request,
                },
                answer: true,
            }
        } else if let Some(reason) = self.ask_reason(
            policy,
            number,
            interest.get(),
            small_talk,
            gave_details,
            &outstanding,
        ) {
            self.asks = self.asks.saturating_add(1);
            self.last_request_turn = number;
            Action::AnswerAndAsk(self.request(&outstanding, self.asks, reason))
        } else {
            Action::Answer
        };

        Ok(TurnOutcome {
            turn: number,
            action,
            events,
        })
    }

    // ----- internals -------------------------------------------------------

    fn check_time(&self, at: DateTime<Utc>) -> Result<(), Error> {
        match self.last_input_at {
            Some(previous) if at < previous => Err(Error::OutOfOrder { at, previous }),
            _ => Ok(()),
        }
    }

    fn consent_is_outdated(&self, policy: &Policy) -> bool {
        self.consent
            .as_ref()
            .is_none_or(|mark| mark.version != policy.consent.version)
    }

    fn outstanding_for(&self, policy: &Policy) -> Outstanding {
        let have = self.details.fields();
        let mut request = policy.fields.outstanding(have);
        if request.is_satisfied() {
            // Optional fields are asked for only alongside needed ones.
            request.optional = FieldSet::EMPTY;
        }
        Outstanding {
            request,
            needs_consent: policy.consent.required && self.consent.is_none(),
        }
    }

    /// The lead event for this turn's capture, if any, marking the lead as
    /// counted when it first qualifies.
    fn lead_event(
        &mut self,
        policy: &Policy,
        changed: FieldSet,
        custom_changed: bool,
        consent: Option<Consent>,
    ) -> Option<Event> {
        let complete = policy.fields.is_satisfied(self.details.fields());
        let capture = |details: &ContactDetails, changed, consent, known_lead| LeadCapture {
            details: details.clone(),
            changed,
            custom_changed,
            consent,
            complete,
            known_lead,
        };
        if self.lead_counted {
            let anything_new = !changed.is_empty() || custom_changed || consent.is_some();
            return anything_new.then(|| {
                Event::LeadUpdated(capture(&self.details, changed, consent, self.known_lead))
            });
        }
        let consent_ok = !policy.consent.required || self.consent.is_some();
        let reachable = self.details.has_channel() || complete;
        if consent_ok && reachable {
            self.lead_counted = true;
            let all = self.details.fields();
            return Some(Event::LeadCaptured(capture(
                &self.details,
                all,
                consent,
                None,
            )));
        }
        None
    }

    /// Why to make a voluntary request on this turn, or `None` not to.
    fn ask_reason(
        &self,
        policy: &Policy,
        turn: u32,
        interest: f32,
        small_talk: bool,
        gave_details: bool,
        outstanding: &Outstanding,
    ) -> Option<AskReason> {
        let stopped = self.declined && policy.on_decline == OnDecline::StopAsking;
        let under_limit = policy.max_asks.is_none_or(|max| self.asks < max);
        if stopped || !under_limit || turn <= self.quiet_until {
            return None;
        }
        if gave_details {
            // The visitor is sharing: ask for whatever is still missing.
            return Some(if outstanding.request.is_satisfied() {
                AskReason::Consent
            } else {
                AskReason::MissingFields
            });
        }
        match policy.mode {
            // The first request comes with the answer to the first real
            // query: a "Hi" or "thanks" before it is not one.
            Mode::AfterFirstQuery if self.asks == 0 => {
                (!small_talk).then_some(AskReason::FirstQuery)
            }
            Mode::AfterFirstQuery => Some(AskReason::Reminder),
            Mode::OnInterest => {
                (interest >= policy.interest_threshold.get()).then_some(AskReason::Interest)
            }
            Mode::EveryReply => Some(AskReason::EveryReply),
            Mode::BeforeChat => None,
        }
    }

    fn request(&self, outstanding: &Outstanding, attempt: u32, reason: AskReason) -> Request {
        let reason = if outstanding.request.is_satisfied() && reason != AskReason::Gate {
            AskReason::Consent
        } else {
            reason
        };
        Request {
            fields: outstanding.request,
            consent: outstanding.needs_consent,
            attempt,
            reason,
        }
    }
}
