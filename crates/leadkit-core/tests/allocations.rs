//! The steady path of a turn (nothing captured, nothing to record) does not
//! touch the heap. `allocation-counter` installs a counting global allocator
//! for this test binary only.

#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use chrono::{DateTime, Duration, Utc};
use leadkit_core::{Action, Conversation, Policy, Signals, UserTurn};

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH + Duration::seconds(seconds)
}

#[test]
fn a_steady_turn_allocates_nothing() {
    // The counter sees allocations, so a zero below means something.
    let probe = allocation_counter::measure(|| drop(std::hint::black_box(vec![1u8; 8])));
    assert!(probe.count_total > 0);
    for policy in [
        Policy::on_interest(),
        Policy::every_reply(),
        Policy::before_chat(),
        Policy::after_first_query(),
    ] {
        let mut conversation = Conversation::new();
        let mut second = 0;
        // Warm up past the first turn, whose request is the same kind of value.
        for _ in 0..3 {
            second += 1;
            let _ = conversation
                .handle_user_turn(&policy, UserTurn::new(at(second), Signals::none()))
                .unwrap();
        }
        let turn = UserTurn::new(at(second + 1), Signals::none().with_interest(0.9));
        let mut action = Action::Answer;
        let counts = allocation_counter::measure(|| {
            let outcome = conversation.handle_user_turn(&policy, turn).unwrap();
            action = outcome.action;
        });
        assert_eq!(
            counts.count_total, 0,
            "{:?} allocated on a steady turn ({action:?})",
            policy.mode
        );
    }
}
