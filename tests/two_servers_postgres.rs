//! Several servers, one PostgreSQL: two `server` example processes share a
//! database and take turns answering 50 conversations, some turns of a
//! conversation in parallel on both. No update is lost, no lead is
//! duplicated, every transcript is complete, and what one process changes
//! (a lead's status, a session, a bot's lead-collection settings) the
//! other sees.
//!
//! Needs PostgreSQL: `source .ci/postgres.sh` exports
//! `LEADKIT_TEST_POSTGRES_URL`. Without it the test says how to run it and
//! passes, except under `CI=true`, where its absence is a failure.
#![allow(clippy::unwrap_used)] // test code

// The browser test's HTTP client and process guard, without its WebDriver.
mod common_browser {
    pub(crate) mod http;
    pub(crate) mod process;
}
mod common_server;

use std::io::Write;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use common_browser::http::{self, Response};
use common_browser::process::temp_dir;
use common_server::{FAQ_BOT, Server, TOKEN};
use leadkit::core::{BotId, Mode, WorkspaceId};
use leadkit::store::{BotSettings, BotSettingsStore, SettingsUpdate};
use serde_json::{Value, json};

const CONVERSATIONS: usize = 50;
const FIRST: [&str; 10] = [
    "Ana", "Bruno", "Carla", "Diego", "Elena", "Farid", "Greta", "Hugo", "Ines", "Jonas",
];
const LAST: [&str; 5] = ["Souza", "Keller", "Moreau", "Rossi", "Novak"];

/// Visitor `n`'s name and email.
fn visitor(n: usize) -> (String, String) {
    let (first, last) = (FIRST[n % 10], LAST[n / 10]);
    (
        format!("{first} {last}"),
        format!(
            "{}.{}@example.com",
            first.to_lowercase(),
            last.to_lowercase()
        ),
    )
}
const THREADS: usize = 8;
/// The servers' staleness bound for bot settings.
const SETTINGS_MAX_AGE: std::time::Duration = std::time::Duration::from_secs(1);
/// The server example's workspace and FAQ bot.
const WORKSPACE: WorkspaceId = WorkspaceId::from_u128(0x1ead_0000_0000_0001);
const FAQ_BOT_ID: BotId = BotId::from_u128(0x1ead_0000_0000_0002);

/// The URL, or `None` after saying how to run the test (the same rule as
/// `tests/engine_conversations.rs`).
fn postgres_url() -> Option<String> {
    match std::env::var("LEADKIT_TEST_POSTGRES_URL") {
        Ok(url) => Some(url),
        Err(_) => {
            assert!(
                std::env::var("CI").as_deref() != Ok("true"),
                "LEADKIT_TEST_POSTGRES_URL is not set: CI must start PostgreSQL (source .ci/postgres.sh)"
            );
            // Straight to stderr: a skip nobody sees looks like a pass.
            let _ = writeln!(
                std::io::stderr().lock(),
                "skipping the two-server test: run `source .ci/postgres.sh` first to set LEADKIT_TEST_POSTGRES_URL"
            );
            None
        }
    }
}

/// A schema of its own, so that runs never see each other's rows.
fn fresh_schema(url: &str) -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let schema = format!("two_servers_{}_{nanos}", std::process::id());
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async {
        let pool = sqlx::PgPool::connect(url).await.unwrap();
        sqlx::query(&format!("CREATE SCHEMA \"{schema}\""))
            .execute(&pool)
            .await
            .unwrap();
        pool.close().await;
    });
    schema
}

/// One visitor turn, sent again once after a 409 as the widget does.
fn turn(server: &Server, body: &Value) -> Response {
    let response = server.chat(body);
    if response.status == 409 {
        std::thread::sleep(std::time::Duration::from_millis(200));
        return server.chat(body);
    }
    response
}

fn with_message(reply: &Value, message: &str) -> Value {
    let mut body = json!({
        "bot": FAQ_BOT,
        "conversation": reply["conversation"],
        "token": reply["token"],
    });
    body["message"] = json!(message);
    body
}

