//! Whole conversations, one table per mode. The notation is explained in
//! `common/mod.rs`.

#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

mod common;

use common::check;
use leadkit_core::{Mode, OnDecline, Policy};

#[test]
fn after_first_query_asks_with_the_first_answer_then_cools_down() {
    // Ask with the first answer, stay quiet for three turns after the ignored
    // request, remind once, then never again (two asks at most).
    check(
        "after-first-query",
        Policy::after_first_query(),
        &[
            ("q", "ask[name,email]"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "ask[name,email]"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "answer"),
            // Sharing stays possible after the asks are used up.
            ("n+e", "answer +captured"),
            ("q", "answer"),
        ],
    );
}

#[test]
fn after_first_query_waits_for_a_real_query_after_small_talk() {
    // "Hi" and "thanks" are not queries: the first request comes with the
    // answer to the first real one, then the usual cool-down.
    check(
        "small talk first",
        Policy::after_first_query(),
        &[
            ("hi", "answer"),
            ("hi", "answer"),
            ("q", "ask[name,email]"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "ask[name,email]"),
        ],
    );
}

#[test]
fn small_talk_after_the_first_ask_follows_the_usual_cool_down() {
    // Small talk only holds back the first request; a visitor who shares
    // details in a "thanks" turn is still captured.
    check(
        "small talk later",
        Policy::after_first_query(),
        &[
            ("q", "ask[name,email]"),
            ("hi", "answer"),
            ("hi", "answer"),
            ("hi", "answer"),
            ("hi", "answer"),
            ("hi", "ask[name,email]"),
            ("hi+n+e", "answer +captured"),
        ],
    );
}

#[test]
fn a_request_is_pending_only_right_after_it_was_made() {
    use leadkit_core::{Conversation, Signals, UserTurn};
    let policy = Policy::on_interest();
    let mut conversation = Conversation::new();
    assert!(!conversation.request_pending());
    let mut turn = |signals: Signals, n: i64| {
        let at = common::t0() + chrono::Duration::minutes(n);
        let _ = conversation
            .handle_user_turn(&policy, UserTurn::new(at, signals))
            .unwrap();
        conversation.request_pending()
    };
    assert!(!turn(Signals::none(), 1), "an answer asks nothing");
    assert!(
        turn(Signals::none().with_interest(0.9), 2),
        "an ask is pending"
    );
    assert!(
        !turn(Signals::none(), 3),
        "the next turn answered it (or ignored it)"
    );
    let mut gated = Conversation::new();
    let at = common::t0();
    let _ = gated
        .handle_user_turn(&Policy::before_chat(), UserTurn::new(at, Signals::none()))
        .unwrap();
    assert!(gated.request_pending(), "a closed gate asks");
}

#[test]
fn small_talk_does_not_hold_back_on_interest_mode() {
    check(
        "on interest",
        Policy::on_interest(),
        &[("hi", "answer"), ("hi+i", "ask[email|phone,name?]")],
    );
}

#[test]
fn after_first_query_asks_only_for_what_is_missing() {
    check(
        "partial details",
        Policy::after_first_query(),
        &[
            ("q", "ask[name,email]"),
            ("e", "ask[name] +captured"),
            ("n", "answer +updated"),
            ("q", "answer"),
            ("e2", "answer +updated"),
        ],
    );
}

#[test]
fn after_first_query_respects_a_decline_on_the_first_turn() {
    check(
        "decline first",
        Policy::after_first_query(),
        &[
            ("d", "answer +declined"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "ask[name,email]"),
            ("q", "answer"),
        ],
    );
}

#[test]
fn after_first_query_corrects_an_invalid_email_without_using_an_ask() {
    check(
        "correction",
        Policy::after_first_query(),
        &[
            ("q", "ask[name,email]"),
            ("e!", "correct[email]"),
            // A name alone is no way to reach the visitor: no lead yet.
            ("n", "ask[email]"),
            ("q", "answer"),
        ],
    );
    check(
        "correction then details",
        Policy::after_first_query(),
        &[
            ("q", "ask[name,email]"),
            ("e!", "correct[email]"),
            ("n+e", "answer +captured"),
        ],
    );
}

#[test]
fn known_visitors_are_never_asked_in_any_mode() {
    for policy in [
        Policy::after_first_query(),
        Policy::on_interest(),
        Policy::every_reply(),
        Policy::before_chat(),
    ] {
        check(
            "known visitor",
            policy,
            &[
                ("known", "known"),
                ("q", "answer"),
                ("i", "answer"),
                ("e!", "answer"),
                ("e2", "answer +updated"),
                ("q", "answer"),
            ],
        );
    }
}

#[test]
fn a_visitor_recognised_mid_conversation_is_no_longer_asked() {
    check(
        "known later",
        Policy::every_reply(),
        &[
            ("q", "ask[email|phone,name?]"),
            ("known", "known"),
            ("q", "answer"),
        ],
    );
}

