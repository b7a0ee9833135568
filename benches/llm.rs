//! leadkit-llm benchmarks: the intent analyzer and its model per message
//! (issue 12's target: at most 5 µs for a typical message on one core), the
//! rule analyzer, and the overhead the hybrid and LLM analyzers add around a
//! model that answers instantly.
//!
//! ```text
//! cargo bench -p leadkit-workspace --bench llm
//! ```
//!
//! The model calls per 100 turns of the hybrid analyzer are counted by the
//! `hybrid_calls` test of leadkit-llm, not here.

use std::hint::black_box;
use std::pin::pin;
use std::task::{Context, Poll, Waker};

use async_trait::async_trait;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use leadkit_core::Policy;
use leadkit_llm::{
    ChatContent, ChatModel, ChatRequest, ChatResponse, Error, HybridAnalyzer, IntentAnalyzer,
    IntentModel, RuleAnalyzer, TurnAnalyzer, TurnInput, UnsureBand,
};

/// Typical visitor messages: questions, support, small talk, declines,
/// consent, in the five languages, one with an email address.
const TYPICAL: &[&str] = &[
    "Hi, how much does the Pro plan cost per month for a team of 10?",
    "I forgot my password and can't log in to my account.",
    "¿Tienen prueba gratuita? Me gustaría ver una demo.",
    "Danke, das war alles. Schönen Tag noch!",
    "Non merci, je préfère ne pas donner mon email.",
    "Sim, podem me contatar amanhã à tarde.",
    "Does it integrate with Shopify and Slack?",
    "Sure, my email is ana.souza@example.com",
];

/// Drives a future that never waits (the rule analyzer's) to completion.
// The same as leadkit-llm's tests/never_panics.rs helper: a bench target and
// a test crate cannot share code, and it is too small for a crate feature.
fn ready<F: Future>(future: F) -> F::Output {
    let mut future = pin!(future);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        if let Poll::Ready(output) = future.as_mut().poll(&mut context) {
            return output;
        }
    }
}

/// A model that answers at once, to measure what the analyzers add.
struct Instant;

#[async_trait]
impl ChatModel for Instant {
    async fn complete(&self, _: &ChatRequest) -> Result<ChatResponse, Error> {
        Ok(ChatResponse::new(ChatContent::Text(
            r#"{"interest":0.7,"declined":false,"consent":false,"email":null,"phone":null,"name":null}"#.into(),
        )))
    }
}

fn intent_analyzer(c: &mut Criterion) {
    let analyzer = IntentAnalyzer::new();
    let model = IntentModel::shipped();
    let policy = Policy::on_interest();
    // Parse the embedded model outside the measurement.
    let _ = model.classify("warm up");

    let mut group = c.benchmark_group("intent_analyzer");
    group.throughput(Throughput::Elements(TYPICAL.len() as u64));
    group.bench_function("classify_8_typical_messages", |b| {
        b.iter(|| {
            for message in TYPICAL {
                black_box(model.classify(black_box(message)));
            }
        });
    });
    group.bench_function("assess_8_typical_messages", |b| {
        b.iter(|| {
            for message in TYPICAL {
                black_box(analyzer.assess_turn(&TurnInput::new(&policy, black_box(message))));
            }
        });
    });
    group.throughput(Throughput::Elements(1));
    group.bench_function("assess_pricing_question", |b| {
        b.iter(|| black_box(analyzer.assess_turn(&TurnInput::new(&policy, black_box(TYPICAL[0])))));
    });
    group.bench_function("analyze_via_trait", |b| {
        let analyzer: &dyn TurnAnalyzer = &analyzer;
        b.iter(|| ready(analyzer.analyze(TurnInput::new(&policy, black_box(TYPICAL[0])))));
    });
    group.finish();
}

fn rule_analyzer(c: &mut Criterion) {
    let rules = RuleAnalyzer::new();
    let policy = Policy::on_interest();
    // Build the automaton outside the measurement.
    let _ = rules.assess(&policy, "warm up");

    let mut group = c.benchmark_group("rule_analyzer");
    group.throughput(Throughput::Elements(TYPICAL.len() as u64));
    group.bench_function("assess_8_typical_messages", |b| {
        b.iter(|| {
            for message in TYPICAL {
                black_box(rules.assess(&policy, black_box(message)));
            }
        });
    });
    group.throughput(Throughput::Elements(1));
    group.bench_function("assess_pricing_question", |b| {
        b.iter(|| black_box(rules.assess(&policy, black_box(TYPICAL[0]))));
    });
    group.bench_function("assess_message_with_email", |b| {
        b.iter(|| black_box(rules.assess(&policy, black_box(TYPICAL[7]))));
    });
    group.bench_function("analyze_via_trait", |b| {
        let analyzer: &dyn TurnAnalyzer = &rules;
        b.iter(|| ready(analyzer.analyze(TurnInput::new(&policy, black_box(TYPICAL[0])))));
    });
    group.finish();
}

fn hybrid_analyzer(c: &mut Criterion) {
    let hybrid = HybridAnalyzer::new(Instant);
    let policy = Policy::on_interest();
    let mut group = c.benchmark_group("hybrid_analyzer");
    group.bench_function("sure_turn_intent_model_only", |b| {
        b.iter(|| ready(hybrid.analyze(TurnInput::new(&policy, black_box(TYPICAL[0])))));
    });
    group.bench_function("unsure_turn_with_instant_model", |b| {
        // A band covering every score, so this turn consults the model
        // whatever the shipped model makes of it.
        let always_unsure = HybridAnalyzer::new(Instant).with_unsure_band(UnsureBand {
            below: 1.0,
            above: 1.0,
        });
        let unsure = "We're looking for something like this for our team";
        b.iter(|| ready(always_unsure.analyze(TurnInput::new(&policy, black_box(unsure)))));
    });
    group.finish();
}

criterion_group!(benches, intent_analyzer, rule_analyzer, hybrid_analyzer);
criterion_main!(benches);
