//! `OpenAiCompatible` against local wiremock servers that answer the way
//! real OpenAI-compatible servers do, quirks, failures and all.
#![cfg(feature = "openai")]
#![allow(clippy::unwrap_used)] // test code

use std::time::{Duration, Instant};

use leadkit_core::{Field, Policy};
use leadkit_llm::{
    Backoff, ChatContent, ChatMessage, ChatModel, ChatRequest, Error, LlmAnalyzer,
    OpenAiCompatible, OpenAiConfig, StructuredOutput, TurnAnalyzer, TurnInput,
};
use serde_json::{Value, json};
use wiremock::matchers::{bearer_token, body_partial_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "sk-test-5up3r-s3cr3t-k3y";

fn config(server: &MockServer) -> OpenAiConfig {
    OpenAiConfig::new(format!("{}/v1", server.uri()), "gpt-4o-mini")
        .with_api_key(KEY)
        .with_backoff(
            Backoff::new(Duration::from_millis(10), Duration::from_millis(40)).without_jitter(),
        )
}

fn client(server: &MockServer) -> OpenAiCompatible {
    OpenAiCompatible::new(config(server)).unwrap()
}

/// An OpenAI chat completion, as api.openai.com sends it.
fn openai_completion(content: &str) -> Value {
    json!({
        "id": "chatcmpl-abc123",
        "object": "chat.completion",
        "created": 1_731_000_000,
        "model": "gpt-4o-mini-2024-07-18",
        "choices": [{
            "index": 0,
            "message": {"role": "assistant", "content": content, "refusal": null, "annotations": []},
            "logprobs": null,
            "finish_reason": "stop"
        }],
        "usage": {
            "prompt_tokens": 312, "completion_tokens": 28, "total_tokens": 340,
            "prompt_tokens_details": {"cached_tokens": 0, "audio_tokens": 0},
            "completion_tokens_details": {"reasoning_tokens": 0}
        },
        "service_tier": "default",
        "system_fingerprint": "fp_0123456789"
    })
}

fn simple_request() -> ChatRequest {
    ChatRequest::new(vec![
        ChatMessage::system("Be brief."),
        ChatMessage::user("Hi"),
    ])
}

async fn requests_made(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

/// The server answers the first request with `failure`, and every later one
/// with a completion of `content`.
async fn fails_once_then_answers(server: &MockServer, failure: ResponseTemplate, content: &str) {
    Mock::given(method("POST"))
        .respond_with(failure)
        .up_to_n_times(1)
        .with_priority(1)
        .mount(server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_completion(content)))
        .mount(server)
        .await;
}

#[tokio::test]
async fn openai_json_schema_round_trip_through_the_analyzer() {
    let server = MockServer::start().await;
    let verdict = r#"{"interest":0.82,"declined":false,"consent":true,"email":"Ana.Souza@Example.com","phone":null,"name":null}"#;
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(bearer_token(KEY))
        .and(header("content-type", "application/json"))
        .and(body_partial_json(json!({
            "model": "gpt-4o-mini",
            "temperature": 0.0,
            "max_tokens": 200,
            "stream": false,
            "response_format": {"type": "json_schema", "json_schema": {"name": "report_turn_signals", "strict": true}}
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_completion(verdict)))
        .expect(1)
        .mount(&server)
        .await;

    let analyzer = LlmAnalyzer::new(client(&server));
    let policy = Policy::on_interest();
    let transcript = [ChatMessage::assistant(
        "Happy to help! Can I have your email?",
    )];
    let message = "Sure, ana.souza@example.com, and what does the team plan cost?";
    let signals = analyzer
        .analyze(TurnInput::new(&policy, message).with_transcript(&transcript))
        .await
        .unwrap();
    assert!((signals.interest.get() - 0.82).abs() < 1e-6);
    assert!(signals.consent && !signals.declined);
    assert_eq!(
        signals.details.get(Field::Email),
        Some("ana.souza@example.com")
    );

    // The body: a system prompt without the visitor's text, then one user
    // message holding the transcript and the message as JSON.
    let body: Value = server.received_requests().await.unwrap()[0]
        .body_json()
        .unwrap();
    let messages = body["messages"].as_array().unwrap();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["role"], "system");
    assert!(
        !messages[0]["content"]
            .as_str()
            .unwrap()
            .contains("ana.souza")
    );
    assert_eq!(messages[1]["role"], "user");
    let payload: Value = serde_json::from_str(messages[1]["content"].as_str().unwrap()).unwrap();
    assert_eq!(payload["new_message"], message);
    assert_eq!(payload["transcript"][0]["role"], "assistant");
    let schema = &body["response_format"]["json_schema"]["schema"];
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(schema["required"].as_array().unwrap().len(), 6);
    assert!(body.get("tools").is_none());
}

#[tokio::test]
async fn ollama_tool_calls_with_object_arguments_and_no_usage() {
    let server = MockServer::start().await;
    // Ollama's OpenAI layer: arguments as an object, empty content, no usage.
    let answer = json!({
        "id": "chatcmpl-417",
        "object": "chat.completion",
        "created": 1_731_000_000,
        "model": "llama3.2",
        "system_fingerprint": "fp_ollama",
        "choices": [{
            "index": 0,
            "message": {
                "role": "assistant",
                "content": "",
                "tool_calls": [{
                    "id": "call_x1", "index": 0, "type": "function",
                    "function": {"name": "report_turn_signals", "arguments": {"interest": 0.7, "declined": false, "consent": false, "email": null, "phone": null, "name": null}}
                }]
            },
            "finish_reason": "tool_calls"
        }]
    });
    Mock::given(method("POST"))
        .and(path("/v1/chat/completions"))
        .and(body_partial_json(json!({
            "model": "llama3.2",
            "tool_choice": {"type": "function", "function": {"name": "report_turn_signals"}},
            "tools": [{"type": "function", "function": {"name": "report_turn_signals"}}]
        })))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&server)
        .await;

    let model = OpenAiCompatible::new(OpenAiConfig::new(
        format!("{}/v1/", server.uri()),
        "llama3.2",
    ))
    .unwrap();
    let analyzer = LlmAnalyzer::new(model).with_structured_output(StructuredOutput::ToolCalling);
    let policy = Policy::on_interest();
    let analysis = analyzer
        .analyze_detailed(TurnInput::new(&policy, "Is there a plan for schools?"))
        .await
        .unwrap();
    assert!((analysis.signals.interest.get() - 0.7).abs() < 1e-6);
    assert_eq!(analysis.usage, None);
    let body: Value = server.received_requests().await.unwrap()[0]
        .body_json()
        .unwrap();
    assert!(body.get("response_format").is_none());
    // No key configured: no Authorization header.
    let request = &server.received_requests().await.unwrap()[0];
    assert!(request.headers.get("authorization").is_none());
}

#[tokio::test]
async fn vllm_and_llama_cpp_quirks_with_the_schema_in_the_prompt() {
    let server = MockServer::start().await;
    // vLLM: empty finish_reason, stop_reason, fenced JSON in the text.
    let fenced = "```json\n{\"interest\": 0.1, \"declined\": true, \"consent\": false, \"email\": null, \"phone\": null, \"name\": null}\n```";
    let answer = json!({
        "id": "cmpl-9", "object": "chat.completion", "created": 1, "model": "qwen",
        "choices": [{"index": 0, "message": {"role": "assistant", "content": fenced, "tool_calls": []},
                     "logprobs": null, "finish_reason": "", "stop_reason": null}],
        "usage": {"prompt_tokens": 200, "total_tokens": 230, "completion_tokens": 30, "prompt_tokens_details": null}
    });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .expect(1)
        .mount(&server)
        .await;
    let model = OpenAiCompatible::new(OpenAiConfig::new(server.uri(), "qwen")).unwrap();
    let analyzer = LlmAnalyzer::new(model).with_structured_output(StructuredOutput::PromptOnly);
    let policy = Policy::on_interest();
    let analysis = analyzer
        .analyze_detailed(TurnInput::new(&policy, "no thanks"))
        .await
        .unwrap();
    assert!(analysis.signals.declined);
    assert_eq!(analysis.usage.unwrap().total_tokens, 230);
    let body: Value = server.received_requests().await.unwrap()[0]
        .body_json()
        .unwrap();
    assert!(body.get("response_format").is_none() && body.get("tools").is_none());
    assert!(
        body["messages"][0]["content"]
            .as_str()
            .unwrap()
            .contains("JSON Schema")
    );

    // llama.cpp server: null finish_reason, timings, content as text.
    let server = MockServer::start().await;
    let answer = json!({
        "choices": [{"finish_reason": null, "index": 0, "message": {"content": "hello there", "role": "assistant"}}],
        "created": 1, "model": "gpt-3.5-turbo", "object": "chat.completion",
        "usage": {"completion_tokens": 3, "prompt_tokens": 9, "total_tokens": 12},
        "id": "chatcmpl-x", "timings": {"prompt_n": 9, "predicted_ms": 12.5}
    });
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .mount(&server)
        .await;
    let response = client(&server).complete(&simple_request()).await.unwrap();
    assert_eq!(response.content, ChatContent::Text("hello there".into()));
    assert_eq!(response.finish_reason, None);
}

#[tokio::test]
async fn rate_limit_with_retry_after_seconds_is_waited_out() {
    let server = MockServer::start().await;
    fails_once_then_answers(
        &server,
        ResponseTemplate::new(429).insert_header("retry-after", "1").set_body_json(
            json!({"error": {"message": "Rate limit reached", "type": "requests", "code": "rate_limit_exceeded"}}),
        ),
        "ok",
    )
    .await;
    let started = Instant::now();
    let response = client(&server).complete(&simple_request()).await.unwrap();
    assert_eq!(response.content, ChatContent::Text("ok".into()));
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After was not honoured"
    );
    assert_eq!(requests_made(&server).await, 2);
}

