//! The floor under an engine turn on SQLite: the same rows written by one
//! hand-written sqlx transaction per turn, with the connection settings
//! `SqliteStore::open` uses and none of the engine's work (no analyzer, no
//! core, no caching, no JSON of our own). An engine turn's cost is reported
//! as a multiple of this, measured in the same run, because machines
//! differ far more than the ratio does.
//!
//! Per visitor message: `BEGIN IMMEDIATE`, the state's compare-and-swap
//! (insert on the first turn), the visitor's line, and on a turn that
//! gives details the lead (found by its key, then inserted or updated),
//! its keys and its link to the conversation, then `COMMIT`; then the
//! bot's reply as one more line. The state written is a real saved
//! conversation of the script's length.

use std::path::Path;
use std::str::FromStr;
use std::time::{Duration, Instant};

use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection};

/// What each of the script's eight turns writes besides the state and the
/// two lines: nothing, a new lead (name and email), or the phone added.
#[derive(Clone, Copy, PartialEq, Eq)]
enum LeadWrite {
    None,
    Create,
    AddPhone,
}

const TURNS: [LeadWrite; 8] = [
    LeadWrite::None,
    LeadWrite::None,
    LeadWrite::None,
    LeadWrite::None,
    LeadWrite::None,
    LeadWrite::Create,
    LeadWrite::AddPhone,
    LeadWrite::None,
];

/// A connection with `SqliteStore::open`'s settings to a database that
/// `SqliteStore` has migrated, writing the script's rows by hand.
pub(crate) struct Baseline {
    db: SqliteConnection,
    workspace: Vec<u8>,
    bot: Vec<u8>,
    state_json: String,
}

