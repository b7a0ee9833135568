//! Opaque keyset-pagination cursors.

use std::fmt;
use std::str::FromStr;

use leadkit_core::LeadId;

use crate::Error;
use crate::query::{Fnv, SortColumn, SortValue};

const VERSION: u8 = 1;
/// Longest cursor accepted, in characters (a sort value is at most a folded
/// 16 KiB field).
const MAX_LEN: usize = 160 * 1024;

/// Where a page ended: the last row's sort value and id.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CursorPosition {
    /// The last row's value in the sort column.
    pub value: SortValue,
    /// The last row's id.
    pub id: LeadId,
}

/// An opaque token for the next page (lowercase hex).
///
/// It holds the last row's position, a fingerprint of the query and a
/// checksum. A cursor that was damaged, or that belongs to another query or
/// workspace, is refused with [`Error::InvalidCursor`]. The checksum is not
/// a signature: someone can forge a cursor, but it can only move the start
/// of a page within the same query and workspace, never widen what is read.
///
/// A cursor of a text sort (name, email, phone, company) carries the last
/// row's folded value, hex-encoded but not encrypted: treat cursors like
/// the data they page through (`Debug` shows only their length).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Cursor(String);

impl CursorPosition {
    /// The position of a row with this sort value and id.
    pub fn new(value: SortValue, id: LeadId) -> Self {
        Self { value, id }
    }
}

impl Cursor {
    /// The token's text, to hand to the client.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub(crate) fn encode(fingerprint: u64, sort: SortColumn, position: &CursorPosition) -> Self {
        let mut bytes = Vec::with_capacity(48);
        bytes.push(VERSION);
        bytes.push(sort.code());
        bytes.extend_from_slice(&fingerprint.to_be_bytes());
        bytes.extend_from_slice(position.id.as_uuid().as_bytes());
        match &position.value {
            SortValue::Int(v) => {
                bytes.push(0);
                bytes.extend_from_slice(&v.to_be_bytes());
            }
            SortValue::Text(t) => {
                bytes.push(1);
                bytes.extend_from_slice(t.as_bytes());
            }
        }
        let sum = checksum(&bytes);
        bytes.extend_from_slice(&sum.to_be_bytes());
        let mut text = String::with_capacity(bytes.len() * 2);
        for b in bytes {
            text.push(char::from(HEX[usize::from(b >> 4)]));
            text.push(char::from(HEX[usize::from(b & 0xf)]));
        }
        Cursor(text)
    }

    pub(crate) fn decode(
        &self,
        fingerprint: u64,
        sort: SortColumn,
    ) -> Result<CursorPosition, Error> {
        let bytes = unhex(&self.0).ok_or(Error::InvalidCursor)?;
        let (body, sum) = bytes.split_last_chunk::<8>().ok_or(Error::InvalidCursor)?;
        if checksum(body) != u64::from_be_bytes(*sum) {
            return Err(Error::InvalidCursor);
        }
        let [version, column, rest @ ..] = body else {
            return Err(Error::InvalidCursor);
        };
        let (print, rest) = rest.split_first_chunk::<8>().ok_or(Error::InvalidCursor)?;
        let (id, rest) = rest.split_first_chunk::<16>().ok_or(Error::InvalidCursor)?;
        let [tag, value @ ..] = rest else {
            return Err(Error::InvalidCursor);
        };
        if *version != VERSION
            || *column != sort.code()
            || u64::from_be_bytes(*print) != fingerprint
        {
            return Err(Error::InvalidCursor);
        }
        let value = match (tag, sort.is_text()) {
            (0, false) => SortValue::Int(i64::from_be_bytes(
                value.try_into().map_err(|_| Error::InvalidCursor)?,
            )),
            (1, true) => SortValue::Text(
                String::from_utf8(value.to_vec()).map_err(|_| Error::InvalidCursor)?,
            ),
            _ => return Err(Error::InvalidCursor),
        };
        Ok(CursorPosition {
            value,
            id: LeadId::from_u128(u128::from_be_bytes(*id)),
        })
    }
}

const HEX: &[u8; 16] = b"0123456789abcdef";

fn unhex(text: &str) -> Option<Vec<u8>> {
    if text.len() > MAX_LEN || !text.len().is_multiple_of(2) {
        return None;
    }
    let digit = |c: u8| match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        _ => None,
    };
    text.as_bytes()
        .chunks_exact(2)
        .map(|pair| Some(digit(pair[0])? << 4 | digit(pair[1])?))
        .collect()
}

fn checksum(bytes: &[u8]) -> u64 {
    let mut h = Fnv::new();
    h.bytes(b"leadkit-cursor");
    h.bytes(bytes);
    h.finish()
}

impl fmt::Debug for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // A text sort value is a folded name or email: keep it out of logs.
        write!(f, "Cursor(<{} chars>)", self.0.len())
    }
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for Cursor {
    type Err = Error;

    /// Accepts any well-formed token; whether it fits a query is checked
    /// when the query runs.
    fn from_str(s: &str) -> Result<Self, Error> {
        unhex(s).ok_or(Error::InvalidCursor)?;
        Ok(Cursor(s.to_owned()))
    }
}
