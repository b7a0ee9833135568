//! [`IntentAnalyzer`]: the trained intent model as a [`TurnAnalyzer`].

use std::sync::Arc;
use std::time::Instant;

use async_trait::async_trait;
use leadkit_contact::ExtractOptions;
use leadkit_core::Signals;
use tracing::Instrument;

use crate::contact_signals::{ContactFindings, find_contacts};
use crate::rules::{elapsed_us, last_assistant_asks_to_contact, steers_assistant};
use crate::turn_region::options_for_turn;
use crate::{Error, IntentClass, IntentModel, IntentScores, ModelError, TurnAnalyzer, TurnInput};

/// What the [`IntentAnalyzer`] makes of one turn.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct IntentAssessment {
    /// The signals for leadkit-core.
    pub signals: Signals,
    /// The model's scores for the new message.
    pub scores: IntentScores,
    /// The bot's previous message asked for contact details or consent, so
    /// a yes is consent and a no is a decline.
    pub answers_request: bool,
    /// The message tries to steer the assistant or redirect details; its
    /// contact details and consent were dropped.
    pub steering: bool,
    /// The message's self-stated contact values, for grounding a model.
    pub(crate) contacts: ContactFindings,
}

#[derive(Debug, Clone)]
enum Model {
    Shipped,
    Own(Arc<IntentModel>),
}

/// The default analyzer: the crate's trained intent model for interest,
/// decline and consent, and `leadkit-contact` for contact details.
///
/// - **Interest** is the model's calibrated probability that the message
///   shows buying interest ([`IntentScores::interest`]), so
///   [`Policy::on_interest`](leadkit_core::Policy::on_interest)'s threshold
///   of 0.6 means "at least 60 % likely" (BENCHMARKS.md has what it buys).
/// - **Decline** and **consent** depend on what the bot just asked: when its
///   previous message asked for contact details or consent, a message the
///   model reads as a no ("no thanks", "not now", "nein", "jamás") is a
///   decline and one it reads as a yes ("sure", "ja", "oui", "sim") is
///   consent. Otherwise a yes or no answers something else and is neither;
///   a yes that comes with the visitor's own contact details is consent.
///   Whether the bot asked is [`TurnInput::with_request_pending`] when the
///   caller knows it (the engine does), or else read from the transcript's
///   last assistant message.
/// - **Contact details** follow the crate's grounding rule (the visitor's
///   own, valid values in the new message; none from a message that steers
///   the assistant).
///
/// English, Spanish, German, French and Portuguese; no network, no files:
/// the model is embedded in the crate. [`IntentAnalyzer::with_model`] takes
/// a model adapted to an integrator's own labelled messages.
///
/// ```
/// use leadkit_core::Policy;
/// use leadkit_llm::{ChatMessage, IntentAnalyzer, TurnInput};
///
/// let analyzer = IntentAnalyzer::new();
/// let policy = Policy::on_interest();
/// let pricing = analyzer.assess_turn(&TurnInput::new(&policy, "How much is the pro plan for a team of 10?"));
/// assert!(pricing.signals.interest.get() >= 0.6);
///
/// let asked = [ChatMessage::assistant("Could you share your email address so our team can get back to you?")];
/// let no = analyzer.assess_turn(&TurnInput::new(&policy, "no thanks").with_transcript(&asked));
/// assert!(no.signals.declined);
/// ```
#[derive(Debug, Clone)]
pub struct IntentAnalyzer {
    model: Model,
    extract: ExtractOptions,
    answer_prior: f32,
}

/// How much more likely a yes or a no is right after a request for details
/// than in the training data (see [`IntentScores::top_answering`]); chosen
/// on the validation split by `leadkit-train tune`.
pub const ANSWER_PRIOR: f32 = 2.0;

impl Default for IntentAnalyzer {
    fn default() -> Self {
        Self::new()
    }
}

impl IntentAnalyzer {
    /// The analyzer with the shipped model and default contact extraction.
    pub fn new() -> Self {
        Self {
            model: Model::Shipped,
            extract: ExtractOptions::default(),
            answer_prior: ANSWER_PRIOR,
        }
    }

