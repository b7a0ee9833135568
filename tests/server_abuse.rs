//! A bounded flood of `POST /chat` against the `server` example on
//! loopback, with the issue's probes alongside: the limits hold (most of
//! the flood gets 429, nothing gets 5xx), the database grows by a bounded
//! amount, and the probes fail. Admin latency during the flood is measured
//! and printed (figures in BENCHMARKS.md), not asserted.
//!
//! The server reads client addresses from `X-Real-IP` (as behind a proxy),
//! so that the flood and the admin come from different addresses.
#![allow(clippy::unwrap_used)] // test code

// The browser test's HTTP client and process guard, without its WebDriver.
mod common_browser {
    pub(crate) mod http;
    pub(crate) mod process;
}
mod common_server;

use std::io::Write;
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use common_browser::http::{self, Response};
use common_browser::process::temp_dir;
use common_server::{FAQ_BOT, PRICING_BOT, Server, TOKEN};
use serde_json::{Value, json};

const FLOOD_THREADS: usize = 4;
const FLOOD_FOR: Duration = Duration::from_secs(5);
/// The most the database may grow during the flood. One address may start
/// 10 conversations at once and send each 5 turns at once (plus a trickle:
/// 30 conversations an hour, 20 turns a minute each), and a stored turn
/// with its reply is at most a few kilobytes: 10 × 10 turns × 8 KiB is
/// 800 KiB; the bound leaves room for SQLite's page allocation.
const GROWTH_BOUND: u64 = 2 * 1024 * 1024;

fn chat_from(server: &Server, ip: &str, body: &Value) -> Response {
    http::request(
        "POST",
        &format!("{}/chat", server.base),
        &[("X-Real-IP", ip)],
        Some(&body.to_string()),
    )
}

fn database_size(dir: &Path) -> u64 {
    ["demo.sqlite", "demo.sqlite-wal"]
        .iter()
        .filter_map(|name| std::fs::metadata(dir.join(name)).ok())
        .map(|meta| meta.len())
        .sum()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[index.min(sorted.len() - 1)]
}

