//! Agreement with python-email-validator 2.4.0 on its own test inputs
//! (`tests/data/email-validator-cases.json`).
//!
//! Every case must agree on validity, normalised form and ASCII form, except
//! the deliberate differences listed in `DIFFERENCES` (also documented in the
//! crate docs). The test fails when a difference appears that is not listed,
//! and when a listed difference no longer occurs, so the list stays true.

mod common;

use leadkit_contact::{EmailOptions, validate_email};

/// Inputs on which this crate deliberately disagrees with the oracle, and why.
const DIFFERENCES: &[(&str, &str)] = &[
    (
        "11111111112222222222333333333344444444445555555555666666666677777@example.com",
        "local part of 65 octets: RFC 5321 section 4.5.3.1.1 caps it at 64 and \
         email_address enforces that; the oracle only does so in strict mode",
    ),
    (
        "111111111122222222223333333333444444444455555555556666666666777777@example.com",
        "local part of 66 octets: over the RFC 5321 limit of 64 (see above)",
    ),
    (
        "\u{FB2C}111111122222222223333333333444444444455555555556666666666777777@example.com",
        "local part of 66 characters (69 octets in NFC): over the RFC 5321 limit of 64",
    ),
];

#[test]
fn agrees_with_email_validator_corpus() {
    let corpus = common::corpus("email-validator-cases.json");
    let cases = corpus["cases"].as_array().expect("cases array");
    assert!(cases.len() >= 100, "corpus looks truncated");
    let mut differences = Vec::new();
    for case in cases {
        let input = case["input"].as_str().expect("input");
        let expected_valid = case["valid"].as_bool().expect("valid");
        let result = validate_email(input, &EmailOptions::default());
        let agrees = match (&result, expected_valid) {
            (Ok(email), true) => {
                email.as_str() == case["normalized"].as_str().expect("normalized")
                    && email.ascii().as_deref() == case["ascii_email"].as_str()
            }
            (Err(_), false) => true,
            _ => false,
        };
        if !agrees {
            differences.push((input.to_owned(), format!("{result:?}")));
        }
    }
    let unlisted: Vec<_> = differences
        .iter()
        .filter(|(input, _)| !DIFFERENCES.iter().any(|(d, _)| d == input))
        .collect();
    let stale: Vec<_> = DIFFERENCES
        .iter()
        .filter(|(d, _)| !differences.iter().any(|(input, _)| input == d))
        .collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "unlisted differences: {unlisted:#?}\nlisted but no longer different: {stale:#?}"
    );
}
