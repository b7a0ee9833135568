//! Keyset cursors come back from the browser: any text must decode without
//! a panic, a cursor not signed with the store's key for this very query is
//! refused (never reinterpreted), and a cursor the store made opens to the
//! position it was made for and re-encodes to itself.
#![no_main]

use chrono::{DateTime, Utc};
use leadkit_core::{LeadId, LeadStatus, WorkspaceId};
use leadkit_store::{
    ConsentFilter, Cursor, CursorKey, CursorPosition, Direction, Error, LeadQuery, SortColumn,
    SortValue,
};
use libfuzzer_sys::arbitrary::{Result, Unstructured};
use libfuzzer_sys::fuzz_target;

const WS: WorkspaceId = WorkspaceId::from_u128(0xA);
const OTHER_WS: WorkspaceId = WorkspaceId::from_u128(0xB);
const KEY: CursorKey = CursorKey::new([7; 32]);
const OTHER_KEY: CursorKey = CursorKey::new([8; 32]);
/// The characters of a base64url cursor.
const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// A time a cursor can carry (whole microseconds).
fn time(u: &mut Unstructured<'_>) -> Result<DateTime<Utc>> {
    let micros = u.int_in_range(-62_135_596_800_000_000i64..=253_402_300_799_000_000)?;
    Ok(DateTime::from_timestamp_micros(micros).expect("in range"))
}

fn query(u: &mut Unstructured<'_>) -> Result<LeadQuery> {
    let mut query = LeadQuery::new().sort(
        *u.choose(&SortColumn::ALL)?,
        *u.choose(&[Direction::Asc, Direction::Desc])?,
    );
    if u.arbitrary()? {
        query = query.search(u.arbitrary::<&str>()?);
    }
    if u.arbitrary()? {
        let mut statuses = Vec::new();
        for status in LeadStatus::ALL {
            if u.arbitrary()? {
                statuses.push(status);
            }
        }
        query = query.statuses(statuses);
    }
    if u.arbitrary()? {
        query = query.has_email(u.arbitrary()?);
    }
    if u.arbitrary()? {
        query = query.consent(*u.choose(&[
            ConsentFilter::Missing,
            ConsentFilter::Given,
            ConsentFilter::Refused,
        ])?);
    }
    if u.arbitrary()? {
        query = query.created_between(time(u)?, time(u)?);
    }
    if u.arbitrary()? {
        query = query.limit(u.arbitrary()?);
    }
    Ok(query)
}

fn position(u: &mut Unstructured<'_>, sort: SortColumn) -> Result<CursorPosition> {
    let value = match sort {
        SortColumn::CreatedAt | SortColumn::LastSeenAt => SortValue::Time(time(u)?),
        SortColumn::Status => SortValue::Status(*u.choose(&LeadStatus::ALL)?),
        _ => SortValue::Text(u.arbitrary::<String>()?),
    };
    Ok(CursorPosition::new(
        value,
        LeadId::from_u128(u.arbitrary()?),
    ))
}

fn refused(query: &LeadQuery, workspace: WorkspaceId, key: &CursorKey) {
    assert!(
        matches!(query.validate(workspace, key), Err(Error::InvalidCursor)),
        "a cursor opened for another workspace, key or query"
    );
}

fn check(u: &mut Unstructured<'_>) -> Result<()> {
    let query = query(u)?;
    let valid = query.validate(WS, &KEY);
    if query.check().is_err() {
        assert!(valid.is_err(), "validate accepted what check refused");
        return Ok(());
    }
    let valid = valid.expect("a checked query without a cursor validates");

    // Any text the browser sends.
    let text: &str = u.arbitrary()?;
    if let Ok(cursor) = text.parse::<Cursor>() {
        assert_eq!(cursor.as_str(), text);
        // Nobody without the key can sign a cursor.
        refused(&query.clone().after(cursor), WS, &KEY);
    }

    // A cursor the store made for this query.
    let sort = valid.sort;
    let at = position(u, sort)?;
    let cursor = valid.cursor_at(&at);
    let parsed: Cursor = cursor
        .as_str()
        .parse()
        .expect("a cursor the store made parses");
    assert_eq!(parsed, cursor);
    let next = query.clone().after(parsed);
    let opened = next
        .validate(WS, &KEY)
        .expect("a cursor opens with its own query");
    assert_eq!(opened.after.as_ref(), Some(&at));
    assert_eq!(opened.cursor_at(&at), cursor, "re-encodes to itself");
    // The page size is not part of the query a cursor continues.
    next.clone()
        .limit(1)
        .validate(WS, &KEY)
        .expect("any page size");

    // Another workspace, key or sort order refuses it.
    refused(&next, OTHER_WS, &KEY);
    refused(&next, WS, &OTHER_KEY);
    let other_sort = *u.choose(&SortColumn::ALL)?;
    let other_direction = *u.choose(&[Direction::Asc, Direction::Desc])?;
    if (other_sort, other_direction) != (valid.sort, valid.direction) {
        refused(&next.clone().sort(other_sort, other_direction), WS, &KEY);
    }
    // A tampered cursor: one character changed, cut short, or extended.
    let mut bytes = cursor.as_str().as_bytes().to_vec();
    match u.int_in_range(0..=2u8)? {
        0 => {
            let i = u.choose_index(bytes.len())?;
            bytes[i] = *u.choose(ALPHABET)?;
        }
        1 => bytes.truncate(u.choose_index(bytes.len())?),
        _ => bytes.push(*u.choose(ALPHABET)?),
    }
    let tampered = String::from_utf8(bytes).expect("base64url is ASCII");
    if tampered != cursor.as_str()
        && let Ok(tampered) = tampered.parse::<Cursor>()
    {
        refused(&query.clone().after(tampered), WS, &KEY);
    }
    Ok(())
}

fuzz_target!(|data: &[u8]| {
    let _ = check(&mut Unstructured::new(data));
});
