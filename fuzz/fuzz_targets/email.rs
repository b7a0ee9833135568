//! Email validation must return for any input, and a valid address must
//! validate to itself again.
#![no_main]

use leadkit_contact::{EmailOptions, validate_email};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let relaxed = EmailOptions::default()
        .with_quoted_local_part(true)
        .with_comments(true)
        .with_ip_literal(true)
        .with_dotless_domain(true)
        .with_special_use_domain(true);
    for options in [EmailOptions::default(), relaxed] {
        if let Ok(email) = validate_email(input, &options) {
            let again = validate_email(email.as_str(), &options).expect("normalised form is valid");
            assert_eq!(again.as_str(), email.as_str());
        }
    }
});
