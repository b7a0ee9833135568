//! Leads to and from their row values.

use std::collections::BTreeMap;

use leadkit_core::{BotId, Consent, ContactDetails, LeadId, Pii, VisitorId, WorkspaceId};
use leadkit_store::backend;
use leadkit_store::{ContactValue, Lead, SortColumn, SortValue};
use sqlx::query_builder::Separated;
use uuid::Uuid;

use crate::columns::{consent_state, from_micros, micros, status_code, status_from_code};
use crate::error::corrupt;
use crate::sql_db::{BindParam, Param, SqlDb};

/// The columns a lead is read from, in [`RawLead`] order.
pub(crate) const LEAD_COLUMNS: &str = "id, bot_id, bots, visitor_id, name, email, phone, custom, \
     status, notes, consent, created_at, last_seen_at, history";

/// The columns a lead is written to, in [`LeadRow`] order.
pub(crate) const WRITE_COLUMNS: [&str; 24] = [
    "workspace_id",
    "id",
    "bot_id",
    "bots",
    "visitor_id",
    "name",
    "email",
    "phone",
    "custom",
    "status",
    "notes",
    "consent",
    "consent_state",
    "created_at",
    "last_seen_at",
    "history",
    "search",
    "name_sort",
    "email_sort",
    "phone_sort",
    "company_sort",
    "company",
    "consent_at",
    "consent_version",
];

/// Every value written for a lead.
pub(crate) struct LeadRow {
    pub(crate) workspace_id: Uuid,
    pub(crate) id: Uuid,
    pub(crate) bot_id: Uuid,
    pub(crate) bots: String,
    pub(crate) visitor_id: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) custom: String,
    pub(crate) status: i64,
    pub(crate) notes: String,
    pub(crate) consent: Option<String>,
    pub(crate) consent_state: i64,
    pub(crate) created_at: i64,
    pub(crate) last_seen_at: i64,
    pub(crate) history: String,
    pub(crate) search: String,
    pub(crate) name_sort: String,
    pub(crate) email_sort: String,
    pub(crate) phone_sort: String,
    pub(crate) company_sort: String,
    pub(crate) company: Option<String>,
    pub(crate) consent_at: Option<String>,
    pub(crate) consent_version: Option<String>,
}

fn json<T: serde::Serialize + ?Sized>(value: &T) -> Result<String, leadkit_store::Error> {
    serde_json::to_string(value).map_err(|e| corrupt("lead JSON column", e))
}

/// A text column's sort key.
fn sort_text(lead: &Lead, column: SortColumn) -> String {
    match SortValue::of(lead, column) {
        SortValue::Text(t) => t,
        // Only text columns have `*_sort` columns.
        SortValue::Time(_) | SortValue::Status(_) => String::new(),
    }
}

impl LeadRow {
    /// The values in [`WRITE_COLUMNS`] order.
    pub(crate) fn into_params(self) -> [Param; 24] {
        [
            self.workspace_id.into(),
            self.id.into(),
            self.bot_id.into(),
            self.bots.into(),
            self.visitor_id.into(),
            self.name.into(),
            self.email.into(),
            self.phone.into(),
            self.custom.into(),
            self.status.into(),
            self.notes.into(),
            self.consent.into(),
            self.consent_state.into(),
            self.created_at.into(),
            self.last_seen_at.into(),
            self.history.into(),
            self.search.into(),
            self.name_sort.into(),
            self.email_sort.into(),
            self.phone_sort.into(),
            self.company_sort.into(),
            self.company.into(),
            self.consent_at.into(),
            self.consent_version.into(),
        ]
    }

    /// Binds the values in [`WRITE_COLUMNS`] order, as one row of a
    /// `push_values`.
    pub(crate) fn push_binds<DB: SqlDb>(self, row: &mut Separated<'_, 'static, DB, &'static str>) {
        for value in self.into_params() {
            row.param(value);
        }
    }

    pub(crate) fn new(lead: &Lead) -> Result<Self, leadkit_store::Error> {
        let expose = |v: &Option<Pii<String>>| v.as_ref().map(|v| v.expose().clone());
        Ok(Self {
            workspace_id: *lead.workspace.as_uuid(),
            id: *lead.id.as_uuid(),
            bot_id: *lead.bot.as_uuid(),
            bots: json(&lead.bots)?,
            visitor_id: lead.visitor.as_ref().map(|v| v.as_str().to_owned()),
            name: expose(&lead.details.name),
            email: expose(&lead.details.email),
            phone: expose(&lead.details.phone),
            custom: json(&lead.details.custom)?,
            status: status_code(lead.status),
            notes: lead.notes.expose().clone(),
            consent: lead.consent.as_ref().map(json).transpose()?,
            consent_state: consent_state(lead.consent.as_ref()),
            created_at: micros(lead.created_at),
            last_seen_at: micros(lead.last_seen_at),
            history: json(&lead.history)?,
            search: backend::search_text(lead),
            name_sort: sort_text(lead, SortColumn::Name),
            email_sort: sort_text(lead, SortColumn::Email),
            phone_sort: sort_text(lead, SortColumn::Phone),
            company_sort: sort_text(lead, SortColumn::Company),
            company: lead.company().map(str::to_owned),
            // As serde writes it into the consent JSON, so both agree.
            consent_at: lead
                .consent
                .as_ref()
                .map(|c| json(&c.at).map(|at| at.trim_matches('"').to_owned()))
                .transpose()?,
            consent_version: lead.consent.as_ref().map(|c| c.version.clone()),
        })
    }
}

