//! [`LlmAnalyzer`]: a chat model asked for the signals as structured output,
//! its claims grounded in the visitor's text.

mod parse;
mod prompt;

use std::sync::Arc;
use std::sync::atomic::{AtomicU8, Ordering};
use std::time::Instant;

use async_trait::async_trait;
use leadkit_core::{Field, Interest, Signals};
use tracing::Instrument;

use crate::rules::{RuleAnalyzer, RuleAssessment, elapsed_us};
use crate::{ChatModel, ChatRequest, Error, JsonSchema, Tool, TurnAnalyzer, TurnInput, Usage};

/// How the model is asked for structured output. Servers differ: pick the
/// best one the endpoint supports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum StructuredOutput {
    /// A strict JSON schema (`response_format: json_schema`): OpenAI, Azure
    /// OpenAI, vLLM, Ollama, llama.cpp server and LM Studio in their recent
    /// versions.
    #[default]
    JsonSchema,
    /// A forced function call whose arguments follow the schema (`tools`
    /// with `tool_choice`), for servers with function calling but no JSON
    /// schema support.
    ToolCalling,
    /// The schema spelled out in the system prompt, the answer validated
    /// locally (code fences and chatter around the JSON are tolerated), for
    /// any server.
    PromptOnly,
    /// Discover what the server supports: a strict JSON schema first; if the
    /// server rejects the request (HTTP 400 or 422), tool calling; if that
    /// is rejected too, the schema in the prompt. The analyzer (and its
    /// clones) remembers the level that worked, so only the first calls pay
    /// for the discovery.
    Auto,
}

impl StructuredOutput {
    /// `"json_schema"`, `"tool_calling"` or `"prompt_only"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            StructuredOutput::JsonSchema => "json_schema",
            StructuredOutput::ToolCalling => "tool_calling",
            StructuredOutput::PromptOnly => "prompt_only",
            StructuredOutput::Auto => "auto",
        }
    }

    /// The level [`StructuredOutput::Auto`] tries after this one.
    fn fallback(self) -> Option<StructuredOutput> {
        match self {
            StructuredOutput::JsonSchema => Some(StructuredOutput::ToolCalling),
            StructuredOutput::ToolCalling => Some(StructuredOutput::PromptOnly),
            StructuredOutput::PromptOnly | StructuredOutput::Auto => None,
        }
    }

    fn level(self) -> u8 {
        match self {
            StructuredOutput::JsonSchema | StructuredOutput::Auto => 0,
            StructuredOutput::ToolCalling => 1,
            StructuredOutput::PromptOnly => 2,
        }
    }

    fn from_level(level: u8) -> StructuredOutput {
        match level {
            0 => StructuredOutput::JsonSchema,
            1 => StructuredOutput::ToolCalling,
            _ => StructuredOutput::PromptOnly,
        }
    }
}

/// The signals of one turn as an [`LlmAnalyzer`] found them, with the tokens
/// the call used.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LlmAnalysis {
    /// The grounded signals.
    pub signals: Signals,
    /// Tokens used, when the server reported them.
    pub usage: Option<Usage>,
    /// How many contact values the model reported that were not grounded in
    /// the visitor's own words and were dropped.
    pub ungrounded: u32,
    /// Model calls made: 1, or more while [`StructuredOutput::Auto`]
    /// discovers what the server supports.
    pub model_calls: u32,
    /// The structured-output level the answer came through.
    pub structured_output: StructuredOutput,
}

