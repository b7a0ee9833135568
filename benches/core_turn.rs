//! One user turn's decision in leadkit-core.
//!
//! `cargo bench --bench core_turn`; figures in BENCHMARKS.md.

use chrono::{DateTime, Utc};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use leadkit_core::{ContactDetails, Conversation, Policy, Signals, UserTurn};
use std::hint::black_box;

fn at() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH
}

/// A conversation a few turns in, as it usually is when a message arrives.
fn mid_conversation(policy: &Policy) -> Conversation {
    let mut conversation = Conversation::new();
    for _ in 0..3 {
        let _ = conversation
            .handle_user_turn(
                policy,
                UserTurn::new(at(), Signals::none().with_interest(0.1)),
            )
            .expect("valid policy and ordered input");
    }
    conversation
}

fn turn_decision(c: &mut Criterion) {
    let mut group = c.benchmark_group("core_turn");
    let cases = [
        (
            "on_interest/steady",
            Policy::on_interest(),
            Signals::none().with_interest(0.2),
        ),
        (
            "on_interest/ask",
            Policy::on_interest(),
            Signals::none().with_interest(0.9),
        ),
        ("every_reply/ask", Policy::every_reply(), Signals::none()),
        ("before_chat/gate", Policy::before_chat(), Signals::none()),
    ];
    for (name, policy, signals) in cases {
        let mut conversation = mid_conversation(&policy);
        // Turns keep coming on the same conversation: the counters move, the
        // decision path stays the steady one.
        let mut unlimited = policy.clone();
        unlimited.max_asks = None;
        group.bench_function(name, |b| {
            b.iter(|| {
                let turn = UserTurn::new(at(), black_box(signals.clone()));
                black_box(
                    conversation
                        .handle_user_turn(&unlimited, turn)
                        .expect("valid"),
                )
            })
        });
    }
    let policy = Policy::after_first_query();
    let details = ContactDetails::new()
        .with_name("Ana Souza")
        .with_email("ana@example.com");
    group.bench_function("after_first_query/capture", |b| {
        b.iter_batched(
            || {
                (
                    mid_conversation(&policy),
                    Signals::none().with_details(details.clone()),
                )
            },
            |(mut conversation, signals)| {
                black_box(
                    conversation
                        .handle_user_turn(&policy, UserTurn::new(at(), signals))
                        .expect("valid"),
                )
            },
            BatchSize::SmallInput,
        )
    });
    let saved = mid_conversation(&Policy::on_interest());
    group.bench_function("state/to_json", |b| b.iter(|| black_box(saved.to_json())));
    let json = saved.to_json();
    group.bench_function("state/from_json", |b| {
        b.iter(|| black_box(Conversation::from_json(black_box(&json)).expect("valid state")))
    });
    group.finish();
}

criterion_group!(benches, turn_decision);
criterion_main!(benches);