/// The values a lead is read from ([`LEAD_COLUMNS`]): the columns of
/// [`LeadRow`] that hold the lead itself, as stored (so the two field lists
/// look alike; one is written, the other read).
pub(crate) struct RawLead {
    pub(crate) id: Uuid,
    pub(crate) bot_id: Uuid,
    pub(crate) bots: String,
    pub(crate) visitor_id: Option<String>,
    pub(crate) name: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) phone: Option<String>,
    pub(crate) custom: String,
    pub(crate) status: i64,
    pub(crate) notes: String,
    pub(crate) consent: Option<String>,
    pub(crate) created_at: i64,
    pub(crate) last_seen_at: i64,
    pub(crate) history: String,
}

impl RawLead {
    pub(crate) fn into_lead(self, workspace: WorkspaceId) -> Result<Lead, leadkit_store::Error> {
        let bots: Vec<BotId> =
            serde_json::from_str(&self.bots).map_err(|e| corrupt("lead bots", e))?;
        let custom: BTreeMap<String, Pii<String>> =
            serde_json::from_str(&self.custom).map_err(|e| corrupt("lead custom fields", e))?;
        let history: Vec<ContactValue> =
            serde_json::from_str(&self.history).map_err(|e| corrupt("lead history", e))?;
        let consent: Option<Consent> = self
            .consent
            .as_deref()
            .map(serde_json::from_str)
            .transpose()
            .map_err(|e| corrupt("lead consent", e))?;
        LeadParts {
            id: self.id,
            bot: self.bot_id,
            bots,
            visitor: self.visitor_id,
            name: self.name,
            email: self.email,
            phone: self.phone,
            custom,
            status: self.status,
            notes: self.notes,
            consent,
            created_at: self.created_at,
            last_seen_at: self.last_seen_at,
            history,
        }
        .into_lead(workspace)
    }
}

/// A lead's columns with their JSON parsed: where both readers (row by
/// row, and SQLite's JSON page) meet.
struct LeadParts {
    id: Uuid,
    bot: Uuid,
    bots: Vec<BotId>,
    visitor: Option<String>,
    name: Option<String>,
    email: Option<String>,
    phone: Option<String>,
    custom: BTreeMap<String, Pii<String>>,
    status: i64,
    notes: String,
    consent: Option<Consent>,
    created_at: i64,
    last_seen_at: i64,
    history: Vec<ContactValue>,
}

impl LeadParts {
    fn into_lead(self, workspace: WorkspaceId) -> Result<Lead, leadkit_store::Error> {
        let mut lead = Lead::new(
            LeadId::from_uuid(self.id),
            workspace,
            BotId::from_uuid(self.bot),
            from_micros(self.created_at)?,
        );
        lead.bots = self.bots;
        lead.visitor = self
            .visitor
            .map(VisitorId::new)
            .transpose()
            .map_err(|e| corrupt("lead visitor id", e))?;
        lead.details = ContactDetails::new();
        lead.details.name = self.name.map(Pii::new);
        lead.details.email = self.email.map(Pii::new);
        lead.details.phone = self.phone.map(Pii::new);
        lead.details.custom = self.custom;
        lead.status = status_from_code(self.status)?;
        lead.notes = Pii::new(self.notes);
        lead.consent = self.consent;
        lead.last_seen_at = from_micros(self.last_seen_at)?;
        lead.history = self.history;
        Ok(lead)
    }
}

/// A lead as one element of SQLite's JSON page (see
/// `filter::select_page_json`): ids in hex, JSON columns inline.
#[cfg(feature = "sqlite")]
#[derive(serde::Deserialize)]
pub(crate) struct JsonLead(
    String,
    String,
    Vec<BotId>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    BTreeMap<String, Pii<String>>,
    i64,
    String,
    Option<Consent>,
    i64,
    i64,
    Vec<ContactValue>,
);

#[cfg(feature = "sqlite")]
impl JsonLead {
    pub(crate) fn into_lead(self, workspace: WorkspaceId) -> Result<Lead, leadkit_store::Error> {
        let JsonLead(
            id,
            bot,
            bots,
            visitor,
            name,
            email,
            phone,
            custom,
            status,
            notes,
            consent,
            created_at,
            last_seen_at,
            history,
        ) = self;
        let uuid = |hex: &str| Uuid::parse_str(hex).map_err(|e| corrupt("lead id", e));
        LeadParts {
            id: uuid(&id)?,
            bot: uuid(&bot)?,
            bots,
            visitor,
            name,
            email,
            phone,
            custom,
            status,
            notes,
            consent,
            created_at,
            last_seen_at,
            history,
        }
        .into_lead(workspace)
    }
}