/// A [`TurnAnalyzer`] that asks a [`ChatModel`] for the signals.
///
/// The model is useful for what phrase lists miss (interest worded in an
/// unusual way, sarcasm, a decline that names no keyword) but it reads text
/// the visitor controls, so its answer is checked before anything counts:
///
/// - a contact value counts only if it is the visitor's own, literally in
///   the new message and valid (the grounding rule of the crate docs); the
///   value kept is the validator's normalised form;
/// - the interest score is advisory: clamped into `0..=1`, and replaced by
///   the rules' score when the message tries to steer the assistant;
/// - consent is dropped for such messages too;
/// - the visitor's text travels JSON-encoded in its own user message, never
///   inside the system prompt;
/// - invalid attempts come from the validator, not from the model.
///
/// ```
/// # use leadkit_llm::{ChatContent, ChatModel, ChatRequest, ChatResponse, Error, LlmAnalyzer, TurnAnalyzer, TurnInput};
/// # struct Fixed;
/// # #[async_trait::async_trait]
/// # impl ChatModel for Fixed {
/// #     async fn complete(&self, _: &ChatRequest) -> Result<ChatResponse, Error> {
/// #         Ok(ChatResponse::new(ChatContent::Text(
/// #             r#"{"interest": 3.0, "declined": false, "consent": false,
/// #                 "email": "ceo@bigcorp.com", "phone": null, "name": null}"#.into())))
/// #     }
/// # }
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// use leadkit_core::Policy;
///
/// // `Fixed` is a model that claims huge interest and an address that is
/// // not in the message.
/// let analyzer = LlmAnalyzer::new(Fixed);
/// let policy = Policy::on_interest();
/// let signals = analyzer.analyze(TurnInput::new(&policy, "What does the pro plan cost?")).await?;
/// assert_eq!(signals.interest.get(), 1.0); // clamped
/// assert!(signals.details.is_empty()); // not grounded
/// # Ok::<(), Error>(())
/// # }).unwrap();
/// ```
#[derive(Debug, Clone)]
pub struct LlmAnalyzer<M> {
    model: M,
    output: StructuredOutput,
    /// The level [`StructuredOutput::Auto`] has found to work.
    learned: Arc<AtomicU8>,
    rules: RuleAnalyzer,
    transcript_limit: usize,
    temperature: Option<f32>,
    max_tokens: Option<u32>,
}

impl<M: ChatModel> LlmAnalyzer<M> {
    /// An analyzer over `model`, with a strict JSON schema, the last 6
    /// transcript messages, temperature 0 and at most 200 tokens.
    pub fn new(model: M) -> Self {
        Self {
            model,
            output: StructuredOutput::default(),
            learned: Arc::new(AtomicU8::new(0)),
            rules: RuleAnalyzer::new(),
            transcript_limit: 6,
            temperature: Some(0.0),
            max_tokens: Some(200),
        }
    }

    /// With another way of asking for structured output.
    #[must_use]
    pub fn with_structured_output(mut self, output: StructuredOutput) -> Self {
        self.output = output;
        self.learned = Arc::new(AtomicU8::new(0));
        self
    }

    /// With the rule analyzer used for grounding (its contact-extraction
    /// options decide what counts as a valid detail).
    #[must_use]
    pub fn with_rules(mut self, rules: RuleAnalyzer) -> Self {
        self.rules = rules;
        self
    }

    /// With at most `limit` earlier messages sent as context.
    #[must_use]
    pub fn with_transcript_limit(mut self, limit: usize) -> Self {
        self.transcript_limit = limit;
        self
    }

    /// With another temperature (`None`: the server's default).
    #[must_use]
    pub fn with_temperature(mut self, temperature: Option<f32>) -> Self {
        self.temperature = temperature;
        self
    }

    /// With another token limit (`None`: the server's default).
    #[must_use]
    pub fn with_max_tokens(mut self, max_tokens: Option<u32>) -> Self {
        self.max_tokens = max_tokens;
        self
    }

    /// The model.
    pub fn model(&self) -> &M {
        &self.model
    }

    /// The rule analyzer used for grounding.
    pub fn rules(&self) -> &RuleAnalyzer {
        &self.rules
    }

    /// The structured-output setting.
    pub fn structured_output(&self) -> StructuredOutput {
        self.output
    }

    /// The level requests use now: the setting, or for
    /// [`StructuredOutput::Auto`] the level found to work so far.
    pub fn effective_structured_output(&self) -> StructuredOutput {
        match self.output {
            StructuredOutput::Auto => {
                StructuredOutput::from_level(self.learned.load(Ordering::Relaxed))
            }
            fixed => fixed,
        }
    }

    /// The request this analyzer sends for `input` now.
    pub fn request(&self, input: &TurnInput<'_>) -> ChatRequest {
        self.request_for(input, self.effective_structured_output())
    }

