//! The `server` example logs at `info` by default, refusals at `warn`, and
//! never a visitor's contact details or the admin token.
#![allow(clippy::unwrap_used)] // test code

// The browser test's HTTP client and process guard, without its WebDriver.
mod common_browser {
    pub(crate) mod http;
    pub(crate) mod process;
}
mod common_server;

use common_browser::http;
use common_server::{FAQ_BOT, Server, TOKEN};
use serde_json::json;

#[test]
fn the_server_logs_at_info_without_personal_data() {
    let server = Server::start("leadkit-server-logs", &[]);
    let first = server.chat(&json!({"bot": FAQ_BOT, "message": "How much does it cost?"}));
    assert_eq!(first.status, 200, "{}", first.text());
    let mut body = server.continue_body(&first.json());
    body["message"] =
        json!("I'm Quentin Zylberstein, quentin.zylberstein@example.com, +1 415 555 0199");
    let second = server.chat(&body);
    assert_eq!(second.status, 200, "{}", second.text());
    // A wrong sign-in, logged at warn.
    let refused = server.sign_in("wrong-token-quentin-zylberstein", &[]);
    assert_eq!(refused.status, 401, "{}", refused.text());
    let leads = http::request(
        "GET",
        &format!("{}/admin/api/leads?q=zylberstein", server.base),
        &[("Authorization", &format!("Bearer {TOKEN}"))],
        None,
    );
    assert!(leads.text().contains("zylberstein"), "{}", leads.text());

    let log = server.log();
    assert!(
        log.lines()
            .any(|line| line.contains(" INFO ") && line.contains("listening")),
        "info by default:\n{log}"
    );
    assert!(
        !log.contains("DEBUG") && !log.contains("TRACE"),
        "nothing below info by default:\n{log}"
    );
    assert!(
        log.lines()
            .any(|line| line.contains(" WARN ") && line.contains("sign-in refused")),
        "{log}"
    );
    // The same list as leadkit-axum's in-process log test
    // (crates/leadkit-axum/tests/logs.rs): test crates cannot share code.
    for secret in [
        "zylberstein",
        "Zylberstein",
        "Quentin",
        "quentin",
        "415 555",
        "555 0199",
        "4155550199",
        TOKEN,
    ] {
        assert!(
            !log.contains(secret),
            "{secret:?} leaked into the log:\n{log}"
        );
    }
}
