//! Email validation: options, normalisation, typo hints, disposable flag.

use leadkit_contact::{EmailOptions, Error, Field, validate_email};

fn ok(input: &str) -> String {
    validate_email(input, &EmailOptions::default())
        .map(|e| e.as_str().to_owned())
        .unwrap_or_else(|err| panic!("{input:?} rejected: {err}"))
}

fn err(input: &str) -> Error {
    validate_email(input, &EmailOptions::default()).expect_err(input)
}

#[test]
fn domain_is_lowercased_local_part_keeps_case() {
    assert_eq!(ok("Ann.Lee@Example.COM"), "Ann.Lee@example.com");
}

#[test]
fn internationalised_domain_has_unicode_and_ascii_forms() {
    let email = validate_email("jeff@臺網中心.tw", &EmailOptions::default()).unwrap();
    assert_eq!(email.domain(), "臺網中心.tw");
    assert_eq!(email.ascii_domain(), "xn--fiqq24b10vi0d.tw");
    assert_eq!(email.ascii().as_deref(), Some("jeff@xn--fiqq24b10vi0d.tw"));
    assert_eq!(email.local_part(), "jeff");
    // Punycode input comes back in Unicode form too.
    assert_eq!(ok("jeff@xn--fiqq24b10vi0d.tw"), "jeff@臺網中心.tw");
    // An internationalised local part has no ASCII form.
    let intl = validate_email("ñoñó@example.tld", &EmailOptions::default()).unwrap();
    assert_eq!(intl.ascii(), None);
}

#[test]
fn each_rejection_has_its_reason() {
    assert_eq!(err(""), Error::Empty(Field::Email));
    assert_eq!(err("ann.example.com"), Error::EmailNoAtSign);
    assert_eq!(err("@example.com"), Error::EmailNoLocalPart);
    assert_eq!(err("ann@"), Error::EmailNoDomain);
    assert_eq!(err("Ann <ann@example.com>"), Error::EmailDisplayName);
    assert_eq!(err("\"ann lee\"@example.com"), Error::EmailQuotedLocalPart);
    assert_eq!(err("ann(work)@example.com"), Error::EmailComment);
    assert_eq!(err("ann@[192.0.2.1]"), Error::EmailIpLiteral);
    assert_eq!(err(".ann@example.com"), Error::EmailLocalPartDots);
    assert_eq!(err("an,n@example.com"), Error::EmailLocalPartCharacters);
    assert_eq!(err("ann@exa mple.com"), Error::EmailDomainCharacters);
    assert_eq!(err("ann@example..com"), Error::EmailDomainDots);
    assert_eq!(err("ann@-example.com"), Error::EmailDomainHyphens);
    assert_eq!(err("ann@localhost"), Error::EmailDotlessDomain);
    assert_eq!(err("ann@example.c0m9"), Error::EmailTopLevelDomain);
    assert_eq!(err("ann@shop.test"), Error::EmailSpecialUseDomain);
    assert_eq!(
        err(&format!("{}@example.com", "a".repeat(65))),
        Error::EmailLocalPartTooLong
    );
    assert_eq!(
        err(&format!("a@{}.com", "b".repeat(64))),
        Error::EmailDomainTooLong
    );
    assert_eq!(
        err(&format!("a@{}.com", "b.".repeat(130))),
        Error::TooLong(Field::Email)
    );
}

#[test]
fn options_relax_one_rule_each() {
    let quoted = EmailOptions::default().with_quoted_local_part(true);
    assert_eq!(
        validate_email("\"ann lee\"@example.com", &quoted)
            .unwrap()
            .as_str(),
        "\"ann lee\"@example.com"
    );
    let literal = EmailOptions::default().with_ip_literal(true);
    assert!(validate_email("ann@[192.0.2.1]", &literal).is_ok());
    assert!(validate_email("ann@[IPv6:2001:db8::1]", &literal).is_ok());
    assert_eq!(
        validate_email("ann@[999.0.2.1]", &literal).unwrap_err(),
        Error::EmailIpLiteral
    );
    let comments = EmailOptions::default().with_comments(true);
    assert_eq!(
        validate_email("ann(work)@example.com", &comments)
            .unwrap()
            .as_str(),
        "ann@example.com"
    );
    let dotless = EmailOptions::default().with_dotless_domain(true);
    assert_eq!(
        validate_email("ann@intranet", &dotless).unwrap().as_str(),
        "ann@intranet"
    );
    let special = EmailOptions::default().with_special_use_domain(true);
    assert!(validate_email("ann@shop.test", &special).is_ok());
}

#[test]
fn typo_is_a_suggestion_never_a_change() {
    let email = validate_email("ann@gmial.com", &EmailOptions::default()).unwrap();
    assert_eq!(email.as_str(), "ann@gmial.com");
    assert_eq!(email.suggestion(), Some("ann@gmail.com"));
    let off = EmailOptions::default().with_typo_suggestions(false);
    assert_eq!(
        validate_email("ann@gmial.com", &off).unwrap().suggestion(),
        None
    );
    assert_eq!(
        validate_email("ann@gmail.com", &EmailOptions::default())
            .unwrap()
            .suggestion(),
        None
    );
    assert_eq!(
        validate_email("Ann@Hotmial.com", &EmailOptions::default())
            .unwrap()
            .suggestion(),
        Some("Ann@hotmail.com")
    );
}

#[cfg(feature = "disposable")]
#[test]
fn disposable_providers_are_flagged_and_optionally_rejected() {
    let email = validate_email("ann@mailinator.com", &EmailOptions::default()).unwrap();
    assert!(email.is_disposable());
    assert!(
        !validate_email("ann@gmail.com", &EmailOptions::default())
            .unwrap()
            .is_disposable()
    );
    let strict = EmailOptions::default().with_reject_disposable(true);
    assert_eq!(
        validate_email("ann@mailinator.com", &strict).unwrap_err(),
        Error::EmailDisposable
    );
    assert_eq!(
        validate_email("ann@sub.mailinator.com", &strict).unwrap_err(),
        Error::EmailDisposable
    );
    assert!(validate_email("ann@gmail.com", &strict).is_ok());
}

#[cfg(not(feature = "disposable"))]
#[test]
fn without_the_feature_nothing_is_disposable() {
    let strict = EmailOptions::default().with_reject_disposable(true);
    assert!(
        !validate_email("ann@mailinator.com", &strict)
            .unwrap()
            .is_disposable()
    );
}
