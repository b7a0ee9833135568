//! The API key, the visitor's text and the model's answer never reach
//! `Debug` output, error messages or `tracing` fields.
#![cfg(feature = "openai")]
#![allow(clippy::unwrap_used)] // test code

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use leadkit_core::Policy;
use leadkit_llm::{
    Backoff, ChatMessage, ChatModel, ChatRequest, Consult, HybridAnalyzer, LlmAnalyzer,
    OpenAiCompatible, OpenAiConfig, RuleAnalyzer, TurnAnalyzer, TurnInput,
};
use serde_json::json;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-live-DO-NOT-LOG-7f3a9c";
const MESSAGE: &str =
    "I'm Ana Souza, ana.souza@example.com, +44 20 7946 0958 - do you offer a free trial?";
const SECRETS: [&str; 5] = [KEY, "7f3a9c", "ana.souza", "Ana Souza", "7946"];

/// A subscriber that writes every span name, field and event into a string.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<String>>);

struct Writer<'a>(&'a mut String);

impl Visit for Writer<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={:?}", field.name(), value);
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, span: &Attributes<'_>) -> Id {
        let mut out = self.0.lock().unwrap();
        let _ = write!(out, "\nspan {}", span.metadata().name());
        span.record(&mut Writer(&mut out));
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, values: &Record<'_>) {
        values.record(&mut Writer(&mut self.0.lock().unwrap()));
    }
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        let mut out = self.0.lock().unwrap();
        let _ = write!(out, "\nevent {}", event.metadata().target());
        event.record(&mut Writer(&mut out));
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}

fn assert_clean(what: &str, text: &str) {
    for secret in SECRETS {
        assert!(!text.contains(secret), "{what} leaks {secret:?}: {text}");
    }
}

#[tokio::test(flavor = "current_thread")]
async fn keys_messages_and_answers_stay_out_of_logs_debug_and_errors() {
    let capture = Capture::default();
    let _guard = tracing::subscriber::set_default(capture.clone());

    let server = MockServer::start().await;
    // The model echoes personal data back; that must not be logged either.
    let echo = json!({"interest": 0.9, "declined": false, "consent": false,
                      "email": "ana.souza@example.com", "phone": "+44 20 7946 0958", "name": "Ana Souza"});
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "choices": [{"message": {"role": "assistant", "content": echo.to_string()}, "finish_reason": "stop"}],
            "usage": {"prompt_tokens": 10, "completion_tokens": 5, "total_tokens": 15}
        })))
        .mount(&server)
        .await;

    let config = OpenAiConfig::new(format!("{}/v1", server.uri()), "gpt-4o-mini")
        .with_api_key(KEY)
        .with_header("OpenAI-Organization", "org-7f3a9c")
        .with_backoff(Backoff::new(
            Duration::from_millis(5),
            Duration::from_millis(10),
        ));
    assert_clean("config Debug", &format!("{config:?} {config:#?}"));
    let model = OpenAiCompatible::new(config).unwrap();
    assert_clean("client Debug", &format!("{model:?}"));

    let policy = Policy::on_interest();
    let transcript = [
        ChatMessage::user(MESSAGE),
        ChatMessage::assistant("Thanks Ana Souza!"),
    ];
    let input = TurnInput::new(&policy, MESSAGE).with_transcript(&transcript);
    assert_clean("TurnInput Debug", &format!("{input:?}"));

    let llm = LlmAnalyzer::new(model);
    let request = llm.request(&input);
    assert_clean("ChatRequest Debug", &format!("{request:?}"));
    let response = llm.model().complete(&request).await.unwrap();
    assert_clean("ChatResponse Debug", &format!("{response:?}"));

    let signals = llm.analyze(input).await.unwrap();
    assert!(signals.details.has(leadkit_core::Field::Email));
    assert_clean("Signals Debug", &format!("{signals:?}"));

    let rules = RuleAnalyzer::new();
    let _ = rules.analyze(input).await.unwrap();
    assert_clean(
        "RuleAssessment Debug",
        &format!("{:?}", rules.assess(&policy, MESSAGE)),
    );

    let hybrid = HybridAnalyzer::from_llm(llm).with_consult(Consult::Always);
    let _ = hybrid.analyze(input).await.unwrap();

    // An authentication failure: the key must not be in the error either.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": {"message": format!("Incorrect API key provided: {KEY}"), "code": "invalid_api_key"}
        })))
        .mount(&server)
        .await;
    let model = OpenAiCompatible::new(
        OpenAiConfig::new(format!("{}/v1", server.uri()), "m").with_api_key(KEY),
    )
    .unwrap();
    let error = model
        .complete(&ChatRequest::new(vec![ChatMessage::user(MESSAGE)]))
        .await
        .unwrap_err();
    let mut chain = format!("{error} {error:?}");
    let mut source = std::error::Error::source(&error);
    while let Some(inner) = source {
        let _ = write!(chain, " {inner} {inner:?}");
        source = inner.source();
    }
    assert_clean("error", &chain);

    let logged = capture.0.lock().unwrap().clone();
    assert!(
        logged.contains("leadkit_llm.analyze"),
        "no analyze span: {logged}"
    );
    assert!(logged.contains("analyzer=\"hybrid\"") && logged.contains("analyzer=\"llm\""));
    assert!(logged.contains("prompt_tokens=10"), "{logged}");
    assert!(logged.contains("will be retried"), "{logged}");
    assert_clean("tracing output", &logged);
}
