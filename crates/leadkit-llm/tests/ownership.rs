//! Whose contact details a message gives, through the public analyzer: the
//! visitor's own are captured, details given for someone else are not, in
//! the five supported languages. The clause a value sits in decides, however
//! far a third party is mentioned before it.
#![allow(clippy::unwrap_used)] // test code

use leadkit_core::{Field, Policy};
use leadkit_llm::RuleAnalyzer;

/// The email the rules record for the visitor, if any.
fn captured_email(message: &str) -> Option<String> {
    RuleAnalyzer::new()
        .assess(&Policy::on_interest(), message)
        .signals
        .details
        .get(Field::Email)
        .map(str::to_owned)
}

#[test]
fn the_visitors_own_address_is_captured_after_a_third_party_is_mentioned() {
    for message in [
        "My wife and I want a quote, my email is ana.souza@example.com",
        "Their support was slow. my email is ana.souza@example.com",
        "My manager asked me to compare prices; you can email me at ana.souza@example.com",
        "Mi marido y yo queremos una cotización, mi correo es ana.souza@example.com",
        "Meine Kollegin hat mir euch empfohlen. Meine Adresse: ana.souza@example.com",
        "Mon associé m'a parlé de vous, écrivez-moi à ana.souza@example.com",
        "A minha chefe pediu um orçamento, o meu e-mail é ana.souza@example.com",
    ] {
        assert_eq!(
            captured_email(message).as_deref(),
            Some("ana.souza@example.com"),
            "{message:?}"
        );
    }
}

#[test]
fn an_address_given_for_someone_else_is_not_the_visitors() {
    for message in [
        "You can reach my colleague at bob@example.com",
        "Please send the quote to my boss, her address is bob@example.com",
        "Escríbele a mi jefe: bob@example.com",
        "Sie erreichen meinen Kollegen unter bob@example.com",
        "Vous pouvez joindre mon collègue à bob@example.com",
        "Fale com o meu colega em bob@example.com",
    ] {
        let assessment = RuleAnalyzer::new().assess(&Policy::on_interest(), message);
        assert_eq!(
            assessment.signals.details.get(Field::Email),
            None,
            "{message:?}"
        );
        // A redirected value is not trusted for consent either.
        assert!(!assessment.signals.consent, "{message:?}");
    }
}

#[test]
fn each_value_of_one_message_gets_its_own_owner() {
    let message = "my email is ana@example.com and my colleague's is bob@example.com";
    let assessment = RuleAnalyzer::new().assess(&Policy::on_interest(), message);
    assert_eq!(
        assessment.signals.details.get(Field::Email),
        Some("ana@example.com")
    );
    let message = "my colleague's is bob@example.com and mine is ana@example.com";
    let assessment = RuleAnalyzer::new().assess(&Policy::on_interest(), message);
    assert_eq!(
        assessment.signals.details.get(Field::Email),
        Some("ana@example.com")
    );
}
