//! Opaque keyset-pagination cursors, signed so that they cannot be forged.

use std::fmt;
use std::str::FromStr;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::DateTime;
use hmac::{Hmac, KeyInit, Mac};
use leadkit_core::{LeadId, LeadStatus};
use sha2::Sha256;

use crate::Error;
use crate::sort::{CursorPosition, SortColumn, SortValue, funnel_position};

type HmacSha256 = Hmac<Sha256>;

const VERSION: u8 = 2;
/// Bytes of the signature at the end of a cursor.
const TAG_LEN: usize = 32;
/// Longest cursor accepted, in characters (a sort value is at most a folded
/// 16 KiB field).
const MAX_LEN: usize = 160 * 1024;

/// The secret that signs a store's cursors.
///
/// Every store makes a random one when it is created, so its cursors are
/// good for as long as it lives. Several processes that serve the same
/// Leads screen (behind a load balancer) must agree on it: give each the
/// same key ([`CursorKey::new`], 32 bytes from your secret store) with the
/// store's `cursor_key` setter. Changing the key makes every outstanding
/// cursor invalid: clients get [`Error::InvalidCursor`] and start again
/// from the first page.
#[derive(Clone, PartialEq, Eq)]
pub struct CursorKey([u8; 32]);

impl CursorKey {
    /// A key from 32 secret bytes.
    pub const fn new(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// A fresh random key from the operating system's generator.
    ///
    /// # Panics
    ///
    /// If the operating system has no random source to read from (a
    /// broken system, not something input can cause).
    pub fn random() -> Self {
        let mut bytes = [0; 32];
        #[allow(clippy::expect_used)]
        getrandom::fill(&mut bytes).expect("the operating system's random generator works");
        Self(bytes)
    }

    fn mac(&self, query: &[u8], payload: &[u8]) -> HmacSha256 {
        let Ok(mut mac) = HmacSha256::new_from_slice(&self.0) else {
            unreachable!("HMAC takes keys of any length");
        };
        // Length-prefixed, so no query/payload split can collide with another.
        mac.update(&(query.len() as u64).to_be_bytes());
        mac.update(query);
        mac.update(payload);
        mac
    }
}

impl Default for CursorKey {
    /// A random key ([`CursorKey::random`]).
    fn default() -> Self {
        Self::random()
    }
}

impl fmt::Debug for CursorKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("CursorKey(<secret>)")
    }
}

/// An opaque token for the next page (base64url, no padding).
///
/// It holds the last row's position and an HMAC-SHA256 signature, by the
/// store's [`CursorKey`], over that position and the query it continues
/// (workspace, filters, sort). A cursor that was damaged or forged, or that
/// belongs to another query, workspace or store key, is refused with
/// [`Error::InvalidCursor`], never reinterpreted.
///
/// A cursor of a text sort (name, email, phone, company) carries the last
/// row's folded value, encoded but not encrypted: treat cursors like the
/// data they page through (`Debug` shows only their length).
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Cursor(String);

