//! Properties over arbitrary input: nothing panics, spans are valid, valid
//! results re-validate to themselves, and long input is cut.

use leadkit_contact::{
    ContactKind, EmailOptions, ExtractOptions, NameOptions, PhoneOptions, extract, validate_email,
    validate_name, validate_phone,
};
use proptest::prelude::*;

/// Chat-like text: words, digits, separators, @, dots and a few non-ASCII letters.
fn chatty() -> impl Strategy<Value = String> {
    proptest::collection::vec(
        prop_oneof![
            Just("my name is ".to_owned()),
            Just("I'm ".to_owned()),
            Just(" at ".to_owned()),
            Just(" dot ".to_owned()),
            Just("@".to_owned()),
            Just(".".to_owned()),
            Just("+44 ".to_owned()),
            Just("(0)".to_owned()),
            Just(" ext ".to_owned()),
            "[a-zA-Z]{1,8}",
            "[0-9]{1,4}",
            "[ .\\-/()#,:]{1,2}",
            "[éüñßçÅ臺網]{1,3}",
            "\\PC{1,3}",
        ],
        0..24,
    )
    .prop_map(|parts| parts.concat())
}

fn region() -> impl Strategy<Value = Option<&'static str>> {
    prop_oneof![
        Just(None),
        Just(Some("US")),
        Just(Some("GB")),
        Just(Some("DE")),
        Just(Some("BR"))
    ]
}

proptest! {
    // 512 cases by default; set PROPTEST_CASES for a longer hunt.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(512)
    ))]

    #[test]
    fn extract_never_panics_and_spans_are_char_boundaries(text in prop_oneof![chatty(), any::<String>()], r in region()) {
        let mut options = ExtractOptions::default();
        if let Some(r) = r {
            options = options.with_default_region(r);
        }
        let extraction = extract(&text, &options);
        let mut last_end = 0;
        for found in &extraction.found {
            prop_assert!(found.span.start < found.span.end);
            prop_assert!(found.span.end <= text.len());
            prop_assert!(text.is_char_boundary(found.span.start));
            prop_assert!(text.is_char_boundary(found.span.end));
            prop_assert!(found.span.start >= last_end, "spans overlap");
            last_end = found.span.end;
            prop_assert_eq!(found.valid, found.error.is_none());
            if found.valid {
                match found.kind {
                    ContactKind::Email => {
                        let again = validate_email(&found.value, &options.email);
                        prop_assert_eq!(again.map(|e| e.as_str().to_owned()).ok(), Some(found.value.clone()));
                    }
                    ContactKind::Phone => {
                        let again = validate_phone(&found.value, &PhoneOptions::default());
                        prop_assert_eq!(again.map(|p| p.canonical()).ok(), Some(found.value.clone()));
                    }
                    ContactKind::Name => {
                        let again = validate_name(&found.value, &options.name);
                        prop_assert_eq!(again.map(|n| n.as_str().to_owned()).ok(), Some(found.value.clone()));
                    }
                    _ => {}
                }
            }
        }
    }

    #[test]
    fn validators_never_panic_and_valid_results_are_fixed_points(s in prop_oneof![chatty(), any::<String>()]) {
        if let Ok(email) = validate_email(&s, &EmailOptions::default()) {
            let again = validate_email(email.as_str(), &EmailOptions::default());
            prop_assert_eq!(again.map(|e| e.as_str().to_owned()).ok(), Some(email.as_str().to_owned()));
        }
        let relaxed = EmailOptions::default()
            .with_quoted_local_part(true)
            .with_comments(true)
            .with_ip_literal(true)
            .with_dotless_domain(true);
        let _ = validate_email(&s, &relaxed);
        for r in ["US", "GB", "FR"] {
            if let Ok(phone) = validate_phone(&s, &PhoneOptions::new().with_default_region(r)) {
                let again = validate_phone(&phone.canonical(), &PhoneOptions::default());
                prop_assert_eq!(again.ok(), Some(phone));
            }
        }
        if let Ok(name) = validate_name(&s, &NameOptions::default()) {
            let again = validate_name(name.as_str(), &NameOptions::default());
            prop_assert_eq!(again.ok(), Some(name));
        }
    }

    #[test]
    fn long_input_is_cut_at_a_char_boundary(text in "\\PC{0,200}", max in 0usize..300) {
        let extraction = extract(&text, &ExtractOptions::default().with_max_len(max));
        prop_assert_eq!(extraction.truncated, text.len() > max);
        for found in &extraction.found {
            prop_assert!(found.span.end <= max.min(text.len()));
        }
    }
}

/// Inputs the fuzzers found; each once broke "valid results validate again".
#[test]
fn fuzz_regressions() {
    let relaxed = EmailOptions::default().with_dotless_domain(true);
    if let Ok(email) = validate_email("\u{2b6}@xn--xn--r4b-lct", &relaxed) {
        assert!(validate_email(email.as_str(), &relaxed).is_ok());
    }
    let brazil = PhoneOptions::new().with_default_region("BR");
    for input in [
        "90900940004",
        ")0999659509996",
        "+5500/284390690.9",
        "/0078112921905",
    ] {
        if let Ok(phone) = validate_phone(input, &brazil) {
            let again = validate_phone(phone.e164(), &PhoneOptions::default());
            assert_eq!(again.ok(), Some(phone), "{input}");
        }
    }
}

#[test]
fn huge_input_is_truncated() {
    let line = "hello there, my name is Ann and 2015550123 is my number, ann@example.com. ";
    let text = line.repeat(20_000); // ~1.5 MB
    let extraction = extract(&text, &ExtractOptions::default().with_default_region("US"));
    assert!(extraction.truncated);
    assert!(extraction.found.iter().all(|f| f.span.end <= 64 * 1024));
}
