//! Out-of-sample check of phone extraction: the example numbers of every
//! region *not* used by `tests/phone_mentions.rs` (the extractor's rules
//! were never adjusted to these), typed five ways in an English carrier
//! sentence with the caller's region set. Prints recall and the invalid
//! examples taken as valid; fails below the bounds given.
//!
//! ```text
//! cargo test -p leadkit-contact --test phone_heldout -- --nocapture
//! ```

mod common;

use leadkit_contact::{ContactKind, ExtractOptions, extract};

/// The regions `tests/phone_mentions.rs` uses (in sample).
const IN_SAMPLE: &[&str] = &[
    "US", "GB", "CA", "AU", "IE", "ES", "MX", "AR", "CO", "DE", "AT", "CH", "FR", "BE", "PT", "BR",
];

const SENTENCES: &[&str] = &[
    "You can reach me at {} after five.",
    "My number is {}",
    "call me on {} please",
];

fn forms(national: &str, international: &str) -> Vec<String> {
    let groups: Vec<&str> = national
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    vec![
        national.to_owned(),
        international.to_owned(),
        international.replacen('+', "00", 1),
        groups.concat(),
        groups.join("-"),
    ]
}

#[test]
fn held_out_regions() {
    let corpus = common::corpus("phone-example-numbers.json");
    let (mut total, mut exact, mut invalid_total, mut invalid_taken) = (0, 0, 0, 0);
    let mut misses = Vec::new();
    for (k, case) in corpus["cases"]
        .as_array()
        .expect("cases")
        .iter()
        .enumerate()
    {
        let region = case["region"].as_str().expect("region");
        if IN_SAMPLE.contains(&region) || region.len() != 2 {
            continue;
        }
        let national = case["national"].as_str().expect("national");
        let international = case["international"].as_str().expect("international");
        let options = ExtractOptions::default().with_default_region(region);
        for (j, typed) in forms(national, international).into_iter().enumerate() {
            let sentence = SENTENCES[(k + j) % SENTENCES.len()];
            let at = sentence.find("{}").expect("slot");
            let text = format!("{}{typed}{}", &sentence[..at], &sentence[at + 2..]);
            let span = at..at + typed.len();
            let phones: Vec<_> = extract(&text, &options)
                .found
                .into_iter()
                .filter(|f| f.kind == ContactKind::Phone)
                .collect();
            match case["e164"].as_str() {
                Some(e164) => {
                    total += 1;
                    if matches!(phones.as_slice(), [f] if f.valid && f.span == span && f.value == e164)
                    {
                        exact += 1;
                    } else {
                        misses.push(format!("[{region}] {text:?}"));
                    }
                }
                None => {
                    invalid_total += 1;
                    invalid_taken += usize::from(phones.iter().any(|f| f.valid));
                }
            }
        }
    }
    let recall = exact as f64 / total as f64;
    eprintln!(
        "held-out regions: {exact} of {total} valid mentions found exactly (recall {recall:.3}); \
         {invalid_taken} of {invalid_total} invalid examples taken as valid"
    );
    eprintln!(
        "misses (first 40):\n{}",
        misses
            .iter()
            .take(40)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(total >= 3000, "only {total} mentions");
    assert!(recall >= 0.95, "recall {recall:.3}");
    assert!(
        invalid_taken * 20 <= invalid_total,
        "{invalid_taken} of {invalid_total}"
    );
}
