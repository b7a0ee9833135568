//! Issue 16, gap 3, replayed against the `server` example over HTTP: an
//! anonymous chat that gives an existing lead's email with the name "Eve
//! Spoof" and another phone changes nothing of the lead. The lead page and
//! the admin API show it as a claim, which a person rejects or merges.
#![allow(clippy::unwrap_used)] // test code

// The browser test's HTTP client and process guard, without its WebDriver.
mod common_browser {
    pub(crate) mod http;
    pub(crate) mod process;
}
mod common_server;

use common_browser::http::{self, Response};
use common_server::{FAQ_BOT, Server, TOKEN};
use serde_json::{Value, json};

/// A conversation: a question, then the visitor's details. The reply to
/// the second turn.
fn conversation(server: &Server, details: &str) -> Value {
    let first = server.chat(&json!({"bot": FAQ_BOT, "message": "How much does it cost?"}));
    assert_eq!(first.status, 200, "{}", first.text());
    let mut body = server.continue_body(&first.json());
    body["message"] = json!(details);
    let second = server.chat(&body);
    assert_eq!(second.status, 200, "{}", second.text());
    second.json()
}

fn api(server: &Server, method: &str, path: &str, body: Option<&Value>) -> Response {
    let auth = format!("Bearer {TOKEN}");
    let mut headers = vec![("Authorization", auth.as_str())];
    if body.is_some() {
        headers.push(("Content-Type", "application/json"));
    }
    let text = body.map(Value::to_string);
    http::request(
        method,
        &format!("{}{path}", server.base),
        &headers,
        text.as_deref(),
    )
}

fn get_json(server: &Server, path: &str) -> Value {
    let response = api(server, "GET", path, None);
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()
}

#[test]
fn an_anonymous_chat_cannot_take_over_a_lead() {
    let server = Server::start("leadkit-claims", &[]);
    let ana = conversation(
        &server,
        "I'm Ana Souza, ana.souza@example.com, +1 415 555 0100",
    );
    assert_eq!(ana["lead_captured"], true, "{ana}");
    let leads = get_json(&server, "/admin/api/leads");
    assert_eq!(leads["leads"].as_array().unwrap().len(), 1, "{leads}");
    let id = leads["leads"][0]["id"].as_str().unwrap().to_owned();
    let before = get_json(&server, &format!("/admin/api/leads/{id}"));
    assert_eq!(before["lead"]["name"], "Ana Souza", "{before}");
    assert_eq!(before["lead"]["phone"], "+14155550100", "{before}");

    // The probe: another visitor types Ana's email.
    let spoof = |n: u32| {
        conversation(
            &server,
            &format!("I'm Eve Spoof, ana.souza@example.com, +1 415 555 01{n:02}"),
        )
    };
    let eve = spoof(99);
    assert_ne!(eve["conversation"], ana["conversation"]);
    assert_eq!(
        eve["lead_captured"], true,
        "the answer does not tell whether the email is a lead's: {eve}"
    );
    let after = get_json(&server, &format!("/admin/api/leads/{id}"));
    assert_eq!(after["lead"], before["lead"], "nothing of the lead changed");
    assert_eq!(after["conversations"], before["conversations"]);
    let leads = get_json(&server, "/admin/api/leads?q=spoof");
    assert!(leads["leads"].as_array().unwrap().is_empty(), "{leads}");
    let claims = after["claims"].as_array().unwrap();
    assert_eq!(claims.len(), 1, "{after}");
    assert_eq!(claims[0]["conversation"], eve["conversation"]);
    assert_eq!(claims[0]["name"], "Eve Spoof");
    assert_eq!(claims[0]["phone"], "+14155550199");

    // The lead page shows the claim with its actions.
    let cookie = Server::session_cookie(&server.sign_in(TOKEN, &[]));
    let page = http::request(
        "GET",
        &format!("{}/admin/leads/{id}", server.base),
        &[("Cookie", cookie.as_str())],
        None,
    );
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("Unconfirmed claims"), "{html}");
    assert!(html.contains("Eve Spoof"), "{html}");
    let eve_conversation = eve["conversation"].as_str().unwrap();
    let action = format!("/admin/leads/{id}/claims/{eve_conversation}/reject");
    assert!(html.contains(&action), "{html}");

    // A cross-site form post is refused; the dashboard's own rejects it.
    let host = server.base.trim_start_matches("http://");
    let post = |origin: &str| {
        http::request(
            "POST",
            &format!("{}{action}", server.base),
            &[
                ("Cookie", cookie.as_str()),
                ("Host", host),
                ("Origin", origin),
                ("Content-Type", "application/x-www-form-urlencoded"),
            ],
            Some(""),
        )
    };
    assert_eq!(post("http://evil.example").status, 403);
    assert_eq!(
        get_json(&server, &format!("/admin/api/leads/{id}"))["claims"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
    let rejected = post(&server.base);
    assert_eq!(rejected.status, 303, "{}", rejected.text());
    let after = get_json(&server, &format!("/admin/api/leads/{id}"));
    assert_eq!(after["lead"], before["lead"], "a rejection changes nothing");
    assert!(after["claims"].as_array().unwrap().is_empty(), "{after}");

    // Another claim, merged through the API: the claimed details apply.
    let eve = spoof(98);
    let path = format!(
        "/admin/api/leads/{id}/claims/{}",
        eve["conversation"].as_str().unwrap()
    );
    let bad = api(&server, "POST", &path, Some(&json!({"decision": "maybe"})));
    assert_eq!(bad.status, 400, "{}", bad.text());
    let merged = api(&server, "POST", &path, Some(&json!({"decision": "merge"})));
    assert_eq!(merged.status, 200, "{}", merged.text());
    let merged = merged.json();
    assert_eq!(merged["name"], "Eve Spoof", "{merged}");
    assert_eq!(merged["phone"], "+14155550198", "{merged}");
    let again = api(&server, "POST", &path, Some(&json!({"decision": "merge"})));
    assert_eq!(again.status, 404, "the claim is gone: {}", again.text());
    let after = get_json(&server, &format!("/admin/api/leads/{id}"));
    assert_eq!(
        after["conversations"].as_array().unwrap().len(),
        2,
        "the merged conversation is the lead's own: {after}"
    );
}
