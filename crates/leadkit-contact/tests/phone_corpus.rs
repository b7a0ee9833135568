//! Every region's example numbers from libphonenumber's metadata
//! (`tests/data/phone-example-numbers.json`, python `phonenumbers`
//! 9.0.43): each valid row must parse to its E.164 from its national form
//! (with its region) and from its international form; each invalid row must
//! be reported invalid.
//!
//! `rlibphonenumber` 2.2.15 carries metadata 9.0.42 and agrees on all 2,814
//! checks. When a metadata update makes a check differ, list it in
//! `DIFFERENCES` with the reason: the test fails when an unlisted difference
//! appears and when a listed one disappears.

mod common;

use leadkit_contact::{PhoneOptions, validate_phone};

/// (region, type, form, reason) of every known difference.
const DIFFERENCES: &[(&str, &str, &str, &str)] = &[];

#[test]
fn agrees_with_libphonenumber_examples() {
    let corpus = common::corpus("phone-example-numbers.json");
    let cases = corpus["cases"].as_array().expect("cases array");
    assert!(cases.len() >= 1000, "corpus looks truncated");
    let mut differences: Vec<(String, String, &str, String)> = Vec::new();
    for case in cases {
        let region = case["region"].as_str().expect("region");
        let kind = case["type"].as_str().expect("type");
        let expected = case["e164"].as_str();
        let options = PhoneOptions::new().with_default_region(region);
        for (form, input) in [
            ("national", case["national"].as_str().expect("national")),
            (
                "international",
                case["international"].as_str().expect("international"),
            ),
        ] {
            let got = validate_phone(input, &options);
            let agrees = match (&got, expected) {
                (Ok(phone), Some(e164)) => phone.e164() == e164,
                (Err(_), None) => true,
                _ => false,
            };
            if !agrees {
                let got = match &got {
                    Ok(phone) => phone.e164().to_owned(),
                    Err(err) => err.code().to_owned(),
                };
                differences.push((region.to_owned(), kind.to_owned(), form, got));
            }
        }
    }
    let unlisted: Vec<_> = differences
        .iter()
        .filter(|(r, k, f, _)| {
            !DIFFERENCES
                .iter()
                .any(|(dr, dk, df, _)| dr == r && dk == k && df == f)
        })
        .collect();
    let stale: Vec<_> = DIFFERENCES
        .iter()
        .filter(|(dr, dk, df, _)| {
            !differences
                .iter()
                .any(|(r, k, f, _)| dr == r && dk == k && df == f)
        })
        .collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "unlisted differences ({}): {unlisted:?}\nlisted but no longer different: {stale:?}",
        unlisted.len()
    );
}

/// The number type agrees with libphonenumber's for every valid example of a
/// known type (`fixed_line_or_mobile` stands for either, as in libphonenumber
/// when both patterns match), and every valid number gets its region.
#[test]
fn number_types_and_regions_agree() {
    let corpus = common::corpus("phone-example-numbers.json");
    let mut checked = 0;
    let mut mismatches = Vec::new();
    for case in corpus["cases"].as_array().expect("cases array") {
        let kind = case["type"].as_str().expect("type");
        if kind == "invalid" || kind == "fixed_line_or_mobile" {
            continue;
        }
        let region = case["region"].as_str().expect("region");
        let input = case["international"].as_str().expect("international");
        let Ok(phone) = validate_phone(input, &PhoneOptions::default()) else {
            continue; // validity is the other test's business
        };
        checked += 1;
        let got = phone.number_type().as_str();
        let agrees = got == kind
            || (got == "fixed_line_or_mobile" && (kind == "fixed_line" || kind == "mobile"));
        if !agrees || phone.region().is_none() {
            mismatches.push(format!(
                "{region} {kind}: got {got}, region {:?}",
                phone.region()
            ));
        }
    }
    assert!(checked > 800, "only {checked} typed examples checked");
    assert!(mismatches.is_empty(), "{mismatches:#?}");
}
