//! CSV: a consumer of an export's pages ([`LeadStore::export_pages`]).
//!
//! The `csv` crate does the quoting; it is private to this module, so none
//! of its types is part of this crate's API.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io;

use chrono::{DateTime, SecondsFormat, Utc};
use futures_util::StreamExt;
use leadkit_core::{BotId, WorkspaceId};

use crate::Error;
use crate::export::{EXPORT_PAGE_SIZE, ExportRow};
use crate::fold::is_e164;
use crate::query::LeadQuery;
use crate::traits::{BotStore, LeadStore};

/// Options of a CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct CsvOptions {
    /// Start with a UTF-8 byte-order mark, so that Excel reads accents right.
    pub bom: bool,
}

impl CsvOptions {
    /// No byte-order mark.
    pub fn new() -> Self {
        Self::default()
    }

    /// With (`true`) or without a UTF-8 byte-order mark.
    #[must_use]
    pub fn bom(mut self, bom: bool) -> Self {
        self.bom = bom;
        self
    }
}

/// One exported row as text, in [`CsvRow::HEADER`] order.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CsvRow {
    /// The cells, already defended against formula injection.
    pub cells: [String; 14],
}

impl std::fmt::Debug for CsvRow {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CsvRow(<redacted>)")
    }
}

impl CsvRow {
    /// The header row. These columns and their order are stable.
    pub const HEADER: [&'static str; 14] = [
        "id",
        "created_at",
        "last_seen_at",
        "bot",
        "status",
        "name",
        "email",
        "phone",
        "company",
        "consent",
        "consent_at",
        "consent_version",
        "visitor_id",
        "notes",
    ];

    /// The row of an [`ExportRow`]; `bot_name` is its bot's display name.
    ///
    /// ```
    /// use chrono::{DateTime, Utc};
    /// use leadkit_core::{BotId, LeadId, LeadStatus};
    /// use leadkit_store::ExportRow;
    /// use leadkit_store::csv::CsvRow;
    ///
    /// let t = DateTime::<Utc>::UNIX_EPOCH;
    /// let row = ExportRow::new(LeadId::from_u128(1), BotId::from_u128(2), t, t, LeadStatus::Qualified)
    ///     .name("=Ana")
    ///     .phone("+14155552671")
    ///     .consent(true, t, "v2");
    /// let csv = CsvRow::from_export_row(&row, "Sales bot");
    /// assert_eq!(csv.cells[1], "1970-01-01T00:00:00Z");
    /// assert_eq!(&csv.cells[3..10], ["Sales bot", "qualified", "'=Ana", "", "+14155552671", "", "given"]);
    /// ```
    pub fn from_export_row(row: &ExportRow, bot_name: &str) -> Self {
        let mut cells: [String; 14] = Default::default();
        each_cell(row, bot_name, |i, cell| cells[i] = cell.into_owned());
        Self { cells }
    }
}

/// Calls `cell` with each column's index and text, in [`CsvRow::HEADER`]
/// order, defended against formula injection.
fn each_cell(row: &ExportRow, bot_name: &str, mut cell: impl FnMut(usize, Cow<'_, str>)) {
    fn text(value: &Option<leadkit_core::Pii<String>>) -> Cow<'_, str> {
        value
            .as_ref()
            .map_or(Cow::Borrowed(""), |v| defuse_formula(v.expose()))
    }
    let mut id = uuid::Uuid::encode_buffer();
    cell(
        0,
        Cow::Borrowed(row.id.as_uuid().hyphenated().encode_lower(&mut id)),
    );
    cell(1, Cow::Owned(time(row.created_at)));
    cell(2, Cow::Owned(time(row.last_seen_at)));
    cell(3, defuse_formula(bot_name));
    cell(4, Cow::Borrowed(row.status.as_str()));
    cell(5, text(&row.name));
    cell(6, text(&row.email));
    cell(7, text(&row.phone));
    cell(8, text(&row.company));
    match &row.consent {
        Some(consent) => {
            cell(
                9,
                Cow::Borrowed(if consent.given { "given" } else { "refused" }),
            );
            cell(10, Cow::Owned(time(consent.at)));
            cell(11, defuse_formula(&consent.version));
        }
        None => {
            for i in 9..12 {
                cell(i, Cow::Borrowed(""));
            }
        }
    }
    cell(
        12,
        row.visitor
            .as_ref()
            .map_or(Cow::Borrowed(""), |v| defuse_formula(v.as_str())),
    );
    cell(13, defuse_formula(row.notes.expose()));
}

