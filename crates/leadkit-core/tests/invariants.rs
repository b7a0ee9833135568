//! Rules 1–8 as properties over random policies and random inputs.

#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use chrono::{DateTime, Duration, Utc};
use leadkit_core::{
    Action, ContactDetails, Conversation, Event, Field, FieldRequirements, Interest, InvalidReason,
    KnownVisitor, LeadId, Mode, OnDecline, Policy, Signals, TurnOutcome, UserTurn,
};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Input {
    User(Signals),
    Reply,
    Known(Option<u8>),
    /// Save the state and restore it before the next input.
    Reload,
}

fn policy() -> impl Strategy<Value = Policy> {
    let specs = prop::sample::select(vec![
        "name,email",
        "email",
        "phone",
        "email|phone",
        "name?,email|phone",
        "name,email|phone",
        "name,email,phone?",
        "name,email,phone",
        "name|email|phone",
        "name",
    ]);
    let mode = prop::sample::select(vec![
        Mode::AfterFirstQuery,
        Mode::OnInterest,
        Mode::EveryReply,
        Mode::BeforeChat,
    ]);
    let decline = prop::sample::select(vec![
        OnDecline::Cooldown,
        OnDecline::StopAsking,
        OnDecline::KeepAsking,
    ]);
    (
        prop::bool::weighted(0.85),
        mode,
        specs,
        any::<bool>(),
        0.0f32..=1.0,
        prop::option::of(0u32..4),
        0u32..4,
        decline,
    )
        .prop_map(
            |(enabled, mode, spec, consent, threshold, max_asks, cooldown, on_decline)| {
                let mut policy = Policy::after_first_query()
                    .with_mode(mode)
                    .with_fields(spec.parse().unwrap());
                if consent {
                    policy = policy.with_required_consent("We may contact you.", "v1");
                }
                policy.enabled = enabled;
                policy.interest_threshold = Interest::new(threshold).unwrap();
                policy.max_asks = max_asks;
                policy.cooldown_turns = cooldown;
                policy.on_decline = on_decline;
                policy
            },
        )
}

fn signals() -> impl Strategy<Value = Signals> {
    let names = prop::sample::select(vec!["Ana", "Bruno Lima", "Zoë"]);
    let emails = prop::sample::select(vec!["a@example.com", "b@example.org"]);
    let phones = prop::sample::select(vec!["+14155550100", "+447700900123"]);
    let reasons = prop::sample::select(vec![InvalidReason::Incomplete, InvalidReason::Malformed]);
    let fields = prop::sample::select(Field::ALL.to_vec());
    (
        0.0f32..=1.0,
        prop::bool::weighted(0.12),
        prop::bool::weighted(0.15),
        prop::option::weighted(0.15, names),
        prop::option::weighted(0.15, emails),
        prop::option::weighted(0.1, phones),
        prop::option::weighted(0.1, (fields, reasons)),
    )
        .prop_map(
            |(interest, declined, consent, name, email, phone, invalid)| {
                let mut details = ContactDetails::new();
                if let Some(n) = name {
                    details = details.with_name(n);
                }
                if let Some(e) = email {
                    details = details.with_email(e);
                }
                if let Some(p) = phone {
                    details = details.with_phone(p);
                }
                let mut s = Signals::none()
                    .with_interest(interest)
                    .with_details(details);
                s.declined = declined;
                s.consent = consent;
                if let Some((field, reason)) = invalid {
                    s = s.with_invalid(field, reason);
                }
                s
            },
        )
}

fn inputs() -> impl Strategy<Value = Vec<Input>> {
    let input = prop_oneof![
        8 => signals().prop_map(Input::User),
        4 => Just(Input::Reply),
        1 => prop::option::of(any::<u8>()).prop_map(Input::Known),
        2 => Just(Input::Reload),
    ];
    prop::collection::vec(input, 1..40)
}

fn at(step: usize) -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH + Duration::seconds(step as i64)
}

/// Runs the inputs, returning each user turn's outcome (reloads included).
fn run(policy: &Policy, inputs: &[Input]) -> Vec<TurnOutcome> {
    let mut conversation = Conversation::new();
    let mut outcomes = Vec::new();
    for (step, input) in inputs.iter().enumerate() {
        match input {
            Input::User(signals) => outcomes.push(
                conversation
                    .handle_user_turn(policy, UserTurn::new(at(step), signals.clone()))
                    .unwrap(),
            ),
            Input::Reply => conversation.handle_assistant_reply(at(step)).unwrap(),
            Input::Known(lead) => conversation
                .handle_known_visitor(
                    at(step),
                    KnownVisitor::new(
                        lead.map(|n| LeadId::from_u128(n.into())),
                        ContactDetails::new(),
                    ),
                )
                .unwrap(),
            Input::Reload => {
                let json = conversation.to_json();
                assert!(json.len() <= 512, "state of {} bytes: {json}", json.len());
                let restored = Conversation::from_json(&json).unwrap();
                assert_eq!(restored, conversation);
                conversation = restored;
            }
        }
    }
    outcomes
}

