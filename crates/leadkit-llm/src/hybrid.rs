//! [`HybridAnalyzer`]: rules first, a model only when they are unsure.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

use async_trait::async_trait;
use leadkit_core::Signals;
use tracing::Instrument;

use crate::rules::elapsed_us;
use crate::{ChatModel, Error, LlmAnalyzer, RuleAnalyzer, TurnAnalyzer, TurnInput};

/// When a [`HybridAnalyzer`] consults its model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Consult {
    /// Only on turns the rules are unsure about (the default).
    #[default]
    WhenUnsure,
    /// On every turn (the baseline to compare costs against).
    Always,
    /// Never: the rules alone.
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
    /// Model calls that failed; those turns used the rules' signals.
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

/// Rules first; the model only when the rules are unsure.
///
/// Most turns of a conversation are plainly a support question, small talk,
/// a clear buying question, a "no thanks" or a contact detail; the
/// [`RuleAnalyzer`] settles those in microseconds. The model is consulted
/// only on the turns the rules flag as [unsure](crate::Unsure) (the
/// [`Consult`] setting), through an [`LlmAnalyzer`] that grounds its answer.
/// A failed model call falls back to the rules' signals (and is counted),
/// so a model outage never stops the chat. A disabled policy never costs a
/// model call.
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
/// hybrid.analyze(TurnInput::new(&policy, "How much is the pro plan?")).await?; // sure: rules
/// hybrid.analyze(TurnInput::new(&policy, "We're looking for something for our team")).await?; // unsure: model
/// let usage = hybrid.usage();
/// assert_eq!((usage.turns, usage.model_calls), (2, 1));
/// # Ok::<(), Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug)]
pub struct HybridAnalyzer<M> {
    llm: LlmAnalyzer<M>,
    consult: Consult,
    counters: Counters,
}

impl<M: ChatModel> HybridAnalyzer<M> {
    /// Default rules, and an [`LlmAnalyzer`] with default settings over
    /// `model`.
    pub fn new(model: M) -> Self {
        Self::from_llm(LlmAnalyzer::new(model))
    }

    /// Around a configured [`LlmAnalyzer`]; its rules are the ones used
    /// first.
    pub fn from_llm(llm: LlmAnalyzer<M>) -> Self {
        Self {
            llm,
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

    /// With other rules (for the first pass and for grounding).
    #[must_use]
    pub fn with_rules(mut self, rules: RuleAnalyzer) -> Self {
        self.llm = self.llm.with_rules(rules);
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
            let assessment = self.llm.rules().assess_turn(&input);
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
                        tracing::warn!(error = %error, "model consultation failed; using the rules' signals");
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