/// Runs conversation `n` across both servers; returns its id and how many
/// visitor turns were accepted.
fn converse(n: usize, servers: &[Server; 2]) -> (String, usize) {
    let (a, b) = (&servers[n % 2], &servers[(n + 1) % 2]);
    let first = a.chat(&json!({"bot": FAQ_BOT, "message": "What does it cost?"}));
    assert_eq!(first.status, 200, "{}", first.text());
    let first = first.json();
    let (name, email) = visitor(n);
    let details = format!("Sure, I'm {name}, {email}");
    let second = turn(b, &with_message(&first, &details));
    assert_eq!(second.status, 200, "{}", second.text());
    assert_eq!(second.json()["lead_captured"], true, "{}", second.text());
    let mut accepted = 2;
    if n.is_multiple_of(5) {
        // Two turns at once, one on each server.
        let (left, right) = (a.clone(), b.clone());
        let (one, two) = (
            with_message(&first, "Do you ship abroad?"),
            with_message(&first, "And what about refunds?"),
        );
        let one = std::thread::spawn(move || turn(&left, &one));
        let two = std::thread::spawn(move || turn(&right, &two));
        for response in [one.join().unwrap(), two.join().unwrap()] {
            assert!(
                matches!(response.status, 200 | 409),
                "{}: {}",
                response.status,
                response.text()
            );
            accepted += usize::from(response.status == 200);
        }
    } else {
        let third = turn(a, &with_message(&first, "Do you ship abroad?"));
        assert_eq!(third.status, 200, "{}", third.text());
        accepted += 1;
    }
    (first["conversation"].as_str().unwrap().to_owned(), accepted)
}

fn admin(server: &Server, method: &str, path: &str, body: Option<&str>) -> Response {
    http::request(
        method,
        &format!("{}{path}", server.base),
        &[("Authorization", &format!("Bearer {TOKEN}"))],
        body,
    )
}

