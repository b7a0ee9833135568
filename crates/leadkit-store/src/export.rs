//! CSV export of what a [`LeadQuery`] selects.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io;
use std::pin::Pin;

use futures_util::{Stream, StreamExt};

use chrono::{DateTime, Datelike, SecondsFormat, Timelike, Utc};
use leadkit_core::{BotId, Field, LeadId, LeadStatus, WorkspaceId};

use crate::Error;
use crate::fold::is_e164;
use crate::model::Lead;
use crate::query::LeadQuery;
use crate::traits::{BotStore, LeadStore};

/// How many leads are read per page while exporting: memory stays bounded
/// by one page whatever the number of rows.
pub const EXPORT_PAGE_SIZE: u32 = 1000;

/// Options of [`export_csv`].
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

/// One exported row: every column as text, in [`CsvRow::HEADER`] order.
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

    /// A lead's row; `bot_name` is its bot's display name.
    pub fn from_lead(lead: &Lead, bot_name: &str) -> Self {
        Self::from_export_row(&ExportRow::from_lead(lead), bot_name)
    }

    /// The row of an [`ExportRow`]; `bot_name` is its bot's display name.
    pub fn from_export_row(row: &ExportRow<'_>, bot_name: &str) -> Self {
        let mut cells: [String; 14] = Default::default();
        row.each_cell(bot_name, |i, cell| cells[i] = cell.into_owned());
        Self { cells }
    }
}

/// The CSV columns of one lead, borrowed from wherever a store keeps them.
///
/// [`LeadStore::export_chunks`] hands these to a [`CsvPage`]: a backend that
/// can read the exported columns alone (the SQL stores do) builds them
/// straight from its rows, without decoding a whole [`Lead`] (its history,
/// custom fields and bot list). Text columns a lead lacks are empty.
///
/// ```
/// use chrono::{DateTime, Utc};
/// use leadkit_core::{BotId, LeadId, LeadStatus};
/// use leadkit_store::{CsvRow, ExportRow};
///
/// let t = DateTime::<Utc>::UNIX_EPOCH;
/// let row = ExportRow::new(LeadId::from_u128(1), BotId::from_u128(2), t, t, LeadStatus::Qualified)
///     .name("Ana")
///     .phone("+14155552671")
///     .consent(true, t, "v2");
/// let csv = CsvRow::from_export_row(&row, "Sales bot");
/// assert_eq!(csv.cells[1], "1970-01-01T00:00:00Z");
/// assert_eq!(&csv.cells[3..10], ["Sales bot", "qualified", "Ana", "", "+14155552671", "", "given"]);
/// ```
#[derive(Clone, Copy)]
#[non_exhaustive]
pub struct ExportRow<'a> {
    /// The lead's id.
    pub id: LeadId,
    /// The bot that captured it first.
    pub bot: BotId,
    /// When it was captured.
    pub created_at: DateTime<Utc>,
    /// When it was last seen.
    pub last_seen_at: DateTime<Utc>,
    /// Where it stands.
    pub status: LeadStatus,
    /// Its name, or empty.
    pub name: &'a str,
    /// Its email, or empty.
    pub email: &'a str,
    /// Its phone, or empty.
    pub phone: &'a str,
    /// Its company, or empty.
    pub company: &'a str,
    /// Its latest answer to the consent notice: given or refused, when,
    /// and the notice's version.
    pub consent: Option<(bool, DateTime<Utc>, &'a str)>,
    /// The integrator's visitor id, or empty.
    pub visitor: &'a str,
    /// The business's notes, or empty.
    pub notes: &'a str,
}

impl std::fmt::Debug for ExportRow<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExportRow")
            .field("id", &self.id)
            .field("bot", &self.bot)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

impl<'a> ExportRow<'a> {
    /// A row with the given id, bot, times and status, and every text
    /// column empty.
    pub fn new(
        id: LeadId,
        bot: BotId,
        created_at: DateTime<Utc>,
        last_seen_at: DateTime<Utc>,
        status: LeadStatus,
    ) -> Self {
        Self {
            id,
            bot,
            created_at,
            last_seen_at,
            status,
            name: "",
            email: "",
            phone: "",
            company: "",
            consent: None,
            visitor: "",
            notes: "",
        }
    }

    /// A lead's exported columns.
    pub fn from_lead(lead: &'a Lead) -> Self {
        let field = |field: Field| lead.details.get(field).unwrap_or_default();
        let mut row = Self::new(
            lead.id,
            lead.bot,
            lead.created_at,
            lead.last_seen_at,
            lead.status,
        )
        .name(field(Field::Name))
        .email(field(Field::Email))
        .phone(field(Field::Phone))
        .company(lead.company().unwrap_or_default())
        .visitor(
            lead.visitor
                .as_ref()
                .map(|v| v.as_str())
                .unwrap_or_default(),
        )
        .notes(lead.notes.expose());
        if let Some(c) = &lead.consent {
            row = row.consent(c.given, c.at, &c.version);
        }
        row
    }

