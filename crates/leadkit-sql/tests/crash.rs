//! A writer killed with SIGKILL in the middle of writing loses no committed
//! lead and leaves the database consistent.
//!
//! This test binary plays both parts (`harness = false`): run normally it
//! spawns itself as the writer with `LEADKIT_CRASH_DB` set, reads the ids
//! the writer reports after each commit, kills it with SIGKILL while it is
//! writing, reopens the database, checks its integrity and finds every
//! reported lead, with its whole turn.
#![allow(clippy::unwrap_used)] // test code

use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use leadkit_core::{BotId, ContactDetails, Conversation, ConversationId, LeadId, WorkspaceId};
use leadkit_sql::SqliteStore;
use leadkit_store::{
    ConversationStateStore, LeadStore, LeadUpsert, Role, Store, TranscriptMessage, TranscriptStore,
    TurnWrite,
};

const DB_VAR: &str = "LEADKIT_CRASH_DB";
const WS: WorkspaceId = WorkspaceId::from_u128(42);
const BOT: BotId = BotId::from_u128(7);

fn main() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    match std::env::var(DB_VAR) {
        Ok(path) => runtime.block_on(writer(&path)),
        Err(_) => runtime.block_on(killer()),
    }
}

/// The child: persists turns forever, reporting each committed lead.
async fn writer(path: &str) {
    let store = SqliteStore::open(path).await.unwrap();
    // Continue after the turns earlier writers committed (ids 1..=count).
    let done: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leads")
        .fetch_one(store.pool())
        .await
        .unwrap();
    let mut out = std::io::stdout().lock();
    for n in u128::try_from(done).unwrap() + 1.. {
        let conversation = ConversationId::from_u128(n);
        let at = DateTime::<Utc>::UNIX_EPOCH + chrono::Duration::seconds(i64::try_from(n).unwrap());
        let long = "x".repeat(4096); // big enough that a write spans pages
        let turn = TurnWrite::new(conversation, Conversation::new(), None)
            .message(TranscriptMessage::new(
                conversation,
                BOT,
                Role::Visitor,
                format!("hi {n} {long}"),
                at,
            ))
            .message(TranscriptMessage::new(
                conversation,
                BOT,
                Role::Assistant,
                format!("hello {n} {long}"),
                at,
            ))
            .lead(LeadUpsert::new(
                LeadId::from_u128(n),
                BOT,
                ContactDetails::new().with_email(format!("lead{n}@example.com")),
                at,
            ));
        store.persist_turn(WS, &turn).await.unwrap();
        writeln!(out, "{n}").unwrap();
        out.flush().unwrap();
    }
}

/// The parent: spawns the writer, kills it mid-write, checks the database.
async fn killer() {
    let dir = std::env::temp_dir().join(format!("leadkit-crash-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("leads.db");
    let mut committed = Vec::new();
    for round in 0..3 {
        let mut child = Command::new(std::env::current_exe().unwrap())
            .env(DB_VAR, &path)
            .stdout(Stdio::piped())
            .spawn()
            .unwrap();
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let before = committed.len();
        let deadline = Instant::now() + Duration::from_secs(60);
        // Let it commit a while (more each round), then kill it without warning.
        while committed.len() < before + 150 * (round + 1) && Instant::now() < deadline {
            let line = lines.next().expect("the writer reports commits").unwrap();
            committed.push(line.parse::<u128>().unwrap());
        }
        child.kill().unwrap(); // SIGKILL on Unix
        let status = child.wait().unwrap();
        assert!(!status.success(), "the writer was killed");
        // Commits reported before the kill landed in the pipe may still be read.
        for line in lines.map_while(Result::ok) {
            committed.push(line.parse::<u128>().unwrap());
        }

        let store = SqliteStore::open(&path).await.unwrap();
        let check: String = sqlx::query_scalar("PRAGMA integrity_check")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(check, "ok", "integrity after SIGKILL in round {round}");
        let fk: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check")
            .fetch_all(store.pool())
            .await
            .unwrap();
        assert!(fk.is_empty(), "foreign keys hold after SIGKILL");
        for n in &committed {
            let lead = store.get_lead(WS, LeadId::from_u128(*n)).await.unwrap();
            assert!(lead.is_some(), "committed lead {n} survived");
            let conversation = ConversationId::from_u128(*n);
            let lines = store.conversation_messages(WS, conversation).await.unwrap();
            assert_eq!(lines.len(), 2, "the whole turn of lead {n} survived");
            assert!(store.load_state(WS, conversation).await.unwrap().is_some());
        }
        // Every turn in the database is whole: no half-written turn.
        let leads: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM leads")
            .fetch_one(store.pool())
            .await
            .unwrap();
        let messages: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM messages")
            .fetch_one(store.pool())
            .await
            .unwrap();
        let states: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM conversation_states")
            .fetch_one(store.pool())
            .await
            .unwrap();
        assert_eq!(
            (messages, states),
            (leads * 2, leads),
            "turns are all-or-nothing"
        );
        assert!(leads >= i64::try_from(committed.len()).unwrap());
        store.close().await;
    }
    std::fs::remove_dir_all(&dir).unwrap();
    println!(
        "crash test: {} committed leads survived 3 SIGKILLs",
        committed.len()
    );
}