/// Runs the inputs and checks rules 1–6 along the way.
fn check_rules(policy: &Policy, inputs: &[Input]) {
    let mut conversation = Conversation::new();
    let mut known = false;
    let mut asks = 0u32;
    // The last turn whose voluntary request must stay suppressed, as the
    // rules define it (independently of the implementation).
    let mut quiet_until = 0u32;
    let mut stopped = false;
    let mut last_request_turn = 0u32;
    for (step, input) in inputs.iter().enumerate() {
        let signals = match input {
            Input::User(signals) => signals.clone(),
            Input::Known(_) => {
                conversation
                    .handle_known_visitor(at(step), KnownVisitor::default())
                    .unwrap();
                known = true;
                continue;
            }
            _ => continue,
        };
        let outcome = conversation
            .handle_user_turn(policy, UserTurn::new(at(step), signals.clone()))
            .unwrap();
        let n = outcome.turn;
        let action = outcome.action;
        let gave = !signals.details.is_empty();

        // Rule 1.
        if !policy.enabled {
            assert_eq!(action, Action::Answer);
            assert!(outcome.events.is_empty());
            assert!(conversation.details().is_empty());
            continue;
        }
        // Rule 2.
        if known {
            assert_eq!(action, Action::Answer, "known visitor asked");
            assert!(
                !outcome
                    .events
                    .iter()
                    .any(|e| matches!(e, Event::LeadCaptured(_)))
            );
        }
        // Rule 3: everything volunteered is held.
        for field in signals.details.fields().iter() {
            assert_eq!(
                conversation.details().get(field),
                signals.details.get(field)
            );
        }
        // Rule 6: no request mentions a field already held.
        assert!(
            !action.fields().intersects(conversation.details().fields()),
            "asked again for a held field: {action:?}"
        );
        // Rule 5.
        let have = conversation.details().fields();
        let done = policy.fields.is_satisfied(have)
            && (!policy.consent.required || conversation.has_consent());
        if policy.mode == Mode::BeforeChat && !known {
            assert_eq!(
                action.answers_query(),
                done,
                "gate wrong at turn {n}: {action:?}"
            );
        }
        // Rule 4.
        if policy.mode.is_voluntary() {
            assert!(action.answers_query(), "a voluntary mode held a query");
            if gave {
                quiet_until = 0;
                stopped = false;
            }
            let responded = gave || signals.consent || !signals.invalid.is_empty();
            if signals.declined && !gave {
                match policy.on_decline {
                    OnDecline::Cooldown => quiet_until = n + policy.cooldown_turns,
                    OnDecline::StopAsking => stopped = true,
                    OnDecline::KeepAsking => {}
                }
            } else if !responded
                && last_request_turn != 0
                && last_request_turn + 1 == n
                && policy.mode != Mode::EveryReply
            {
                quiet_until = n + policy.cooldown_turns;
            }
            // Liveness: when nothing forbids a request and the mode's trigger
            // fires, the request is made.
            let under_limit = policy.max_asks.is_none_or(|max| asks < max);
            let trigger = gave
                || policy.mode != Mode::OnInterest
                || signals.interest >= policy.interest_threshold;
            let is_correction = matches!(action, Action::Correct { .. });
            if !known
                && !done
                && !is_correction
                && n > quiet_until
                && !stopped
                && under_limit
                && trigger
            {
                assert!(
                    matches!(action, Action::AnswerAndAsk(_)),
                    "no request at turn {n}: {action:?}"
                );
            }
            if let Action::AnswerAndAsk(_) = action {
                asks += 1;
                assert!(
                    policy.max_asks.is_none_or(|max| asks <= max),
                    "more than max asks"
                );
                assert!(n > quiet_until, "asked during the cool-down at turn {n}");
                assert!(!stopped, "asked after a decline with StopAsking");
            }
            if action.request().is_some() {
                last_request_turn = n;
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn rules_hold(policy in policy(), inputs in inputs()) {
        check_rules(&policy, &inputs);
    }

    /// Rules 7 and 8: reloading at random points changes nothing, and the
    /// same inputs give the same outputs.
    #[test]
    fn reloading_and_replaying_change_nothing(policy in policy(), inputs in inputs()) {
        let with_reloads = run(&policy, &inputs);
        // The same inputs with every reload skipped (on the same clock).
        let mut plain_conversation = Conversation::new();
        let mut plain = Vec::new();
        for (step, input) in inputs.iter().enumerate() {
            match input {
                Input::User(s) => plain.push(plain_conversation.handle_user_turn(&policy, UserTurn::new(at(step), s.clone())).unwrap()),
                Input::Reply => plain_conversation.handle_assistant_reply(at(step)).unwrap(),
                Input::Known(lead) => plain_conversation.handle_known_visitor(at(step), KnownVisitor::new(lead.map(|n| LeadId::from_u128(n.into())), ContactDetails::new())).unwrap(),
                Input::Reload => {}
            }
        }
        prop_assert_eq!(&with_reloads, &plain);
        prop_assert_eq!(run(&policy, &inputs), with_reloads);
    }

    /// Policies survive serialisation unchanged.
    #[test]
    fn policies_round_trip(policy in policy()) {
        let json = serde_json::to_string(&policy).unwrap();
        prop_assert_eq!(serde_json::from_str::<Policy>(&json).unwrap(), policy.clone());
        let text = policy.fields.to_string();
        prop_assert_eq!(text.parse::<FieldRequirements>().unwrap(), policy.fields);
    }
}
