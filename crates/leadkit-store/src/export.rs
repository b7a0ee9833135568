//! Exports: every lead a query selects, as a stream of typed pages.
//!
//! A store yields the exported columns of each lead ([`ExportRow`]) a page
//! at a time ([`LeadStore::export_pages`](crate::LeadStore::export_pages));
//! what to make of them (CSV, see the `csv` module; JSON; a CRM's API) is up
//! to the consumer.

use std::fmt;
use std::pin::Pin;

use chrono::{DateTime, Utc};
use futures_util::Stream;
use leadkit_core::{BotId, Field, LeadId, LeadStatus, Pii, VisitorId};

use crate::Error;
use crate::model::Lead;

/// How many leads are read per page while exporting: memory stays bounded
/// by a page or two whatever the number of rows.
pub const EXPORT_PAGE_SIZE: u32 = 1000;

/// The pages of an export, in the query's order: see
/// [`LeadStore::export_pages`](crate::LeadStore::export_pages).
pub type ExportPages<'a> = Pin<Box<dyn Stream<Item = Result<Vec<ExportRow>, Error>> + Send + 'a>>;

/// The exported columns of one lead.
///
/// A backend that can read these columns alone (the SQL stores do) builds
/// rows straight from them, without decoding a whole [`Lead`] (its history,
/// custom fields and bot list). `Debug` shows the ids and status only.
///
/// ```
/// use chrono::{DateTime, Utc};
/// use leadkit_core::{BotId, LeadId, LeadStatus};
/// use leadkit_store::ExportRow;
///
/// let t = DateTime::<Utc>::UNIX_EPOCH;
/// let row = ExportRow::new(LeadId::from_u128(1), BotId::from_u128(2), t, t, LeadStatus::Qualified)
///     .name("Ana")
///     .phone("+14155552671")
///     .consent(true, t, "v2");
/// assert_eq!(row.name.as_ref().map(|n| n.expose().as_str()), Some("Ana"));
/// assert!(row.email.is_none());
/// ```
// Its documented fields look like `LeadUpsert`'s and `Lead`'s (ids, bot,
// contact details, consent): each is a public struct of its own, with a
// field doc per field, so they stay separate.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ExportRow {
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
    /// Its name.
    pub name: Option<Pii<String>>,
    /// Its email.
    pub email: Option<Pii<String>>,
    /// Its phone.
    pub phone: Option<Pii<String>>,
    /// Its company.
    pub company: Option<Pii<String>>,
    /// Its latest answer to the consent notice.
    pub consent: Option<ConsentAnswer>,
    /// The integrator's visitor id.
    pub visitor: Option<VisitorId>,
    /// The business's notes (empty when none).
    pub notes: Pii<String>,
}

/// A lead's latest answer to the consent notice, as exported.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ConsentAnswer {
    /// Given (`true`) or refused.
    pub given: bool,
    /// When the visitor answered.
    pub at: DateTime<Utc>,
    /// The notice's version.
    pub version: String,
}

impl fmt::Debug for ExportRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ExportRow")
            .field("id", &self.id)
            .field("bot", &self.bot)
            .field("status", &self.status)
            .finish_non_exhaustive()
    }
}

// Builder methods: each sets one field and returns `self`, so they share
// one shape here and with the other builders of the workspace.
impl ExportRow {
    /// A row with the given id, bot, times and status, and every other
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
            name: None,
            email: None,
            phone: None,
            company: None,
            consent: None,
            visitor: None,
            notes: Pii::default(),
        }
    }

    /// A lead's exported columns.
    pub fn from_lead(lead: &Lead) -> Self {
        let field = |field: Field| lead.details.get(field).map(|v| Pii::new(v.to_owned()));
        Self {
            name: field(Field::Name),
            email: field(Field::Email),
            phone: field(Field::Phone),
            company: lead.company().map(|c| Pii::new(c.to_owned())),
            consent: lead.consent.as_ref().map(|c| ConsentAnswer {
                given: c.given,
                at: c.at,
                version: c.version.clone(),
            }),
            visitor: lead.visitor.clone(),
            notes: lead.notes.clone(),
            ..Self::new(
                lead.id,
                lead.bot,
                lead.created_at,
                lead.last_seen_at,
                lead.status,
            )
        }
    }

    /// With this name.
    #[must_use]
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(Pii::new(name.into()));
        self
    }

    /// With this email.
    #[must_use]
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(Pii::new(email.into()));
        self
    }

    /// With this phone.
    #[must_use]
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(Pii::new(phone.into()));
        self
    }

    /// With this company.
    #[must_use]
    pub fn company(mut self, company: impl Into<String>) -> Self {
        self.company = Some(Pii::new(company.into()));
        self
    }

    /// With this answer to the consent notice.
    #[must_use]
    pub fn consent(mut self, given: bool, at: DateTime<Utc>, version: impl Into<String>) -> Self {
        self.consent = Some(ConsentAnswer {
            given,
            at,
            version: version.into(),
        });
        self
    }

    /// With this visitor id.
    #[must_use]
    pub fn visitor(mut self, visitor: VisitorId) -> Self {
        self.visitor = Some(visitor);
        self
    }

    /// With these notes.
    #[must_use]
    pub fn notes(mut self, notes: impl Into<String>) -> Self {
        self.notes = Pii::new(notes.into());
        self
    }
}
