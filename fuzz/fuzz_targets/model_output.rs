//! A model's answer is attacker-influenced (the visitor writes what it
//! reads), so whatever it says, `LlmAnalyzer` never yields a contact detail
//! that is not the visitor's own: every name, email and phone in the
//! signals is a valid value `leadkit_contact::extract` finds in the
//! visitor's new message. The interest stays in `0..=1`, and a failure is a
//! typed error that quotes none of the answer.
//!
//! The fuzz input is two selector bytes (how the answer is served: plain
//! text, decoded JSON, or a tool call with decoded or raw arguments; and the
//! structured-output setting), then the visitor's message and the model's
//! answer separated by a `0xFF` byte (never part of UTF-8 text). The OpenAI-compatible wire
//! decoder is not public; see fuzz/README.md.
#![no_main]

use std::sync::{Mutex, OnceLock};

use async_trait::async_trait;
use leadkit_contact::{ContactKind, ExtractOptions, extract};
use leadkit_core::{Field, Policy};
use leadkit_fuzz::runtime;
use leadkit_llm::{
    ChatContent, ChatModel, ChatRequest, ChatResponse, Error, LlmAnalyzer, StructuredOutput,
    TurnInput,
};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// A model that answers every request with the content of the input being
/// run (the analyzers are built once: their rule tables are costly).
struct Says;

/// The answer of the input being run.
static ANSWER: Mutex<Option<ChatContent>> = Mutex::new(None);

#[async_trait]
impl ChatModel for Says {
    async fn complete(&self, _request: &ChatRequest) -> std::result::Result<ChatResponse, Error> {
        let answer = ANSWER.lock().expect("not poisoned").clone();
        Ok(ChatResponse::new(answer.expect("set before each run")))
    }
}

/// One analyzer per structured-output setting. The model never rejects a
/// request, so `Auto` learns nothing between inputs.
fn analyzers() -> &'static [LlmAnalyzer<Says>; 4] {
    static ANALYZERS: OnceLock<[LlmAnalyzer<Says>; 4]> = OnceLock::new();
    ANALYZERS.get_or_init(|| {
        [
            StructuredOutput::JsonSchema,
            StructuredOutput::ToolCalling,
            StructuredOutput::PromptOnly,
            StructuredOutput::Auto,
        ]
        .map(|output| LlmAnalyzer::new(Says).with_structured_output(output))
    })
}

fn content(kind: u8, answer: &str) -> ChatContent {
    let parsed = || serde_json::from_str::<Value>(answer).ok();
    match kind % 4 {
        0 => ChatContent::Text(answer.to_owned()),
        1 => parsed().map_or_else(|| ChatContent::Text(answer.to_owned()), ChatContent::Json),
        2 => ChatContent::ToolCall {
            name: "signals".to_owned(),
            arguments: parsed().unwrap_or_else(|| Value::String(answer.to_owned())),
        },
        _ => ChatContent::ToolCall {
            name: "signals".to_owned(),
            arguments: Value::String(answer.to_owned()),
        },
    }
}

fn check(data: &[u8]) {
    let [kind, output, rest @ ..] = data else {
        return;
    };
    let (message, answer) = match rest.iter().position(|&b| b == 0xFF) {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, &[][..]),
    };
    let message = String::from_utf8_lossy(message).into_owned();
    let answer = String::from_utf8_lossy(answer).into_owned();
    *ANSWER.lock().expect("not poisoned") = Some(content(*kind, &answer));
    let analyzer = &analyzers()[usize::from(*output % 4)];
    let policy = Policy::after_first_query();
    let result = runtime().block_on(analyzer.analyze_detailed(TurnInput::new(&policy, &message)));
    let analysis = match result {
        Ok(analysis) => analysis,
        Err(error) => {
            assert!(matches!(error, Error::InvalidOutput { .. }), "{error:?}");
            let text = error.to_string();
            assert!(text.len() <= 200 && !text.contains(['@', '"', '`']));
            return;
        }
    };
    let interest = analysis.signals.interest.get();
    assert!((0.0..=1.0).contains(&interest), "interest {interest}");

    // What the visitor's own message holds, by the contact extractor.
    // (Extraction is the slow part of a run: only when there is something to check.)
    if analysis.signals.details.is_empty() {
        return;
    }
    let found = extract(&message, &ExtractOptions::default()).found;
    for (field, kind) in [
        (Field::Name, ContactKind::Name),
        (Field::Email, ContactKind::Email),
        (Field::Phone, ContactKind::Phone),
    ] {
        if let Some(value) = analysis.signals.details.get(field) {
            assert!(
                found
                    .iter()
                    .any(|f| f.kind == kind && f.valid && f.value == value),
                "a {} that is not in the visitor's message",
                field.as_str()
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    check(data);
});