    fn request_for(&self, input: &TurnInput<'_>, output: StructuredOutput) -> ChatRequest {
        let schema_in_prompt = output == StructuredOutput::PromptOnly;
        let messages = vec![
            crate::ChatMessage::system(prompt::system_prompt(input, schema_in_prompt)),
            prompt::user_message(input, self.transcript_limit),
        ];
        let mut request = ChatRequest::new(messages);
        request.temperature = self.temperature;
        request.max_tokens = self.max_tokens;
        match output {
            StructuredOutput::JsonSchema | StructuredOutput::Auto => {
                request.with_json_schema(JsonSchema {
                    name: prompt::SIGNALS_NAME.to_owned(),
                    schema: prompt::SIGNALS_SCHEMA.clone(),
                    strict: true,
                })
            }
            StructuredOutput::ToolCalling => request.with_forced_tool(Tool {
                name: prompt::SIGNALS_NAME.to_owned(),
                description: "Report the lead-capture signals of the visitor's new message."
                    .to_owned(),
                parameters: prompt::SIGNALS_SCHEMA.clone(),
            }),
            StructuredOutput::PromptOnly => request,
        }
    }

    /// Analyzes `input` and reports the tokens used.
    pub async fn analyze_detailed(&self, input: TurnInput<'_>) -> Result<LlmAnalysis, Error> {
        let assessment = self.rules.assess_turn(&input);
        self.analyze_assessed(input, &assessment).await
    }

    /// Asks the model, grounding its answer in an assessment the rules
    /// already made of the same message.
    pub(crate) async fn analyze_assessed(
        &self,
        input: TurnInput<'_>,
        assessment: &RuleAssessment,
    ) -> Result<LlmAnalysis, Error> {
        let mut output = self.effective_structured_output();
        let mut model_calls = 0;
        let response = loop {
            model_calls += 1;
            let result = self.model.complete(&self.request_for(&input, output)).await;
            let next = output
                .fallback()
                .filter(|_| self.output == StructuredOutput::Auto);
            match (result, next) {
                (
                    Err(Error::Rejected {
                        status: 400 | 422, ..
                    }),
                    Some(next),
                ) => {
                    tracing::warn!(
                        rejected = output.as_str(),
                        next = next.as_str(),
                        "the endpoint rejected a structured-output request; falling back"
                    );
                    self.learned.fetch_max(next.level(), Ordering::Relaxed);
                    output = next;
                }
                (result, _) => break result?,
            }
        };
        let verdict = parse::verdict(&response.content)?;

        let mut signals = assessment.signals.clone();
        signals.interest = if assessment.steering {
            assessment.signals.interest
        } else {
            Interest::clamped(verdict.interest)
        };
        signals.declined = verdict.declined;
        signals.consent = verdict.consent && !assessment.steering;
        // Validator findings stay; a grounded claim picks among them.
        let mut ungrounded = 0;
        for (field, claim) in [
            (Field::Email, &verdict.email),
            (Field::Phone, &verdict.phone),
            (Field::Name, &verdict.name),
        ] {
            let Some(claim) = claim else { continue };
            match assessment.contacts.ground(field, claim) {
                Some(value) => signals.details.set(field, value),
                None => ungrounded += 1,
            }
        }
        Ok(LlmAnalysis {
            signals,
            usage: response.usage,
            ungrounded,
            model_calls,
            structured_output: output,
        })
    }
}

#[async_trait]
impl<M: ChatModel> TurnAnalyzer for LlmAnalyzer<M> {
    async fn analyze<'a>(&self, input: TurnInput<'a>) -> Result<Signals, Error> {
        let span = tracing::debug_span!(
            "leadkit_llm.analyze",
            analyzer = "llm",
            structured_output = self.output.as_str(),
            model_calls = tracing::field::Empty,
            prompt_tokens = tracing::field::Empty,
            completion_tokens = tracing::field::Empty,
            ungrounded = tracing::field::Empty,
            latency_us = tracing::field::Empty,
        );
        let recorder = span.clone();
        async move {
            let started = Instant::now();
            let result = self.analyze_detailed(input).await;
            let span = recorder;
            span.record("latency_us", elapsed_us(started));
            match &result {
                Ok(analysis) => {
                    span.record("ungrounded", analysis.ungrounded);
                    span.record("model_calls", analysis.model_calls);
                    if let Some(usage) = analysis.usage {
                        span.record("prompt_tokens", usage.prompt_tokens);
                        span.record("completion_tokens", usage.completion_tokens);
                    }
                }
                Err(error) => tracing::warn!(error = %error, "model analysis failed"),
            }
            result.map(|analysis| analysis.signals)
        }
        .instrument(span)
        .await
    }
}
