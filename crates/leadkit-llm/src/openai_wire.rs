//! The OpenAI chat-completions wire format, decoded leniently.
//!
//! OpenAI-compatible servers differ in the details: Ollama sends tool-call
//! arguments as an object instead of a string, vLLM and llama.cpp may send
//! an empty `finish_reason` or none, some omit `usage`, some send `content`
//! as a list of parts, and `content` is `null` next to tool calls. Every
//! field is optional here and unknown fields and values are ignored; only a
//! body that is not JSON, or has no choice with content or a tool call, is
//! a [`Error::BadResponse`](crate::Error::BadResponse).

use serde::Deserialize;
use serde_json::{Map, Value, json};

use crate::{ChatContent, ChatRequest, ChatResponse, Error, Usage};

/// The JSON body for `request` sent to `model`.
pub(crate) fn request_body(model: &str, request: &ChatRequest) -> Value {
    let messages: Vec<Value> = request
        .messages
        .iter()
        .map(|m| json!({"role": m.role.as_str(), "content": m.content}))
        .collect();
    let mut body = Map::new();
    body.insert("model".into(), Value::from(model));
    body.insert("messages".into(), Value::Array(messages));
    body.insert("stream".into(), Value::Bool(false));
    if let Some(temperature) = request.temperature {
        body.insert("temperature".into(), json!(temperature));
    }
    if let Some(max_tokens) = request.max_tokens {
        body.insert("max_tokens".into(), json!(max_tokens));
    }
    if let Some(schema) = &request.json_schema {
        body.insert(
            "response_format".into(),
            json!({
                "type": "json_schema",
                "json_schema": {"name": schema.name, "schema": schema.schema, "strict": schema.strict}
            }),
        );
    }
    if !request.tools.is_empty() {
        let tools: Vec<Value> = request
            .tools
            .iter()
            .map(|t| {
                json!({"type": "function", "function": {
                    "name": t.name, "description": t.description, "parameters": t.parameters
                }})
            })
            .collect();
        body.insert("tools".into(), Value::Array(tools));
    }
    if let Some(name) = &request.tool_choice {
        body.insert(
            "tool_choice".into(),
            json!({"type": "function", "function": {"name": name}}),
        );
    }
    Value::Object(body)
}