#[test]
fn two_servers_on_one_postgres_lose_nothing_and_duplicate_nothing() {
    let Some(url) = postgres_url() else {
        return;
    };
    let schema = fresh_schema(&url);
    let separator = if url.contains('?') { '&' } else { '?' };
    let database_url = format!("{url}{separator}options[search_path]={schema}");
    let dir = Arc::new(temp_dir("leadkit-two-servers"));
    let start = || {
        Server::start_with(dir.clone(), &[("DATABASE_URL", &database_url)], |command| {
            command.args([
                "--chat-limits",
                "off",
                "--client-rate",
                "100000",
                "--settings-max-age",
                &SETTINGS_MAX_AGE.as_secs().to_string(),
            ]);
        })
    };
    let servers = [start(), start()];

    // Conversations in parallel on THREADS threads, turns alternating.
    let results: Vec<(String, usize)> = std::thread::scope(|scope| {
        let workers: Vec<_> = (0..THREADS)
            .map(|worker| {
                let servers = &servers;
                scope.spawn(move || {
                    (worker..CONVERSATIONS)
                        .step_by(THREADS)
                        .map(|n| converse(n, servers))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers
            .into_iter()
            .flat_map(|worker| worker.join().unwrap())
            .collect()
    });
    assert_eq!(results.len(), CONVERSATIONS);

    // One lead per visitor, on either server.
    for server in &servers {
        let list = admin(server, "GET", "/admin/api/leads?limit=100", None).json();
        assert_eq!(list["total"], CONVERSATIONS, "{list}");
        let mut emails: Vec<String> = list["leads"]
            .as_array()
            .unwrap()
            .iter()
            .map(|lead| lead["email"].as_str().unwrap().to_owned())
            .collect();
        emails.sort();
        emails.dedup();
        assert_eq!(emails.len(), CONVERSATIONS, "no lead twice");
    }
    // Every accepted turn and its reply are in the transcript, in order.
    let list = admin(&servers[0], "GET", "/admin/api/leads?limit=100", None).json();
    let expected: std::collections::HashMap<String, usize> = results.into_iter().collect();
    for lead in list["leads"].as_array().unwrap() {
        let id = lead["id"].as_str().unwrap();
        let detail = admin(&servers[1], "GET", &format!("/admin/api/leads/{id}"), None).json();
        let conversations = detail["conversations"].as_array().unwrap();
        assert_eq!(conversations.len(), 1, "{detail}");
        let conversation = &conversations[0];
        let turns = expected[conversation["id"].as_str().unwrap()];
        let roles: Vec<&str> = conversation["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["role"].as_str().unwrap())
            .collect();
        assert_eq!(
            roles.iter().filter(|r| **r == "visitor").count(),
            turns,
            "{detail}"
        );
        assert_eq!(roles.len(), 2 * turns, "a reply for every turn: {detail}");
        // The details each visitor gave, on their own lead.
        let email = lead["email"].as_str().unwrap();
        let n = (0..CONVERSATIONS).find(|n| visitor(*n).1 == email).unwrap();
        assert_eq!(lead["name"], visitor(n).0.as_str(), "{lead}");
    }

    // A change made through one process is seen by the other.
    let id = list["leads"][0]["id"].as_str().unwrap();
    let changed = admin(
        &servers[0],
        "POST",
        &format!("/admin/api/leads/{id}/status"),
        Some(r#"{"status":"qualified"}"#),
    );
    assert_eq!(changed.status, 200, "{}", changed.text());
    let seen = admin(&servers[1], "GET", &format!("/admin/api/leads/{id}"), None).json();
    assert_eq!(seen["lead"]["status"], "qualified", "{seen}");
    // A session signed in on one is accepted by the other.
    let cookie = Server::session_cookie(&servers[0].sign_in(TOKEN, &[]));
    let page = http::request(
        "GET",
        &format!("{}/admin/leads", servers[1].base),
        &[("Cookie", &cookie)],
        None,
    );
    assert_eq!(page.status, 200);
    settings_changes_reach_both_servers(&servers, &database_url);
    for server in &servers {
        assert!(!server.log().contains("ERROR"), "{}", server.log());
    }
}

/// What a new conversation's first query gets from `server`: `"ask"`,
/// `"answer"` or `"gate"`.
fn first_action(server: &Server) -> String {
    let reply = server.chat(&json!({"bot": FAQ_BOT, "message": "What does it cost?"}));
    assert_eq!(reply.status, 200, "{}", reply.text());
    reply.json()["action"].as_str().unwrap().to_owned()
}

/// Saves the FAQ bot's settings into the servers' database directly, as a
/// third process (an admin tool) would, then checks that both servers
/// apply them: at the latest on a turn that starts `SETTINGS_MAX_AGE`
/// after the save. The waiting is bounded and generous; the exact bound is
/// checked with a manual clock in `tests/bot_settings_engines.rs`.
fn settings_changes_reach_both_servers(servers: &[Server; 2], database_url: &str) {
    // Both servers use the default (after the first query) and have read it.
    for server in servers {
        assert_eq!(first_action(server), "ask");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let store = runtime
        .block_on(leadkit::sql::PostgresStore::connect(database_url))
        .unwrap();
    for (settings, expected) in [
        (BotSettings::collecting().enabled(false), "answer"),
        (BotSettings::collecting().mode(Mode::BeforeChat), "gate"),
    ] {
        let update = SettingsUpdate::new(settings, "operator", chrono::Utc::now());
        runtime
            .block_on(store.put_bot_settings(WORKSPACE, FAQ_BOT_ID, &update))
            .unwrap();
        let saved = std::time::Instant::now();
        for server in servers {
            loop {
                let action = first_action(server);
                if action == expected {
                    break;
                }
                assert!(
                    saved.elapsed() < SETTINGS_MAX_AGE * 10,
                    "{} still answers {action:?}, not {expected:?}, {:?} after the change",
                    server.base,
                    saved.elapsed()
                );
                std::thread::sleep(std::time::Duration::from_millis(100));
            }
        }
        // Past the bound, every server obeys on every turn.
        std::thread::sleep(SETTINGS_MAX_AGE.saturating_sub(saved.elapsed()));
        for server in servers {
            assert_eq!(first_action(server), expected);
        }
    }
    runtime.block_on(store.close());
}
