//! Any stored field value, exported through `leadkit_store::csv` and read
//! back with the csv crate as a spreadsheet importer would, gives the value
//! or the value behind the documented defusing prefix `'` (see
//! `leadkit_store::csv::defuse_formula`), and never a cell that starts a
//! formula (`=`, `+`, `-`, `@` or their full-width forms, also behind any
//! leading whitespace, control or zero-width character) other than an exact
//! E.164 phone number.
#![no_main]

use std::collections::HashMap;

use chrono::DateTime;
use leadkit_core::{BotId, LeadId, LeadStatus, VisitorId};
use leadkit_store::csv::CsvEncoder;
use leadkit_store::{CsvOptions, CsvRow, ExportRow, is_e164};
use libfuzzer_sys::fuzz_target;

const BOT: BotId = BotId::from_u128(0xB1);

/// Whether a spreadsheet could run `cell` as a formula: a trigger (ASCII
/// or full-width) after any leading whitespace, control or zero-width
/// characters, written out here independently of `defuse_formula`.
fn starts_formula(cell: &str) -> bool {
    let start = cell.trim_start_matches(|c: char| {
        c.is_whitespace()
            || c.is_control()
            || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
    });
    start.starts_with(['=', '+', '-', '@', '＝', '＋', '－', '＠']) && !is_e164(cell)
}

/// The input: a flags byte (consent given, byte-order mark), then the
/// stored values separated by `0xFF` bytes (never part of UTF-8 text).
fn check(data: &[u8]) {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let mut values = rest
        .split(|&b| b == 0xFF)
        .map(|v| String::from_utf8_lossy(v).into_owned());
    let mut next = || values.next().unwrap_or_default();
    let (bot_name, name, email, phone) = (next(), next(), next(), next());
    let (company, version, visitor, notes) = (next(), next(), next(), next());
    let at = DateTime::UNIX_EPOCH;
    let mut row = ExportRow::new(LeadId::from_u128(1), BOT, at, at, LeadStatus::New)
        .name(name.clone())
        .email(email.clone())
        .phone(phone.clone())
        .company(company.clone())
        .consent(flags & 1 == 1, at, version.clone())
        .notes(notes.clone());
    // A visitor id is validated when it is made; only a valid one is stored.
    let visitor = VisitorId::new(visitor).ok().map(|v| v.as_str().to_owned());
    if let Some(id) = &visitor {
        row = row.visitor(VisitorId::new(id.clone()).expect("valid above"));
    }
    let expected: [(usize, &str); 8] = [
        (3, &bot_name),
        (5, &name),
        (6, &email),
        (7, &phone),
        (8, &company),
        (11, &version),
        (12, visitor.as_deref().unwrap_or("")),
        (13, &notes),
    ];

    let mut encoder = CsvEncoder::new(HashMap::from([(BOT, bot_name.clone())]));
    let mut bytes = encoder
        .head(CsvOptions::new().bom(flags & 2 == 2))
        .expect("the header encodes");
    bytes.extend(encoder.page(&[row.clone(), row]).expect("a page encodes"));

    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let mut records = reader.records();
    let header = records.next().expect("a header row").expect("valid CSV");
    let header: Vec<&str> = header.iter().collect();
    let mut want = CsvRow::HEADER.to_vec();
    // The byte-order mark is part of the first cell as the csv crate reads it.
    if header[0].starts_with('\u{feff}') {
        want[0] = "\u{feff}id";
    }
    assert_eq!(header, want);
    let mut rows = 0;
    for record in records {
        let record = record.expect("valid CSV");
        assert_eq!(record.len(), CsvRow::HEADER.len());
        for (column, value) in expected {
            let cell = &record[column];
            let defused = cell.strip_prefix('\'') == Some(value);
            assert!(
                cell == value || defused,
                "column {} reads back as something else",
                CsvRow::HEADER[column]
            );
            assert!(
                !starts_formula(cell),
                "column {} starts a formula",
                CsvRow::HEADER[column]
            );
        }
        rows += 1;
    }
    assert_eq!(rows, 2, "one record per row, whatever the values hold");
}

fuzz_target!(|data: &[u8]| {
    check(data);
});
