//! What an OpenAI-compatible server (or anything pretending to be one)
//! sends back: the chat-completion decoder `OpenAiCompatible` runs on a
//! success body, and the error-code reader it runs on an error body,
//! through `leadkit_llm::fuzzing` (present only under `--cfg fuzzing`).
//!
//! Invariants, beyond "does not panic":
//! - a body that is refused gives `BadResponse`, whose text is the fixed
//!   prefix and a reason that quotes nothing of the body;
//! - a decoded answer asked for JSON and holding text that parses as JSON
//!   is `Json`, never `Text`; //! - an error code is at most 64 characters of `[A-Za-z0-9_.-]`.
#![no_main]

use leadkit_llm::fuzzing::{decode_chat_completion, error_code};
use leadkit_llm::{ChatContent, Error};
use libfuzzer_sys::fuzz_target;

// The input: a flags byte (bit 0: the request asked for JSON), then the
// body.
fuzz_target!(|data: &[u8]| {
    let Some((&flags, body)) = data.split_first() else {
        return;
    };
    let wants_json = flags & 1 == 1;
    match decode_chat_completion(body, wants_json) {
        Ok(response) => {
            if let ChatContent::Text(text) = &response.content
                && wants_json
            {
                assert!(serde_json::from_str::<serde_json::Value>(text.trim()).is_err());
            }
        }
        Err(Error::BadResponse { reason, .. }) => {
            let shown = Error::BadResponse { reason, source: None }.to_string();
            assert!(shown.starts_with("the model endpoint's answer could not be read: "));
            assert!(!reason.contains(['"', '@', '`']), "{reason}");
        }
        Err(other) => panic!("unexpected error kind: {other:?}"),
    }
    if let Some(code) = error_code(body) {
        assert!(code.len() <= 64);
        assert!(code.bytes().all(|b| b.is_ascii_alphanumeric() || b"_-.".contains(&b)), "{code}");
    }
});
