#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::print_stdout, clippy::print_stderr)]

mod analyzer;
mod chat;
mod contact_signals;
mod error;
mod hybrid;
mod intent;
mod intent_analyzer;
mod llm;
#[cfg(feature = "openai")]
mod openai;
// The wire decoder needs no HTTP client, so the fuzz targets reach it
// (through `fuzzing`) without the `openai` feature.
#[cfg(fuzzing)]
#[doc(hidden)]
pub mod fuzzing;
#[cfg(any(feature = "openai", fuzzing))]
#[cfg_attr(not(feature = "openai"), allow(dead_code))]
mod openai_wire;
mod rules;
mod text;
mod turn_region;

#[cfg(feature = "mock")]
pub use analyzer::MockTurnAnalyzer;
pub use analyzer::{TurnAnalyzer, TurnInput};
#[cfg(feature = "mock")]
pub use chat::MockChatModel;
pub use chat::{
    ChatContent, ChatMessage, ChatModel, ChatRequest, ChatResponse, JsonSchema, Role, Tool, Usage,
};
pub use error::{BoxError, Error};
pub use hybrid::{Consult, HybridAnalyzer, ModelUsage};
pub use intent::{
    IntentClass, IntentModel, IntentScores, JsonlError, LabeledText, ModelError, TrainOptions,
    UnknownLabel, read_labeled_jsonl,
};
pub use intent_analyzer::{ANSWER_PRIOR, IntentAnalyzer, IntentAssessment};
pub use llm::{LlmAnalysis, LlmAnalyzer, StructuredOutput};
#[cfg(feature = "openai")]
pub use openai::{Backoff, OpenAiCompatible, OpenAiConfig};
pub use rules::{RuleAnalyzer, RuleAssessment, Unsure, UnsureBand};
