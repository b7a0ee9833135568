//! The `mock` feature's mocks, used the way an integrator's tests would.
#![cfg(feature = "mock")]
#![allow(clippy::unwrap_used)] // test code

use leadkit_core::{Policy, Signals};
use leadkit_llm::{
    ChatContent, ChatResponse, Error, HybridAnalyzer, MockChatModel, MockTurnAnalyzer,
    TurnAnalyzer, TurnInput, UnsureBand, Usage,
};

#[tokio::test(flavor = "current_thread")]
async fn a_mock_turn_analyzer_stands_in_for_any_analyzer() {
    let mut mock = MockTurnAnalyzer::new();
    mock.expect_analyze()
        .withf(|input| input.message == "how much?")
        .times(1)
        .returning(|_| Ok(Signals::none().with_interest(0.9)));
    let analyzer: Box<dyn TurnAnalyzer> = Box::new(mock);
    let policy = Policy::on_interest();
    let signals = analyzer
        .analyze(TurnInput::new(&policy, "how much?"))
        .await
        .unwrap();
    assert!(signals.interest.get() > 0.8);
}

#[tokio::test(flavor = "current_thread")]
async fn hybrid_counts_tokens_and_survives_model_failures() {
    let mut model = MockChatModel::new();
    let mut calls = 0;
    model.expect_complete().times(2).returning(move |_| {
        calls += 1;
        if calls == 1 {
            Ok(
                ChatResponse::new(ChatContent::Text(r#"{"interest": 0.9}"#.into())).with_usage(
                    Usage {
                        prompt_tokens: 300,
                        completion_tokens: 20,
                        total_tokens: 320,
                    },
                ),
            )
        } else {
            Err(Error::Server {
                status: 503,
                attempts: 3,
            })
        }
    });
    // Unsure below the threshold, sure above: which turns reach the model
    // does not depend on how the shipped model scores the unsure message.
    let hybrid = HybridAnalyzer::new(model).with_unsure_band(UnsureBand {
        below: 1.0,
        above: 0.0,
    });
    let policy = Policy::on_interest();
    let unsure = "I forgot my password";
    let first = hybrid
        .analyze(TurnInput::new(&policy, unsure))
        .await
        .unwrap();
    assert!(first.interest.get() > 0.8, "the model's answer is used");
    let second = hybrid
        .analyze(TurnInput::new(&policy, unsure))
        .await
        .unwrap();
    assert!(
        second.interest.get() < 0.6,
        "a failed call falls back to the intent model"
    );
    // A sure turn and a disabled policy never reach the model.
    hybrid
        .analyze(TurnInput::new(&policy, "Can I book a demo?"))
        .await
        .unwrap();
    hybrid
        .analyze(TurnInput::new(&Policy::disabled(), unsure))
        .await
        .unwrap();
    let usage = hybrid.usage();
    assert_eq!(
        (usage.turns, usage.model_calls, usage.failed_calls),
        (4, 2, 1)
    );
    assert_eq!(
        (
            usage.prompt_tokens,
            usage.completion_tokens,
            usage.total_tokens
        ),
        (300, 20, 320)
    );
    assert!((usage.calls_per_100_turns() - 50.0).abs() < 1e-9);
    hybrid.reset_usage();
    assert_eq!(hybrid.usage().turns, 0);
}