impl Baseline {
    pub(crate) async fn open(path: &Path, state_json: String) -> Baseline {
        let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", path.display()))
            .expect("a SQLite path")
            // The settings `SqliteStore::open` applies (crates/leadkit-sql/src/sqlite.rs).
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10))
            .pragma("temp_store", "memory")
            .pragma("cache_size", "-8192")
            .pragma("wal_autocheckpoint", "10000");
        let db = SqliteConnection::connect_with(&options)
            .await
            .expect("connect");
        Baseline {
            db,
            workspace: uuid::Uuid::from_u128(7).into_bytes().to_vec(),
            bot: uuid::Uuid::from_u128(2).into_bytes().to_vec(),
            state_json,
        }
    }

    /// Conversations `range`, start to end; the latency of each turn.
    pub(crate) async fn conversations(&mut self, range: std::ops::Range<usize>) -> Vec<Duration> {
        let mut latencies = Vec::with_capacity(range.len() * TURNS.len());
        for n in range {
            self.conversation(n, &mut latencies).await;
        }
        latencies
    }

    async fn conversation(&mut self, n: usize, latencies: &mut Vec<Duration>) {
        let Baseline {
            db,
            workspace,
            bot,
            state_json,
        } = self;
        let (workspace, bot, state_json) = (&*workspace, &*bot, state_json.as_str());
        let conversation = uuid::Uuid::from_u128(n as u128 + 1).into_bytes().to_vec();
        let lead = uuid::Uuid::from_u128(1 << 64 | n as u128)
            .into_bytes()
            .to_vec();
        let email = format!("ana.souza{n}@example.com");
        let phone = format!("+351912{:03}{:03}", n / 1000 % 1000, n % 1000);
        for (turn, lead_write) in TURNS.iter().enumerate() {
            let turn_started = Instant::now();
            let at = 1_700_000_000_000_000_i64 + (n * 100 + turn) as i64;
            let mut tx = db.begin_with("BEGIN IMMEDIATE").await.expect("begin");
            let version = turn as i64 + 1;
            let swapped = if turn == 0 {
                sqlx::query(
                    "INSERT INTO conversation_states (workspace_id, conversation_id, version, state) \
                     VALUES (?, ?, 1, ?) ON CONFLICT DO NOTHING",
                )
                .bind(workspace)
                .bind(&conversation)
                .bind(state_json)
                .execute(&mut *tx)
                .await
            } else {
                sqlx::query(
                    "UPDATE conversation_states SET version = ?, state = ? \
                     WHERE workspace_id = ? AND conversation_id = ? AND version = ?",
                )
                .bind(version)
                .bind(state_json)
                .bind(workspace)
                .bind(&conversation)
                .bind(version - 1)
                .execute(&mut *tx)
                .await
            };
            assert_eq!(swapped.expect("state").rows_affected(), 1);
            insert_line(&mut tx, workspace, &conversation, bot, "visitor", at).await;
            match lead_write {
                LeadWrite::None => {}
                LeadWrite::Create => {
                    assert!(lead_by_email(&mut tx, workspace, &email).await.is_none());
                    sqlx::query(
                        "INSERT INTO leads (workspace_id, id, bot_id, bots, name, email, custom, status, \
                         notes, consent_state, created_at, last_seen_at, history, search, name_sort, \
                         email_sort, phone_sort, company_sort) \
                         VALUES (?, ?, ?, ?, 'Ana Souza', ?, '{}', 0, '', 0, ?, ?, ?, ?, 'ana souza', ?, '', '')",
                    )
                    .bind(workspace)
                    .bind(&lead)
                    .bind(bot)
                    .bind("[\"00000000-0000-0000-0000-000000000002\"]")
                    .bind(&email)
                    .bind(at)
                    .bind(at)
                    .bind(format!("[{{\"field\":\"email\",\"value\":\"{email}\"}}]"))
                    .bind(format!("ana souza\u{1f}{email}"))
                    .bind(&email)
                    .execute(&mut *tx)
                    .await
                    .expect("lead");
                    insert_key(&mut tx, workspace, 1, &email, &lead).await;
                    sqlx::query(
                        "INSERT OR IGNORE INTO lead_conversations (workspace_id, lead_id, conversation_id) \
                         VALUES (?, ?, ?)",
                    )
                    .bind(workspace)
                    .bind(&lead)
                    .bind(&conversation)
                    .execute(&mut *tx)
                    .await
                    .expect("link");
                }
                LeadWrite::AddPhone => {
                    assert!(lead_by_email(&mut tx, workspace, &email).await.is_some());
                    sqlx::query(
                        "UPDATE leads SET phone = ?, phone_sort = ?, last_seen_at = ?, history = ?, search = ? \
                         WHERE workspace_id = ? AND id = ?",
                    )
                    .bind(&phone)
                    .bind(&phone)
                    .bind(at)
                    .bind(format!(
                        "[{{\"field\":\"email\",\"value\":\"{email}\"}},{{\"field\":\"phone\",\"value\":\"{phone}\"}}]"
                    ))
                    .bind(format!("ana souza\u{1f}{email}\u{1f}{phone}"))
                    .bind(workspace)
                    .bind(&lead)
                    .execute(&mut *tx)
                    .await
                    .expect("lead update");
                    insert_key(&mut tx, workspace, 2, &phone, &lead).await;
                }
            }
            tx.commit().await.expect("commit");
            insert_line(db, workspace, &conversation, bot, "assistant", at + 1).await;
            latencies.push(turn_started.elapsed());
        }
    }

    pub(crate) async fn close(self) {
        self.db.close().await.expect("close");
    }
}

async fn insert_line(
    db: &mut SqliteConnection,
    workspace: &[u8],
    conversation: &[u8],
    bot: &[u8],
    role: &str,
    at: i64,
) {
    sqlx::query(
        "INSERT INTO messages (workspace_id, conversation_id, bot_id, role, text, at) VALUES (?, ?, ?, ?, ?, ?)",
    )
    .bind(workspace)
    .bind(conversation)
    .bind(bot)
    .bind(role)
    .bind("How much is the Team plan for 20 seats?")
    .bind(at)
    .execute(db)
    .await
    .expect("line");
}

/// The lead an email key finds, as an upsert looks it up before writing.
async fn lead_by_email(
    db: &mut SqliteConnection,
    workspace: &[u8],
    email: &str,
) -> Option<Vec<u8>> {
    let found: Option<(Vec<u8>,)> = sqlx::query_as(
        "SELECT lead_id FROM lead_keys WHERE workspace_id = ? AND kind = 1 AND key = ?",
    )
    .bind(workspace)
    .bind(email)
    .fetch_optional(db)
    .await
    .expect("key lookup");
    found.map(|(id,)| id)
}

async fn insert_key(
    db: &mut SqliteConnection,
    workspace: &[u8],
    kind: i64,
    key: &str,
    lead: &[u8],
) {
    sqlx::query("INSERT INTO lead_keys (workspace_id, kind, key, lead_id) VALUES (?, ?, ?, ?)")
        .bind(workspace)
        .bind(kind)
        .bind(key)
        .bind(lead)
        .execute(db)
        .await
        .expect("key");
}
