//! A tour of leadkit-core's policy modes: scripted conversations played
//! through every mode, printing turn by turn what the bot would do.
//!
//! ```text
//! cargo run --example policy_tour
//! ```
//!
//! The visitor's messages come with the signals an analyzer would report
//! for them (interest, a decline, valid or invalid details), written by hand
//! here so that the tour needs nothing but the core.

use chrono::{DateTime, Duration, Utc};
use leadkit_core::{
    Action, ContactDetails, Conversation, Event, Field, InvalidReason, KnownVisitor, LeadId,
    Policy, Request, Signals, UserTurn,
};

/// One scripted visitor message and what an analyzer would find in it.
struct Line {
    text: &'static str,
    signals: fn() -> Signals,
}

fn plain() -> Signals {
    Signals::none()
}
fn curious() -> Signals {
    Signals::none().with_interest(0.3)
}
fn buyer() -> Signals {
    Signals::none().with_interest(0.9)
}
fn no_thanks() -> Signals {
    Signals::none().declined()
}
fn bad_email() -> Signals {
    Signals::none().with_invalid(Field::Email, InvalidReason::Incomplete)
}
fn email() -> Signals {
    Signals::none().with_details(ContactDetails::new().with_email("ana@example.com"))
}
fn name_and_email() -> Signals {
    Signals::none().with_details(
        ContactDetails::new()
            .with_name("Ana Souza")
            .with_email("ana@example.com"),
    )
}
fn phone_and_yes() -> Signals {
    Signals::none()
        .with_consent()
        .with_details(ContactDetails::new().with_phone("+442079460958"))
}

const BROWSER: &[Line] = &[
    Line {
        text: "What are your opening hours?",
        signals: plain,
    },
    Line {
        text: "Do you ship to Portugal?",
        signals: curious,
    },
    Line {
        text: "How much is the annual plan?",
        signals: buyer,
    },
    Line {
        text: "No thanks, I'd rather not share that.",
        signals: no_thanks,
    },
    Line {
        text: "Can I book a demo for Friday?",
        signals: buyer,
    },
    Line {
        text: "Sure: Ana Souza, ana@example.com",
        signals: name_and_email,
    },
    Line {
        text: "Thanks!",
        signals: plain,
    },
];

const INSISTED: &[Line] = &[
    Line {
        text: "Hi, what does the Pro plan include?",
        signals: buyer,
    },
    Line {
        text: "ana@example",
        signals: bad_email,
    },
    Line {
        text: "ana@example.com",
        signals: email,
    },
    Line {
        text: "So, the Pro plan?",
        signals: buyer,
    },
];

const CONSENTING: &[Line] = &[
    Line {
        text: "Can someone call me about pricing?",
        signals: buyer,
    },
    Line {
        text: "+44 20 7946 0958, and yes, you can call me",
        signals: phone_and_yes,
    },
    Line {
        text: "Great, thanks",
        signals: plain,
    },
];

fn describe_request(request: &Request) -> String {
    let f = request.fields;
    let mut parts = Vec::new();
    if !f.required.is_empty() {
        parts.push(
            f.required
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(" and "),
        );
    }
    if !f.one_of.is_empty() {
        parts.push(
            f.one_of
                .iter()
                .map(|x| x.as_str())
                .collect::<Vec<_>>()
                .join(" or "),
        );
    }
    if !f.optional.is_empty() {
        parts.push(format!("(optionally {})", f.optional));
    }
    if request.consent {
        parts.push("consent".to_owned());
    }
    format!(
        "{} [request #{}, {:?}]",
        parts.join(", "),
        request.attempt,
        request.reason
    )
}

fn describe(action: &Action) -> String {
    match action {
        Action::Answer => "answer".to_owned(),
        Action::AnswerAndAsk(request) => {
            format!("answer, then ask for {}", describe_request(request))
        }
        Action::Gate(request) => format!("hold the answer; ask for {}", describe_request(request)),
        Action::Correct { correction, answer } => format!(
            "{}ask to correct the {} (it {})",
            if *answer {
                "answer, then "
            } else {
                "hold the answer; "
            },
            correction.field,
            correction.reason
        ),
        other => format!("{other:?}"),
    }
}

fn play(
    title: &str,
    policy: &Policy,
    known: bool,
    script: &[Line],
) -> Result<(), leadkit_core::Error> {
    println!("\n== {title} ==");
    println!(
        "   mode {:?}, fields {}, {}",
        policy.mode,
        policy.fields,
        if policy.enabled {
            "enabled"
        } else {
            "disabled"
        }
    );
    let mut conversation = Conversation::new();
    let mut now = DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000);
    if known {
        let details = ContactDetails::new().with_email("known@example.com");
        conversation
            .handle_known_visitor(now, KnownVisitor::new(Some(LeadId::from_u128(7)), details))?;
        println!("   (the visitor is signed in: known)");
    }
    for line in script {
        now += Duration::seconds(20);
        let outcome =
            conversation.handle_user_turn(policy, UserTurn::new(now, (line.signals)()))?;
        println!("{:>2}. visitor: {}", outcome.turn, line.text);
        println!("    bot:     {}", describe(&outcome.action));
        for event in &outcome.events {
            let note = match event {
                Event::LeadCaptured(lead) => format!(
                    "lead captured ({}{})",
                    lead.details.fields(),
                    if lead.complete { "" } else { ", incomplete" }
                ),
                Event::LeadUpdated(lead) => format!("lead updated ({})", lead.changed),
                Event::Declined => "visitor declined".to_owned(),
                Event::GateLifted { first_gated_turn } => {
                    format!("gate lifted: answer the query held since turn {first_gated_turn}")
                }
                other => format!("{other:?}"),
            };
            println!("             -> {note}");
        }
        now += Duration::seconds(2);
        conversation.handle_assistant_reply(now)?;
    }
    println!(
        "   state saved between turns: {} bytes of JSON",
        conversation.to_json().len()
    );
    Ok(())
}

fn main() -> Result<(), leadkit_core::Error> {
    println!("leadkit policy tour: what the bot does with each visitor message");
    play(
        "After the first query (on by default)",
        &Policy::after_first_query(),
        false,
        BROWSER,
    )?;
    play("On interest", &Policy::on_interest(), false, BROWSER)?;
    play("Every reply", &Policy::every_reply(), false, BROWSER)?;
    play(
        "Before chat (insist)",
        &Policy::before_chat(),
        false,
        INSISTED,
    )?;
    play(
        "Before chat, consent required",
        &Policy::before_chat()
            .with_required_consent("We may call you about your request.", "2026-11"),
        false,
        CONSENTING,
    )?;
    play(
        "Known visitor (never asked)",
        &Policy::every_reply(),
        true,
        BROWSER,
    )?;
    play(
        "Lead capture switched off",
        &Policy::disabled(),
        false,
        BROWSER,
    )?;
    Ok(())
}
