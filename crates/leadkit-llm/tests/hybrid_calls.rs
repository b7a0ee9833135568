//! The hybrid analyzer over the labelled conversations
//! (`tests/data/conversations.tsv`, written for the rule analyzer's tests;
//! the intent model was not trained or tuned on them), against a scripted
//! model that answers with the labels: how many model calls it makes per
//! 100 turns, and how often the state machine decides as it does when the
//! model is consulted on every turn.
#![allow(clippy::unwrap_used, clippy::print_stdout)] // test code

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{ConversationTurn, ScriptedModel, conversations};
use leadkit_core::{Conversation, Policy, TurnOutcome, UserTurn};
use leadkit_llm::{ChatMessage, Consult, HybridAnalyzer, TurnAnalyzer, TurnInput};

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

/// Agreement with always consulting the model, in per cent of turns: a
/// guard against regressions, not a target. The intent model agrees on
/// 77.5 % of these turns (BENCHMARKS.md): the public training data has few
/// SaaS-style buying questions ("Can I talk to sales?", "Was kostet das für
/// 10 Nutzer?"), so the model is sure and wrong on many of them. The rules
/// agreed on every turn, but they were tuned on this very table.
const MIN_AGREEMENT_PERCENT: f64 = 70.0;

#[tokio::test(flavor = "current_thread")]
async fn hybrid_makes_few_calls_and_mostly_the_same_decisions_as_always_asking() {
    compare("intent model first", Some(MAX_CALLS_PER_100_TURNS)).await;
}

async fn compare(name: &str, max_calls_per_100_turns: Option<f64>) {
    let policy = Policy::on_interest();
    let all = conversations();
    let turns: Vec<ConversationTurn> = all.iter().flatten().cloned().collect();
    assert!(turns.len() >= 100, "only {} turns", turns.len());

    let hybrid = HybridAnalyzer::new(ScriptedModel::from_turns(&turns));
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
    let agreement = 100.0 * (1.0 - differences.len() as f64 / turns.len() as f64);
    println!(
        "{name}: {} conversations, {} turns: hybrid {} model calls ({:.1} per 100 turns, {} tokens); \
         always-ask baseline {} calls ({} tokens); {} asks and {} lead events in the reference run; \
         same decision on {agreement:.1} % of turns",
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
        agreement >= MIN_AGREEMENT_PERCENT,
        "decisions differ on {:.1} % of turns:\n{}",
        100.0 - agreement,
        differences.join("\n")
    );
    for difference in &differences {
        println!("  differs: {difference}");
    }
    if let Some(max) = max_calls_per_100_turns {
        assert!(
            usage.calls_per_100_turns() <= max,
            "{:.1} model calls per 100 turns",
            usage.calls_per_100_turns()
        );
    }
    assert!(
        usage.model_calls > 0,
        "the conversations should include turns the intent model is unsure about"
    );
}
