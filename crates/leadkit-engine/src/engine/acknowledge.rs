//! What a turn did with the visitor's details, and the short reply that
//! acknowledges it ("Thanks, Ana — we'll be in touch.", "No problem.").

use std::fmt;

use leadkit_core::{Action, Event, Field, FieldSet, InvalidReason, Policy, Signals, TurnOutcome};

use crate::messages::MessageCatalog;

/// What just happened to the visitor's details on a turn
/// ([`TurnReply::happened`](super::TurnReply::happened)), for an integrator
/// who words its own replies or records its own analytics.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Happened {
    /// The visitor gave details that were kept.
    DetailsCaptured {
        /// The fields that are new or changed on this turn.
        fields: FieldSet,
        /// Whether the turn created or updated a lead. `false` when the
        /// details are held until the rest arrives (a name alone where an
        /// email is required): the prompt asks for the rest.
        lead: bool,
    },
    /// The visitor declined to share details ("no thanks").
    DetailsDeclined,
    /// A value the visitor gave was not accepted: the prompt asks them to
    /// correct it.
    CorrectionAsked {
        /// The field to correct.
        field: Field,
        /// Why it was not accepted.
        reason: InvalidReason,
    },
}

impl Happened {
    /// What `outcome` did with the details of the turn whose signals were
    /// `signals` under `policy`. A correction comes first (its prompt is
    /// what the visitor must read), then captured details, then a decline.
    /// With collection switched off nothing is kept, so nothing happened.
    pub(super) fn of(
        policy: &Policy,
        outcome: &TurnOutcome,
        signals: &Signals,
    ) -> Option<Happened> {
        if !policy.enabled {
            return None;
        }
        if let Action::Correct { correction, .. } = &outcome.action {
            return Some(Happened::CorrectionAsked {
                field: correction.field,
                reason: correction.reason,
            });
        }
        if let Some(capture) = outcome.lead()
            && (!capture.changed.is_empty() || capture.consent.is_some())
        {
            return Some(Happened::DetailsCaptured {
                fields: capture.changed,
                lead: true,
            });
        }
        if !signals.details.is_empty() && outcome.lead().is_none() {
            return Some(Happened::DetailsCaptured {
                fields: signals.details.fields(),
                lead: false,
            });
        }
        if outcome.events.iter().any(|e| matches!(e, Event::Declined)) {
            return Some(Happened::DetailsDeclined);
        }
        None
    }

    /// The acknowledgement for this, if it gets one: thanks for details
    /// that made or updated a lead (with the visitor's `name` when known),
    /// "No problem." for a decline. None when the turn's prompt speaks
    /// instead: a correction, or a request for what is still missing (which
    /// thanks the visitor itself).
    pub(super) fn acknowledgement(
        self,
        action: &Action,
        catalog: &MessageCatalog,
        name: Option<&str>,
    ) -> Option<Acknowledgement> {
        let text = match self {
            Happened::DetailsCaptured { lead: true, .. }
                if !matches!(action, Action::AnswerAndAsk(_) | Action::Gate(_)) =>
            {
                catalog.thanks(name)
            }
            Happened::DetailsDeclined => catalog.no_problem().to_owned(),
            _ => return None,
        };
        Some(Acknowledgement(text))
    }
}

/// A short reply that acknowledges the visitor, in the visit's language
/// ("Thanks, Ana — we'll be in touch.", "No problem."), to send before the
/// answer, or instead of an answer when the message had no question.
///
/// It may hold the visitor's name, so `Debug` shows only its length; use
/// [`as_str`](Self::as_str) or `Display` to send it.
#[derive(Clone, PartialEq, Eq)]
pub struct Acknowledgement(String);

impl Acknowledgement {
    /// The text to send.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Acknowledgement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Acknowledgement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Acknowledgement({} bytes)", self.0.len())
    }
}
