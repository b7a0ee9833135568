//! Entry points for the fuzz targets (`--cfg fuzzing`, set by cargo-fuzz)
//! into parsers that are otherwise reachable only over HTTP. Not part of
//! the API.

use crate::{ChatResponse, Error};

/// Decodes an OpenAI-compatible chat-completion success body, as
/// `OpenAiCompatible` does with what the server sent.
pub fn decode_chat_completion(body: &[u8], wants_json: bool) -> Result<ChatResponse, Error> {
    crate::openai_wire::decode(body, wants_json)
}

/// The error code `OpenAiCompatible` keeps from an error body.
pub fn error_code(body: &[u8]) -> Option<String> {
    crate::openai_wire::error_code(body)
}
