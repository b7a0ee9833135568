//! The [`ChatModel`] trait: one chat-completion call.

use std::fmt;
use std::sync::Arc;

use async_trait::async_trait;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::Error;

/// Who wrote a chat message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Instructions to the model.
    System,
    /// The visitor (or the application speaking for them).
    User,
    /// The model or bot.
    Assistant,
}

impl Role {
    /// `"system"`, `"user"` or `"assistant"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Role::System => "system",
            Role::User => "user",
            Role::Assistant => "assistant",
        }
    }
}

/// One message of a chat.
///
/// The content may be what a visitor typed, so `Debug` shows only the role
/// and the length.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    /// Who wrote it.
    pub role: Role,
    /// What it says.
    pub content: String,
}

impl ChatMessage {
    /// A message.
    pub fn new(role: Role, content: impl Into<String>) -> Self {
        Self {
            role,
            content: content.into(),
        }
    }

    /// A system message.
    pub fn system(content: impl Into<String>) -> Self {
        Self::new(Role::System, content)
    }

    /// A user message.
    pub fn user(content: impl Into<String>) -> Self {
        Self::new(Role::User, content)
    }

    /// An assistant message.
    pub fn assistant(content: impl Into<String>) -> Self {
        Self::new(Role::Assistant, content)
    }
}

impl fmt::Debug for ChatMessage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChatMessage")
            .field("role", &self.role)
            .field("content", &Redacted(self.content.len()))
            .finish()
    }
}

/// Prints `<redacted N bytes>`.
pub(crate) struct Redacted(pub(crate) usize);

impl fmt::Debug for Redacted {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "<redacted {} bytes>", self.0)
    }
}

/// A JSON schema the answer must follow (OpenAI `response_format` of type
/// `json_schema`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonSchema {
    /// The schema's name (letters, digits, `_` and `-`).
    pub name: String,
    /// The JSON Schema itself.
    pub schema: Value,
    /// Whether the server must follow the schema exactly (OpenAI strict mode).
    pub strict: bool,
}

/// A function the model may call (OpenAI `tools` of type `function`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Tool {
    /// The function's name.
    pub name: String,
    /// What it is for.
    pub description: String,
    /// A JSON Schema of its arguments.
    pub parameters: Value,
}

/// One chat-completion request.
///
/// ```
/// use leadkit_llm::{ChatMessage, ChatRequest};
///
/// let request = ChatRequest::new(vec![
///     ChatMessage::system("Answer briefly."),
///     ChatMessage::user("Hello"),
/// ])
/// .with_temperature(0.0)
/// .with_max_tokens(64);
/// assert_eq!(request.messages.len(), 2);
/// // Message contents never show in Debug output.
/// assert!(!format!("{request:?}").contains("Hello"));
/// ```
#[derive(Debug, Clone, PartialEq, Default)]
#[non_exhaustive]
pub struct ChatRequest {
    /// The conversation so far, oldest first.
    pub messages: Vec<ChatMessage>,
    /// Ask for JSON following this schema.
    pub json_schema: Option<JsonSchema>,
    /// Functions the model may call.
    pub tools: Vec<Tool>,
    /// Force a call of the function with this name.
    pub tool_choice: Option<String>,
    /// Sampling temperature.
    pub temperature: Option<f32>,
    /// The most tokens to generate.
    pub max_tokens: Option<u32>,
}

// Builder methods: each sets one field and returns `self`, so they share
// one shape here and with the other builders of the workspace.
impl ChatRequest {
    /// A request with these messages and nothing else set.
    pub fn new(messages: Vec<ChatMessage>) -> Self {
        Self {
            messages,
            ..Self::default()
        }
    }

    /// With a JSON schema for structured output.
    #[must_use]
    pub fn with_json_schema(mut self, schema: JsonSchema) -> Self {
        self.json_schema = Some(schema);
        self
    }

    /// With a function the model must call.
    #[must_use]
    pub fn with_forced_tool(mut self, tool: Tool) -> Self {
        self.tool_choice = Some(tool.name.clone());
        self.tools.push(tool);
        self
    }

    /// With a sampling temperature.
    #[must_use]
    pub fn with_temperature(mut self, temperature: f32) -> Self {
        self.temperature = Some(temperature);
        self
    }

    /// With a limit on generated tokens.
    #[must_use]
    pub fn with_max_tokens(mut self, max_tokens: u32) -> Self {
        self.max_tokens = Some(max_tokens);
        self
    }
}

/// What the model answered.
///
/// The answer may quote the visitor, so `Debug` redacts it.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub enum ChatContent {
    /// Plain text.
    Text(String),
    /// A JSON value (structured output already decoded).
    Json(Value),
    /// A function call. `arguments` is the decoded JSON, or a JSON string
    /// holding the raw text when the server sent arguments that do not parse.
    ToolCall {
        /// The function called.
        name: String,
        /// Its arguments.
        arguments: Value,
    },
}

impl fmt::Debug for ChatContent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChatContent::Text(text) => f.debug_tuple("Text").field(&Redacted(text.len())).finish(),
            ChatContent::Json(_) => f.write_str("Json(<redacted>)"),
            ChatContent::ToolCall { name, .. } => f
                .debug_struct("ToolCall")
                .field("name", name)
                .field("arguments", &format_args!("<redacted>"))
                .finish(),
        }
    }
}

/// Tokens used by one call, as the server reports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Usage {
    /// Tokens in the prompt.
    pub prompt_tokens: u64,
    /// Tokens generated.
    pub completion_tokens: u64,
    /// Both (as reported; servers that omit it get the sum).
    pub total_tokens: u64,
}

/// The answer to a [`ChatRequest`].
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ChatResponse {
    /// What the model said.
    pub content: ChatContent,
    /// Tokens used, when the server reports them.
    pub usage: Option<Usage>,
    /// Why generation stopped (`"stop"`, `"length"`, `"tool_calls"` …), when
    /// the server says; an empty string is reported as `None`.
    pub finish_reason: Option<String>,
}

impl ChatResponse {
    /// A response with this content and nothing else.
    pub fn new(content: ChatContent) -> Self {
        Self {
            content,
            usage: None,
            finish_reason: None,
        }
    }

    /// With token usage.
    #[must_use]
    pub fn with_usage(mut self, usage: Usage) -> Self {
        self.usage = Some(usage);
        self
    }

    /// With a finish reason.
    #[must_use]
    pub fn with_finish_reason(mut self, reason: impl Into<String>) -> Self {
        self.finish_reason = Some(reason.into());
        self
    }
}

/// A chat model: one chat-completion call.
///
/// Implement it for any backend; [`OpenAiCompatible`](crate::OpenAiCompatible)
/// (feature `openai`) speaks to any OpenAI-compatible endpoint. With the
/// `mock` feature, `MockChatModel` is a mockall mock of it.
#[cfg_attr(feature = "mock", mockall::automock)]
#[async_trait]
pub trait ChatModel: Send + Sync {
    /// Sends one request and returns the model's answer.
    async fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, Error>;
}

#[async_trait]
impl<M: ChatModel + ?Sized> ChatModel for Arc<M> {
    async fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, Error> {
        (**self).complete(request).await
    }
}

#[async_trait]
impl<M: ChatModel + ?Sized> ChatModel for Box<M> {
    async fn complete(&self, request: &ChatRequest) -> Result<ChatResponse, Error> {
        (**self).complete(request).await
    }
}