#[derive(Deserialize)]
struct WireResponse {
    #[serde(default)]
    choices: Vec<WireChoice>,
    #[serde(default)]
    usage: Option<Value>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct WireChoice {
    #[serde(default)]
    message: Option<WireMessage>,
    #[serde(default)]
    finish_reason: Option<Value>,
}

#[derive(Deserialize)]
struct WireMessage {
    #[serde(default)]
    content: Option<Value>,
    #[serde(default)]
    tool_calls: Option<Vec<WireToolCall>>,
    /// The legacy single function call.
    #[serde(default)]
    function_call: Option<WireFunction>,
    #[serde(default)]
    refusal: Option<Value>,
}

#[derive(Deserialize)]
struct WireToolCall {
    #[serde(default)]
    function: Option<WireFunction>,
}

#[derive(Deserialize)]
struct WireFunction {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    arguments: Option<Value>,
}

/// Decodes a success body. `wants_json` says whether the request asked for
/// a JSON schema, in which case text that parses as JSON is returned as
/// [`ChatContent::Json`].
pub(crate) fn decode(body: &[u8], wants_json: bool) -> Result<ChatResponse, Error> {
    let wire: WireResponse = serde_json::from_slice(body).map_err(|e| Error::BadResponse {
        reason: "the body is not a chat-completion JSON object",
        source: Some(Box::new(e)),
    })?;
    let Some(choice) = wire.choices.into_iter().next() else {
        return Err(bad(if wire.error.is_some() {
            "the server sent an error object with a success status"
        } else {
            "the answer has no choices"
        }));
    };
    let finish_reason = choice
        .finish_reason
        .as_ref()
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .map(str::to_owned);
    let message = choice
        .message
        .ok_or_else(|| bad("the choice has no message"))?;
    let content = content_of(message, wants_json)?;
    let usage = wire.usage.as_ref().and_then(usage_of);
    Ok(ChatResponse {
        content,
        usage,
        finish_reason,
    })
}

fn content_of(message: WireMessage, wants_json: bool) -> Result<ChatContent, Error> {
    let call = message
        .tool_calls
        .into_iter()
        .flatten()
        .find_map(|call| call.function)
        .or(message.function_call);
    if let Some(function) = call {
        let arguments = match function.arguments {
            Some(Value::String(raw)) => serde_json::from_str(&raw).unwrap_or(Value::String(raw)),
            Some(other) => other,
            None => Value::Object(Map::new()),
        };
        return Ok(ChatContent::ToolCall {
            name: function.name.unwrap_or_default(),
            arguments,
        });
    }
    let text = match message.content {
        Some(Value::String(text)) => Some(text),
        Some(Value::Array(parts)) => Some(
            parts
                .iter()
                .filter_map(|part| part.get("text").and_then(Value::as_str))
                .collect::<String>(),
        ),
        _ => None,
    };
    let text = match (text, message.refusal) {
        (Some(text), _) if !text.is_empty() => text,
        (_, Some(Value::String(refusal))) => refusal,
        (Some(text), _) => text,
        (None, _) => return Err(bad("the message has neither content nor a tool call")),
    };
    if wants_json && let Ok(value) = serde_json::from_str::<Value>(text.trim()) {
        return Ok(ChatContent::Json(value));
    }
    Ok(ChatContent::Text(text))
}

fn usage_of(usage: &Value) -> Option<Usage> {
    let count = |key: &str| usage.get(key).and_then(Value::as_u64);
    let prompt = count("prompt_tokens");
    let completion = count("completion_tokens");
    let total = count("total_tokens");
    if prompt.is_none() && completion.is_none() && total.is_none() {
        return None;
    }
    let prompt_tokens = prompt.unwrap_or(0);
    let completion_tokens = completion.unwrap_or(0);
    Some(Usage {
        prompt_tokens,
        completion_tokens,
        total_tokens: total.unwrap_or(prompt_tokens + completion_tokens),
    })
}

/// The error code of an error body (`error.code`, or `error.type`), if it
/// is a short identifier. Messages are not kept: they may echo the prompt.
pub(crate) fn error_code(body: &[u8]) -> Option<String> {
    let value: Value = serde_json::from_slice(body).ok()?;
    let error = value.get("error")?;
    let code = error
        .get("code")
        .and_then(Value::as_str)
        .or_else(|| error.get("type").and_then(Value::as_str))?;
    let looks_like_code = code.len() <= 64
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-' || b == b'.');
    looks_like_code.then(|| code.to_owned())
}

fn bad(reason: &'static str) -> Error {
    Error::BadResponse {
        reason,
        source: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ollama_object_arguments_and_null_content() {
        let body = br#"{"choices":[{"message":{"role":"assistant","content":null,
            "tool_calls":[{"function":{"name":"f","arguments":{"interest":0.4}}}]},
            "finish_reason":"tool_calls"}]}"#;
        let response = decode(body, false).unwrap();
        assert_eq!(
            response.content,
            ChatContent::ToolCall {
                name: "f".into(),
                arguments: json!({"interest": 0.4})
            }
        );
        assert_eq!(response.usage, None);
    }

    #[test]
    fn empty_finish_reason_parts_and_partial_usage() {
        let body = br#"{"choices":[{"message":{"content":[{"type":"text","text":"{\"a\":"},{"type":"text","text":"1}"}]},
            "finish_reason":"","logprobs":null,"stop_reason":42}],"usage":{"prompt_tokens":10,"completion_tokens":5},
            "system_fingerprint":null,"timings":{}}"#;
        let response = decode(body, true).unwrap();
        assert_eq!(response.content, ChatContent::Json(json!({"a": 1})));
        assert_eq!(response.finish_reason, None);
        assert_eq!(response.usage.unwrap().total_tokens, 15);
    }

    #[test]
    fn errors_and_codes() {
        assert!(matches!(
            decode(b"<html>", false),
            Err(Error::BadResponse { .. })
        ));
        assert!(matches!(
            decode(br#"{"error":{"message":"x"}}"#, false),
            Err(Error::BadResponse { .. })
        ));
        assert!(matches!(
            decode(br#"{"choices":[{"message":{"role":"assistant"}}]}"#, false),
            Err(Error::BadResponse { .. })
        ));
        assert_eq!(
            error_code(
                br#"{"error":{"message":"Incorrect API key sk-123","code":"invalid_api_key"}}"#
            ),
            Some("invalid_api_key".into())
        );
        assert_eq!(
            error_code(br#"{"error":{"code":"has spaces in it"}}"#),
            None
        );
    }
}