#[test]
fn disabled_policies_never_ask_and_never_capture() {
    for mode in [
        Mode::AfterFirstQuery,
        Mode::OnInterest,
        Mode::EveryReply,
        Mode::BeforeChat,
    ] {
        let mut policy = Policy::disabled().with_mode(mode);
        policy.enabled = false;
        check(
            "disabled",
            policy,
            &[
                ("q", "answer"),
                ("i", "answer"),
                ("n+e+p+c", "answer"),
                ("e!", "answer"),
                ("d", "answer"),
            ],
        );
    }
}

#[test]
fn on_interest_asks_only_when_interest_shows() {
    check(
        "on-interest",
        Policy::on_interest(),
        &[
            ("lo", "answer"),
            ("q", "answer"),
            ("i", "ask[email|phone,name?]"),
            ("p", "answer +captured"),
            ("i", "answer"),
        ],
    );
}

#[test]
fn on_interest_decline_then_details_later() {
    check(
        "on-interest decline",
        Policy::on_interest(),
        &[
            ("i", "ask[email|phone,name?]"),
            ("d", "answer +declined"),
            ("i", "answer"),
            ("i", "answer"),
            ("i", "answer"),
            ("i", "ask[email|phone,name?]"),
            ("q", "answer"),
            ("i", "answer"),
            ("n+e", "answer +captured"),
        ],
    );
}

#[test]
fn every_reply_asks_until_the_details_are_in() {
    check(
        "every-reply",
        Policy::every_reply(),
        &[
            ("q", "ask[email|phone,name?]"),
            ("q", "ask[email|phone,name?]"),
            ("q", "ask[email|phone,name?]"),
            ("n", "ask[email|phone]"),
            ("e", "answer +captured"),
            ("q", "answer"),
        ],
    );
}

#[test]
fn every_reply_pauses_after_a_decline_by_default() {
    check(
        "every-reply decline",
        Policy::every_reply(),
        &[
            ("q", "ask[email|phone,name?]"),
            ("d", "answer +declined"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "ask[email|phone,name?]"),
        ],
    );
}

// The scripts here open with the same turns (a query, a decline): each is
// written out whole so that it reads as one conversation, turn by turn.
#[test]
fn every_reply_decline_behaviours() {
    let mut stop = Policy::every_reply();
    stop.on_decline = OnDecline::StopAsking;
    check(
        "stop asking",
        stop,
        &[
            ("q", "ask[email|phone,name?]"),
            ("d", "answer +declined"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "answer"),
            ("q", "answer"),
            ("p", "answer +captured"),
        ],
    );
    let mut keep = Policy::every_reply();
    keep.on_decline = OnDecline::KeepAsking;
    check(
        "keep asking",
        keep,
        &[
            ("q", "ask[email|phone,name?]"),
            ("d", "ask[email|phone,name?] +declined"),
            ("q", "ask[email|phone,name?]"),
        ],
    );
}

#[test]
fn before_chat_holds_every_query_until_valid_details() {
    check(
        "before-chat",
        Policy::before_chat(),
        &[
            ("q", "gate[email|phone,name?]"),
            ("q", "gate[email|phone,name?]"),
            ("e!", "gate-correct[email]"),
            ("e", "answer +captured +lifted"),
            ("q", "answer"),
        ],
    );
}

#[test]
fn before_chat_ignores_a_decline() {
    check(
        "before-chat decline",
        Policy::before_chat(),
        &[
            ("d", "gate[email|phone,name?] +declined"),
            ("d", "gate[email|phone,name?] +declined"),
            ("p", "answer +captured +lifted"),
        ],
    );
}

#[test]
fn before_chat_with_required_name_keeps_the_lead_and_holds_for_the_name() {
    let policy = Policy::before_chat().with_fields("name,email".parse().unwrap());
    check(
        "before-chat name,email",
        policy,
        &[
            ("e", "gate[name] +captured"),
            ("p!", "gate[name]"),
            ("n", "answer +updated +lifted"),
        ],
    );
}

#[test]
fn required_consent_holds_the_lead_until_given() {
    let gate = Policy::before_chat()
        .with_required_consent("We may contact you about your request.", "2026-11");
    check(
        "before-chat consent",
        gate,
        &[
            ("q", "gate[email|phone,name?+consent]"),
            ("e", "gate[+consent]"),
            ("c", "answer +captured +lifted"),
        ],
    );
    let voluntary = Policy::on_interest().with_required_consent("We may contact you.", "v1");
    check(
        "on-interest consent",
        voluntary,
        &[
            ("i", "ask[email|phone,name?+consent]"),
            ("e", "ask[+consent]"),
            ("c", "answer +captured"),
        ],
    );
    let together = Policy::every_reply().with_required_consent("We may contact you.", "v1");
    check(
        "details and consent at once",
        together,
        &[("e+c", "answer +captured")],
    );
}
