//! The `server` example as a child process on a fresh SQLite file (or the
//! PostgreSQL database given), and its chat endpoint over real HTTP.
// Each test file uses some of these helpers.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

use crate::common_browser::http::{self, Response, free_port};
use crate::common_browser::process::{Guard, TempDir, temp_dir};

/// The admin token the servers are started with.
pub(crate) const TOKEN: &str = "server-test-admin-token-0042";
/// The bot behind the example's widget.
pub(crate) const FAQ_BOT: &str = "00000000-0000-0000-1ead-000000000002";
/// The example's second bot.
pub(crate) const PRICING_BOT: &str = "00000000-0000-0000-1ead-000000000003";

/// `<target>/debug/examples/server`, built by `cargo test` with the tests.
pub(crate) fn server_binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    // <target>/debug/deps/<test>-<hash>
    let debug_dir = exe.parent().and_then(Path::parent).unwrap();
    let binary = debug_dir
        .join("examples")
        .join(format!("server{}", std::env::consts::EXE_SUFFIX));
    assert!(
        binary.exists(),
        "{} is missing: run the tests with `cargo test` (which builds the examples) or `cargo build --example server` first",
        binary.display()
    );
    binary
}

struct Running {
    _process: Guard,
    log: PathBuf,
    _dir: Arc<TempDir>,
}

/// A running server; clones share the process.
#[derive(Clone)]
pub(crate) struct Server {
    running: Arc<Running>,
    /// `http://127.0.0.1:PORT`
    pub(crate) base: String,
}

impl Server {
    /// Starts the example on a fresh SQLite file with extra `args`.
    pub(crate) fn start(prefix: &str, args: &[&str]) -> Server {
        let dir = Arc::new(temp_dir(prefix));
        let db = dir.path().join("demo.sqlite");
        Self::start_with(dir.clone(), &[], |command| {
            command
                .arg("--db")
                .arg(&db)
                .env_remove("DATABASE_URL")
                .args(args);
        })
    }

    /// Starts the example in `dir` with `env` set, after `configure` adds
    /// its arguments.
    pub(crate) fn start_with(
        dir: Arc<TempDir>,
        env: &[(&str, &str)],
        configure: impl FnOnce(&mut Command),
    ) -> Server {
        let port = free_port();
        let log = dir.path().join(format!("server-{port}.log"));
        let mut command = Command::new(server_binary());
        command
            .args(["--addr", &format!("127.0.0.1:{port}")])
            .env("LEADKIT_ADMIN_TOKEN", TOKEN)
            .env_remove("RUST_LOG");
        for (name, value) in env {
            command.env(name, value);
        }
        configure(&mut command);
        let process = Guard::spawn(&mut command, &log);
        http::wait_until_listening(port, Duration::from_secs(30));
        Server {
            running: Arc::new(Running {
                _process: process,
                log,
                _dir: dir,
            }),
            base: format!("http://127.0.0.1:{port}"),
        }
    }

    /// Another handle on the same process (for threads).
    pub(crate) fn clone_handle(&self) -> Server {
        self.clone()
    }

    /// The server's output so far.
    pub(crate) fn log(&self) -> String {
        std::fs::read_to_string(&self.running.log).unwrap_or_default()
    }

    /// `POST /chat` with `body`.
    pub(crate) fn chat(&self, body: &Value) -> Response {
        http::request(
            "POST",
            &format!("{}/chat", self.base),
            &[],
            Some(&body.to_string()),
        )
    }

    /// `POST /admin/login` with `token`, as the dashboard's own form sends
    /// it, with `extra` headers (`X-Real-IP` …).
    pub(crate) fn sign_in(&self, token: &str, extra: &[(&str, &str)]) -> Response {
        let host = self.base.trim_start_matches("http://");
        let mut headers = vec![
            ("Host", host),
            ("Origin", self.base.as_str()),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ];
        headers.extend_from_slice(extra);
        http::request(
            "POST",
            &format!("{}/admin/login", self.base),
            &headers,
            Some(&format!("token={token}")),
        )
    }

    /// The session cookie (`name=value`) a successful sign-in set.
    pub(crate) fn session_cookie(response: &Response) -> String {
        assert_eq!(response.status, 303, "{}", response.text());
        let set_cookie = response
            .header("set-cookie")
            .unwrap_or_else(|| panic!("no cookie: {:?}", response.headers));
        set_cookie.split(';').next().unwrap_or_default().to_owned()
    }

    /// A request body that continues the conversation `reply` answered:
    /// its bot, id and token (when the server issued one).
    pub(crate) fn continue_body(&self, reply: &Value) -> Value {
        let mut body = serde_json::json!({"bot": FAQ_BOT, "conversation": reply["conversation"]});
        if let Some(token) = reply.get("token") {
            body["token"] = token.clone();
        }
        body
    }
}
