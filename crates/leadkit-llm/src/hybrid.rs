//! [`HybridAnalyzer`]: the intent model first, a chat model only when its
//! calibrated interest probability is unsure.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use async_trait::async_trait;
use leadkit_core::Signals;
use tracing::Instrument;

use crate::rules::{RuleAssessment, elapsed_us};
use crate::{
    ChatModel, Error, IntentAnalyzer, LlmAnalyzer, RuleAnalyzer, TurnAnalyzer, TurnInput, Unsure,
    UnsureBand,
};

/// When a [`HybridAnalyzer`] consults its model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Consult {
    /// Only on turns the intent model is unsure about (the default).
    #[default]
    WhenUnsure,
    /// On every turn (the baseline to compare costs against).
    Always,
    /// Never: the intent model alone.
    Never,
}

/// Model use so far, as counted by a [`HybridAnalyzer`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct ModelUsage {
    /// Turns analyzed.
    pub turns: u64,
    /// Model calls made (failed ones included).
    pub model_calls: u64,
    /// Model calls that failed; those turns used the intent model's signals.
    pub failed_calls: u64,
    /// Prompt tokens reported by the server.
    pub prompt_tokens: u64,
    /// Completion tokens reported by the server.
    pub completion_tokens: u64,
    /// Total tokens reported by the server.
    pub total_tokens: u64,
}

impl ModelUsage {
    /// Model calls per 100 turns (0 before any turn).
    pub fn calls_per_100_turns(&self) -> f64 {
        if self.turns == 0 {
            0.0
        } else {
            self.model_calls as f64 * 100.0 / self.turns as f64
        }
    }
}

#[derive(Debug, Default)]
struct Counters {
    turns: AtomicU64,
    model_calls: AtomicU64,
    failed_calls: AtomicU64,
    prompt_tokens: AtomicU64,
    completion_tokens: AtomicU64,
    total_tokens: AtomicU64,
}

/// The intent model first; a chat model only when it is unsure.
///
/// Most turns of a conversation are plainly a support question, small talk,
/// a clear buying question, a "no thanks" or a contact detail; the
/// [`IntentAnalyzer`] settles those in microseconds. The chat model is
/// consulted only when the intent model's calibrated interest probability
/// falls in the [`UnsureBand`] around the policy's threshold (by default
/// from 0.4 below to 0.3 above it: 0.2 to 0.9 for
/// [`Policy::on_interest`](leadkit_core::Policy::on_interest)), through an
/// [`LlmAnalyzer`] that grounds its answer in the visitor's own words. A
/// failed model call falls back to the intent model's signals (and is
/// counted), so a model outage never stops the chat. A disabled policy
/// never costs a model call.
///
/// ```
/// # use leadkit_llm::{ChatContent, ChatModel, ChatRequest, ChatResponse, Error, HybridAnalyzer, TurnAnalyzer, TurnInput};
/// # struct Fixed;
/// # #[async_trait::async_trait]
/// # impl ChatModel for Fixed {
/// #     async fn complete(&self, _: &ChatRequest) -> Result<ChatResponse, Error> {
/// #         Ok(ChatResponse::new(ChatContent::Text(r#"{"interest": 0.9}"#.into())))
/// #     }
/// # }
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use leadkit_core::Policy;
///
/// let hybrid = HybridAnalyzer::new(Fixed);
/// let policy = Policy::on_interest();
/// hybrid.analyze(TurnInput::new(&policy, "Can I book a demo?")).await?; // sure: interest
/// hybrid.analyze(TurnInput::new(&policy, "I forgot my password")).await?; // sure: support
/// let usage = hybrid.usage();
/// assert_eq!((usage.turns, usage.model_calls), (2, 0));
/// # Ok::<(), Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct HybridAnalyzer<M> {
    llm: LlmAnalyzer<M>,
    intent: IntentAnalyzer,
    band: UnsureBand,
    consult: Consult,
    counters: Counters,
}

impl<M: ChatModel> HybridAnalyzer<M> {
    /// The shipped intent model, and an [`LlmAnalyzer`] with default
    /// settings over `model`.
    pub fn new(model: M) -> Self {
        Self::from_llm(LlmAnalyzer::new(model))
    }

    /// Around a configured [`LlmAnalyzer`].
    pub fn from_llm(llm: LlmAnalyzer<M>) -> Self {
        Self {
            llm,
            intent: IntentAnalyzer::new(),
            band: UnsureBand {
                below: 0.4,
                above: 0.3,
            },
            consult: Consult::default(),
            counters: Counters::default(),
        }
    }