    /// With another model (for instance one trained with the integrator's
    /// own labelled messages, see [`IntentModel::train`]).
    #[must_use]
    pub fn with_model(mut self, model: IntentModel) -> Self {
        self.model = Model::Own(Arc::new(model));
        self
    }

    /// The analyzer with a model read from a model file
    /// ([`IntentModel::to_bytes`], `leadkit-train --out`).
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ModelError> {
        Ok(Self::new().with_model(IntentModel::from_bytes(bytes)?))
    }

    /// With another odds factor for a yes or a no right after a request
    /// (default [`ANSWER_PRIOR`]; 1 reads an answer like any message).
    #[must_use]
    pub fn with_answer_prior(mut self, prior: f32) -> Self {
        self.answer_prior = if prior.is_finite() && prior > 0.0 {
            prior
        } else {
            1.0
        };
        self
    }

    /// With other contact-extraction options.
    #[must_use]
    pub fn with_extract_options(mut self, options: ExtractOptions) -> Self {
        self.extract = options;
        self
    }

    /// The model in use.
    pub fn model(&self) -> &IntentModel {
        match &self.model {
            Model::Shipped => IntentModel::shipped(),
            Model::Own(model) => model,
        }
    }

    /// Assesses the new message of `input` (synchronous; what
    /// [`TurnAnalyzer::analyze`] returns the signals of).
    pub fn assess_turn(&self, input: &TurnInput<'_>) -> IntentAssessment {
        let scores = self.model().classify(input.message);
        let steering = steers_assistant(input.message);
        let extract = options_for_turn(&self.extract, input.region);
        let contacts = find_contacts(input.message, &extract, steering);
        let steering = steering || contacts.redirected;
        let answers_request = input
            .request_pending
            .unwrap_or_else(|| last_assistant_asks_to_contact(input.transcript));
        let top = if answers_request {
            scores.top_answering(self.answer_prior)
        } else {
            scores.top()
        };
        let mut signals =
            Signals::none().with_interest(if steering { 0.0 } else { scores.interest() });
        let gave_details = !contacts.details.is_empty();
        signals.declined = answers_request && top == IntentClass::Decline && !gave_details;
        signals.consent =
            !steering && top == IntentClass::Affirm && (answers_request || gave_details);
        signals.small_talk = top == IntentClass::ChitChat
            && !gave_details
            && every_clause_is_small_talk(self.model(), input.message);
        signals.details = contacts.details.clone();
        signals.invalid = contacts.invalid.clone();
        IntentAssessment {
            signals,
            scores,
            answers_request,
            steering,
            contacts,
        }
    }
}

#[async_trait]
impl TurnAnalyzer for IntentAnalyzer {
    async fn analyze<'a>(&self, input: TurnInput<'a>) -> Result<Signals, Error> {
        let span = tracing::debug_span!(
            "leadkit_llm.analyze",
            analyzer = "intent",
            latency_us = tracing::field::Empty,
        );
        let recorder = span.clone();
        async move {
            let started = Instant::now();
            let assessment = self.assess_turn(&input);
            recorder.record("latency_us", elapsed_us(started));
            Ok(assessment.signals)
        }
        .instrument(span)
        .await
    }
}

/// Whether each clause of `message` is small talk on its own. A greeting
/// weighs a whole message towards small talk ("Hi, what are your opening
/// hours?"), and a bag of n-grams cannot tell that a query follows it; read
/// clause by clause, the query is found. Clauses end at sentence and clause
/// punctuation, in any of the five languages.
fn every_clause_is_small_talk(model: &IntentModel, message: &str) -> bool {
    let mut clauses = message
        .split(['.', ',', ';', ':', '!', '?', '¿', '¡', '\n'])
        .map(str::trim)
        .filter(|clause| clause.chars().any(char::is_alphanumeric));
    let Some(first) = clauses.next() else {
        return true;
    };
    let Some(second) = clauses.next() else {
        // One clause: the whole message was already read.
        return true;
    };
    [first, second]
        .into_iter()
        .chain(clauses)
        .all(|clause| model.classify(clause).top() == IntentClass::ChitChat)
}
