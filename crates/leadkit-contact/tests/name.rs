//! Name validation.

use leadkit_contact::{Error, Field, NameOptions, validate_name};

fn ok(input: &str) -> String {
    validate_name(input, &NameOptions::default())
        .map(|n| n.as_str().to_owned())
        .unwrap_or_else(|err| panic!("{input:?} rejected: {err}"))
}

fn err(input: &str) -> Error {
    validate_name(input, &NameOptions::default()).expect_err(input)
}

#[test]
fn real_names_are_kept_as_typed_with_space_collapsed() {
    assert_eq!(ok("  John   Smith "), "John Smith");
    assert_eq!(ok("Zoë"), "Zoë");
    assert_eq!(ok("O'Connor"), "O'Connor");
    assert_eq!(ok("Jean-Luc Picard"), "Jean-Luc Picard");
    assert_eq!(ok("J. R. R. Tolkien"), "J. R. R. Tolkien");
    assert_eq!(ok("María José\tNúñez"), "María José Núñez");
    assert_eq!(ok("Nguyễn Văn An"), "Nguyễn Văn An");
    assert_eq!(ok("Ólafur Ragnar Grímsson"), "Ólafur Ragnar Grímsson");
    assert_eq!(ok("李小龍"), "李小龍");
    assert_eq!(ok("Yui"), "Yui");
    assert_eq!(ok("Ed"), "Ed");
}

#[test]
fn non_names_are_rejected_with_a_reason() {
    assert_eq!(err("   "), Error::Empty(Field::Name));
    assert_eq!(err("ann@example.com"), Error::NameLooksLikeEmail);
    assert_eq!(err("https://example.com"), Error::NameLooksLikeUrl);
    assert_eq!(err("www.acme.io"), Error::NameLooksLikeUrl);
    assert_eq!(err("John 2"), Error::NameDigits);
    assert_eq!(err("John_Smith"), Error::NameCharacters);
    assert_eq!(err("-John"), Error::NameCharacters);
    assert_eq!(err("J"), Error::NameTooShort);
    for placeholder in [
        "asdf",
        "Test",
        "no",
        "N/A",
        "qwerty",
        "aaaa",
        "asdfgh",
        "None",
        "test test",
    ] {
        let got = validate_name(placeholder, &NameOptions::default()).expect_err(placeholder);
        assert!(
            matches!(got, Error::NamePlaceholder | Error::NameCharacters),
            "{placeholder}: {got:?}"
        );
    }
    assert_eq!(err(&"a".repeat(101)), Error::TooLong(Field::Name));
}

#[test]
fn options() {
    let lenient = NameOptions::default().with_reject_placeholders(false);
    assert_eq!(validate_name("Test", &lenient).unwrap().as_str(), "Test");
    let short = NameOptions::default().with_max_chars(5);
    assert_eq!(
        validate_name("Johnny", &short).unwrap_err(),
        Error::TooLong(Field::Name)
    );
}
