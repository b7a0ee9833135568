//! Personal data never appears in `Debug` output or error messages.

use leadkit_contact::{
    EmailOptions, Error, ExtractOptions, NameOptions, PhoneOptions, extract, validate_email,
    validate_name, validate_phone,
};

#[test]
fn value_types_redact_their_debug_output() {
    let email = validate_email("secret.person@example.com", &EmailOptions::default()).unwrap();
    assert_eq!(format!("{email:?}"), "Email(<redacted>)");
    let phone = validate_phone("+44 20 7946 0958", &PhoneOptions::default()).unwrap();
    assert_eq!(format!("{phone:?}"), "Phone(<redacted>)");
    let name = validate_name("Secret Person", &NameOptions::default()).unwrap();
    assert_eq!(format!("{name:?}"), "Name(<redacted>)");
    // Display is the deliberate way to get the value.
    assert_eq!(email.to_string(), "secret.person@example.com");
}

#[test]
fn extraction_debug_output_has_no_personal_data() {
    let text = "I'm Secretname Person, secret.person@example.com, +44 20 7946 0958, wrong@gmail";
    let extraction = extract(text, &ExtractOptions::default());
    assert_eq!(extraction.found.len(), 4);
    let debug = format!("{extraction:?} {:#?}", extraction.found);
    for secret in ["Secretname", "secret.person", "7946", "wrong", "gmail"] {
        assert!(!debug.contains(secret), "{secret} leaked into {debug}");
    }
}

#[test]
fn error_messages_never_echo_the_input() {
    let inputs = [
        "secret@",
        "secret",
        "secret@localhost",
        "\"secret\"@x.com",
        "secret@secret.test",
        "Secret <s@x.com>",
    ];
    for input in inputs {
        let err = validate_email(input, &EmailOptions::default()).unwrap_err();
        assert!(!err.to_string().contains("secret"), "{err}");
        assert!(!format!("{err:?}").contains("secret"));
    }
    let err = validate_phone("+1 555 123 4567", &PhoneOptions::default()).unwrap_err();
    assert!(!err.to_string().contains("555"));
    let err = validate_name("secret@example.com", &NameOptions::default()).unwrap_err();
    assert!(!err.to_string().contains("secret"));
}

#[test]
fn every_error_has_a_short_sentence_a_field_and_a_code() {
    let all = [
        Error::EmailNoDomain,
        Error::EmailDisposable,
        Error::PhoneNeedsCountryCode,
        Error::PhoneInvalid,
        Error::NamePlaceholder,
        Error::NameTooShort,
    ];
    for err in all {
        let message = err.to_string();
        assert!(
            message.len() < 100 && message.chars().next().is_some_and(char::is_lowercase),
            "{message}"
        );
        assert!(
            err.code().starts_with(err.field().as_str()),
            "{}",
            err.code()
        );
    }
    assert_eq!(
        Error::EmailNoDomain.to_string(),
        "that email address has no domain part"
    );
}
