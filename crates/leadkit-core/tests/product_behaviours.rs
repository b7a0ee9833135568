//! Each behaviour the two product documents describe, played through
//! leadkit-core.
//!
//! Product A ("Corpus"): lead capture on by default; known users skip the
//! collection step; new users are prompted for name and email after their
//! first query; sharing is voluntary and can happen later; capture can be
//! switched off.
//!
//! Product B ("Fineguide"): lead collection off by default and enabled per
//! agent; three options — ask when the customer shows interest (the default
//! option), ask on each reply, insist on details before engaging; agents
//! ask for email or phone; a lead is created whenever a user provides
//! contact details.

#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use chrono::{DateTime, Duration, Utc};
use leadkit_core::{
    Action, ActionKind, ContactDetails, Conversation, Event, Field, FieldSet, KnownVisitor, Mode,
    Policy, Signals, UserTurn,
};

struct Chat {
    policy: Policy,
    conversation: Conversation,
    now: DateTime<Utc>,
}

impl Chat {
    fn new(policy: Policy) -> Self {
        Self {
            policy,
            conversation: Conversation::new(),
            now: DateTime::<Utc>::UNIX_EPOCH,
        }
    }

    fn say(&mut self, signals: Signals) -> (Action, Vec<Event>) {
        self.now += Duration::seconds(5);
        let outcome = self
            .conversation
            .handle_user_turn(&self.policy, UserTurn::new(self.now, signals))
            .unwrap();
        self.now += Duration::seconds(1);
        self.conversation.handle_assistant_reply(self.now).unwrap();
        (outcome.action, outcome.events)
    }
}

fn email() -> Signals {
    Signals::none().with_details(ContactDetails::new().with_email("visitor@example.com"))
}

fn phone() -> Signals {
    Signals::none().with_details(ContactDetails::new().with_phone("+351912345678"))
}

fn captured(events: &[Event]) -> bool {
    events.iter().any(|e| matches!(e, Event::LeadCaptured(_)))
}

#[test]
fn product_a_lead_capture_is_on_by_default() {
    let policy = Policy::default();
    assert!(policy.enabled);
    assert_eq!(policy.mode, Mode::AfterFirstQuery);
}

#[test]
fn product_a_prompts_for_name_and_email_after_the_first_query() {
    let mut chat = Chat::new(Policy::default());
    let (action, _) = chat.say(Signals::none());
    assert!(action.answers_query(), "the first query is answered");
    let Action::AnswerAndAsk(request) = action else {
        panic!("{action:?}")
    };
    assert_eq!(
        request.fields.required,
        FieldSet::only(Field::Name).with(Field::Email)
    );
}

#[test]
fn product_a_known_users_skip_the_collection_step() {
    let mut chat = Chat::new(Policy::default());
    chat.conversation
        .handle_known_visitor(
            chat.now,
            KnownVisitor::new(None, ContactDetails::new().with_email("me@example.com")),
        )
        .unwrap();
    for _ in 0..5 {
        assert_eq!(
            chat.say(Signals::none().with_interest(1.0)).0,
            Action::Answer
        );
    }
}

#[test]
fn product_a_sharing_is_voluntary_and_can_happen_later() {
    let mut chat = Chat::new(Policy::default());
    let _ = chat.say(Signals::none());
    for _ in 0..8 {
        let (action, _) = chat.say(Signals::none());
        assert!(action.answers_query(), "never pressured into sharing");
    }
    let details = ContactDetails::new()
        .with_name("Ana")
        .with_email("ana@example.com");
    let (_, events) = chat.say(Signals::none().with_details(details));
    assert!(captured(&events));
}

#[test]
fn product_a_capture_can_be_switched_off() {
    let mut policy = Policy::default();
    policy.enabled = false;
    let mut chat = Chat::new(policy);
    assert_eq!(chat.say(Signals::none()), (Action::Answer, vec![]));
    assert_eq!(chat.say(email()), (Action::Answer, vec![]));
}

#[test]
fn product_b_lead_collection_is_off_until_enabled() {
    let policy = Policy::disabled();
    assert!(!policy.enabled);
    // Enabling it selects the default option: ask when the customer shows interest.
    let mut enabled = policy;
    enabled.enabled = true;
    assert_eq!(enabled.mode, Mode::OnInterest);
    assert_eq!(
        enabled.fields.one_of(),
        FieldSet::only(Field::Email).with(Field::Phone)
    );
}

#[test]
fn product_b_full_conversation_asks_only_on_interest() {
    let mut chat = Chat::new(Policy::on_interest());
    assert_eq!(
        chat.say(Signals::none().with_interest(0.1)).0.kind(),
        ActionKind::Answer
    );
    assert_eq!(
        chat.say(Signals::none().with_interest(0.2)).0.kind(),
        ActionKind::Answer
    );
    assert_eq!(
        chat.say(Signals::none().with_interest(0.95)).0.kind(),
        ActionKind::Ask
    );
}

#[test]
fn product_b_asks_on_each_reply() {
    let mut chat = Chat::new(Policy::every_reply());
    for _ in 0..4 {
        assert_eq!(chat.say(Signals::none()).0.kind(), ActionKind::Ask);
    }
    let (action, events) = chat.say(phone());
    assert_eq!(action, Action::Answer);
    assert!(captured(&events));
    assert_eq!(chat.say(Signals::none()).0, Action::Answer);
}

#[test]
fn product_b_insists_on_details_before_engaging() {
    let mut chat = Chat::new(Policy::before_chat());
    for _ in 0..3 {
        let (action, _) = chat.say(Signals::none().with_interest(1.0));
        assert_eq!(action.kind(), ActionKind::Gate);
        assert!(!action.answers_query());
    }
    let (action, events) = chat.say(email());
    assert!(action.answers_query());
    assert!(captured(&events));
}

#[test]
fn product_b_a_lead_is_created_whenever_details_are_given() {
    for policy in [
        Policy::on_interest(),
        Policy::every_reply(),
        Policy::before_chat(),
        Policy::after_first_query(),
    ] {
        let mut chat = Chat::new(policy);
        let _ = chat.say(Signals::none());
        let (_, events) = chat.say(phone());
        assert!(captured(&events), "{:?}", chat.policy.mode);
    }
}