// The error tests below share their set-up (one mock, one failing call):
// each is kept whole so that the answer and the error it must give are
// read side by side.
#[tokio::test]
async fn persistent_rate_limits_and_long_retry_after_are_typed_errors() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", "0"))
        .mount(&server)
        .await;
    let error = client(&server)
        .complete(&simple_request())
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::RateLimited { attempts: 3, retry_after: Some(d) } if d.is_zero()),
        "{error:?}"
    );
    assert_eq!(requests_made(&server).await, 3);

    // A wait longer than the configured cap is not slept through.
    let server = MockServer::start().await;
    let in_an_hour =
        httpdate::fmt_http_date(std::time::SystemTime::now() + Duration::from_secs(3600));
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(429).insert_header("retry-after", in_an_hour.as_str()))
        .mount(&server)
        .await;
    let started = Instant::now();
    let error = client(&server)
        .complete(&simple_request())
        .await
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(5));
    match error {
        Error::RateLimited {
            attempts: 1,
            retry_after: Some(wait),
        } => {
            assert!(wait > Duration::from_secs(3000), "{wait:?}");
        }
        other => panic!("unexpected {other:?}"),
    }
}

#[tokio::test]
async fn server_error_then_success_is_retried() {
    let server = MockServer::start().await;
    fails_once_then_answers(
        &server,
        ResponseTemplate::new(500).set_body_string("upstream exploded"),
        "fine",
    )
    .await;
    let response = client(&server).complete(&simple_request()).await.unwrap();
    assert_eq!(response.content, ChatContent::Text("fine".into()));
    assert_eq!(response.usage.unwrap().total_tokens, 340);
    assert_eq!(requests_made(&server).await, 2);

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let error = client(&server)
        .complete(&simple_request())
        .await
        .unwrap_err();
    assert!(
        matches!(
            error,
            Error::Server {
                status: 503,
                attempts: 3
            }
        ),
        "{error:?}"
    );
    assert!(error.is_transient());
}

