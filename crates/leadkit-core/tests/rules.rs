//! One test per rule of the state machine, and its errors.

#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

mod common;

use chrono::Duration;
use common::{Chat, signals, t0};
use leadkit_core::{
    Action, AskReason, ContactDetails, Conversation, Error, Event, Field, FieldSet, InvalidReason,
    KnownVisitor, LeadId, Policy, Signals, UserTurn,
};

fn turn(
    policy: &Policy,
    conversation: &mut Conversation,
    seconds: i64,
    step: &str,
) -> leadkit_core::TurnOutcome {
    conversation
        .handle_user_turn(
            policy,
            UserTurn::new(t0() + Duration::seconds(seconds), signals(step)),
        )
        .unwrap()
}

#[test]
fn rule1_disabled_keeps_nothing() {
    let policy = Policy::disabled();
    let mut conversation = Conversation::new();
    let outcome = turn(&policy, &mut conversation, 1, "n+e+p+c+i");
    assert_eq!(outcome.action, Action::Answer);
    assert!(outcome.events.is_empty());
    assert!(conversation.details().is_empty());
    assert!(!conversation.has_lead());
    assert!(conversation.outstanding(&policy).all().is_empty());
}

#[test]
fn rule2_known_visitor_is_linked_and_never_asked() {
    let policy = Policy::before_chat();
    let mut conversation = Conversation::new();
    let lead = LeadId::from_u128(9);
    conversation
        .handle_known_visitor(
            t0(),
            KnownVisitor::new(Some(lead), ContactDetails::new().with_name("Ana")),
        )
        .unwrap();
    assert!(conversation.is_known());
    assert_eq!(conversation.known_lead(), Some(lead));
    let outcome = turn(&policy, &mut conversation, 1, "e");
    assert_eq!(outcome.action, Action::Answer);
    let update = outcome.lead().unwrap();
    assert_eq!(update.known_lead, Some(lead));
    assert_eq!(update.changed, FieldSet::only(Field::Email));
    assert_eq!(update.details.get(Field::Name), Some("Ana"));
    assert!(matches!(outcome.events[0], Event::LeadUpdated(_)));
}

#[test]
fn rule3_volunteered_details_are_captured_even_when_not_asked() {
    // The policy asks for name and email; a volunteered phone is still kept
    // and is a way to reach the visitor, so the lead counts.
    let policy = Policy::after_first_query();
    let mut conversation = Conversation::new();
    let outcome = turn(&policy, &mut conversation, 1, "p");
    let lead = outcome.lead().unwrap();
    assert!(matches!(outcome.events[0], Event::LeadCaptured(_)));
    assert_eq!(lead.details.get(Field::Phone), Some("+5511987654321"));
    assert!(!lead.complete);
    assert_eq!(lead.changed, FieldSet::only(Field::Phone));
    // Only the required fields still missing are asked for.
    let Action::AnswerAndAsk(request) = outcome.action else {
        panic!("{:?}", outcome.action)
    };
    assert_eq!(
        request.fields.required,
        FieldSet::only(Field::Name).with(Field::Email)
    );
    assert_eq!(request.reason, AskReason::MissingFields);
}

#[test]
fn rule3_custom_fields_are_captured_and_reported() {
    let policy = Policy::on_interest();
    let mut conversation = Conversation::new();
    let _ = turn(&policy, &mut conversation, 1, "e");
    let outcome = conversation
        .handle_user_turn(
            &policy,
            UserTurn::new(
                t0() + Duration::seconds(2),
                Signals::none().with_details(ContactDetails::new().with_custom("company", "Acme")),
            ),
        )
        .unwrap();
    let update = outcome.lead().unwrap();
    assert!(update.custom_changed);
    assert!(update.changed.is_empty());
    assert_eq!(conversation.details().custom["company"].expose(), "Acme");
}

#[test]
fn rule4_max_asks_zero_never_asks_but_still_captures() {
    let mut policy = Policy::every_reply();
    policy.max_asks = Some(0);
    let mut chat = Chat::new(policy);
    assert_eq!(
        chat.play(&["q", "i", "q", "e"]),
        ["answer", "answer", "answer", "answer +captured"]
    );
}

#[test]
fn rule4_interest_threshold_is_inclusive() {
    let mut policy = Policy::on_interest();
    policy.interest_threshold = leadkit_core::Interest::new(0.5).unwrap();
    let mut conversation = Conversation::new();
    let below = conversation
        .handle_user_turn(
            &policy,
            UserTurn::new(t0(), Signals::none().with_interest(0.49)),
        )
        .unwrap();
    assert_eq!(below.action, Action::Answer);
    let at = conversation
        .handle_user_turn(
            &policy,
            UserTurn::new(t0(), Signals::none().with_interest(0.5)),
        )
        .unwrap();
    assert!(
        matches!(at.action, Action::AnswerAndAsk(r) if r.reason == AskReason::Interest && r.attempt == 1)
    );
}

#[test]
fn rule4_corrections_do_not_use_up_asks() {
    let mut policy = Policy::after_first_query();
    policy.max_asks = Some(1);
    let mut chat = Chat::new(policy);
    assert_eq!(
        chat.play(&["q", "e!", "e!", "e+n"]),
        [
            "ask[name,email]",
            "correct[email]",
            "correct[email]",
            "answer +captured"
        ]
    );
    assert_eq!(chat.conversation.asks(), 1);
}

