//! Engine turns per second, end to end with the `RuleAnalyzer`: analyze,
//! decide, persist (state + message, and the lead when one is captured) and
//! record the reply, on the in-memory store and on file-backed SQLite.
//!
//! ```text
//! cargo bench --bench engine
//! LEADKIT_BENCH_TURNS=20000 cargo bench --bench engine   # more turns
//! ```
//!
//! Each conversation is eight visitor messages (questions, a decline, then
//! details, distinct per conversation) with a reply after each; a "turn" is one `user_message` plus its
//! `assistant_message`. Figures go to BENCHMARKS.md.

use std::sync::Arc;
use std::time::{Duration, Instant};

use leadkit::core::{BotId, ConversationId, Policy, WorkspaceId};
use leadkit::engine::{Engine, StaticPolicies, Visit};
use leadkit::sql::SqliteStore;
use leadkit::store::{MemoryStore, Store};

const SCRIPT: [&str; 8] = [
    "Hi, what are your opening hours?",
    "Do you ship to Portugal?",
    "How much is the Team plan for 20 seats?",
    "No thanks, I'd rather not share that right now.",
    "Can I book a demo for Friday?",
    "OK: I'm Ana Souza, ana.souza@example.com",
    "And my phone is +351 912 345 678",
    "Thanks, bye!",
];

fn turns_wanted() -> usize {
    std::env::var("LEADKIT_BENCH_TURNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(8_000)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

async fn run(name: &str, store: Arc<dyn Store>) {
    let engine = Engine::builder()
        .store(store)
        .policies(Arc::new(StaticPolicies::new(Policy::on_interest())))
        .build()
        .expect("a store is configured");
    let workspace = WorkspaceId::from_u128(1);
    let bot = BotId::from_u128(2);
    // Warm up first: the first phone number loads libphonenumber's metadata
    // (tens of milliseconds, once per process), which is not a turn's cost.
    let warm_up = Visit::new(
        WorkspaceId::from_u128(99),
        bot,
        ConversationId::from_u128(u128::MAX),
    );
    for message in SCRIPT {
        engine.user_message(&warm_up, message).await.expect("turn");
    }
    let conversations = turns_wanted().div_ceil(SCRIPT.len());
    let mut latencies = Vec::with_capacity(conversations * SCRIPT.len());
    let started = Instant::now();
    for n in 0..conversations {
        let visit = Visit::new(workspace, bot, ConversationId::from_u128(n as u128 + 1));
        for message in SCRIPT {
            // Every conversation is a different visitor: distinct details,
            // so each becomes its own lead as in real traffic.
            let message = message
                .replace("ana.souza@", &format!("ana.souza{n}@"))
                .replace(
                    "912 345 678",
                    &format!("912 {:03} {:03}", n / 1000 % 1000, n % 1000),
                );
            let turn_started = Instant::now();
            let reply = engine.user_message(&visit, &message).await.expect("turn");
            let text = reply.prompt.unwrap_or_else(|| "(answer)".to_owned());
            engine
                .assistant_message(&visit, &text)
                .await
                .expect("reply");
            latencies.push(turn_started.elapsed());
        }
    }
    let elapsed = started.elapsed();
    latencies.sort();
    println!(
        "engine/{name}: {} turns in {:.2} s = {:.0} turns/s; per turn p50 {:.0} µs, p90 {:.0} µs, p99 {:.0} µs",
        latencies.len(),
        elapsed.as_secs_f64(),
        latencies.len() as f64 / elapsed.as_secs_f64(),
        percentile(&latencies, 0.50).as_secs_f64() * 1e6,
        percentile(&latencies, 0.90).as_secs_f64() * 1e6,
        percentile(&latencies, 0.99).as_secs_f64() * 1e6,
    );
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        run("memory", Arc::new(MemoryStore::new())).await;
        let dir = std::env::temp_dir().join(format!("leadkit-engine-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("a temp dir");
        let sqlite = SqliteStore::open(dir.join("bench.sqlite"))
            .await
            .expect("open SQLite");
        run("sqlite_file", Arc::new(sqlite)).await;
        let _ = std::fs::remove_dir_all(dir);
    });
}