#[tokio::test]
async fn other_client_errors_are_not_retried() {
    for (status, body) in [
        (
            400,
            json!({"error": {"message": "Invalid schema for response_format", "type": "invalid_request_error", "code": "invalid_json_schema"}}),
        ),
        (
            404,
            json!({"error": {"message": "The model `gpt-5-mini` does not exist", "code": "model_not_found"}}),
        ),
        (
            401,
            json!({"error": {"message": "Incorrect API key provided: sk-test-***", "code": "invalid_api_key"}}),
        ),
        (403, json!({"error": "forbidden"})),
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&server)
            .await;
        let error = client(&server)
            .complete(&simple_request())
            .await
            .unwrap_err();
        assert_eq!(
            requests_made(&server).await,
            1,
            "status {status} was retried"
        );
        match (status, &error) {
            (400, Error::Rejected { status: 400, code }) => {
                assert_eq!(code.as_deref(), Some("invalid_json_schema"));
            }
            (404, Error::Rejected { status: 404, code }) => {
                assert_eq!(code.as_deref(), Some("model_not_found"));
            }
            (401, Error::Auth { status: 401, code }) => {
                assert_eq!(code.as_deref(), Some("invalid_api_key"));
            }
            (
                403,
                Error::Auth {
                    status: 403,
                    code: None,
                },
            ) => {}
            _ => panic!("status {status} gave {error:?}"),
        }
        assert!(!error.is_transient());
    }
}

#[tokio::test]
async fn a_response_slower_than_the_read_timeout_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(openai_completion("late"))
                .set_delay(Duration::from_secs(3)),
        )
        .mount(&server)
        .await;
    let model = OpenAiCompatible::new(
        config(&server)
            .with_read_timeout(Duration::from_millis(300))
            .with_request_timeout(None),
    )
    .unwrap();
    let started = Instant::now();
    let error = model.complete(&simple_request()).await.unwrap_err();
    assert!(
        matches!(error, Error::Timeout { attempts: 1, .. }),
        "{error:?}"
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );

    // The whole-request timeout works the same way.
    let model = OpenAiCompatible::new(
        config(&server).with_request_timeout(Some(Duration::from_millis(300))),
    )
    .unwrap();
    let error = model.complete(&simple_request()).await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
}