    /// With this name.
    #[must_use]
    pub fn name(mut self, name: &'a str) -> Self {
        self.name = name;
        self
    }

    /// With this email.
    #[must_use]
    pub fn email(mut self, email: &'a str) -> Self {
        self.email = email;
        self
    }

    /// With this phone.
    #[must_use]
    pub fn phone(mut self, phone: &'a str) -> Self {
        self.phone = phone;
        self
    }

    /// With this company.
    #[must_use]
    pub fn company(mut self, company: &'a str) -> Self {
        self.company = company;
        self
    }

    /// With this answer to the consent notice.
    #[must_use]
    pub fn consent(mut self, given: bool, at: DateTime<Utc>, version: &'a str) -> Self {
        self.consent = Some((given, at, version));
        self
    }

    /// With this visitor id.
    #[must_use]
    pub fn visitor(mut self, visitor: &'a str) -> Self {
        self.visitor = visitor;
        self
    }

    /// With these notes.
    #[must_use]
    pub fn notes(mut self, notes: &'a str) -> Self {
        self.notes = notes;
        self
    }

    /// Calls `cell` with each column's index and text, in
    /// [`CsvRow::HEADER`] order, defended against formula injection.
    fn each_cell(&self, bot_name: &str, mut cell: impl FnMut(usize, Cow<'_, str>)) {
        let mut id = uuid::Uuid::encode_buffer();
        cell(
            0,
            Cow::Borrowed(self.id.as_uuid().hyphenated().encode_lower(&mut id)),
        );
        let mut time = TimeText::default();
        cell(1, Cow::Borrowed(time.format(self.created_at)));
        cell(2, Cow::Borrowed(time.format(self.last_seen_at)));
        cell(3, defuse_formula(bot_name));
        cell(4, Cow::Borrowed(self.status.as_str()));
        cell(5, defuse_formula(self.name));
        cell(6, defuse_formula(self.email));
        cell(7, defuse_formula(self.phone));
        cell(8, defuse_formula(self.company));
        match self.consent {
            Some((given, at, version)) => {
                cell(9, Cow::Borrowed(if given { "given" } else { "refused" }));
                cell(10, Cow::Borrowed(time.format(at)));
                cell(11, defuse_formula(version));
            }
            None => {
                for i in 9..12 {
                    cell(i, Cow::Borrowed(""));
                }
            }
        }
        cell(12, defuse_formula(self.visitor));
        cell(13, defuse_formula(self.notes));
    }
}

/// A time as RFC 3339 in UTC to the second (`2025-03-01T09:30:00Z`),
/// formatted without allocating: an export writes three per row.
#[derive(Default)]
struct TimeText {
    buf: [u8; 20],
    long: String,
}

impl TimeText {
    fn format(&mut self, t: DateTime<Utc>) -> &str {
        let (year, month, day) = (t.year(), t.month(), t.day());
        let (hour, minute, second) = (t.hour(), t.minute(), t.second());
        let Ok(year) = u32::try_from(year) else {
            return self.fallback(t);
        };
        if year > 9999 {
            return self.fallback(t);
        }
        let digits = |buf: &mut [u8], mut n: u32| {
            for b in buf.iter_mut().rev() {
                *b = b'0' + (n % 10) as u8;
                n /= 10;
            }
        };
        let buf = &mut self.buf;
        digits(&mut buf[0..4], year);
        buf[4] = b'-';
        digits(&mut buf[5..7], month);
        buf[7] = b'-';
        digits(&mut buf[8..10], day);
        buf[10] = b'T';
        digits(&mut buf[11..13], hour);
        buf[13] = b':';
        digits(&mut buf[14..16], minute);
        buf[16] = b':';
        // A leap second shows as :60, as chrono writes it.
        digits(&mut buf[17..19], second + t.nanosecond() / 1_000_000_000);
        buf[19] = b'Z';
        std::str::from_utf8(&self.buf).unwrap_or_default()
    }

    fn fallback(&mut self, t: DateTime<Utc>) -> &str {
        self.long = t.to_rfc3339_opts(SecondsFormat::Secs, true);
        &self.long
    }
}

/// CSV rows of an export, a chunk at a time: see
/// [`LeadStore::export_chunks`].
pub type CsvChunks<'a> = Pin<Box<dyn Stream<Item = Result<CsvChunk, Error>> + Send + 'a>>;

/// Some rows of an export as CSV.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct CsvChunk {
    /// The rows, RFC 4180 with CRLF line ends.
    pub bytes: Vec<u8>,
    /// How many rows `bytes` holds.
    pub rows: u64,
}

impl std::fmt::Debug for CsvChunk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvChunk")
            .field("bytes", &self.bytes.len())
            .field("rows", &self.rows)
            .finish()
    }
}

/// A page of an export being written: CSV rows (RFC 4180, CRLF line ends,
/// no header) in a buffer, with the bots' display names at hand.
///
/// A store's [`LeadStore::export_chunks`] pushes each page's rows and
/// takes them as a [`CsvChunk`].
pub struct CsvPage {
    writer: csv::Writer<Vec<u8>>,
    bot_names: HashMap<BotId, String>,
    rows: u64,
}