/// A time as RFC 3339 in UTC to the second (`2025-03-01T09:30:00Z`).
fn time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Turns an export's pages into CSV bytes (RFC 4180: fields quoted when
/// needed, CRLF line ends), with each bot's display name in the `bot`
/// column.
///
/// [`export_csv`] writes to an `io::Write` with it; an HTTP handler can
/// send each page's bytes as a chunk of a streamed body.
pub struct CsvEncoder {
    writer: ::csv::Writer<Vec<u8>>,
    bot_names: HashMap<BotId, String>,
}

impl std::fmt::Debug for CsvEncoder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvEncoder")
            .field("bots", &self.bot_names.len())
            .finish_non_exhaustive()
    }
}

impl CsvEncoder {
    /// An encoder; `bot_names` gives each bot's display name for the `bot`
    /// column (a bot missing from it shows as its id).
    pub fn new(bot_names: HashMap<BotId, String>) -> Self {
        Self {
            writer: Self::writer(),
            bot_names,
        }
    }

    /// An encoder with the names of every bot in `workspace`.
    pub async fn for_workspace<S>(store: &S, workspace: WorkspaceId) -> Result<Self, Error>
    where
        S: BotStore + ?Sized,
    {
        let names = store
            .list_bots(workspace)
            .await?
            .into_iter()
            .map(|b| (b.id, b.name))
            .collect();
        Ok(Self::new(names))
    }

    fn writer() -> ::csv::Writer<Vec<u8>> {
        ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .has_headers(false)
            .from_writer(Vec::with_capacity(128 * 1024))
    }

    /// What the file starts with: the byte-order mark if `options` asks
    /// for one, and the header row.
    pub fn head(&mut self, options: CsvOptions) -> Result<Vec<u8>, Error> {
        let mut head = Vec::new();
        if options.bom {
            head.extend_from_slice("\u{feff}".as_bytes());
        }
        self.writer
            .write_record(CsvRow::HEADER)
            .map_err(write_error)?;
        head.extend_from_slice(&self.take()?);
        Ok(head)
    }

    /// One page's rows.
    pub fn page(&mut self, rows: &[ExportRow]) -> Result<Vec<u8>, Error> {
        for row in rows {
            self.push(row)?;
        }
        self.take()
    }

    fn push(&mut self, row: &ExportRow) -> Result<(), Error> {
        let mut bot_id = uuid::Uuid::encode_buffer();
        let bot_name = match self.bot_names.get(&row.bot) {
            Some(name) => name.as_str(),
            None => row.bot.as_uuid().hyphenated().encode_lower(&mut bot_id),
        };
        let mut result = Ok(());
        let writer = &mut self.writer;
        each_cell(row, bot_name, |_, cell| {
            if result.is_ok() {
                result = writer.write_field(cell.as_bytes());
            }
        });
        result
            .and_then(|()| writer.write_record(None::<&[u8]>))
            .map_err(write_error)
    }

    /// The bytes written since the last take.
    fn take(&mut self) -> Result<Vec<u8>, Error> {
        std::mem::replace(&mut self.writer, Self::writer())
            .into_inner()
            .map_err(|e| Error::Export(e.into_error()))
    }
}

fn write_error(error: ::csv::Error) -> Error {
    Error::Export(io::Error::from(error))
}

