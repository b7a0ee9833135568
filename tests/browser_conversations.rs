//! A real browser on the Conversations screen of the `server` example: it
//! lists every conversation (one without a lead among them), filters and
//! searches them, reads a long transcript back a page at a time, and
//! follows it to its lead, whose page shows only the latest lines.
//!
//! It needs Debian's `chromium` and `chromium-driver` (`bash .ci/chromium.sh`).
//! Without them the test says how to install them and passes, except under
//! `CI=true`, where their absence is a failure.
#![allow(clippy::unwrap_used)] // test code

// Shared with the other browser tests, which use helpers this one does not.
#[allow(dead_code)]
mod common_browser;

use common_browser::http::{self, free_port};
use common_browser::process::{Guard, temp_dir};
use common_browser::setup::{FAQ_BOT, WAIT, server_binary, start_browser, tools_present};
use common_browser::webdriver::{Browser, wait_for};
use serde_json::{Value, json};

const TOKEN: &str = "browser-test-admin-token-77";
/// Visitor turns in the long conversation (each with the bot's reply).
const LONG_TURNS: usize = 60;

/// One visitor turn over HTTP; the reply's JSON.
fn turn(base: &str, conversation: Option<(&str, &Value)>, message: &str) -> Value {
    let mut body = json!({"bot": FAQ_BOT, "message": message});
    if let Some((id, token)) = conversation {
        body["conversation"] = json!(id);
        body["token"] = token.clone();
    }
    let response = http::request(
        "POST",
        &format!("{base}/chat"),
        &[],
        Some(&body.to_string()),
    );
    assert_eq!(response.status, 200, "{}", response.text());
    response.json()
}

/// A long conversation that ends with the visitor's details, and a short
/// one without a lead. Returns the long one's id.
fn seed(base: &str) -> String {
    let first = turn(base, None, "question number 0: what do you sell?");
    let id = first["conversation"].as_str().unwrap().to_owned();
    let token = first["token"].clone();
    for n in 1..LONG_TURNS {
        turn(
            base,
            Some((&id, &token)),
            &format!("question number {n}: and then?"),
        );
    }
    let last = turn(
        base,
        Some((&id, &token)),
        "I'm Rosa Longhurst, rosa.longhurst@example.com",
    );
    assert_eq!(last["lead_captured"], true, "{last}");
    turn(base, None, "Do you ship to Iceland?");
    id
}

fn sign_in(browser: &Browser, base: &str) {
    browser.goto(&format!("{base}/admin"));
    browser.send_keys(&browser.find("#token"), TOKEN);
    browser.click(&browser.find("#sign-in"));
    wait_for(WAIT, "the leads page", || {
        browser.url().ends_with("/admin/leads").then_some(())
    });
}

/// The conversation ids in the table.
fn rows(browser: &Browser) -> Vec<String> {
    browser
        .execute(
            "return Array.from(document.querySelectorAll('#conversations tbody tr[data-conversation]')).map(e => e.getAttribute('data-conversation'));",
        )
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

fn apply(browser: &Browser) {
    let before = browser.url();
    browser.click(&browser.find("#apply"));
    wait_for(WAIT, "the filtered page", || {
        (browser.url() != before).then_some(())
    });
}

fn transcript_lines(browser: &Browser) -> Vec<String> {
    browser
        .execute("return Array.from(document.querySelectorAll('.transcript li p')).map(e => e.textContent);")
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect()
}

#[test]
fn a_browser_lists_conversations_and_pages_a_long_transcript() {
    if !tools_present() {
        return;
    }
    let server_bin = server_binary();
    let dir = temp_dir("leadkit-browser-conversations");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let _server = Guard::spawn(
        std::process::Command::new(&server_bin)
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .args(["--chat-limits", "off", "--client-rate", "100000", "--db"])
            .arg(dir.path().join("demo.sqlite"))
            .env("LEADKIT_ADMIN_TOKEN", TOKEN)
            .env_remove("DATABASE_URL"),
        &dir.path().join("server.log"),
    );
    http::wait_until_listening(port, WAIT);
    let long = seed(&base);

    let browser = start_browser(dir.path());
    sign_in(&browser, &base);

    // Every conversation, the one without a lead first (newest).
    browser.click(&browser.find("nav a[href=\"/admin/conversations\"]"));
    wait_for(WAIT, "the conversations page", || {
        browser
            .url()
            .ends_with("/admin/conversations")
            .then_some(())
    });
    let all = rows(&browser);
    assert_eq!(all.len(), 2, "{all:?}");
    assert_eq!(all[1], long);
    let table = browser.text_of("#conversations tbody");
    assert!(table.contains("Rosa Longhurst"), "{table}");
    assert!(table.contains(&(2 * LONG_TURNS + 2).to_string()), "{table}");

    browser.click(&browser.find("#lead option[value=\"no\"]"));
    apply(&browser);
    assert_eq!(rows(&browser), [all[0].clone()]);
    browser.goto(&format!("{base}/admin/conversations"));
    browser.send_keys(&browser.find("#q"), "question number 42");
    apply(&browser);
    assert_eq!(rows(&browser), std::slice::from_ref(&long));

    // The long transcript, newest page first, then older ones.
    browser.click(&browser.find(&format!("a[href=\"/admin/conversations/{long}\"]")));
    wait_for(WAIT, "the transcript", || {
        browser.url().ends_with(&long).then_some(())
    });
    assert_eq!(
        browser.text_of("#message-count"),
        (2 * LONG_TURNS + 2).to_string()
    );
    let mut pages = vec![transcript_lines(&browser)];
    assert_eq!(pages[0].len(), 50);
    assert_eq!(
        pages[0][pages[0].len() - 2],
        "I'm Rosa Longhurst, rosa.longhurst@example.com"
    );
    loop {
        let older = browser.execute("return document.getElementById('older') !== null;");
        if older != true {
            break;
        }
        let before = browser.url();
        browser.click(&browser.find("#older"));
        wait_for(WAIT, "the older page", || {
            (browser.url() != before).then_some(())
        });
        browser.find("#latest");
        pages.push(transcript_lines(&browser));
    }
    assert_eq!(pages.len(), 3);
    let visitor_lines: Vec<String> = pages
        .iter()
        .rev()
        .flatten()
        .filter(|l| l.starts_with("question number "))
        .cloned()
        .collect();
    let expected: Vec<String> = (0..LONG_TURNS)
        .map(|n| {
            if n == 0 {
                "question number 0: what do you sell?".to_owned()
            } else {
                format!("question number {n}: and then?")
            }
        })
        .collect();
    assert_eq!(visitor_lines, expected);

    // To the lead: only the latest lines, and a link to the rest.
    browser.click(&browser.find("#lead-link"));
    wait_for(WAIT, "the lead page", || {
        browser.url().contains("/admin/leads/").then_some(())
    });
    assert_eq!(browser.text_of("#lead-name"), "Rosa Longhurst");
    assert_eq!(transcript_lines(&browser).len(), 20);
    let all_messages = browser.find("a.all-messages");
    assert!(
        browser
            .property(&all_messages, "href")
            .ends_with(&format!("/admin/conversations/{long}"))
    );
}