#[test]
fn a_flood_is_bounded_and_the_issue_probes_fail() {
    let dir = Arc::new(temp_dir("leadkit-abuse"));
    let db = dir.path().join("demo.sqlite");
    let server = Server::start_with(dir.clone(), &[], |command| {
        command
            .arg("--db")
            .arg(&db)
            .env_remove("DATABASE_URL")
            .args(["--client-header", "x-real-ip"]);
    });
    let flooder = "203.0.113.66";
    let first = chat_from(&server, flooder, &json!({"bot": FAQ_BOT, "message": "hi"}));
    assert_eq!(first.status, 200, "{}", first.text());
    let first = first.json();
    let before = database_size(dir.path());

    // The flood, and admin requests from another address meanwhile.
    let flooding = AtomicBool::new(true);
    let filler = "x".repeat(1000);
    let (statuses, admin_latencies) = std::thread::scope(|scope| {
        let floods: Vec<_> = (0..FLOOD_THREADS)
            .map(|worker| {
                let (server, first, filler, flooding) = (&server, &first, &filler, &flooding);
                scope.spawn(move || {
                    let started = Instant::now();
                    let mut statuses = Vec::new();
                    let mut n = 0u64;
                    while started.elapsed() < FLOOD_FOR {
                        n += 1;
                        let body = if (n + worker as u64).is_multiple_of(2) {
                            json!({"bot": FAQ_BOT, "message": format!("new {n} {filler}")})
                        } else {
                            json!({"bot": FAQ_BOT, "conversation": first["conversation"],
                                   "token": first["token"], "message": format!("turn {n} {filler}")})
                        };
                        statuses.push(chat_from(server, flooder, &body).status);
                    }
                    flooding.store(false, Ordering::Relaxed);
                    statuses
                })
            })
            .collect();
        let admin = scope.spawn(|| {
            let mut latencies = Vec::new();
            while flooding.load(Ordering::Relaxed) {
                let started = Instant::now();
                let response = http::request(
                    "GET",
                    &format!("{}/admin/api/leads?limit=50", server.base),
                    &[
                        ("Authorization", &format!("Bearer {TOKEN}")),
                        ("X-Real-IP", "198.51.100.1"),
                    ],
                    None,
                );
                latencies.push(started.elapsed());
                assert_eq!(response.status, 200, "{}", response.text());
                // Under the per-address rate (600 a minute).
                std::thread::sleep(Duration::from_millis(150));
            }
            latencies
        });
        let statuses: Vec<u16> = floods
            .into_iter()
            .flat_map(|flood| flood.join().unwrap())
            .collect();
        (statuses, admin.join().unwrap())
    });
    let after = database_size(dir.path());

    let accepted = statuses.iter().filter(|s| **s == 200).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert!(
        statuses.iter().all(|s| matches!(s, 200 | 409 | 429)),
        "only answers and refusals, no 5xx: {:?}",
        statuses
            .iter()
            .filter(|s| !matches!(s, 200 | 409 | 429))
            .collect::<Vec<_>>()
    );
    assert!(refused > accepted, "{accepted} accepted, {refused} refused");
    let growth = after.saturating_sub(before);
    assert!(
        growth <= GROWTH_BOUND,
        "the database grew by {growth} bytes (bound {GROWTH_BOUND})"
    );
    let mut sorted = admin_latencies.clone();
    sorted.sort();
    let report = format!(
        "flood: {} requests in {FLOOD_FOR:?} from one address ({accepted} accepted, {refused} refused with 429); \
         database growth {growth} bytes (bound {GROWTH_BOUND}); admin GET /admin/api/leads during the flood: \
         n={} p50={:?} p95={:?} max={:?}",
        statuses.len(),
        sorted.len(),
        percentile(&sorted, 0.5),
        percentile(&sorted, 0.95),
        sorted.last().copied().unwrap_or_default(),
    );
    let _ = writeln!(std::io::stderr().lock(), "{report}");

    probes_fail(&server, &first);
}

/// The issue's probes, against the same server after the flood.
fn probes_fail(server: &Server, first: &Value) {
    // Gap 2: another visitor's conversation, without its token or for
    // another bot.
    let stranger = "192.0.2.77";
    for body in [
        json!({"bot": FAQ_BOT, "conversation": first["conversation"], "message": "I'm Eve, eve@example.com"}),
        json!({"bot": PRICING_BOT, "conversation": first["conversation"], "token": first["token"], "message": "I'm Eve"}),
    ] {
        let response = chat_from(server, stranger, &body);
        assert_eq!(response.status, 403, "{}", response.text());
    }
    // Gap 5: guessing the admin token is throttled.
    let sign_in = |token: &str, ip: &str| server.sign_in(token, &[("X-Real-IP", ip)]);
    let guesses: Vec<u16> = (0..20)
        .map(|n| sign_in(&format!("guess-{n:020}"), "203.0.113.5").status)
        .collect();
    assert!(guesses[..5].iter().all(|s| *s == 401), "{guesses:?}");
    assert!(
        guesses.iter().filter(|s| **s == 429).count() >= 10,
        "{guesses:?}"
    );
    // Gap 4: a session replayed after logout.
    let cookie = Server::session_cookie(&sign_in(TOKEN, "198.51.100.2"));
    let page = |cookie: &str| {
        http::request(
            "GET",
            &format!("{}/admin/leads", server.base),
            &[("Cookie", cookie), ("X-Real-IP", "198.51.100.2")],
            None,
        )
        .status
    };
    assert_eq!(page(&cookie), 200);
    let host = server.base.trim_start_matches("http://");
    let out = http::request(
        "POST",
        &format!("{}/admin/logout", server.base),
        &[
            ("Cookie", cookie.as_str()),
            ("Host", host),
            ("Origin", server.base.as_str()),
            ("X-Real-IP", "198.51.100.2"),
        ],
        Some(""),
    );
    assert_eq!(out.status, 303);
    assert_eq!(page(&cookie), 303, "the replayed cookie is refused");
}