/// Defends a cell against formula injection.
///
/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a
/// formula, and several also read the full-width forms `＝`, `＋`, `－`
/// and `＠` that way. Such a start can hide behind characters a spreadsheet
/// drops or a reader does not see: whitespace (a space, a tab, a line
/// feed, a no-break space), control characters (carriage return, vertical
/// tab, …) and the zero-width characters (U+200B–U+200D, U+2060, U+FEFF).
/// So the check skips every such leading character, and a cell whose first
/// remaining character is a trigger is prefixed with `'`, which
/// spreadsheets show as text (the cell's value is kept whole behind it).
///
/// The one exception is a cell that is exactly an E.164 phone number (`+`
/// and 7 to 15 digits): spreadsheets read it as a number, never as a
/// formula that can call a function or a link, and a phone column full of
/// `'+1…` would break the common import of numbers. This is the trade-off
/// OWASP describes; a phone with anything else in it (a space, a leading
/// blank) is defused like any cell.
///
/// ```
/// use leadkit_store::csv::defuse_formula;
///
/// assert_eq!(defuse_formula("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(defuse_formula("-1+2"), "'-1+2");
/// assert_eq!(defuse_formula(" \u{200b}=1+1"), "' \u{200b}=1+1");
/// assert_eq!(defuse_formula("＝1+1"), "'＝1+1");
/// assert_eq!(defuse_formula("+14155552671"), "+14155552671");
/// assert_eq!(defuse_formula("+1 415 555 2671"), "'+1 415 555 2671");
/// assert_eq!(defuse_formula("Ana"), "Ana");
/// ```
pub fn defuse_formula(cell: &str) -> Cow<'_, str> {
    let risky = cell
        .chars()
        .find(|&c| !hides_a_start(c))
        .is_some_and(starts_formula);
    if risky && !is_e164(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// A character a formula start can hide behind: whitespace (Unicode's,
/// which includes U+00A0), a control character, or a zero-width one (which
/// Unicode does not count as whitespace).
fn hides_a_start(c: char) -> bool {
    c.is_whitespace()
        || c.is_control()
        || matches!(c, '\u{200B}'..='\u{200D}' | '\u{2060}' | '\u{FEFF}')
}

/// A character that makes a spreadsheet read the cell as a formula, in its
/// ASCII or full-width form.
fn starts_formula(c: char) -> bool {
    matches!(
        c,
        '=' | '+' | '-' | '@' | '\u{FF1D}' | '\u{FF0B}' | '\u{FF0D}' | '\u{FF20}'
    )
}

/// Streams every lead `query` selects to `out` as CSV (a header row, then
/// one row per lead; see [`CsvEncoder`]), page by page in constant memory,
/// and returns the number of rows written. The query's cursor and page
/// size are ignored: the export always starts at the first row. See
/// [`CsvRow`] for the columns and [`defuse_formula`] for the defence
/// against formula injection.
///
/// ```
/// use chrono::{DateTime, Utc};
/// use leadkit_core::{BotId, ContactDetails, LeadId, WorkspaceId};
/// use leadkit_store::csv::{CsvOptions, export_csv};
/// use leadkit_store::{Bot, BotStore, LeadQuery, LeadStore, LeadUpsert, MemoryStore};
///
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let store = MemoryStore::new();
/// let ws = WorkspaceId::from_u128(1);
/// let bot = BotId::from_u128(2);
/// store.put_bot(ws, &Bot::new(bot, ws, "Sales bot")).await?;
/// let details = ContactDetails::new().with_name("=cmd()").with_phone("+14155552671");
/// store.upsert_lead(ws, &LeadUpsert::new(LeadId::from_u128(3), bot, details, DateTime::<Utc>::UNIX_EPOCH)).await?;
///
/// let mut out = Vec::new();
/// let rows = export_csv(&store, ws, &LeadQuery::new(), &mut out, CsvOptions::new()).await?;
/// assert_eq!(rows, 1);
/// let text = String::from_utf8(out).unwrap();
/// assert!(text.starts_with("id,created_at,last_seen_at,bot,status,name,email,phone"));
/// assert!(text.contains(",Sales bot,new,'=cmd(),,+14155552671,"));
/// # Ok::<(), leadkit_store::Error>(())
/// # }).unwrap();
/// ```
pub async fn export_csv<S, W>(
    store: &S,
    workspace: WorkspaceId,
    query: &LeadQuery,
    mut out: W,
    options: CsvOptions,
) -> Result<u64, Error>
where
    S: LeadStore + BotStore + ?Sized,
    W: io::Write,
{
    let mut encoder = CsvEncoder::for_workspace(store, workspace).await?;
    out.write_all(&encoder.head(options)?)
        .map_err(Error::Export)?;
    let mut rows = 0;
    let query = query.clone().limit(EXPORT_PAGE_SIZE);
    let mut pages = store.export_pages(workspace, &query);
    while let Some(page) = pages.next().await {
        let page = page?;
        out.write_all(&encoder.page(&page)?)
            .map_err(Error::Export)?;
        rows += page.len() as u64;
    }
    out.flush().map_err(Error::Export)?;
    Ok(rows)
}
