//! Saving and restoring conversation state (rule 7) and its errors.

#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

mod common;

use common::Chat;
use leadkit_core::{Conversation, Error, Policy, STATE_VERSION};

fn typical_state() -> Chat {
    let policy = Policy::on_interest()
        .with_required_consent("We may contact you about your enquiry.", "2026-11");
    let mut chat = Chat::new(policy);
    chat.play(&["q", "i", "n+e", "p", "c", "q", "q", "i"]);
    chat
}

#[test]
fn a_typical_state_is_small() {
    let chat = typical_state();
    let json = chat.conversation.to_json();
    println!("typical state: {} bytes", json.len());
    assert!(json.len() <= 512, "{} bytes: {json}", json.len());
    assert!(json.starts_with(&format!("{{\"v\":{STATE_VERSION}")));
}

#[test]
fn restored_mid_way_behaves_like_never_saved() {
    let rest = ["q", "i", "e2", "d", "q", "q", "i", "i"];
    let mut kept = typical_state();
    let mut restored = typical_state();
    restored.conversation = Conversation::from_json(&restored.conversation.to_json()).unwrap();
    assert_eq!(restored.conversation, kept.conversation);
    assert_eq!(kept.play(&rest), restored.play(&rest));
    assert_eq!(kept.conversation, restored.conversation);
}

#[test]
fn a_new_conversation_round_trips() {
    let fresh = Conversation::new();
    assert_eq!(fresh.to_json(), r#"{"v":1}"#);
    assert_eq!(Conversation::from_json(&fresh.to_json()).unwrap(), fresh);
}

#[test]
fn an_unknown_version_is_a_typed_error() {
    for blob in [
        r#"{"v":2}"#,
        r#"{"v":0,"turns":1}"#,
        r#"{"v":99,"shape":"from the future"}"#,
    ] {
        let err = Conversation::from_json(blob).unwrap_err();
        assert!(
            matches!(err, Error::UnsupportedStateVersion { supported: 1, .. }),
            "{blob}: {err:?}"
        );
    }
    // Through plain serde too.
    assert!(serde_json::from_str::<Conversation>(r#"{"v":2}"#).is_err());
}

#[test]
fn corrupt_blobs_are_typed_errors_that_quote_nothing() {
    let blobs = [
        "",
        "not json",
        "[]",
        r#"{"turns":3}"#,
        r#"{"v":1,"turns":"ana@example.com"}"#,
        r#"{"v":1,"turns":2,"asks":3,"last_at":"2026-01-01T00:00:00Z"}"#,
        r#"{"v":1,"turns":1}"#,
        r#"{"v":1,"lead":true}"#,
        r#"{"v":1,"known_lead":"00000000-0000-0000-0000-000000000001"}"#,
        r#"{"v":1,"details":{"email":"ana@example.com"},"mystery":1}"#,
        r#"{"v":1,"details":{"email":42}}"#,
        r#"{"v":1,"turns":1,"last_at":"yesterday"}"#,
        r#"{"v":1,"gate_lifted":true}"#,
    ];
    for blob in blobs {
        match Conversation::from_json(blob) {
            Err(err @ Error::CorruptState { .. }) => {
                let text = err.to_string();
                assert!(
                    !text.contains("ana@") && !text.contains("yesterday"),
                    "{blob}: {text}"
                );
            }
            other => panic!("{blob}: expected CorruptState, got {other:?}"),
        }
    }
}
