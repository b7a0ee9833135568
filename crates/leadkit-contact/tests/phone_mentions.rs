//! Phone numbers as people type them in chat, in English, Spanish, German,
//! French and Portuguese: every valid example number of sixteen regions
//! where those languages are spoken (`tests/data/phone-example-numbers.json`,
//! libphonenumber's own examples) is written in several ways people type
//! numbers (the national and international forms as given, `00` instead of
//! `+`, `+44 (0)…`, digits only, dashes or dots between the groups) and put
//! in a carrier sentence of the region's language.
//!
//! Everything expected comes from the corpus and from how the sentence was
//! built: the E.164 value, the region, and the byte span where the number
//! was put. Nothing is taken from the extractor.

mod common;

use leadkit_contact::{
    ContactKind, ExtractOptions, PhoneReading, PhoneStatus, RegionHint, extract,
};

/// Regions, their language, and the country as an English speaker names it.
const REGIONS: &[(&str, &str, &str)] = &[
    ("US", "en", "US"),
    ("GB", "en", "UK"),
    ("CA", "en", "Canadian"),
    ("AU", "en", "Australian"),
    ("IE", "en", "Irish"),
    ("ES", "es", "Spanish"),
    ("MX", "es", "Mexican"),
    ("AR", "es", "Argentina"),
    ("CO", "es", "Colombia"),
    ("DE", "de", "German"),
    ("AT", "de", "Austrian"),
    ("CH", "de", "Swiss"),
    ("FR", "fr", "French"),
    ("BE", "fr", "Belgium"),
    ("PT", "pt", "Portuguese"),
    ("BR", "pt", "Brazilian"),
];

/// Carrier sentences per language; `{}` is where the number goes.
const SENTENCES: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "You can reach me at {} after five.",
            "My number is {}",
            "call me on {} please",
            "Phone: {}, thanks!",
        ],
    ),
    (
        "es",
        &[
            "Mi teléfono es el {}, gracias",
            "Llámame al {}.",
            "mi móvil: {} (tardes)",
        ],
    ),
    (
        "de",
        &[
            "Meine Telefonnummer ist {}.",
            "Ruf mich unter {} an",
            "Handy: {}, ab 18 Uhr",
        ],
    ),
    (
        "fr",
        &[
            "Mon numéro : {}",
            "Appelez-moi au {} svp",
            "Tél. {} — merci",
        ],
    ),
    (
        "pt",
        &["Meu celular é {}", "Ligue para {} amanhã", "Telefone: {}!"],
    ),
];

/// One number as typed, with what must be found.
struct Mention {
    region: &'static str,
    language: &'static str,
    typed: String,
    e164: String,
    national: bool,
    /// Whether the number belongs to one place (a landline or a mobile);
    /// a toll-free or premium number shared by several regions of one
    /// calling code (+1 800 …) belongs to the calling code's main region.
    geographic: bool,
}

/// The ways people write `national` / `international` (as the corpus gives
/// them), with whether each is a national form.
fn typings(national: &str, international: &str, e164: &str) -> Vec<(String, bool)> {
    let groups = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_ascii_digit())
            .filter(|g| !g.is_empty())
            .map(str::to_owned)
            .collect()
    };
    let national_groups = groups(national);
    let mut forms = vec![
        (national.to_owned(), true),
        (international.to_owned(), false),
        (international.replacen('+', "00", 1), false),
        (national_groups.concat(), true),
        (national_groups.join("-"), true),
        (national_groups.join("."), true),
        (e164.to_owned(), false),
    ];
    // "+44 (0)121 234 5678": the trunk prefix 0 in brackets.
    let national_digits = national_groups.concat();
    let intl_groups = groups(international);
    if let Some((code, rest)) = intl_groups.split_first()
        && national_digits == format!("0{}", rest.concat())
    {
        forms.push((format!("+{code} (0){}", rest.join(" ")), false));
    }
    forms.dedup();
    forms
}

fn mentions() -> Vec<Mention> {
    let corpus = common::corpus("phone-example-numbers.json");
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::new();
    for case in corpus["cases"].as_array().expect("cases array") {
        let region = case["region"].as_str().expect("region");
        let Some(&(region, language, _)) = REGIONS.iter().find(|(r, _, _)| *r == region) else {
            continue;
        };
        let Some(e164) = case["e164"].as_str() else {
            continue; // invalid examples are another test's business
        };
        if !seen.insert((region, e164.to_owned())) {
            continue; // fixed_line_or_mobile repeats another row
        }
        let kind = case["type"].as_str().expect("type");
        let geographic = matches!(kind, "fixed_line" | "mobile" | "fixed_line_or_mobile");
        let national = case["national"].as_str().expect("national");
        let international = case["international"].as_str().expect("international");
        for (typed, national) in typings(national, international, e164) {
            out.push(Mention {
                region,
                language,
                typed,
                e164: e164.to_owned(),
                national,
                geographic,
            });
        }
    }
    out
}

