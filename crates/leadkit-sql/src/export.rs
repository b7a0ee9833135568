//! Export pages: the CSV columns alone, never a whole lead.
//!
//! An export reads every row a query selects, so what a row costs is what
//! the export costs. A page here selects only the fourteen exported
//! columns (no history, bot list or custom-field JSON to decode), and
//! reads the next page while the caller handles this one.

use std::borrow::Cow;
use std::pin::Pin;
use std::task::Poll;

use chrono::{DateTime, Utc};
use leadkit_core::{BotId, LeadId, VisitorId};
use leadkit_store::{
    CursorPosition, Direction, Error, ExportPages, ExportRow, SortColumn, SortValue, ValidQuery,
};
use uuid::Uuid;

use crate::columns::{from_micros, sort_column, status_from_code};
use crate::error::corrupt;
use crate::filter::SearchIndex;

/// The exported columns of the `leads` table, in [`ExportFields`] order
/// (the last is the text sort column, or `NULL` for a numeric sort). The
/// company and the consent's time and version have columns of their own,
/// so that no row's JSON is parsed.
pub(crate) fn columns(query: &ValidQuery) -> String {
    let sort_key = text_sort_column(query).unwrap_or("NULL");
    format!(
        "id, bot_id, created_at, last_seen_at, status, name, email, phone, company, visitor_id, \
         notes, consent_state, consent_at, consent_version, {sort_key} AS sort_key"
    )
}

fn text_sort_column(query: &ValidQuery) -> Option<&'static str> {
    match query.sort {
        SortColumn::CreatedAt | SortColumn::LastSeenAt | SortColumn::Status => None,
        text => Some(sort_column(text)),
    }
}

/// One exported row as a backend read it, in [`columns`] order. On SQLite
/// each row of a page is a JSON array in this order (serde reads a struct
/// from an array field by field), ids in hex; text borrows from the page's
/// JSON where it has no escapes.
#[cfg_attr(feature = "sqlite", derive(serde::Deserialize))]
pub(crate) struct ExportFields<'a> {
    #[cfg_attr(feature = "sqlite", serde(deserialize_with = "hex_uuid"))]
    pub(crate) id: Uuid,
    #[cfg_attr(feature = "sqlite", serde(deserialize_with = "hex_uuid"))]
    pub(crate) bot: Uuid,
    pub(crate) created_at: i64,
    pub(crate) last_seen_at: i64,
    pub(crate) status: i64,
    #[cfg_attr(feature = "sqlite", serde(borrow))]
    pub(crate) name: Option<Cow<'a, str>>,
    #[cfg_attr(feature = "sqlite", serde(borrow))]
    pub(crate) email: Option<Cow<'a, str>>,
    #[cfg_attr(feature = "sqlite", serde(borrow))]
    pub(crate) phone: Option<Cow<'a, str>>,
    #[cfg_attr(feature = "sqlite", serde(borrow))]
    pub(crate) company: Option<Cow<'a, str>>,
    #[cfg_attr(feature = "sqlite", serde(borrow))]
    pub(crate) visitor: Option<Cow<'a, str>>,
    #[cfg_attr(feature = "sqlite", serde(borrow))]
    pub(crate) notes: Cow<'a, str>,
    pub(crate) consent_state: i64,
    #[cfg_attr(feature = "sqlite", serde(borrow))]
    pub(crate) consent_at: Option<Cow<'a, str>>,
    #[cfg_attr(feature = "sqlite", serde(borrow))]
    pub(crate) consent_version: Option<Cow<'a, str>>,
    /// The folded value of a text sort column; `None` for a numeric sort.
    #[cfg_attr(feature = "sqlite", serde(borrow))]
    pub(crate) sort_key: Option<Cow<'a, str>>,
}

impl ExportFields<'_> {
    /// The row as the store's API gives it.
    pub(crate) fn to_row(&self) -> Result<ExportRow, Error> {
        let mut row = ExportRow::new(
            LeadId::from_uuid(self.id),
            BotId::from_uuid(self.bot),
            from_micros(self.created_at)?,
            from_micros(self.last_seen_at)?,
            status_from_code(self.status)?,
        );
        row.name = pii(&self.name);
        row.email = pii(&self.email);
        row.phone = pii(&self.phone);
        row.company = pii(&self.company);
        row.notes = leadkit_core::Pii::new(self.notes.clone().into_owned());
        if let Some(visitor) = &self.visitor {
            row.visitor =
                Some(VisitorId::new(visitor.as_ref()).map_err(|e| corrupt("lead visitor id", e))?);
        }
        // consent_state: 0 none, 1 given, 2 refused (see the schema).
        if self.consent_state != 0 {
            let at = self.consent_at.as_deref().ok_or(Error::Corrupt {
                what: "lead consent",
                source: None,
            })?;
            let at = DateTime::parse_from_rfc3339(at)
                .map_err(|e| corrupt("lead consent", e))?
                .with_timezone(&Utc);
            row = row.consent(
                self.consent_state == 1,
                at,
                self.consent_version.as_deref().unwrap_or_default(),
            );
        }
        Ok(row)
    }

    /// Where a page ending with this row ends, for the next page's cursor.
    pub(crate) fn position(&self, query: &ValidQuery) -> Result<CursorPosition, Error> {
        let value = match query.sort {
            SortColumn::CreatedAt => SortValue::Time(from_micros(self.created_at)?),
            SortColumn::LastSeenAt => SortValue::Time(from_micros(self.last_seen_at)?),
            SortColumn::Status => SortValue::Status(status_from_code(self.status)?),
            _ => SortValue::Text(self.sort_key.as_deref().unwrap_or_default().to_owned()),
        };
        Ok(CursorPosition::new(value, LeadId::from_uuid(self.id)))
    }
}