    /// With another consult setting.
    #[must_use]
    pub fn with_consult(mut self, consult: Consult) -> Self {
        self.consult = consult;
        self
    }

    /// With other rules for the [`LlmAnalyzer`] used alone
    /// ([`LlmAnalyzer::with_rules`]); the hybrid's first pass is the
    /// intent model.
    #[must_use]
    pub fn with_rules(mut self, rules: RuleAnalyzer) -> Self {
        self.llm = self.llm.with_rules(rules);
        self
    }

    /// With another first-pass analyzer (an adapted model, other contact
    /// extraction options).
    #[must_use]
    pub fn with_intent(mut self, intent: IntentAnalyzer) -> Self {
        self.intent = intent;
        self
    }

    /// With another band of calibrated interest probability, around the
    /// policy's threshold, in which the chat model is consulted.
    #[must_use]
    pub fn with_unsure_band(mut self, band: UnsureBand) -> Self {
        self.band = band;
        self
    }

    /// The LLM analyzer consulted.
    pub fn llm(&self) -> &LlmAnalyzer<M> {
        &self.llm
    }

    /// The counts so far.
    pub fn usage(&self) -> ModelUsage {
        let c = &self.counters;
        ModelUsage {
            turns: c.turns.load(Ordering::Relaxed),
            model_calls: c.model_calls.load(Ordering::Relaxed),
            failed_calls: c.failed_calls.load(Ordering::Relaxed),
            prompt_tokens: c.prompt_tokens.load(Ordering::Relaxed),
            completion_tokens: c.completion_tokens.load(Ordering::Relaxed),
            total_tokens: c.total_tokens.load(Ordering::Relaxed),
        }
    }

    /// Sets every count back to zero.
    pub fn reset_usage(&self) {
        let c = &self.counters;
        for counter in [
            &c.turns,
            &c.model_calls,
            &c.failed_calls,
            &c.prompt_tokens,
            &c.completion_tokens,
            &c.total_tokens,
        ] {
            counter.store(0, Ordering::Relaxed);
        }
    }
}

#[async_trait]
impl<M: ChatModel> TurnAnalyzer for HybridAnalyzer<M> {
    async fn analyze<'a>(&self, input: TurnInput<'a>) -> Result<Signals, Error> {
        let span = tracing::debug_span!(
            "leadkit_llm.analyze",
            analyzer = "hybrid",
            unsure = tracing::field::Empty,
            consulted = tracing::field::Empty,
            model_failed = tracing::field::Empty,
            latency_us = tracing::field::Empty,
        );
        let recorder = span.clone();
        async move {
            let started = Instant::now();
            let counters = &self.counters;
            counters.turns.fetch_add(1, Ordering::Relaxed);
            let first = self.intent.assess_turn(&input);
            let threshold = input.policy.interest_threshold.get();
            let interest = first.scores.interest();
            let unsure = (!first.steering
                && interest >= threshold - self.band.below
                && interest < threshold + self.band.above)
                .then_some(Unsure::BorderlineInterest);
            let assessment = RuleAssessment {
                signals: first.signals,
                unsure,
                steering: first.steering,
                contacts: first.contacts,
            };
            let consult = input.policy.enabled
                && match self.consult {
                    Consult::WhenUnsure => assessment.unsure.is_some(),
                    Consult::Always => true,
                    Consult::Never => false,
                };
            let span = recorder;
            span.record("unsure", assessment.unsure.is_some());
            span.record("consulted", consult);
            let signals = if consult {
                match self.llm.analyze_assessed(input, &assessment).await {
                    Ok(analysis) => {
                        counters
                            .model_calls
                            .fetch_add(u64::from(analysis.model_calls), Ordering::Relaxed);
                        if let Some(usage) = analysis.usage {
                            counters.prompt_tokens.fetch_add(usage.prompt_tokens, Ordering::Relaxed);
                            counters
                                .completion_tokens
                                .fetch_add(usage.completion_tokens, Ordering::Relaxed);
                            counters.total_tokens.fetch_add(usage.total_tokens, Ordering::Relaxed);
                        }
                        analysis.signals
                    }
                    Err(error) => {
                        // Counted as one call, even if structured-output
                        // discovery tried more before failing.
                        counters.model_calls.fetch_add(1, Ordering::Relaxed);
                        counters.failed_calls.fetch_add(1, Ordering::Relaxed);
                        span.record("model_failed", true);
                        tracing::warn!(error = %error, "model consultation failed; using the intent model's signals");
                        assessment.signals
                    }
                }
            } else {
                assessment.signals
            };
            span.record("latency_us", elapsed_us(started));
            Ok(signals)
        }
        .instrument(span)
        .await
    }
}