impl Cursor {
    /// The token's text, to hand to the client.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Signs `position` in the order `sort` for the query `query`
    /// identifies.
    pub(crate) fn encode(
        key: &CursorKey,
        query: &[u8],
        sort: SortColumn,
        position: &CursorPosition,
    ) -> Self {
        let mut bytes = Vec::with_capacity(64);
        bytes.push(VERSION);
        bytes.push(sort.code());
        bytes.extend_from_slice(position.id.as_uuid().as_bytes());
        match &position.value {
            SortValue::Time(t) => {
                bytes.push(0);
                bytes.extend_from_slice(&t.timestamp_micros().to_be_bytes());
            }
            SortValue::Text(t) => {
                bytes.push(1);
                bytes.extend_from_slice(t.as_bytes());
            }
            SortValue::Status(s) => {
                bytes.push(2);
                bytes.push(funnel_position(*s));
            }
        }
        let tag = key.mac(query, &bytes).finalize().into_bytes();
        bytes.extend_from_slice(&tag);
        Cursor(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The position, if the signature holds for this key and query and
    /// the value belongs to `sort`.
    pub(crate) fn decode(
        &self,
        key: &CursorKey,
        query: &[u8],
        sort: SortColumn,
    ) -> Result<CursorPosition, Error> {
        let bytes = unbase64(&self.0)?;
        let split = bytes
            .len()
            .checked_sub(TAG_LEN)
            .ok_or(Error::InvalidCursor)?;
        let (body, tag) = bytes.split_at(split);
        key.mac(query, body)
            .verify_slice(tag)
            .map_err(|_| Error::InvalidCursor)?;
        let [version, column, rest @ ..] = body else {
            return Err(Error::InvalidCursor);
        };
        let (id, rest) = rest.split_first_chunk::<16>().ok_or(Error::InvalidCursor)?;
        let [kind, value @ ..] = rest else {
            return Err(Error::InvalidCursor);
        };
        if *version != VERSION || *column != sort.code() {
            return Err(Error::InvalidCursor);
        }
        let value = match (kind, value) {
            (0, micros) => {
                let micros =
                    i64::from_be_bytes(micros.try_into().map_err(|_| Error::InvalidCursor)?);
                SortValue::Time(
                    DateTime::from_timestamp_micros(micros).ok_or(Error::InvalidCursor)?,
                )
            }
            (1, text) => {
                SortValue::Text(String::from_utf8(text.to_vec()).map_err(|_| Error::InvalidCursor)?)
            }
            (2, [position]) => SortValue::Status(
                *LeadStatus::ALL
                    .get(usize::from(*position))
                    .ok_or(Error::InvalidCursor)?,
            ),
            _ => return Err(Error::InvalidCursor),
        };
        if !value.fits(sort) {
            return Err(Error::InvalidCursor);
        }
        Ok(CursorPosition::new(
            value,
            LeadId::from_u128(u128::from_be_bytes(*id)),
        ))
    }
}

// Cursors of other lists (conversations, transcript pages): the same
// signature over a body the list defines.
impl Cursor {
    /// Signs `body` for the query `query` identifies.
    pub(crate) fn sign_raw(key: &CursorKey, query: &[u8], body: &[u8]) -> Self {
        let mut bytes = body.to_vec();
        bytes.extend_from_slice(&key.mac(query, body).finalize().into_bytes());
        Cursor(URL_SAFE_NO_PAD.encode(bytes))
    }

    /// The body, if the signature holds for this key and query.
    pub(crate) fn open_raw(&self, key: &CursorKey, query: &[u8]) -> Result<Vec<u8>, Error> {
        let mut bytes = unbase64(&self.0)?;
        let split = bytes
            .len()
            .checked_sub(TAG_LEN)
            .ok_or(Error::InvalidCursor)?;
        let tag = bytes.split_off(split);
        key.mac(query, &bytes)
            .verify_slice(&tag)
            .map_err(|_| Error::InvalidCursor)?;
        Ok(bytes)
    }
}

fn unbase64(text: &str) -> Result<Vec<u8>, Error> {
    if text.len() > MAX_LEN {
        return Err(Error::InvalidCursor);
    }
    URL_SAFE_NO_PAD
        .decode(text)
        .map_err(|_| Error::InvalidCursor)
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

    /// Accepts any well-formed token; whether its signature holds and it
    /// fits the query is checked when the query runs.
    fn from_str(s: &str) -> Result<Self, Error> {
        unbase64(s)?;
        Ok(Cursor(s.to_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn position() -> CursorPosition {
        CursorPosition::new(SortValue::Text("ana".into()), LeadId::from_u128(7))
    }

    #[test]
    fn a_cursor_opens_only_with_its_key_query_and_sort() {
        let key = CursorKey::new([7; 32]);
        let cursor = Cursor::encode(&key, b"query", SortColumn::Name, &position());
        assert_eq!(
            cursor.decode(&key, b"query", SortColumn::Name).ok(),
            Some(position())
        );
        for (key, query, sort) in [
            (CursorKey::new([8; 32]), &b"query"[..], SortColumn::Name),
            (key.clone(), &b"other"[..], SortColumn::Name),
            (key.clone(), &b"query"[..], SortColumn::Email),
        ] {
            assert!(matches!(
                cursor.decode(&key, query, sort),
                Err(Error::InvalidCursor)
            ));
        }
    }

    #[test]
    fn a_tampered_cursor_is_refused() {
        let key = CursorKey::new([7; 32]);
        let text = Cursor::encode(&key, b"q", SortColumn::Name, &position()).0;
        for i in 0..text.len() {
            let mut bytes = text.clone().into_bytes();
            bytes[i] = if bytes[i] == b'A' { b'B' } else { b'A' };
            let tampered = Cursor(String::from_utf8(bytes).unwrap_or_default());
            assert!(
                tampered.decode(&key, b"q", SortColumn::Name).is_err(),
                "byte {i}"
            );
        }
    }

    #[test]
    fn random_keys_differ_and_stay_secret() {
        assert_ne!(CursorKey::random(), CursorKey::random());
        assert_eq!(
            format!("{:?}", CursorKey::new([1; 32])),
            "CursorKey(<secret>)"
        );
    }
}
