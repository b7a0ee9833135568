//! The `server` example acknowledges the visitor over real HTTP: a message
//! that only gives details is thanked by name, a "no thanks" gets "No
//! problem.", and neither gets the FAQ's "Happy to help! Ask me about …"
//! fallback; a real question still gets its answer after the thanks.
#![allow(clippy::unwrap_used)] // test code

// The browser test's HTTP client and process guard, without its WebDriver.
mod common_browser {
    pub(crate) mod http;
    pub(crate) mod process;
}
mod common_server;

use common_server::{FAQ_BOT, Server};
use serde_json::{Value, json};

fn say(server: &Server, previous: Option<&Value>, message: &str) -> Value {
    let mut body = match previous {
        Some(reply) => server.continue_body(reply),
        None => json!({"bot": FAQ_BOT}),
    };
    body["message"] = json!(message);
    let response = server.chat(&body);
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()
}

#[test]
fn details_and_declines_are_acknowledged_instead_of_the_fallback() {
    let server = Server::start("leadkit-replies", &[]);

    // after-first-query: the first answer asks for details.
    let first = say(&server, None, "How much is the Team plan?");
    assert_eq!(first["action"], "ask");
    let thanks = say(
        &server,
        Some(&first),
        "My name is Ana Souza, ana@example.com",
    );
    assert_eq!(thanks["reply"], "Thanks, Ana Souza — we'll be in touch.");
    assert_eq!(thanks["lead_captured"], true);

    let other = say(&server, None, "Do you ship to Portugal?");
    let no = say(&server, Some(&other), "no thanks");
    assert_eq!(no["reply"], "No problem.");

    // Details with a question: the thanks, then the answer.
    let third = say(&server, None, "Is there a free trial?");
    let both = say(
        &server,
        Some(&third),
        "I'm Bea Ortiz, bea@example.com — and how much is the Team plan?",
    );
    let text = both["reply"].as_str().unwrap();
    assert!(
        text.starts_with("Thanks, Bea Ortiz — we'll be in touch."),
        "{text}"
    );
    assert!(text.contains("$99"), "{text}");
    assert!(!text.contains("Ask me about"), "{text}");
}
