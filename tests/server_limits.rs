//! The `server` example protects itself: a client over its rate gets 429
//! with `Retry-After`, and a half-sent request does not hold a connection
//! open past the header-read timeout.
#![allow(clippy::unwrap_used)] // test code

// The browser test's HTTP client and process guard, without its WebDriver.
mod common_browser {
    pub(crate) mod http;
    pub(crate) mod process;
}
mod common_server;

use std::io::{Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common_browser::http;
use common_server::{FAQ_BOT, Server};
use serde_json::json;

#[test]
fn a_client_over_its_rate_is_refused_with_retry_after() {
    // 60 a minute: bursts of 12.
    let server = Server::start("leadkit-limits", &["--client-rate", "60"]);
    let widget = format!("{}/leadkit/widget.js", server.base);
    let statuses: Vec<u16> = (0..20)
        .map(|_| http::request("GET", &widget, &[], None).status)
        .collect();
    assert_eq!(statuses[..12], [200; 12], "{statuses:?}");
    assert!(statuses[12..].iter().all(|s| *s == 429), "{statuses:?}");
    let refused = http::request("GET", &widget, &[], None);
    assert_eq!(refused.status, 429);
    let wait: u64 = refused.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=60).contains(&wait), "{wait}");
    assert_eq!(refused.json()["error"], "rate_limited");
    assert!(
        server
            .log()
            .lines()
            .any(|line| line.contains("WARN") && line.contains("client=127.0.0.1")),
        "refusals are logged with the client address:\n{}",
        server.log()
    );
}

#[test]
fn new_conversations_per_address_are_limited() {
    let server = Server::start("leadkit-limits-new", &[]);
    // The default: bursts of 10 new conversations an address, 30 an hour.
    let statuses: Vec<u16> = (0..12)
        .map(|_| {
            server
                .chat(&json!({"bot": FAQ_BOT, "message": "hello"}))
                .status
        })
        .collect();
    assert_eq!(statuses[..10], [200; 10], "{statuses:?}");
    assert_eq!(statuses[10..], [429; 2], "{statuses:?}");
}

#[test]
fn a_half_sent_request_is_dropped_after_the_header_read_timeout() {
    let server = Server::start("leadkit-limits-slow", &[]);
    let host = server.base.trim_start_matches("http://");
    let mut stream = TcpStream::connect(host).unwrap();
    stream
        .write_all(b"POST /chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n")
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let started = Instant::now();
    let mut answer = Vec::new();
    // The server answers 408 or just closes; either way the read ends.
    let _ = stream.read_to_end(&mut answer);
    let waited = started.elapsed();
    assert!(
        waited < Duration::from_secs(25),
        "the connection stayed open {waited:?}"
    );
    assert!(
        waited >= Duration::from_secs(5),
        "closed too early ({waited:?}): {}",
        String::from_utf8_lossy(&answer)
    );
}
