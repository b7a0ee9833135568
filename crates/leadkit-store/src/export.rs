//! CSV export of what a [`LeadQuery`] selects.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io;

use chrono::SecondsFormat;
use leadkit_core::{BotId, Field, WorkspaceId};

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
        let time = |t: chrono::DateTime<chrono::Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
        let (consent, consent_at, consent_version) = match &lead.consent {
            Some(c) => (
                if c.given { "given" } else { "refused" },
                time(c.at),
                c.version.clone(),
            ),
            None => ("", String::new(), String::new()),
        };
        let cell = |text: &str| defuse_formula(text).into_owned();
        let opt = |field: Field| cell(lead.details.get(field).unwrap_or_default());
        Self {
            cells: [
                lead.id.to_string(),
                time(lead.created_at),
                time(lead.last_seen_at),
                cell(bot_name),
                lead.status.as_str().to_owned(),
                opt(Field::Name),
                opt(Field::Email),
                opt(Field::Phone),
                cell(lead.company().unwrap_or_default()),
                consent.to_owned(),
                consent_at,
                cell(&consent_version),
                cell(
                    lead.visitor
                        .as_ref()
                        .map(|v| v.as_str())
                        .unwrap_or_default(),
                ),
                cell(lead.notes.expose()),
            ],
        }
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
    let bots: HashMap<BotId, String> = store
        .list_bots(workspace)
        .await?
        .into_iter()
        .map(|b| (b.id, b.name))
        .collect();
    if options.bom {
        out.write_all("\u{feff}".as_bytes())
            .map_err(|e| Error::Csv(e.into()))?;
    }
    let mut writer = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(out);
    writer.write_record(CsvRow::HEADER).map_err(Error::Csv)?;
    let mut page_query = query.clone().first_page().limit(EXPORT_PAGE_SIZE);
    let mut rows = 0u64;
    loop {
        let page = store.query_leads(workspace, &page_query).await?;
        for lead in &page.leads {
            let bot_id;
            let bot_name = match bots.get(&lead.bot) {
                Some(name) => name.as_str(),
                None => {
                    bot_id = lead.bot.to_string();
                    bot_id.as_str()
                }
            };
            writer
                .write_record(&CsvRow::from_lead(lead, bot_name).cells)
                .map_err(Error::Csv)?;
            rows += 1;
        }
        match page.next {
            Some(cursor) => page_query = page_query.after(cursor),
            None => break,
        }
    }
    writer.flush().map_err(|e| Error::Csv(e.into()))?;
    Ok(rows)
}
