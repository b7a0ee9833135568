//! The `chat` example scripted through stdin, as the README shows.
#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

/// `cargo test` builds the examples next to the test binaries.
fn example(name: &str) -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().unwrap().parent().unwrap();
    dir.join("examples").join(name)
}

fn run(args: &[&str], input: &str) -> (String, String, i32) {
    let mut child = Command::new(example("chat"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the chat example is built by cargo test");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    (
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
        out.status.code().unwrap_or(-1),
    )
}

fn turns(stdout: &str) -> Vec<serde_json::Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

#[test]
fn json_mode_prints_one_object_per_turn_and_exports_csv() {
    let dir = std::env::temp_dir().join(format!("leadkit-chat-{}", uuid::Uuid::new_v4()));
    std::fs::create_dir_all(&dir).unwrap();
    let db = dir.join("chat.sqlite");
    let csv = dir.join("leads.csv");
    let (stdout, stderr, code) = run(
        &[
            "--json",
            "--db",
            db.to_str().unwrap(),
            "--export",
            csv.to_str().unwrap(),
        ],
        "How much is the Team plan?\n\nno thanks\nI'm Ana Souza, ana@example.com\n",
    );
    assert_eq!(code, 0, "{stderr}");
    let turns = turns(&stdout);
    assert_eq!(turns.len(), 3, "blank lines are skipped: {stdout}");
    assert_eq!(turns[0]["turn"], 1);
    assert_eq!(turns[0]["action"], "ask");
    assert_eq!(turns[0]["fields"], serde_json::json!(["name", "email"]));
    assert!(turns[0]["reply"].as_str().unwrap().contains("$99"));
    assert!(turns[0]["lead"].is_null());
    assert_eq!(turns[1]["action"], "answer");
    // A decline is acknowledged, not answered with the FAQ's fallback.
    assert_eq!(turns[1]["reply"], "No problem.");
    // Details alone are thanked by name, not answered with the fallback.
    assert_eq!(turns[2]["reply"], "Thanks, Ana Souza — we'll be in touch.");
    assert_eq!(turns[2]["lead"]["email"], "ana@example.com");
    assert_eq!(turns[2]["lead"]["name"], "Ana Souza");
    let exported = std::fs::read_to_string(&csv).unwrap();
    assert_eq!(exported.lines().count(), 2, "{exported}");
    assert!(exported.contains("ana@example.com"));
    // The lead is in the SQLite file: a second run sees it in the export.
    let (_, stderr, code) = run(
        &[
            "--json",
            "--db",
            db.to_str().unwrap(),
            "--export",
            csv.to_str().unwrap(),
        ],
        "hello\n",
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(std::fs::read_to_string(&csv).unwrap().contains("Ana Souza"));
    let _ = std::fs::remove_dir_all(dir);
}

#[test]
fn every_mode_and_field_rule_runs() {
    let script = "What are your opening hours?\nmy email is ana@gmail\nana@gmail.com\n";
    let expected = [
        ("off", "email", ["answer", "answer", "answer"]),
        ("after-first-query", "name,email", ["ask", "correct", "ask"]),
        (
            "on-interest",
            "email|phone",
            ["answer", "correct", "answer"],
        ),
        ("every-reply", "email|phone", ["ask", "correct", "answer"]),
        ("before-chat", "email|phone", ["gate", "correct", "answer"]),
    ];
    for (mode, fields, actions) in expected {
        let (stdout, stderr, code) = run(
            &[
                "--json", "--db", ":memory:", "--mode", mode, "--fields", fields,
            ],
            script,
        );
        assert_eq!(code, 0, "{mode}: {stderr}");
        let got: Vec<String> = turns(&stdout)
            .iter()
            .map(|t| t["action"].as_str().unwrap().to_owned())
            .collect();
        assert_eq!(got, actions, "{mode} {fields}");
    }
}

#[test]
fn bad_flags_exit_with_usage() {
    for args in [
        &["--mode", "sometimes"][..],
        &["--fields", "fax"],
        &["--bogus"],
        &["--db"],
    ] {
        let (_, stderr, code) = run(args, "");
        assert_eq!(code, 2, "{args:?}");
        assert!(stderr.contains("usage: chat"), "{stderr}");
    }
}
