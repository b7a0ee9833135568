//! Phone validation: forms, regions, types, extensions and rejections.

use leadkit_contact::{Error, Field, NumberType, PhoneOptions, validate_phone};

fn region(code: &str) -> PhoneOptions {
    PhoneOptions::new().with_default_region(code)
}

#[test]
fn national_and_international_forms_agree() {
    for input in [
        "020 7946 0958",
        "+44 20 7946 0958",
        "+44 (0)20 7946 0958",
        "0044 20 7946 0958",
        "(020) 7946-0958",
    ] {
        let phone = validate_phone(input, &region("GB")).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(phone.e164(), "+442079460958", "{input}");
        assert_eq!(phone.international(), "+44 20 7946 0958");
        assert_eq!(phone.national(), "020 7946 0958");
        assert_eq!(phone.region(), Some("GB"));
        assert_eq!(phone.number_type(), NumberType::FixedLine);
    }
}

#[test]
fn number_types_and_extensions() {
    let mobile = validate_phone("06 12 34 56 78", &region("fr")).unwrap();
    assert_eq!(mobile.number_type(), NumberType::Mobile);
    assert_eq!(mobile.number_type().as_str(), "mobile");
    let us = validate_phone("201.555.0123 ext 22", &region("US")).unwrap();
    assert_eq!(us.e164(), "+12015550123");
    assert_eq!(us.extension(), Some("22"));
    assert_eq!(us.canonical(), "+12015550123;ext=22");
    assert_eq!(us.number_type(), NumberType::FixedLineOrMobile);
    for ext in [
        "201-555-0123 x22",
        "201 555 0123 #22",
        "+12015550123;ext=22",
        "(201) 555-0123, extension 22",
    ] {
        assert_eq!(
            validate_phone(ext, &region("US")).unwrap().extension(),
            Some("22"),
            "{ext}"
        );
    }
    let toll_free = validate_phone("+1 800 234 5678", &PhoneOptions::default()).unwrap();
    assert_eq!(toll_free.number_type(), NumberType::TollFree);
    // Leading-zero national numbers keep their type and region (phonenumber
    // 0.3.10's own number_type loses them).
    let rome = validate_phone("06 1234 5678", &region("IT")).unwrap();
    assert_eq!(rome.e164(), "+390612345678");
    assert_eq!(rome.number_type(), NumberType::FixedLine);
    assert_eq!(rome.region(), Some("IT"));
}

#[test]
fn each_rejection_has_its_reason() {
    let none = PhoneOptions::default();
    assert_eq!(
        validate_phone("  ", &none).unwrap_err(),
        Error::Empty(Field::Phone)
    );
    assert_eq!(
        validate_phone("020 7946 0958", &none).unwrap_err(),
        Error::PhoneNeedsCountryCode
    );
    assert_eq!(
        validate_phone("call me", &region("GB")).unwrap_err(),
        Error::PhoneCharacters
    );
    assert_eq!(
        validate_phone("12", &region("GB")).unwrap_err(),
        Error::PhoneTooShort
    );
    assert_eq!(
        validate_phone("123456789012345678", &region("GB")).unwrap_err(),
        Error::PhoneTooManyDigits
    );
    assert_eq!(
        validate_phone("+999 1234 5678", &none).unwrap_err(),
        Error::PhoneCountryCode
    );
    assert_eq!(
        validate_phone("+1 555 123 4567", &none).unwrap_err(),
        Error::PhoneInvalid
    );
    assert_eq!(
        validate_phone("+44 20 7946 0958", &region("ZZ")).unwrap_err(),
        Error::PhoneRegionCode
    );
    assert_eq!(
        validate_phone(&"1".repeat(100), &region("GB")).unwrap_err(),
        Error::TooLong(Field::Phone)
    );
}

#[test]
fn canonical_form_revalidates_to_itself() {
    for (input, r) in [
        ("201 555 0123 x7", "US"),
        ("0151 23456789", "DE"),
        ("(11) 96123-4567", "BR"),
    ] {
        let phone = validate_phone(input, &region(r)).unwrap();
        let again = validate_phone(&phone.canonical(), &PhoneOptions::default()).unwrap();
        assert_eq!(phone, again);
    }
}

#[test]
fn validation_is_safe_from_several_threads() {
    let handles: Vec<_> = (0..4)
        .map(|_| {
            std::thread::spawn(|| {
                for _ in 0..50 {
                    let phone =
                        validate_phone("+44 20 7946 0958", &PhoneOptions::default()).unwrap();
                    assert_eq!(phone.e164(), "+442079460958");
                }
            })
        })
        .collect();
    for handle in handles {
        handle.join().unwrap();
    }
}

#[test]
fn numbers_that_begin_with_their_trunk_prefix() {
    // Russia's toll-free numbers start with 800, and 8 is Russia's trunk
    // prefix: every written form is the same number, and its canonical
    // form validates again (phonenumber 0.3.10 alone finds them invalid).
    for input in [
        "+7 800 555 35 35",
        "+78005553535",
        "8 800 555 35 35",
        "8 (800) 555-35-35",
        "800 555 35 35",
    ] {
        let phone = validate_phone(input, &region("RU")).unwrap_or_else(|e| panic!("{input}: {e}"));
        assert_eq!(phone.e164(), "+78005553535", "{input}");
        assert_eq!(phone.number_type(), NumberType::TollFree, "{input}");
        let again = validate_phone(phone.e164(), &PhoneOptions::default()).unwrap();
        assert_eq!(again.e164(), "+78005553535");
    }
    let lithuania = validate_phone("0 800 12 345", &region("LT")).unwrap();
    assert_eq!(lithuania.e164(), "+37080012345");
    let belarus = validate_phone("8 801 123 4567", &region("BY")).unwrap();
    assert_eq!(belarus.e164(), "+3758011234567");
    // The second reading never invents digits: too few stay invalid, and
    // an ordinary Moscow number is read as before.
    assert!(validate_phone("+7 800 555 35", &region("RU")).is_err());
    assert!(validate_phone("8 800 555 35", &region("RU")).is_err());
    let moscow = validate_phone("8 495 123 45 67", &region("RU")).unwrap();
    assert_eq!(moscow.e164(), "+74951234567");
}