#[tokio::test]
async fn malformed_answers_are_bad_responses() {
    for body in [
        "{\"choices\": [{\"message\": {\"content\": \"unterminated",
        "<html><body>502 Bad Gateway</body></html>",
        "{\"object\": \"list\", \"data\": []}",
        "{\"error\": {\"message\": \"model overloaded\"}}",
    ] {
        let server = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(200).set_body_raw(body, "application/json"))
            .mount(&server)
            .await;
        let error = client(&server)
            .complete(&simple_request())
            .await
            .unwrap_err();
        assert!(
            matches!(error, Error::BadResponse { .. }),
            "{body}: {error:?}"
        );
    }
    // A model that answers prose where JSON was asked for.
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(openai_completion("I can't help with that.")),
        )
        .mount(&server)
        .await;
    let policy = Policy::on_interest();
    let error = LlmAnalyzer::new(client(&server))
        .analyze(TurnInput::new(&policy, "hello"))
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidOutput { .. }), "{error:?}");
}

#[tokio::test]
async fn a_refused_connection_is_a_connect_error() {
    // Bind a port, then free it: nothing listens there any more.
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        listener.local_addr().unwrap().port()
    };
    let model = OpenAiCompatible::new(OpenAiConfig::new(
        format!("http://127.0.0.1:{port}/v1"),
        "m",
    ))
    .unwrap();
    let error = model.complete(&simple_request()).await.unwrap_err();
    assert!(matches!(error, Error::Connect { .. }), "{error:?}");
    assert!(error.is_transient());
}

#[tokio::test]
async fn azure_style_headers_and_query_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/openai/deployments/chat/chat/completions"))
        .and(query_param("api-version", "2024-10-21"))
        .and(header("api-key", "azure-secret"))
        .respond_with(ResponseTemplate::new(200).set_body_json(openai_completion("hi")))
        .expect(1)
        .mount(&server)
        .await;
    let model = OpenAiCompatible::new(
        OpenAiConfig::new(
            format!("{}/openai/deployments/chat", server.uri()),
            "gpt-4o",
        )
        .with_header("api-key", "azure-secret")
        .with_query("api-version", "2024-10-21"),
    )
    .unwrap();
    assert!(
        model
            .endpoint()
            .ends_with("/chat/completions?api-version=2024-10-21")
    );
    model.complete(&simple_request()).await.unwrap();
    assert!(!format!("{model:?}").contains("azure-secret"));
}

#[test]
fn bad_configurations_are_config_errors() {
    for config in [
        OpenAiConfig::new("not a url", "m"),
        OpenAiConfig::new("ftp://example.com/v1", "m"),
        OpenAiConfig::new("http://localhost/v1", "m").with_api_key("bad\nkey"),
        OpenAiConfig::new("http://localhost/v1", "m").with_header("bad header", "x"),
    ] {
        let error = OpenAiCompatible::new(config).unwrap_err();
        assert!(matches!(error, Error::Config { .. }), "{error:?}");
        assert!(!error.to_string().contains("bad\nkey"));
    }
}

#[tokio::test]
async fn auto_structured_output_falls_back_and_remembers() {
    let server = MockServer::start().await;
    // A server without JSON-schema support that does have tool calling.
    Mock::given(method("POST"))
        .and(body_partial_json(json!({"response_format": {"type": "json_schema"}})))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": {"message": "response_format json_schema is not supported", "code": "unsupported_parameter"}
        })))
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(body_partial_json(
            json!({"tool_choice": {"type": "function"}}),
        ))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "choices": [{"message": {"role": "assistant", "content": null, "tool_calls": [{
                "id": "c1", "type": "function",
                "function": {"name": "report_turn_signals", "arguments": "{\"interest\": 0.75}"}
            }]}, "finish_reason": "tool_calls"}]
        })))
        .mount(&server)
        .await;

    let analyzer = LlmAnalyzer::new(client(&server)).with_structured_output(StructuredOutput::Auto);
    let policy = Policy::on_interest();
    let first = analyzer
        .analyze_detailed(TurnInput::new(&policy, "what does it cost?"))
        .await
        .unwrap();
    assert_eq!(first.model_calls, 2);
    assert_eq!(first.structured_output, StructuredOutput::ToolCalling);
    assert!((first.signals.interest.get() - 0.75).abs() < 1e-6);
    assert_eq!(
        analyzer.effective_structured_output(),
        StructuredOutput::ToolCalling
    );

    let second = analyzer
        .analyze_detailed(TurnInput::new(&policy, "and for 10 users?"))
        .await
        .unwrap();
    assert_eq!(second.model_calls, 1);
    assert_eq!(requests_made(&server).await, 3);

    // A fixed setting does not fall back: the rejection is the caller's to see.
    let fixed = LlmAnalyzer::new(client(&server));
    let error = fixed
        .analyze(TurnInput::new(&policy, "what does it cost?"))
        .await
        .unwrap_err();
    assert!(
        matches!(error, Error::Rejected { status: 400, .. }),
        "{error:?}"
    );
}