#[test]
fn rule4_no_correction_once_the_needed_fields_are_in() {
    // Phone is optional here: once name and email are in, a bad phone is not chased.
    let policy = Policy::after_first_query().with_fields("name,email,phone?".parse().unwrap());
    let mut chat = Chat::new(policy);
    assert_eq!(chat.play(&["n+e", "p!"]), ["answer +captured", "answer"]);
    // While something is needed, an invalid optional value is worth a correction.
    let policy = Policy::after_first_query().with_fields("email,phone?".parse().unwrap());
    let mut chat = Chat::new(policy);
    assert_eq!(chat.play(&["p!"]), ["correct[phone]"]);
}

#[test]
fn rule5_gate_lifts_once_and_reports_the_first_held_turn() {
    let policy = Policy::before_chat();
    let mut conversation = Conversation::new();
    let _ = turn(&policy, &mut conversation, 1, "q");
    let second = turn(&policy, &mut conversation, 2, "q");
    assert!(
        matches!(second.action, Action::Gate(r) if r.attempt == 2 && r.reason == AskReason::Gate)
    );
    let open = turn(&policy, &mut conversation, 3, "p");
    assert!(open.events.contains(&Event::GateLifted {
        first_gated_turn: 1
    }));
    assert_eq!(conversation.gated_turns(), 2);
    // The policy now needs a name too: the gate closes on a new query and
    // reports that one when it opens again.
    let stricter = Policy::before_chat().with_fields("name,phone".parse().unwrap());
    assert!(matches!(
        turn(&stricter, &mut conversation, 4, "q").action,
        Action::Gate(_)
    ));
    let reopened = turn(&stricter, &mut conversation, 5, "n");
    assert!(reopened.events.contains(&Event::GateLifted {
        first_gated_turn: 4
    }));
}

#[test]
fn rule5_correction_reasons_pass_through() {
    let policy = Policy::before_chat();
    let mut conversation = Conversation::new();
    let outcome = conversation
        .handle_user_turn(
            &policy,
            UserTurn::new(
                t0(),
                Signals::none().with_invalid(Field::Phone, InvalidReason::Implausible),
            ),
        )
        .unwrap();
    let Action::Correct { correction, answer } = outcome.action else {
        panic!()
    };
    assert!(!answer);
    assert_eq!(correction.field, Field::Phone);
    assert_eq!(correction.reason, InvalidReason::Implausible);
    assert_eq!(
        correction.request.fields.one_of,
        FieldSet::only(Field::Email).with(Field::Phone)
    );
    assert!(!outcome.action.answers_query());
}

#[test]
fn rule6_a_captured_field_is_never_asked_again_even_after_a_policy_change() {
    let mut chat = Chat::new(Policy::every_reply());
    assert_eq!(chat.step("e"), "answer +captured");
    chat.policy = Policy::every_reply().with_fields("name,email,phone".parse().unwrap());
    assert_eq!(chat.step("q"), "ask[name,phone]");
}

#[test]
fn consent_is_recorded_with_the_notice_and_time() {
    let policy = Policy::on_interest().with_required_consent("We may call you.", "2026-11");
    let mut conversation = Conversation::new();
    let _ = turn(&policy, &mut conversation, 1, "p");
    let outcome = turn(&policy, &mut conversation, 5, "c");
    let lead = outcome.lead().unwrap();
    let consent = lead.consent.as_ref().unwrap();
    assert!(consent.given);
    assert_eq!(consent.text, "We may call you.");
    assert_eq!(consent.version, "2026-11");
    assert_eq!(consent.at, t0() + Duration::seconds(5));
    assert!(lead.complete);
    assert!(conversation.has_consent());
    // Consent given again under the same notice is not news.
    assert!(turn(&policy, &mut conversation, 6, "c").events.is_empty());
    // A new notice version is recorded again.
    let renewed = policy.with_required_consent("We may call or email you.", "2027-01");
    assert!(
        turn(&renewed, &mut conversation, 7, "c")
            .lead()
            .unwrap()
            .consent
            .is_some()
    );
}

#[test]
fn inputs_out_of_order_are_rejected_and_change_nothing() {
    let policy = Policy::after_first_query();
    let mut conversation = Conversation::new();
    let _ = turn(&policy, &mut conversation, 10, "q");
    let before = conversation.clone();
    let err = conversation
        .handle_user_turn(
            &policy,
            UserTurn::new(t0() + Duration::seconds(9), signals("e")),
        )
        .unwrap_err();
    assert!(matches!(err, Error::OutOfOrder { .. }));
    assert!(conversation.handle_assistant_reply(t0()).is_err());
    assert!(
        conversation
            .handle_known_visitor(t0(), KnownVisitor::default())
            .is_err()
    );
    assert_eq!(conversation, before);
    // The same instant is fine: messages can share a timestamp.
    assert!(
        conversation
            .handle_assistant_reply(t0() + Duration::seconds(10))
            .is_ok()
    );
}

#[test]
fn an_invalid_policy_is_rejected_and_changes_nothing() {
    let policy = Policy::on_interest().with_fields(leadkit_core::FieldRequirements::NONE);
    let mut conversation = Conversation::new();
    let err = conversation
        .handle_user_turn(&policy, UserTurn::new(t0(), signals("e")))
        .unwrap_err();
    assert!(matches!(err, Error::InvalidPolicy { .. }));
    assert_eq!(conversation, Conversation::new());
}

#[test]
fn errors_never_show_personal_data() {
    let policy = Policy::on_interest();
    let mut conversation = Conversation::new();
    let _ = turn(&policy, &mut conversation, 1, "n+e+p");
    let debug = format!("{conversation:?}");
    assert!(
        !debug.contains("Ana") && !debug.contains("example.com") && !debug.contains("+55"),
        "{debug}"
    );
    let outcome = turn(&policy, &mut conversation, 2, "e2");
    let debug = format!("{outcome:?}");
    assert!(!debug.contains("ana.souza"), "{debug}");
}