/// `sentence` with `typed` in place of `{}`, and the byte span of `typed`.
fn embed(sentence: &str, typed: &str) -> (String, std::ops::Range<usize>) {
    let at = sentence.find("{}").expect("sentence has a slot");
    let text = format!("{}{typed}{}", &sentence[..at], &sentence[at + 2..]);
    (text, at..at + typed.len())
}

fn sentence_for(language: &str, k: usize) -> &'static str {
    let (_, sentences) = SENTENCES
        .iter()
        .find(|(l, _)| *l == language)
        .expect("language has sentences");
    sentences[k % sentences.len()]
}

/// Extracts from `text` and checks that exactly one phone was found, valid,
/// at `span`, with `m`'s E.164 and a reading `reading_ok` accepts; returns
/// what went wrong otherwise.
fn check_mention(
    m: &Mention,
    text: &str,
    span: &std::ops::Range<usize>,
    options: &ExtractOptions,
    reading_ok: impl Fn(&PhoneReading) -> bool,
) -> Option<String> {
    let found: Vec<_> = extract(text, options)
        .found
        .into_iter()
        .filter(|f| f.kind == ContactKind::Phone)
        .collect();
    let ok = match found.as_slice() {
        [f] => {
            f.valid
                && f.span == *span
                && f.value == m.e164
                && f.phone.as_ref().is_some_and(&reading_ok)
        }
        _ => false,
    };
    (!ok).then(|| {
        let got: Vec<_> = found
            .iter()
            .map(|f| (f.span.clone(), f.valid, f.value.clone(), f.phone.clone()))
            .collect();
        format!(
            "[{}] {text:?}: want {span:?} {}, got {got:?}",
            m.region, m.e164
        )
    })
}

#[test]
fn at_least_300_mentions_in_five_languages() {
    let mentions = mentions();
    assert!(mentions.len() >= 300, "only {} mentions", mentions.len());
    for (language, _) in SENTENCES {
        assert!(
            mentions.iter().filter(|m| m.language == *language).count() >= 30,
            "too few {language} mentions"
        );
    }
}

/// With the caller's region set, every mention is found, valid, at exactly
/// the bytes where it was written, with the corpus's E.164 and region.
#[test]
fn every_mention_is_found_with_the_callers_region() {
    let mut failures = Vec::new();
    let mentions = mentions();
    for (k, m) in mentions.iter().enumerate() {
        let (text, span) = embed(sentence_for(m.language, k), &m.typed);
        let options = ExtractOptions::default().with_default_region(m.region);
        failures.extend(check_mention(m, &text, &span, &options, |reading| {
            reading.status == PhoneStatus::Valid
                && reading.region.is_some()
                && (!m.geographic || reading.region.as_deref() == Some(m.region))
        }));
    }
    assert!(
        failures.is_empty(),
        "{} of {} mentions differ:\n{}",
        failures.len(),
        mentions.len(),
        failures.join("\n")
    );
}

/// Without a caller's region, a national number whose country is named
/// next to it ("my Irish number is …") is read in that country: valid for
/// the hinted region, with the corpus's E.164, at the right bytes.
#[test]
fn national_mentions_are_read_in_the_country_named() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for m in mentions().iter().filter(|m| m.national) {
        let country = REGIONS
            .iter()
            .find(|(r, _, _)| *r == m.region)
            .map(|(_, _, c)| *c)
            .expect("region listed");
        let sentence = format!("my {country} number is {{}}");
        let (text, span) = embed(&sentence, &m.typed);
        checked += 1;
        let options = ExtractOptions::default().with_hinted_regions_accepted(true);
        failures.extend(check_mention(m, &text, &span, &options, |reading| {
            reading.status == PhoneStatus::ValidForHintedRegion
                && reading.hint == Some(RegionHint::CountryNamed)
                && reading.e164.as_deref() == Some(m.e164.as_str())
        }));
    }
    assert!(checked >= 150, "only {checked} national mentions");
    assert!(
        failures.is_empty(),
        "{} of {checked} mentions differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
