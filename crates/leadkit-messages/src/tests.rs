use chrono::{DateTime, Duration, Utc};
use leadkit_core::{Conversation, Field, InvalidReason, Policy, Signals, UserTurn};

use super::*;

fn first_action(policy: &Policy, signals: Signals) -> Action {
    let mut conversation = Conversation::new();
    conversation
        .handle_user_turn(policy, UserTurn::new(DateTime::<Utc>::UNIX_EPOCH, signals))
        .unwrap()
        .action
}

fn actions() -> Vec<Action> {
    let consent = Policy::on_interest().with_required_consent("We may contact you.", "1");
    let mut out = vec![
        first_action(&Policy::after_first_query(), Signals::none()),
        first_action(&Policy::every_reply(), Signals::none()),
        first_action(&Policy::on_interest(), Signals::none().with_interest(1.0)),
        first_action(&Policy::before_chat(), Signals::none()),
        first_action(&consent, Signals::none().with_interest(1.0)),
    ];
    for reason in [
        InvalidReason::Incomplete,
        InvalidReason::Malformed,
        InvalidReason::NotAllowed,
        InvalidReason::Implausible,
        InvalidReason::NeedsCountryCode,
    ] {
        for field in Field::ALL {
            let policy = Policy::before_chat().with_fields("name,email,phone".parse().unwrap());
            out.push(first_action(
                &policy,
                Signals::none().with_invalid(field, reason),
            ));
        }
    }
    // Consent is all that is missing.
    let mut conversation = Conversation::new();
    let t = DateTime::<Utc>::UNIX_EPOCH;
    let details = leadkit_core::ContactDetails::new().with_email("a@example.com");
    out.push(
        conversation
            .handle_user_turn(
                &consent,
                UserTurn::new(
                    t + Duration::seconds(1),
                    Signals::none().with_details(details),
                ),
            )
            .unwrap()
            .action,
    );
    out
}

#[test]
fn every_locale_renders_every_request_without_leftover_placeholders() {
    for locale in Locale::ALL {
        let catalog = MessageCatalog::builtin(locale);
        for action in actions() {
            let text = catalog.render(&action, "We may contact you.").unwrap();
            assert!(
                !text.contains('{') && !text.contains('}'),
                "{locale}: {text}"
            );
            assert!(text.len() > 10, "{locale}: {text}");
            assert_eq!(text.trim(), text, "{locale}: stray white space in {text:?}");
        }
        assert_eq!(catalog.render(&Action::Answer, ""), None);
    }
}

#[test]
fn english_texts_read_naturally() {
    let catalog = MessageCatalog::builtin(Locale::English);
    let every = first_action(&Policy::every_reply(), Signals::none());
    assert_eq!(
        catalog.render(&every, "").unwrap(),
        "Could you share your email address or your phone number (your name too, if you like) so we can stay in touch?"
    );
    let gate = first_action(
        &Policy::before_chat().with_fields("name,email|phone".parse().unwrap()),
        Signals::none(),
    );
    assert_eq!(
        catalog.render(&gate, "").unwrap(),
        "Before I can answer, please share your name and your email address or your phone number."
    );
    let correct = first_action(
        &Policy::before_chat(),
        Signals::none().with_invalid(Field::Email, InvalidReason::Incomplete),
    );
    assert_eq!(
        catalog.render(&correct, "").unwrap(),
        "That email address looks incomplete. Could you check it?"
    );
    let consent = first_action(
        &Policy::on_interest().with_required_consent("We may call you about your request.", "1"),
        Signals::none().with_interest(1.0),
    );
    assert!(catalog
        .render(&consent, "We may call you about your request.")
        .unwrap()
        .ends_with("so our team can get back to you? We may call you about your request. Is that OK with you?"));
}

#[test]
fn locales_parse_from_language_tags() {
    assert_eq!("pt-BR".parse::<Locale>().unwrap(), Locale::Portuguese);
    assert_eq!("DE_at".parse::<Locale>().unwrap(), Locale::German);
    assert_eq!(" fr ".parse::<Locale>().unwrap(), Locale::French);
    assert!(matches!("ja".parse::<Locale>(), Err(UnsupportedLocale)));
    assert!("".parse::<Locale>().is_err());
    assert_eq!(
        Locale::negotiate("ja-JP,es-MX;q=0.8,en;q=0.5"),
        Locale::Spanish
    );
    assert_eq!(Locale::negotiate("zh"), Locale::English);
    assert_eq!(Locale::negotiate(""), Locale::English);
}

#[test]
fn catalogs_can_be_reworded() {
    let mut catalog = MessageCatalog::builtin(Locale::English);
    catalog.gate = "No answers until I have {fields}!".into();
    let gate = first_action(
        &Policy::before_chat().with_fields("email".parse().unwrap()),
        Signals::none(),
    );
    assert_eq!(
        catalog.render(&gate, "").unwrap(),
        "No answers until I have your email address!"
    );
}

#[test]
fn a_number_without_country_code_is_asked_for_it() {
    let correct = first_action(
        &Policy::before_chat(),
        Signals::none().with_invalid(Field::Phone, InvalidReason::NeedsCountryCode),
    );
    let english = MessageCatalog::builtin(Locale::English);
    assert_eq!(
        english.render(&correct, "").unwrap(),
        "Could you add the country code to that phone number (for example +44)?"
    );
    for locale in Locale::ALL {
        let text = MessageCatalog::builtin(locale)
            .render(&correct, "")
            .unwrap();
        assert!(text.contains('+'), "{locale}: {text}");
    }
}

#[test]
fn every_locale_acknowledges_details_and_declines() {
    let mut seen = Vec::new();
    for locale in Locale::ALL {
        let catalog = MessageCatalog::builtin(locale);
        let named = catalog.thanks(Some("Ana"));
        assert!(named.contains("Ana"), "{locale}: {named}");
        assert!(!named.contains('{'), "{locale}: {named}");
        let anonymous = catalog.thanks(None);
        assert!(
            !anonymous.contains('{') && anonymous.len() > 5,
            "{locale}: {anonymous}"
        );
        // A blank name reads as no name, not "Thanks,  — …".
        assert_eq!(catalog.thanks(Some("  ")), anonymous, "{locale}");
        assert!(catalog.no_problem().len() > 5, "{locale}");
        seen.push((named, catalog.no_problem().to_owned()));
    }
    assert_eq!(seen[0].0, "Thanks, Ana — we'll be in touch.");
    assert_eq!(seen[0].1, "No problem.");
    // Each language has its own words.
    for (i, a) in seen.iter().enumerate() {
        for b in &seen[i + 1..] {
            assert_ne!(a, b);
        }
    }
}
