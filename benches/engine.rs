//! Engine turns per second, end to end with the default `IntentAnalyzer`: analyze,
//! decide, persist (state + message, and the lead when one is captured) and
//! record the reply, on the in-memory store and on file-backed SQLite.
//!
//! ```text
//! cargo bench --bench engine
//! LEADKIT_BENCH_TURNS=20000 cargo bench --bench engine   # more turns
//! LEADKIT_BENCH_IN_FLIGHT=16 cargo bench --bench engine   # more at once
//! ```
//!
//! Each conversation is eight visitor messages (questions, a decline, then
//! details, distinct per conversation) with a reply after each; a "turn" is
//! one `user_message` plus its `assistant_message`. Two shapes:
//!
//! - `sequential`: one conversation at a time on a single-threaded runtime,
//!   so the rate is one over a turn's latency;
//! - `concurrent`: several conversations at once (4 unless
//!   `LEADKIT_BENCH_IN_FLIGHT` says otherwise) on a two-worker runtime, as
//!   a server handles its visitors; a turn's latency then includes its
//!   wait for the others' writes.
//!
//! The sequential SQLite figure is also given as a multiple of a raw
//! baseline measured in the same run: the same rows written by one
//! hand-written sqlx transaction per turn (`engine/raw_baseline.rs`).
//!
//! Figures go to BENCHMARKS.md.

#[path = "engine/raw_baseline.rs"]
mod raw_baseline;

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
    env_or("LEADKIT_BENCH_TURNS", 8_000)
}

/// Conversations in flight in the concurrent shape.
fn in_flight() -> usize {
    env_or("LEADKIT_BENCH_IN_FLIGHT", 4).max(1)
}

fn env_or(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

fn engine_on(store: Arc<dyn Store>) -> Engine {
    Engine::builder()
        .store(store)
        .policies(Arc::new(StaticPolicies::new(Policy::on_interest())))
        .build()
        .expect("a store is configured")
}

/// Conversation `n` from start to end; the latency of each turn.
async fn conversation(engine: &Engine, workspace: WorkspaceId, n: usize) -> Vec<Duration> {
    let visit = Visit::new(
        workspace,
        BotId::from_u128(2),
        ConversationId::from_u128(n as u128 + 1),
    );
    let mut latencies = Vec::with_capacity(SCRIPT.len());
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
    latencies
}

async fn run(name: &str, store: Arc<dyn Store>, in_flight: usize) {
    let engine = engine_on(store);
    // Warm up first: the first phone number loads libphonenumber's metadata
    // (tens of milliseconds, once per process), which is not a turn's cost.
    let _ = conversation(&engine, WorkspaceId::from_u128(99), usize::MAX / 2).await;
    let workspace = WorkspaceId::from_u128(1);
    let conversations = turns_wanted().div_ceil(SCRIPT.len());
    let started = Instant::now();
    let mut tasks = tokio::task::JoinSet::new();
    for first in 0..in_flight {
        let engine = engine.clone();
        tasks.spawn(async move {
            let mut latencies = Vec::new();
            for n in (first..conversations).step_by(in_flight) {
                latencies.extend(conversation(&engine, workspace, n).await);
            }
            latencies
        });
    }
    let mut latencies = Vec::with_capacity(conversations * SCRIPT.len());
    while let Some(done) = tasks.join_next().await {
        latencies.extend(done.expect("a bench task"));
    }
    let rate = latencies.len() as f64 / started.elapsed().as_secs_f64();
    report(
        &format!("engine/{name} ({in_flight} in flight)"),
        rate,
        latencies,
    );
}

fn report(name: &str, rate: f64, mut latencies: Vec<Duration>) {
    latencies.sort();
    println!(
        "{name}: {} turns = {rate:.0} turns/s; per turn p50 {:.0} µs, p90 {:.0} µs, p99 {:.0} µs",
        latencies.len(),
        percentile(&latencies, 0.50).as_secs_f64() * 1e6,
        percentile(&latencies, 0.90).as_secs_f64() * 1e6,
        percentile(&latencies, 0.99).as_secs_f64() * 1e6,
    );
}

/// Sequential SQLite turns and the raw sqlx baseline, alternately in
/// rounds over the same conversations (the engine's file and the
/// baseline's are separate, both fresh and migrated), so that a change in
/// the machine's load during the run weighs on both alike. Prints both and
/// the engine's turn cost as a multiple of the baseline's.
async fn sequential_against_baseline(dir: &std::path::Path) {
    const ROUNDS: usize = 4;
    let store = sqlite_file(dir, "sequential.sqlite").await;
    let engine = engine_on(store.clone());
    let warm_up = usize::MAX / 2;
    let _ = conversation(&engine, WorkspaceId::from_u128(99), warm_up).await;
    // The baseline writes the state JSON of a finished conversation.
    let saved = store
        .load_state(
            WorkspaceId::from_u128(99),
            ConversationId::from_u128(warm_up as u128 + 1),
        )
        .await
        .expect("load the warm-up conversation")
        .expect("the bench stored it");
    let path = dir.join("raw.sqlite");
    SqliteStore::open(&path)
        .await
        .expect("migrate")
        .close()
        .await;
    let mut baseline = raw_baseline::Baseline::open(&path, saved.conversation.to_json()).await;

    let workspace = WorkspaceId::from_u128(1);
    let per_round = turns_wanted().div_ceil(SCRIPT.len()).div_ceil(ROUNDS);
    let (mut engine_time, mut engine_latencies) = (Duration::ZERO, Vec::new());
    let (mut raw_time, mut raw_latencies) = (Duration::ZERO, Vec::new());
    for round in 0..ROUNDS {
        let range = round * per_round..(round + 1) * per_round;
        let started = Instant::now();
        for n in range.clone() {
            engine_latencies.extend(conversation(&engine, workspace, n).await);
        }
        engine_time += started.elapsed();
        let started = Instant::now();
        raw_latencies.extend(baseline.conversations(range).await);
        raw_time += started.elapsed();
    }
    baseline.close().await;
    let engine_rate = engine_latencies.len() as f64 / engine_time.as_secs_f64();
    let raw_rate = raw_latencies.len() as f64 / raw_time.as_secs_f64();
    report(
        "engine/sqlite_file/sequential (1 in flight)",
        engine_rate,
        engine_latencies,
    );
    report(
        "raw_sqlx/sqlite_file/sequential (1 in flight)",
        raw_rate,
        raw_latencies,
    );
    println!(
        "engine/sqlite_file/sequential costs {:.2}x the raw sqlx baseline per turn ({ROUNDS} alternating rounds)",
        raw_rate / engine_rate
    );
}

async fn sqlite_file(dir: &std::path::Path, name: &str) -> Arc<dyn Store> {
    let store = SqliteStore::open(dir.join(name))
        .await
        .expect("open SQLite");
    Arc::new(store)
}

fn main() {
    let dir = std::env::temp_dir().join(format!("leadkit-engine-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temp dir");
    let sequential = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    sequential.block_on(async {
        run("memory/sequential", Arc::new(MemoryStore::new()), 1).await;
        sequential_against_baseline(&dir).await;
    });
    drop(sequential);
    let concurrent = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("a runtime");
    concurrent.block_on(async {
        let in_flight = in_flight();
        run("memory/concurrent", Arc::new(MemoryStore::new()), in_flight).await;
        let sqlite = sqlite_file(&dir, "concurrent.sqlite").await;
        run("sqlite_file/concurrent", sqlite, in_flight).await;
    });
    let _ = std::fs::remove_dir_all(dir);
}
