//! The [`TurnAnalyzer`] trait and its input.

use std::fmt;

use async_trait::async_trait;
use leadkit_contact::PhoneRegion;
use leadkit_core::{Policy, Signals};

use crate::chat::Redacted;
use crate::{ChatMessage, Error};

/// What an analyzer gets for one user turn: the recent transcript, the
/// bot's policy and the new message.
///
/// Everything in it is the visitor's or the bot's text, so `Debug` shows
/// only sizes.
///
/// ```
/// use leadkit_core::Policy;
/// use leadkit_llm::{ChatMessage, TurnInput};
///
/// let policy = Policy::on_interest();
/// let transcript = [ChatMessage::assistant("Hi! How can I help?")];
/// let input = TurnInput::new(&policy, "How much is the team plan?").with_transcript(&transcript);
/// assert_eq!(input.transcript.len(), 1);
/// assert!(!format!("{input:?}").contains("team plan"));
/// ```
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct TurnInput<'a> {
    /// Earlier messages of the conversation, oldest first (user and
    /// assistant roles). Analyzers use them as context only: signals are
    /// about the new message.
    pub transcript: &'a [ChatMessage],
    /// The bot's policy (which fields it asks for, its interest threshold).
    pub policy: &'a Policy,
    /// The visitor's new message.
    pub message: &'a str,
    /// Whether the bot's previous message asked for contact details or
    /// consent, when the caller knows (the engine does: its last action
    /// asked). `None`: analyzers that use it read the transcript instead.
    pub request_pending: Option<bool>,
    /// The region whose national format a phone number written without its
    /// country code is read in ("020 7946 0958" on a `GB` bot is
    /// +442079460958): the bot's or the visitor's, per turn. It takes the
    /// place of any default region in the analyzer's own extraction
    /// options. `None`: a national number is not guessed at; the analyzers
    /// report it as [`InvalidReason::NeedsCountryCode`](leadkit_core::InvalidReason::NeedsCountryCode),
    /// so the visitor is asked for the country code.
    pub region: Option<PhoneRegion>,
}

impl<'a> TurnInput<'a> {
    /// An input with no transcript.
    pub fn new(policy: &'a Policy, message: &'a str) -> Self {
        Self {
            transcript: &[],
            policy,
            message,
            request_pending: None,
            region: None,
        }
    }

    /// With the phone region of this turn (see [`region`](Self::region)).
    #[must_use]
    pub fn with_region(mut self, region: Option<PhoneRegion>) -> Self {
        self.region = region;
        self
    }

    /// Says whether the bot's previous message asked for contact details
    /// or consent: what "yes", "no" or "not now" answer.
    #[must_use]
    pub fn with_request_pending(mut self, pending: bool) -> Self {
        self.request_pending = Some(pending);
        self
    }

    /// With the recent transcript.
    #[must_use]
    pub fn with_transcript(mut self, transcript: &'a [ChatMessage]) -> Self {
        self.transcript = transcript;
        self
    }
}

impl fmt::Debug for TurnInput<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TurnInput")
            .field("transcript", &self.transcript)
            .field("policy_mode", &self.policy.mode)
            .field("message", &Redacted(self.message.len()))
            .field("request_pending", &self.request_pending)
            .field("region", &self.region)
            .finish()
    }
}

/// Turns a user message into leadkit-core [`Signals`]: buying interest, an
/// explicit decline, consent, and validated contact details.
///
/// Implementations: [`IntentAnalyzer`](crate::IntentAnalyzer) (the
/// default: the trained intent model, offline),
/// [`RuleAnalyzer`](crate::RuleAnalyzer) (phrase cues, offline),
/// [`LlmAnalyzer`](crate::LlmAnalyzer) (a chat model, grounded),
/// [`HybridAnalyzer`](crate::HybridAnalyzer) (the intent model, then a chat
/// model when it is unsure). With the `mock` feature, `MockTurnAnalyzer` is
/// a mockall mock.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait TurnAnalyzer: Send + Sync {
    /// Analyzes the new message of `input`.
    async fn analyze<'a>(&self, input: TurnInput<'a>) -> Result<Signals, Error>;
}
