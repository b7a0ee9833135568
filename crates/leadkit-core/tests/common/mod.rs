//! A small driver and notation for whole-conversation tests.
//!
//! A user turn is written as `+`-joined tokens:
//! `q` a plain query, `i` a query with interest 0.9, `lo` interest 0.2,
//! `d` a decline, `c` consent, `n` / `e` / `p` a valid name / email / phone,
//! `e!` / `p!` an incomplete email / phone, `known` marks the visitor known
//! instead of a user turn.
//!
//! An outcome renders as `answer`, `ask[…]`, `gate[…]`, `correct[field]`
//! (answered) or `gate-correct[field]` (held), where `[…]` is the request in
//! the field text form (`name,email|phone?` …, `+consent` when the notice is
//! shown), followed by ` +captured`, ` +updated`, ` +declined` or ` +lifted`
//! for each event.
#![allow(dead_code, unreachable_pub)]

use chrono::{DateTime, Duration, Utc};
use leadkit_core::{
    Action, ContactDetails, Conversation, Event, Field, InvalidReason, KnownVisitor, LeadId,
    Policy, Request, Signals, TurnOutcome, UserTurn,
};

pub fn t0() -> DateTime<Utc> {
    DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000)
}

pub fn signals(step: &str) -> Signals {
    let mut s = Signals::none();
    let mut details = ContactDetails::new();
    for token in step.split('+') {
        match token {
            "q" => {}
            "hi" => s = s.small_talk(),
            "i" => s = s.with_interest(0.9),
            "lo" => s = s.with_interest(0.2),
            "d" => s = s.declined(),
            "c" => s = s.with_consent(),
            "n" => details = details.with_name("Ana Souza"),
            "e" => details = details.with_email("ana@example.com"),
            "e2" => details = details.with_email("ana.souza@example.org"),
            "p" => details = details.with_phone("+5511987654321"),
            "e!" => s = s.with_invalid(Field::Email, InvalidReason::Incomplete),
            "p!" => s = s.with_invalid(Field::Phone, InvalidReason::Incomplete),
            other => panic!("unknown step token {other:?}"),
        }
    }
    s.with_details(details)
}

fn request_text(request: &Request) -> String {
    let f = request.fields;
    let mut items: Vec<String> = f.required.iter().map(|x| x.to_string()).collect();
    if !f.one_of.is_empty() {
        items.push(
            f.one_of
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join("|"),
        );
    }
    items.extend(f.optional.iter().map(|x| format!("{x}?")));
    let mut text = items.join(",");
    if request.consent {
        text.push_str("+consent");
    }
    text
}

pub fn render(outcome: &TurnOutcome) -> String {
    let mut text = match &outcome.action {
        Action::Answer => "answer".to_owned(),
        Action::AnswerAndAsk(r) => format!("ask[{}]", request_text(r)),
        Action::Gate(r) => format!("gate[{}]", request_text(r)),
        Action::Correct { correction, answer } => format!(
            "{}correct[{}]",
            if *answer { "" } else { "gate-" },
            correction.field
        ),
        other => panic!("unexpected action {other:?}"),
    };
    for event in &outcome.events {
        text.push_str(match event {
            Event::LeadCaptured(_) => " +captured",
            Event::LeadUpdated(_) => " +updated",
            Event::Declined => " +declined",
            Event::GateLifted { .. } => " +lifted",
            other => panic!("unexpected event {other:?}"),
        });
    }
    text
}

/// One conversation driven turn by turn, with a clock that moves forward.
pub struct Chat {
    pub policy: Policy,
    pub conversation: Conversation,
    pub now: DateTime<Utc>,
}

impl Chat {
    pub fn new(policy: Policy) -> Self {
        Self {
            policy,
            conversation: Conversation::new(),
            now: t0(),
        }
    }

    /// Plays one step (a user turn and the bot's reply) and renders it.
    pub fn step(&mut self, step: &str) -> String {
        self.now += Duration::seconds(10);
        if step == "known" {
            let known = KnownVisitor::new(
                Some(LeadId::from_u128(42)),
                ContactDetails::new().with_email("known@example.com"),
            );
            self.conversation
                .handle_known_visitor(self.now, known)
                .unwrap();
            return "known".to_owned();
        }
        let outcome = self
            .conversation
            .handle_user_turn(&self.policy, UserTurn::new(self.now, signals(step)))
            .unwrap();
        self.now += Duration::seconds(1);
        self.conversation.handle_assistant_reply(self.now).unwrap();
        render(&outcome)
    }

    /// Plays `steps` and returns the rendered outcomes.
    pub fn play(&mut self, steps: &[&str]) -> Vec<String> {
        steps.iter().map(|s| self.step(s)).collect()
    }
}

/// Plays a script of `(step, expected)` pairs and checks every outcome.
pub fn check(name: &str, policy: Policy, script: &[(&str, &str)]) {
    let mut chat = Chat::new(policy);
    for (i, (step, expected)) in script.iter().enumerate() {
        let got = chat.step(step);
        assert_eq!(&got, expected, "{name}: turn {} ({step})", i + 1);
    }
}
