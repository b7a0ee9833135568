//! The hybrid analyzer over the labelled conversations
//! (`tests/data/conversations.tsv`), against a scripted model that answers
//! with the labels: how many model calls it makes per 100 turns, and that
//! the state machine decides exactly as it does when the model is consulted
//! on every turn.
#![allow(clippy::unwrap_used, clippy::print_stdout)] // test code

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{ConversationTurn, ScriptedModel, conversations};
use leadkit_core::{Conversation, Policy, TurnOutcome, UserTurn};
use leadkit_llm::{ChatMessage, Consult, HybridAnalyzer, RuleAnalyzer, TurnAnalyzer, TurnInput};

/// The target: at most 20 model calls per 100 turns.
const MAX_CALLS_PER_100_TURNS: f64 = 20.0;

async fn run(
    analyzer: &HybridAnalyzer<ScriptedModel>,
    policy: &Policy,
    turns: &[ConversationTurn],
) -> Vec<TurnOutcome> {
    let mut conversation = Conversation::new();
    let mut transcript = Vec::new();
    let t0 = DateTime::<Utc>::UNIX_EPOCH;
    let mut outcomes = Vec::new();
    for (i, turn) in turns.iter().enumerate() {
        let at = t0 + Duration::seconds(60 * i as i64);
        let input = TurnInput::new(policy, &turn.text).with_transcript(&transcript);
        let signals = analyzer.analyze(input).await.unwrap();
        let outcome = conversation
            .handle_user_turn(policy, UserTurn::new(at, signals))
            .unwrap();
        conversation
            .handle_assistant_reply(at + Duration::seconds(1))
            .unwrap();
        transcript.push(ChatMessage::user(turn.text.clone()));
        transcript.push(ChatMessage::assistant("(answer)"));
        outcomes.push(outcome);
    }
    outcomes
}

#[tokio::test(flavor = "current_thread")]
async fn hybrid_makes_few_calls_and_the_same_decisions_as_always_asking() {
    compare(
        RuleAnalyzer::new(),
        "default rules",
        Some(MAX_CALLS_PER_100_TURNS),
    )
    .await;
}

/// With cue-less questions counted as sure the hybrid asks the model even
/// less often (and misses more paraphrased buying questions); the figure is
/// printed for the benchmark notes, and the decisions must still match.
#[tokio::test(flavor = "current_thread")]
async fn hybrid_with_cueless_questions_sure_makes_the_same_decisions() {
    let rules = RuleAnalyzer::new().with_cueless_questions_unsure(false);
    compare(
        rules,
        "cue-less questions sure",
        Some(MAX_CALLS_PER_100_TURNS),
    )
    .await;
}

async fn compare(rules: RuleAnalyzer, name: &str, max_calls_per_100_turns: Option<f64>) {
    let policy = Policy::on_interest();
    let all = conversations();
    let turns: Vec<ConversationTurn> = all.iter().flatten().cloned().collect();
    assert!(turns.len() >= 100, "only {} turns", turns.len());

    let hybrid = HybridAnalyzer::new(ScriptedModel::from_turns(&turns)).with_rules(rules);
    let always =
        HybridAnalyzer::new(ScriptedModel::from_turns(&turns)).with_consult(Consult::Always);

    let mut differences = Vec::new();
    let mut asks = 0;
    let mut leads = 0;
    for conversation in &all {
        let with_hybrid = run(&hybrid, &policy, conversation).await;
        let with_model = run(&always, &policy, conversation).await;
        for ((turn, h), m) in conversation.iter().zip(&with_hybrid).zip(&with_model) {
            if h != m {
                differences.push(format!(
                    "{} turn {}: hybrid {:?} / model {:?}: {}",
                    turn.conversation, h.turn, h.action, m.action, turn.text
                ));
            }
            asks += usize::from(matches!(m.action, leadkit_core::Action::AnswerAndAsk(_)));
            leads += usize::from(m.lead().is_some());
        }
    }

    let usage = hybrid.usage();
    let baseline = always.usage();
    println!(
        "{name}: {} conversations, {} turns: hybrid {} model calls ({:.1} per 100 turns, {} tokens); \
         always-ask baseline {} calls ({} tokens); {} asks and {} lead events in the reference run",
        all.len(),
        usage.turns,
        usage.model_calls,
        usage.calls_per_100_turns(),
        usage.total_tokens,
        baseline.model_calls,
        baseline.total_tokens,
        asks,
        leads,
    );
    assert_eq!(usage.turns, turns.len() as u64);
    assert_eq!(baseline.model_calls, turns.len() as u64);
    assert_eq!(usage.failed_calls + baseline.failed_calls, 0);
    assert!(
        asks > 0 && leads > 0,
        "the reference run must exercise asks and leads"
    );
    assert!(
        differences.is_empty(),
        "decisions differ:\n{}",
        differences.join("\n")
    );
    if let Some(max) = max_calls_per_100_turns {
        assert!(
            usage.calls_per_100_turns() <= max,
            "{:.1} model calls per 100 turns",
            usage.calls_per_100_turns()
        );
    }
    assert!(
        usage.model_calls > 0,
        "the conversations should include turns the rules are unsure about"
    );
}
