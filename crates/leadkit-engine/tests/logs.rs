//! The engine's logs carry no personal data. In a test binary of its own:
//! tracing caches which callsites are enabled per process, and tests running
//! alongside without a subscriber would race with the capture.
#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

mod common;

use std::sync::{Arc, Mutex};

use common::{BOT, WORKSPACE, setup, visit};
use leadkit_core::{LeadStatus, Policy};
use leadkit_engine::engine::{Clock, VerifiedDetails};
use leadkit_store::{Bot, BotSettings, BotStore, SettingsUpdate};

/// Captures everything the engine logs, at every level.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn logs_carry_no_personal_data() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let s = setup(Policy::after_first_query());
    let v = visit(60);
    let _ = s.turn(&v, "Hello, pricing please").await;
    let reply = s
        .turn(
            &v,
            "I'm Zacharias Quintero, zq@secret-domain.example, +1 415 555 0100",
        )
        .await;
    let lead = reply.lead.clone().unwrap();
    s.engine
        .set_status(WORKSPACE, lead.id, LeadStatus::Qualified)
        .await
        .unwrap();
    // A settings change by a named person, and a signed-in visitor's
    // verified details: neither is logged.
    s.store
        .put_bot(WORKSPACE, &Bot::new(BOT, WORKSPACE, "Support"))
        .await
        .unwrap();
    let update = SettingsUpdate::new(BotSettings::off(), "Zacharias Quintero", s.clock.now());
    s.engine
        .put_bot_settings(WORKSPACE, BOT, &update)
        .await
        .unwrap();
    let details = VerifiedDetails::builder()
        .name("Zacharias Quintero")
        .email("zq@secret-domain.example")
        .phone("+1 415 555 0100")
        .build()
        .unwrap();
    let signed_in = s
        .turn(
            &visit(61).with_verified_details(details.clone()),
            "Hello, pricing please",
        )
        .await;
    assert!(signed_in.lead.is_some());
    let debug_more = format!("{details:?} {update:?} {signed_in:?}");
    // Debug output of what the engine returns is redacted too.
    let debug = format!("{reply:?} {debug_more}");
    drop(_guard);

    let logs = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(
        logs.contains("leadkit.turn"),
        "the turn span is logged: {logs}"
    );
    for secret in [
        "Zacharias",
        "Quintero",
        "zq@",
        "secret-domain",
        // The phone number as typed, in E.164 and national forms; not a bare
        // "415", which a turn's duration in microseconds can contain.
        "415 555",
        "555 0100",
        "4155550100",
        "555-0100",
        "pricing",
    ] {
        assert!(!logs.contains(secret), "{secret} leaked into logs:\n{logs}");
        assert!(
            !debug.contains(secret),
            "{secret} leaked into Debug:\n{debug}"
        );
    }
}
