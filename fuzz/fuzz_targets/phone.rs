//! Phone validation must return for any input, and a valid number's
//! canonical form must validate to the same number.
#![no_main]

use leadkit_contact::{PhoneOptions, validate_phone};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    for region in [None, Some("US"), Some("GB"), Some("DE"), Some("BR")] {
        let mut options = PhoneOptions::default();
        if let Some(region) = region {
            options = options.with_default_region(region);
        }
        if let Ok(phone) = validate_phone(input, &options) {
            let again = validate_phone(&phone.canonical(), &PhoneOptions::default())
                .expect("canonical form is valid");
            assert_eq!(again, phone);
        }
    }
});
