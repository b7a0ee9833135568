//! Two engines on one database (a SQLite file; PostgreSQL), as two server
//! processes would be: a bot's settings changed through one apply on the
//! other from its first turn after the staleness bound, and on the one
//! that made the change from its very next turn. The engines' clock is a
//! manual one, so the bound is exact and the test never sleeps.
//!
//! PostgreSQL runs when `LEADKIT_TEST_POSTGRES_URL` is set (`source
//! .ci/postgres.sh`); without it the test says so and passes, except under
//! `CI=true`, where its absence is a failure.
#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use std::io::Write;
use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use leadkit::core::{ActionKind, BotId, ConversationId, Mode, WorkspaceId};
use leadkit::engine::{Clock, Engine, ManualClock, Visit};
use leadkit::messages::Locale;
use leadkit::store::{Bot, BotSettings, SettingsUpdate, Store};

const BOT: BotId = BotId::from_u128(0xb07);
/// The engines' staleness bound in this test.
const MAX_AGE: StdDuration = StdDuration::from_secs(10);

struct Pair {
    a: Engine,
    b: Engine,
    /// B's own store handle (its own connections), as another process has.
    b_store: Arc<dyn Store>,
    clock: Arc<ManualClock>,
    workspace: WorkspaceId,
    next: u128,
}

impl Pair {
    async fn new(a_store: Arc<dyn Store>, b_store: Arc<dyn Store>) -> Self {
        let workspace = WorkspaceId::from_uuid(uuid::Uuid::new_v4());
        a_store
            .put_bot(workspace, &Bot::new(BOT, workspace, "Support"))
            .await
            .unwrap();
        let clock = Arc::new(ManualClock::new(
            DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000),
        ));
        let engine = |store: Arc<dyn Store>| {
            Engine::builder()
                .store(store)
                .clock(clock.clone())
                .settings_max_age(MAX_AGE)
                .build()
                .unwrap()
        };
        Self {
            a: engine(a_store),
            b: engine(b_store.clone()),
            b_store,
            clock,
            workspace,
            next: 0,
        }
    }

    /// The first turn of a new conversation on `engine`: a real query.
    async fn first_turn(&mut self, engine: &Engine) -> (ActionKind, Option<String>) {
        self.next += 1;
        let visit = Visit::new(self.workspace, BOT, ConversationId::from_u128(self.next));
        let reply = engine
            .user_message(&visit, "How much does the premium plan cost?")
            .await
            .unwrap();
        (reply.kind(), reply.prompt)
    }

    fn update(&self, settings: BotSettings, actor: &str) -> SettingsUpdate {
        SettingsUpdate::new(settings, actor, self.clock.now())
    }
}

async fn settings_reach_the_other_engine(a_store: Arc<dyn Store>, b_store: Arc<dyn Store>) {
    let mut pair = Pair::new(a_store, b_store).await;
    let (a, b) = (pair.a.clone(), pair.b.clone());

    // No stored settings: the crate default collects after the first query.
    assert_eq!(pair.first_turn(&a).await.0, ActionKind::Ask);
    assert_eq!(pair.first_turn(&b).await.0, ActionKind::Ask);

    // Switched off through engine A: A obeys from its very next turn.
    let off = BotSettings::collecting().enabled(false);
    a.put_bot_settings(
        pair.workspace,
        BOT,
        &pair.update(off.clone(), "ana@example.com"),
    )
    .await
    .unwrap();
    assert_eq!(pair.first_turn(&a).await.0, ActionKind::Answer);
    // B read the settings less than the bound ago: it may still ask …
    pair.clock.advance(Duration::seconds(9));
    assert_eq!(pair.first_turn(&b).await.0, ActionKind::Ask);
    // … and from its first turn past the bound, it obeys.
    pair.clock.advance(Duration::seconds(1));
    assert_eq!(pair.first_turn(&b).await.0, ActionKind::Answer);
    assert_eq!(b.bot_settings(pair.workspace, BOT).await.unwrap(), off);

    // "Insist before conversation", with a Spanish ask message, saved
    // through B's store handle directly (as an admin API in that process
    // would): B's cache is not told, so even B applies it within the bound.
    let gate = BotSettings::collecting()
        .mode(Mode::BeforeChat)
        .fields("email|phone".parse().unwrap())
        .language(Locale::Spanish)
        .ask_message(Locale::Spanish, "Antes de seguir: ¿tu email o teléfono?");
    pair.b_store
        .put_bot_settings(pair.workspace, BOT, &pair.update(gate.clone(), "bruno"))
        .await
        .unwrap();
    pair.clock.advance(Duration::seconds(10));
    for engine in [&a, &b] {
        let (kind, prompt) = pair.first_turn(engine).await;
        assert_eq!(kind, ActionKind::Gate);
        // The bot's language and its own message, as the visit gave none.
        assert_eq!(
            prompt.as_deref(),
            Some("Antes de seguir: ¿tu email o teléfono?")
        );
    }

    // The audit trail holds both changes, newest first.
    let history = pair
        .b_store
        .bot_settings_history(pair.workspace, BOT, &Default::default())
        .await
        .unwrap();
    let actors: Vec<&str> = history.iter().map(|c| c.actor.expose().as_str()).collect();
    assert_eq!(actors, ["bruno", "ana@example.com"]);
    assert_eq!(history[0].old.as_ref(), Some(&off));
    assert_eq!(history[0].new, gate);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_engines_on_one_sqlite_file() {
    let dir = std::env::temp_dir().join(format!(
        "leadkit-settings-{}-{}",
        std::process::id(),
        uuid::Uuid::new_v4()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("leads.db");
    let a = leadkit::sql::SqliteStore::open(&path).await.unwrap();
    let b = leadkit::sql::SqliteStore::open(&path).await.unwrap();
    settings_reach_the_other_engine(Arc::new(a.clone()), Arc::new(b.clone())).await;
    a.close().await;
    b.close().await;
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_engines_on_one_postgres() {
    let Ok(url) = std::env::var("LEADKIT_TEST_POSTGRES_URL") else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "LEADKIT_TEST_POSTGRES_URL is not set: CI must start PostgreSQL (source .ci/postgres.sh)"
        );
        // Straight to stderr: a skip nobody sees looks like a pass.
        let _ = writeln!(
            std::io::stderr().lock(),
            "skipping the PostgreSQL run: set LEADKIT_TEST_POSTGRES_URL (source .ci/postgres.sh)"
        );
        return;
    };
    let a = leadkit::sql::PostgresStore::connect(&url).await.unwrap();
    let b = leadkit::sql::PostgresStore::connect(&url).await.unwrap();
    settings_reach_the_other_engine(Arc::new(a.clone()), Arc::new(b.clone())).await;
    a.close().await;
    b.close().await;
}
