//! The core state machine over arbitrary input sequences, policies and
//! times, keeping rules 1–8 of `crates/leadkit-core/README.md`. The
//! properties mirror `crates/leadkit-core/tests/invariants.rs` (the rules'
//! model in `check_rules` is deliberately the same: a test file cannot be
//! shared with this crate, and one model keeps both checks in step); here the
//! inputs come from libFuzzer (built from `arbitrary::Unstructured`, so the
//! core needs no `arbitrary` derives) and times may go backwards.
#![no_main]

use chrono::{DateTime, Duration, Utc};
use leadkit_core::{
    Action, ContactDetails, Conversation, Error, Event, Field, Interest, InvalidReason,
    KnownVisitor, LeadId, Mode, OnDecline, Policy, Signals, TurnOutcome, UserTurn,
};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Clone)]
enum Input {
    User(Signals),
    Reply,
    Known(Option<u8>),
    /// Save the state and restore it before the next input.
    Reload,
}

/// One input and the seconds its time moves by (negative: out of order).
#[derive(Debug, Clone)]
struct Step {
    input: Input,
    shift: i64,
}

const SPECS: [&str; 10] = [
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
];

fn policy(u: &mut Unstructured<'_>) -> Result<Policy> {
    let mode = *u.choose(&[
        Mode::AfterFirstQuery,
        Mode::OnInterest,
        Mode::EveryReply,
        Mode::BeforeChat,
    ])?;
    let spec = u.choose(&SPECS)?;
    let mut policy = Policy::after_first_query()
        .with_mode(mode)
        .with_fields(spec.parse().expect("a listed spec parses"));
    if u.arbitrary()? {
        policy = policy.with_required_consent("We may contact you.", "v1");
    }
    // Mostly enabled, as in the property tests.
    policy.enabled = u.ratio(7u8, 8)?;
    policy.interest_threshold = Interest::clamped(f32::from(u.arbitrary::<u8>()?) / 255.0);
    policy.max_asks = if u.arbitrary()? {
        Some(u.int_in_range(0..=4)?)
    } else {
        None
    };
    policy.cooldown_turns = u.int_in_range(0..=4)?;
    policy.on_decline = *u.choose(&[
        OnDecline::Cooldown,
        OnDecline::StopAsking,
        OnDecline::KeepAsking,
    ])?;
    Ok(policy)
}

/// A value from a short list, or now and then any short text.
fn value(u: &mut Unstructured<'_>, listed: &[&str]) -> Result<String> {
    if u.ratio(1u8, 8)? {
        let len = u.int_in_range(0..=24)?;
        let bytes = u.bytes(len)?;
        Ok(String::from_utf8_lossy(bytes).into_owned())
    } else {
        Ok((*u.choose(listed)?).to_owned())
    }
}

fn signals(u: &mut Unstructured<'_>) -> Result<Signals> {
    let mut details = ContactDetails::new();
    if u.ratio(1u8, 6)? {
        details = details.with_name(value(u, &["Ana", "Bruno Lima", "Zoë"])?);
    }
    if u.ratio(1u8, 6)? {
        details = details.with_email(value(u, &["a@example.com", "b@example.org"])?);
    }
    if u.ratio(1u8, 8)? {
        details = details.with_phone(value(u, &["+14155550100", "+447700900123"])?);
    }
    // Any float, NaN and infinities included: `with_interest` must cope.
    let interest = if u.ratio(1u8, 16)? {
        f32::from_bits(u.arbitrary()?)
    } else {
        f32::from(u.arbitrary::<u8>()?) / 255.0
    };
    let mut s = Signals::none()
        .with_interest(interest)
        .with_details(details);
    s.declined = u.ratio(1u8, 8)?;
    s.consent = u.ratio(1u8, 6)?;
    if u.ratio(1u8, 10)? {
        let field = *u.choose(&Field::ALL)?;
        let reason = *u.choose(&[InvalidReason::Incomplete, InvalidReason::Malformed])?;
        s = s.with_invalid(field, reason);
    }
    Ok(s)
}

fn steps(u: &mut Unstructured<'_>) -> Result<Vec<Step>> {
    let mut steps = Vec::new();
    u.arbitrary_loop(Some(1), Some(64), |u| {
        let input = match u.int_in_range(0..=14u8)? {
            0..=7 => Input::User(signals(u)?),
            8..=11 => Input::Reply,
            12 => Input::Known(u.arbitrary()?),
            _ => Input::Reload,
        };
        // Mostly forward; one step in sixteen goes back in time.
        let shift = if u.ratio(1u8, 16)? {
            -i64::from(u.int_in_range(1..=5u8)?)
        } else {
            i64::from(u.int_in_range(0..=3u8)?)
        };
        steps.push(Step { input, shift });
        Ok(std::ops::ControlFlow::Continue(()))
    })?;
    Ok(steps)
}

