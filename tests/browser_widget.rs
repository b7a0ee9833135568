//! The chat widget in a real browser, when the server refuses a message:
//! it sends a message once more after a `409` (another message of the
//! conversation was being handled) and says so if that fails too, and on a
//! `403` (its conversation token refused) it tells the visitor and starts
//! a new conversation.
//!
//! The browser talks to the `server` example through a small proxy in this
//! test, which forwards every request unchanged except the refusals a step
//! queues (a real `409` needs two servers racing on one conversation, which
//! no test can time). The `403` of a tampered token comes from the server.
//!
//! It needs Debian's `chromium` and `chromium-driver` (`bash .ci/chromium.sh`);
//! without them the test says so and passes, except under `CI=true`.
#![allow(clippy::unwrap_used)] // test code

// The whole browser kit; this test uses part of the WebDriver client.
#[allow(dead_code)]
mod common_browser;

use std::collections::VecDeque;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

use common_browser::http::{self, free_port};
use common_browser::process::{Guard, temp_dir};
use common_browser::setup::{FAQ_BOT, WAIT, server_binary, start_browser, tools_present};
use common_browser::webdriver::{Browser, wait_for};
use serde_json::Value;

/// A refusal the proxy answers a `POST /chat` with instead of forwarding it.
#[derive(Clone, Copy)]
enum Refusal {
    /// `409 conversation_busy` with `Retry-After: 1`, as the server sends it.
    Busy,
    /// `403 conversation_not_issued`, as the server sends it.
    NotIssued,
}

/// What the proxy saw of `POST /chat`: each body, and whether it was
/// forwarded.
#[derive(Default)]
struct Traffic {
    refusals: VecDeque<Refusal>,
    chats: Vec<(Value, bool)>,
}

/// Forwards `http://127.0.0.1:{port}` to the server at `upstream`, one
/// request per connection, answering `POST /chat` with the queued refusals
/// first.
fn proxy(upstream: String, traffic: Arc<Mutex<Traffic>>) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (upstream, traffic) = (upstream.clone(), traffic.clone());
            std::thread::spawn(move || serve(stream, &upstream, &traffic));
        }
    });
    port
}

fn serve(mut stream: TcpStream, upstream: &str, traffic: &Mutex<Traffic>) {
    let Some((method, path, body)) = read_request(&mut stream) else {
        return;
    };
    let (status, headers, body) = if method == "POST" && path == "/chat" {
        let json: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
        let refusal = {
            let mut traffic = traffic.lock().unwrap();
            let refusal = traffic.refusals.pop_front();
            traffic.chats.push((json, refusal.is_none()));
            refusal
        };
        match refusal {
            Some(Refusal::Busy) => (
                409,
                vec![("retry-after".to_owned(), "1".to_owned())],
                br#"{"error":"conversation_busy","message":"another message of this conversation is being handled; send this one again"}"#.to_vec(),
            ),
            Some(Refusal::NotIssued) => (
                403,
                Vec::new(),
                br#"{"error":"conversation_not_issued","message":"this conversation was not started here with this bot"}"#.to_vec(),
            ),
            None => forward(upstream, &method, &path, &body),
        }
    } else {
        forward(upstream, &method, &path, &body)
    };
    let mut head = format!(
        "HTTP/1.1 {status} X\r\nConnection: close\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (name, value) in &headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
}

fn forward(
    upstream: &str,
    method: &str,
    path: &str,
    body: &str,
) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let body = (method == "POST").then_some(body);
    let response = http::request(method, &format!("{upstream}{path}"), &[], body);
    let headers = response
        .headers
        .into_iter()
        .filter(|(name, _)| {
            !matches!(
                name.as_str(),
                "content-length" | "transfer-encoding" | "connection"
            )
        })
        .collect();
    (response.status, headers, response.body)
}

/// The method, path and body of one request.
fn read_request(stream: &mut TcpStream) -> Option<(String, String, String)> {
    stream.set_read_timeout(Some(WAIT)).ok()?;
    let mut raw = Vec::new();
    let mut buffer = [0u8; 8192];
    loop {
        let n = stream.read(&mut buffer).ok()?;
        if n == 0 {
            return None;
        }
        raw.extend_from_slice(&buffer[..n]);
        let Some(split) = raw.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&raw[..split]).into_owned();
        let length = head
            .lines()
            .filter_map(|line| line.split_once(':'))
            .find(|(name, _)| name.eq_ignore_ascii_case("content-length"))
            .and_then(|(_, value)| value.trim().parse::<usize>().ok())
            .unwrap_or(0);
        if raw.len() < split + 4 + length {
            continue;
        }
        let mut first = head.lines().next()?.split(' ');
        let (method, path) = (first.next()?.to_owned(), first.next()?.to_owned());
        let body = String::from_utf8_lossy(&raw[split + 4..split + 4 + length]).into_owned();
        return Some((method, path, body));
    }
}

fn lines(browser: &Browser, kind: &str) -> Vec<String> {
    let value = browser.execute(&format!(
        "return Array.from(document.querySelectorAll('#leadkit-log .leadkit-msg.{kind}')).map(e => e.textContent);"
    ));
    value
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
}