impl std::fmt::Debug for CsvPage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CsvPage")
            .field("rows", &self.rows)
            .field("bots", &self.bot_names.len())
            .finish_non_exhaustive()
    }
}

impl CsvPage {
    /// An empty page; `bot_names` gives each bot's display name for the
    /// `bot` column (a bot missing from it shows as its id).
    pub fn new(bot_names: HashMap<BotId, String>) -> Self {
        Self {
            writer: Self::writer(),
            bot_names,
            rows: 0,
        }
    }

    fn writer() -> csv::Writer<Vec<u8>> {
        csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .has_headers(false)
            .from_writer(Vec::with_capacity(128 * 1024))
    }

    /// An empty page with the names of every bot in `workspace`.
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

    /// Writes the header row.
    pub fn push_header(&mut self) -> Result<(), Error> {
        self.writer.write_record(CsvRow::HEADER).map_err(Error::Csv)
    }

    /// Writes one lead's row.
    pub fn push(&mut self, row: &ExportRow<'_>) -> Result<(), Error> {
        let mut bot_id = uuid::Uuid::encode_buffer();
        let bot_name = match self.bot_names.get(&row.bot) {
            Some(name) => name.as_str(),
            None => row.bot.as_uuid().hyphenated().encode_lower(&mut bot_id),
        };
        let mut result = Ok(());
        let writer = &mut self.writer;
        row.each_cell(bot_name, |_, cell| {
            if result.is_ok() {
                result = writer.write_field(cell.as_bytes());
            }
        });
        result
            .and_then(|()| writer.write_record(None::<&[u8]>))
            .map_err(Error::Csv)?;
        self.rows += 1;
        Ok(())
    }

    /// Takes the rows written since the last take, leaving the page empty
    /// and ready for more.
    pub fn take_chunk(&mut self) -> Result<CsvChunk, Error> {
        let bytes = std::mem::replace(&mut self.writer, Self::writer())
            .into_inner()
            .map_err(|e| Error::Csv(e.into_error().into()))?;
        let rows = std::mem::take(&mut self.rows);
        Ok(CsvChunk { bytes, rows })
    }
}

/// Defends a cell against formula injection.
///
/// A spreadsheet runs a cell that starts with `=`, `+`, `-` or `@` as a
/// formula (and tab or carriage return can hide such a start), so such a
/// cell is prefixed with `'`, which spreadsheets show as text. The one
/// exception is a cell that is exactly an E.164 phone number (`+` and 7 to
/// 15 digits): spreadsheets read it as a number, never as a formula that
/// can call a function or a link, and a phone column full of `'+1…` would
/// break the common import of numbers. This is the trade-off OWASP
/// describes; a phone with anything else in it is defused like any cell.
///
/// ```
/// use leadkit_store::defuse_formula;
///
/// assert_eq!(defuse_formula("=HYPERLINK(\"http://x\")"), "'=HYPERLINK(\"http://x\")");
/// assert_eq!(defuse_formula("-1+2"), "'-1+2");
/// assert_eq!(defuse_formula("+14155552671"), "+14155552671");
/// assert_eq!(defuse_formula("+1 415 555 2671"), "'+1 415 555 2671");
/// assert_eq!(defuse_formula("Ana"), "Ana");
/// ```
pub fn defuse_formula(cell: &str) -> Cow<'_, str> {
    let risky = cell
        .chars()
        .next()
        .is_some_and(|c| matches!(c, '=' | '+' | '-' | '@' | '\t' | '\r'));
    if risky && !is_e164(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// Streams every lead `query` selects to `out` as CSV (RFC 4180: a header
/// row, fields quoted when needed, CRLF line ends), page by page in
/// constant memory, and returns the number of rows written. The query's
/// cursor and page size are ignored: the export always starts at the
/// first row. See [`CsvRow`] for the columns and [`defuse_formula`] for
/// the defence against formula injection.
///
/// ```
/// use chrono::{DateTime, Utc};
/// use leadkit_core::{BotId, ContactDetails, LeadId, WorkspaceId};
/// use leadkit_store::{export_csv, Bot, BotStore, CsvOptions, LeadQuery, LeadStore, LeadUpsert, MemoryStore};
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
    let mut page = CsvPage::for_workspace(store, workspace).await?;
    let write = |out: &mut W, bytes: &[u8]| out.write_all(bytes).map_err(|e| Error::Csv(e.into()));
    if options.bom {
        write(&mut out, "\u{feff}".as_bytes())?;
    }
    page.push_header()?;
    write(&mut out, &page.take_chunk()?.bytes)?;
    let mut rows = 0;
    let query = query.clone().limit(EXPORT_PAGE_SIZE);
    let mut chunks = store.export_chunks(workspace, &query, page);
    while let Some(chunk) = chunks.next().await {
        let chunk = chunk?;
        write(&mut out, &chunk.bytes)?;
        rows += chunk.rows;
    }
    out.flush().map_err(|e| Error::Csv(e.into()))?;
    Ok(rows)
}
