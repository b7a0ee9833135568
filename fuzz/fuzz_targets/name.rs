//! Name validation must return for any input, and a valid name must
//! validate to itself again.
#![no_main]

use leadkit_contact::{NameOptions, validate_name};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    if let Ok(name) = validate_name(input, &NameOptions::default()) {
        let again = validate_name(name.as_str(), &NameOptions::default())
            .expect("normalised name is valid");
        assert_eq!(again, name);
    }
});