/// Sends `message` and waits until a new bot line or error line appears.
fn say(browser: &Browser, message: &str) {
    let (bots, errors) = (lines(browser, "bot").len(), lines(browser, "error").len());
    let input = browser.find("#leadkit-input");
    browser.send_keys(&input, message);
    browser.click(&browser.find("#leadkit-send"));
    wait_for(WAIT, &format!("an answer to {message:?}"), || {
        (lines(browser, "bot").len() > bots || lines(browser, "error").len() > errors).then_some(())
    });
    // The send button is enabled again once the exchange is over.
    wait_for(WAIT, "the widget to be ready", || {
        (browser.execute("return document.getElementById('leadkit-send').disabled;")
            == Value::Bool(false))
        .then_some(())
    });
}

fn stored(browser: &Browser, what: &str) -> Value {
    browser.execute(&format!(
        "return window.sessionStorage.getItem('leadkit-{what}-{FAQ_BOT}');"
    ))
}

/// The `POST /chat` bodies since `from`, with whether each was forwarded.
fn chats_since(traffic: &Mutex<Traffic>, from: usize) -> Vec<(Value, bool)> {
    traffic.lock().unwrap().chats[from..].to_vec()
}

fn queue(traffic: &Mutex<Traffic>, refusals: &[Refusal]) -> usize {
    let mut traffic = traffic.lock().unwrap();
    traffic.refusals.extend(refusals.iter().copied());
    traffic.chats.len()
}

#[test]
fn the_widget_retries_a_busy_message_and_explains_a_refused_conversation() {
    if !tools_present() {
        return;
    }
    let dir = temp_dir("leadkit-widget");
    let port = free_port();
    let upstream = format!("http://127.0.0.1:{port}");
    let _server = Guard::spawn(
        std::process::Command::new(server_binary())
            .args(["--addr", &format!("127.0.0.1:{port}"), "--db"])
            .arg(dir.path().join("demo.sqlite"))
            .env("LEADKIT_ADMIN_TOKEN", "widget-test-admin-token-0042")
            .env_remove("DATABASE_URL"),
        &dir.path().join("server.log"),
    );
    http::wait_until_listening(port, WAIT);
    let traffic = Arc::new(Mutex::new(Traffic::default()));
    let base = format!("http://127.0.0.1:{}", proxy(upstream, traffic.clone()));

    let browser = start_browser(dir.path());
    browser.goto(&format!("{base}/"));
    browser.find("#leadkit-input");
    say(&browser, "How much is the Team plan?");
    let conversation = stored(&browser, "conversation");
    assert!(conversation.is_string(), "{conversation}");

    // A 409: the same message goes once more, and is answered.
    let from = queue(&traffic, &[Refusal::Busy]);
    say(&browser, "Do you ship to Portugal?");
    let chats = chats_since(&traffic, from);
    assert_eq!(chats.len(), 2, "one retry");
    assert_eq!(
        chats[0].0, chats[1].0,
        "the same message, conversation and token"
    );
    assert_eq!((chats[0].1, chats[1].1), (false, true));
    assert_eq!(chats[1].0["conversation"], conversation);
    assert!(lines(&browser, "error").is_empty(), "no error shown");
    assert_eq!(
        lines(&browser, "bot").len(),
        3,
        "the greeting and two replies"
    );

    // Two 409s: one retry only, then a message the visitor understands.
    let from = queue(&traffic, &[Refusal::Busy, Refusal::Busy]);
    say(&browser, "And to Spain?");
    assert_eq!(chats_since(&traffic, from).len(), 2, "no second retry");
    assert_eq!(
        lines(&browser, "error"),
        ["Your previous message is still being handled. Please send this one again."]
    );
    assert_eq!(
        stored(&browser, "conversation"),
        conversation,
        "the conversation goes on"
    );

    // A refused token (the stored one altered): the server's 403, a notice,
    // and the message starts a new conversation.
    browser.execute(&format!(
        "window.sessionStorage.setItem('leadkit-token-{FAQ_BOT}', 'altered'); location.reload();"
    ));
    browser.find("#leadkit-input");
    wait_for(WAIT, "the reloaded widget", || {
        lines(&browser, "bot").len().eq(&1).then_some(())
    });
    let from = queue(&traffic, &[]);
    say(&browser, "Do you have a free trial?");
    let chats = chats_since(&traffic, from);
    assert_eq!(chats.len(), 2, "{chats:?}");
    assert_eq!(chats[0].0["conversation"], conversation);
    assert_eq!(chats[0].0["token"], "altered");
    assert!(
        chats[1].0.get("conversation").is_none(),
        "a new conversation"
    );
    assert_eq!(chats[1].0["message"], "Do you have a free trial?");
    assert_eq!(
        lines(&browser, "notice"),
        ["Your earlier conversation could not be continued, so a new one was started."]
    );
    assert!(lines(&browser, "error").is_empty());
    let restarted = stored(&browser, "conversation");
    assert!(
        restarted.is_string() && restarted != conversation,
        "{restarted}"
    );

    // Refused again on the new conversation: said plainly, and forgotten.
    let from = queue(&traffic, &[Refusal::NotIssued, Refusal::NotIssued]);
    say(&browser, "Thanks!");
    assert_eq!(chats_since(&traffic, from).len(), 2);
    assert_eq!(
        lines(&browser, "error"),
        ["This conversation can no longer be continued. Reload the page to start a new one."]
    );
    assert_eq!(stored(&browser, "conversation"), Value::Null);
}
