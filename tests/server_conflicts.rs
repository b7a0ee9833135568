//! Simultaneous turns on one conversation, against the `server` example on
//! SQLite: a version conflict that outlives the engine's retries answers
//! `409 Conflict` with `Retry-After`, never a `500`, and stores nothing.
#![allow(clippy::unwrap_used)] // test code

// The browser test's HTTP client and process guard, without its WebDriver.
mod common_browser {
    pub(crate) mod http;
    pub(crate) mod process;
}
mod common_server;

use common_server::{FAQ_BOT, Server};
use serde_json::json;

#[test]
fn parallel_turns_on_one_conversation_never_get_a_500() {
    // Without the per-conversation limits, which would refuse most of these
    // turns before they could conflict.
    let server = Server::start(
        "leadkit-conflicts",
        &["--chat-limits", "off", "--client-rate", "100000"],
    );
    let first = server.chat(&json!({"bot": FAQ_BOT, "message": "Hello there"}));
    assert_eq!(first.status, 200, "{}", first.text());
    let first = first.json();

    let mut statuses = Vec::new();
    for round in 0..10 {
        let turns: Vec<_> = (0..16)
            .map(|n| {
                let mut body = server.continue_body(&first);
                body["message"] = json!(format!("question {round}-{n} about pricing"));
                let server = server.clone_handle();
                std::thread::spawn(move || server.chat(&body))
            })
            .collect();
        for turn in turns {
            let response = turn.join().unwrap();
            if response.status != 200 {
                assert!(
                    response.header("retry-after").is_some(),
                    "{} without Retry-After: {}\n{}",
                    response.status,
                    response.text(),
                    server.log()
                );
            }
            if response.status == 409 {
                assert_eq!(response.json()["error"], "conversation_busy");
            }
            statuses.push(response.status);
        }
    }
    assert!(
        statuses.iter().all(|s| matches!(s, 200 | 409)),
        "{statuses:?}\n{}",
        server.log()
    );
    assert!(statuses.contains(&200), "{statuses:?}");
    assert!(
        !server.log().contains("ERROR"),
        "a conflict is not logged as an error:\n{}",
        server.log()
    );
}