fn pii(value: &Option<Cow<'_, str>>) -> Option<leadkit_core::Pii<String>> {
    value
        .as_deref()
        .map(|v| leadkit_core::Pii::new(v.to_owned()))
}

/// A backend's side of an export: how a page is read and decoded.
pub(crate) trait ExportSource {
    /// A pooled connection, held for the whole export.
    type Conn: Send + 'static;
    /// A page as read, before decoding.
    type Data: Send + 'static;
    /// Reads the page `query` selects (its `after` and `limit` apply).
    fn fetch(conn: Self::Conn, query: &ValidQuery, search: SearchIndex) -> PageFetch<Self>;
    /// The page's rows, borrowing its text.
    fn decode(data: &Self::Data) -> Result<Vec<ExportFields<'_>>, Error>;
}

/// A page being read: gives back the connection with the page.
pub(crate) type PageFetch<S> = Pin<
    Box<
        dyn Future<
                Output = (
                    <S as ExportSource>::Conn,
                    Result<<S as ExportSource>::Data, Error>,
                ),
            > + Send,
    >,
>;

/// What opens an export: a connection, the validated query and how to search.
pub(crate) type ExportStart<'a, S> = Pin<
    Box<
        dyn Future<Output = Result<(<S as ExportSource>::Conn, ValidQuery, SearchIndex), Error>>
            + Send
            + 'a,
    >,
>;

/// The next page, read while the caller handles the current one: the
/// database (SQLite's worker thread, or the server) works on page n + 1
/// while this task decodes page n and writes its CSV.
enum ReadAhead<S: ExportSource> {
    Reading(PageFetch<S>),
    Read(S::Conn, Result<S::Data, Error>),
}

impl<S: ExportSource> ReadAhead<S> {
    /// Polls the read once, which sends its query on its way, and returns
    /// without waiting for the answer.
    async fn start(fetch: PageFetch<S>) -> Self {
        let mut slot = Some(fetch);
        std::future::poll_fn(move |cx| {
            let Some(mut fetch) = slot.take() else {
                return Poll::Pending;
            };
            Poll::Ready(match fetch.as_mut().poll(cx) {
                Poll::Ready((conn, data)) => ReadAhead::Read(conn, data),
                Poll::Pending => ReadAhead::Reading(fetch),
            })
        })
        .await
    }

    async fn finish(self) -> (S::Conn, Result<S::Data, Error>) {
        match self {
            ReadAhead::Reading(fetch) => fetch.await,
            ReadAhead::Read(conn, data) => (conn, data),
        }
    }
}

// One state lives per export, moved once per page: its size does not matter.
#[allow(clippy::large_enum_variant)]
enum ExportState<'a, S: ExportSource> {
    Opening(ExportStart<'a, S>),
    Reading {
        query: ValidQuery,
        search: SearchIndex,
        next: ReadAhead<S>,
    },
    Done,
}

/// An export as a stream of pages, each page read ahead while the caller
/// handles the previous one.
pub(crate) fn pages<'a, S>(open: ExportStart<'a, S>) -> ExportPages<'a>
where
    S: ExportSource + 'a,
{
    Box::pin(futures_util::stream::try_unfold(
        ExportState::<S>::Opening(open),
        |state| async move {
            let (query, search, next) = match state {
                ExportState::Done => return Ok(None),
                ExportState::Opening(open) => {
                    let (conn, query, search) = open.await?;
                    let next = ReadAhead::start(S::fetch(conn, &query, search)).await;
                    (query, search, next)
                }
                ExportState::Reading {
                    query,
                    search,
                    next,
                } => (query, search, next),
            };
            let (conn, data) = next.finish().await;
            let data = data?;
            let mut rows = S::decode(&data)?;
            sort_page(&query, &mut rows);
            let full = usize::try_from(query.limit).is_ok_and(|limit| rows.len() == limit);
            let next = match rows.last() {
                Some(last) if full => {
                    let mut query = query.clone();
                    query.after = Some(last.position(&query)?);
                    let next = ReadAhead::start(S::fetch(conn, &query, search)).await;
                    Some((query, next))
                }
                _ => {
                    // The last page: the connection goes back to the pool.
                    drop(conn);
                    None
                }
            };
            let page = rows
                .iter()
                .map(ExportFields::to_row)
                .collect::<Result<Vec<_>, _>>()?;
            let state = match next {
                Some((query, next)) => ExportState::Reading {
                    query,
                    search,
                    next,
                },
                None => ExportState::Done,
            };
            Ok(Some((page, state)))
        },
    ))
}

/// Puts a page in the query's order. SQLite's `json_group_array` keeps
/// its subquery's order in practice, but SQL does not promise it; sorting
/// a page already in order costs one comparison per row.
fn sort_page(query: &ValidQuery, rows: &mut [ExportFields<'_>]) {
    let key = |a: &ExportFields<'_>, b: &ExportFields<'_>| {
        let by_value = match query.sort {
            SortColumn::CreatedAt => a.created_at.cmp(&b.created_at),
            SortColumn::LastSeenAt => a.last_seen_at.cmp(&b.last_seen_at),
            SortColumn::Status => a.status.cmp(&b.status),
            _ => a.sort_key.cmp(&b.sort_key),
        };
        let order = by_value.then_with(|| a.id.cmp(&b.id));
        match query.direction {
            Direction::Asc => order,
            Direction::Desc => order.reverse(),
        }
    };
    rows.sort_by(key);
}

/// SQLite's JSON page holds ids as hex text.
#[cfg(feature = "sqlite")]
fn hex_uuid<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Uuid, D::Error> {
    let hex: Cow<'de, str> = serde::Deserialize::deserialize(deserializer)?;
    Uuid::parse_str(&hex).map_err(serde::de::Error::custom)
}
