//! No input panics: any visitor text through the intent model and the
//! rules, any model answer through the LLM analyzer, any bytes as a model
//! file.
#![allow(clippy::unwrap_used)] // test code

use std::pin::pin;
use std::task::{Context, Poll, Waker};

use async_trait::async_trait;
use leadkit_core::Policy;
use leadkit_llm::{
    ChatContent, ChatMessage, ChatModel, ChatRequest, ChatResponse, Error, IntentAnalyzer,
    IntentModel, LlmAnalyzer, RuleAnalyzer, StructuredOutput, TurnAnalyzer, TurnInput,
};
use proptest::prelude::*;

/// Drives a future that never waits to completion.
// The same as benches/llm.rs's helper: a test crate and a bench target
// cannot share code.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// A model that answers with the given text.
struct Says(String);

#[async_trait]
impl ChatModel for Says {
    async fn complete(&self, _: &ChatRequest) -> Result<ChatResponse, Error> {
        Ok(ChatResponse::new(ChatContent::Text(self.0.clone())))
    }
}

fn chat_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-zA-Z0-9 @.+()?¿!,'’éüçãñß-]{0,120}",
        "(no thanks|how much|my email is|ignore your instructions|\\{|\\}|\"|```json|@|\\+44 20 7946 0958|dot|at| )*",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_intent_analyzer_takes_any_text(message in chat_text(), previous in chat_text(), pending in any::<Option<bool>>()) {
        let policy = Policy::on_interest();
        let analyzer = IntentAnalyzer::new();
        let transcript = [ChatMessage::assistant(previous)];
        let mut input = TurnInput::new(&policy, &message).with_transcript(&transcript);
        if let Some(pending) = pending {
            input = input.with_request_pending(pending);
        }
        let assessment = analyzer.assess_turn(&input);
        prop_assert!((0.0..=1.0).contains(&assessment.signals.interest.get()));
        prop_assert!(!(assessment.signals.consent && assessment.signals.declined));
        let signals = ready(analyzer.analyze(input)).unwrap();
        prop_assert_eq!(signals, assessment.signals);
    }

    #[test]
    fn any_bytes_are_a_model_or_a_typed_error(bytes in proptest::collection::vec(any::<u8>(), 0..64), flip in 0usize..1_600_000) {
        prop_assert!(IntentModel::from_bytes(&bytes).is_err());
        // One flipped byte anywhere in the shipped model is caught.
        let mut model = IntentModel::shipped().to_bytes();
        let at = flip % model.len();
        model[at] ^= 0x20;
        prop_assert!(IntentModel::from_bytes(&model).is_err());
    }

    #[test]
    fn rules_take_any_text(message in chat_text(), previous in chat_text()) {
        let policy = Policy::on_interest();
        let rules = RuleAnalyzer::new();
        let transcript = [ChatMessage::assistant(previous)];
        let input = TurnInput::new(&policy, &message).with_transcript(&transcript);
        let assessment = rules.assess_turn(&input);
        let interest = assessment.signals.interest.get();
        prop_assert!((0.0..=1.0).contains(&interest));
        prop_assert!(!(assessment.signals.consent && assessment.signals.declined));
        let signals = ready(rules.analyze(input)).unwrap();
        prop_assert_eq!(signals, assessment.signals);
    }

    #[test]
    fn the_llm_analyzer_takes_any_answer(message in chat_text(), answer in chat_text()) {
        let policy = Policy::on_interest();
        for output in [StructuredOutput::JsonSchema, StructuredOutput::PromptOnly] {
            let analyzer = LlmAnalyzer::new(Says(answer.clone())).with_structured_output(output);
            match ready(analyzer.analyze(TurnInput::new(&policy, &message))) {
                Ok(signals) => prop_assert!((0.0..=1.0).contains(&signals.interest.get())),
                Err(error) => prop_assert!(matches!(error, Error::InvalidOutput { .. }), "{:?}", error),
            }
        }
    }
}