fn known(lead: Option<u8>) -> KnownVisitor {
    KnownVisitor::new(
        lead.map(|n| LeadId::from_u128(n.into())),
        ContactDetails::new(),
    )
}

/// One input; an error must be `OutOfOrder` and leave the state unchanged.
fn feed(
    conversation: &mut Conversation,
    policy: &Policy,
    input: &Input,
    at: DateTime<Utc>,
) -> Option<TurnOutcome> {
    let before = conversation.clone();
    let result = match input {
        Input::User(signals) => conversation
            .handle_user_turn(policy, UserTurn::new(at, signals.clone()))
            .map(Some),
        Input::Reply => conversation.handle_assistant_reply(at).map(|()| None),
        Input::Known(lead) => conversation
            .handle_known_visitor(at, known(*lead))
            .map(|()| None),
        Input::Reload => Ok(None),
    };
    match result {
        Ok(outcome) => outcome,
        Err(error) => {
            assert!(
                matches!(error, Error::OutOfOrder { .. }),
                "unexpected error {error:?}"
            );
            assert!(before.last_input_at().is_some_and(|t| at < t));
            assert_eq!(*conversation, before, "an error changed the state");
            None
        }
    }
}

fn times(steps: &[Step]) -> Vec<DateTime<Utc>> {
    let mut t = DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000);
    steps
        .iter()
        .map(|step| {
            t += Duration::seconds(step.shift);
            t
        })
        .collect()
}

/// Runs the steps, reloading where asked, and returns each handled user
/// turn's outcome.
fn run(policy: &Policy, steps: &[Step], reload: bool) -> Vec<TurnOutcome> {
    let mut conversation = Conversation::new();
    let mut outcomes = Vec::new();
    for (step, at) in steps.iter().zip(times(steps)) {
        if let Input::Reload = step.input {
            if reload {
                let json = conversation.to_json();
                let restored = Conversation::from_json(&json).expect("a saved state loads");
                assert_eq!(restored, conversation);
                conversation = restored;
            }
            continue;
        }
        outcomes.extend(feed(&mut conversation, policy, &step.input, at));
    }
    outcomes
}

/// Runs the steps and checks rules 1–6 along the way (the model of
/// `check_rules` in the core's property tests).
fn check_rules(policy: &Policy, steps: &[Step]) {
    let mut conversation = Conversation::new();
    let mut is_known = false;
    let mut asks = 0u32;
    let mut quiet_until = 0u32;
    let mut stopped = false;
    let mut last_request_turn = 0u32;
    for (step, at) in steps.iter().zip(times(steps)) {
        let signals = match &step.input {
            Input::User(signals) => signals.clone(),
            Input::Known(lead) => {
                if conversation.handle_known_visitor(at, known(*lead)).is_ok() {
                    is_known = true;
                }
                continue;
            }
            other => {
                feed(&mut conversation, policy, other, at);
                continue;
            }
        };
        let Some(outcome) = feed(&mut conversation, policy, &step.input, at) else {
            continue;
        };
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
        if is_known {
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
        // Rule 6.
        assert!(
            !action.fields().intersects(conversation.details().fields()),
            "asked again for a held field: {action:?}"
        );
        // Rule 5.
        let done = policy.fields.is_satisfied(conversation.details().fields())
            && (!policy.consent.required || conversation.has_consent());
        if policy.mode == Mode::BeforeChat && !is_known {
            assert_eq!(action.answers_query(), done, "gate wrong at turn {n}");
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
            let under_limit = policy.max_asks.is_none_or(|max| asks < max);
            let trigger = gave
                || policy.mode != Mode::OnInterest
                || signals.interest >= policy.interest_threshold;
            let is_correction = matches!(action, Action::Correct { .. });
            if !is_known
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
                assert!(policy.max_asks.is_none_or(|max| asks <= max));
                assert!(n > quiet_until, "asked during the cool-down at turn {n}");
                assert!(!stopped, "asked after a decline with StopAsking");
            }
            if action.request().is_some() {
                last_request_turn = n;
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    let (Ok(policy), Ok(steps)) = (policy(&mut u), steps(&mut u)) else {
        return;
    };
    if policy.validate().is_err() {
        return;
    }
    check_rules(&policy, &steps);
    // Rule 7: reloading anywhere changes nothing.
    let with_reloads = run(&policy, &steps, true);
    assert_eq!(with_reloads, run(&policy, &steps, false));
    // Rule 8: the same inputs give the same outputs.
    assert_eq!(with_reloads, run(&policy, &steps, true));
});
