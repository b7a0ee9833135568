//! A conversation state read back from the store is untrusted bytes: a
//! corrupt or foreign row must give a typed error that quotes nothing of the
//! row, or a state that saves to the same state again and keeps handling
//! turns within the core's rules.
#![no_main]

use chrono::{DateTime, Duration, Utc};
use leadkit_core::{
    Action, ContactDetails, Conversation, Error, Event, KnownVisitor, Policy, Signals, UserTurn,
};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    // Rows are stored as text; bytes that are not UTF-8 never reach the parser.
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match Conversation::from_json(text) {
        Err(error) => check_error(&error),
        Ok(state) => {
            // Rule 7: a loaded state saves to itself, canonically, and stays small
            // relative to what was read.
            let json = state.to_json();
            let again = Conversation::from_json(&json).expect("a state this build wrote loads");
            assert_eq!(again, state);
            assert_eq!(again.to_json(), json);
            assert!(json.len() <= 2 * text.len() + 64, "state grew on save");
            assert!(state.asks() <= state.user_turns());
            assert!(state.gated_turns() <= state.user_turns());
            keeps_working(&state);
        }
    }
});

/// The error is typed and its text quotes nothing of the blob (a state
/// holds contact details): no quoted value, no address, a short message.
fn check_error(error: &Error) {
    assert!(matches!(
        error,
        Error::CorruptState { .. } | Error::UnsupportedStateVersion { .. }
    ));
    let message = error.to_string();
    assert!(message.len() <= 160, "long error: {message}");
    assert!(
        !message.contains(['@', '"', '`', '\'']),
        "error quotes its input: {message}"
    );
}

/// Every policy can handle the next inputs of a loaded state without a
/// panic, keeping rules 1, 2 and 6, and the state saves again.
fn keeps_working(state: &Conversation) {
    let next = |c: &Conversation| -> DateTime<Utc> {
        c.last_input_at().map_or(DateTime::<Utc>::UNIX_EPOCH, |t| {
            t.checked_add_signed(Duration::seconds(1)).unwrap_or(t)
        })
    };
    let inputs = [
        Signals::none(),
        Signals::none()
            .with_interest(0.9)
            .with_details(ContactDetails::new().with_email("a@example.com")),
        Signals::none().declined(),
        Signals::none().with_consent(),
    ];
    for policy in [
        Policy::after_first_query(),
        Policy::on_interest(),
        Policy::every_reply(),
        Policy::before_chat().with_required_consent("We may contact you.", "v1"),
        Policy::disabled(),
    ] {
        let mut conversation = state.clone();
        for signals in &inputs {
            let before = conversation.clone();
            let outcome = conversation
                .handle_user_turn(&policy, UserTurn::new(next(&conversation), signals.clone()))
                .expect("a valid policy and a time in order");
            assert!(outcome.turn >= before.user_turns());
            if !policy.enabled {
                assert_eq!(outcome.action, Action::Answer);
                assert!(outcome.events.is_empty());
            }
            if before.is_known() {
                assert_eq!(outcome.action, Action::Answer, "known visitor asked");
                assert!(
                    !outcome
                        .events
                        .iter()
                        .any(|e| matches!(e, Event::LeadCaptured(_)))
                );
            }
            assert!(
                !outcome
                    .action
                    .fields()
                    .intersects(conversation.details().fields()),
                "asked again for a held field"
            );
            let saved = Conversation::from_json(&conversation.to_json())
                .expect("a state after a turn loads");
            assert_eq!(saved, conversation);
        }
        conversation
            .handle_assistant_reply(next(&conversation))
            .expect("a time in order");
        conversation
            .handle_known_visitor(next(&conversation), KnownVisitor::default())
            .expect("a time in order");
    }
}
