//! Signed-in visitors: contact details the integrator already holds (from
//! its own user record), passed with the visit so the visitor is never
//! asked for them.

use chrono::{DateTime, Utc};
use leadkit_contact::{EmailOptions, NameOptions, PhoneOptions};
use leadkit_core::{ContactDetails, Conversation, KnownVisitor};
use leadkit_store::{LeadUpsert, PhoneRegion};

use super::{Engine, Visit};
use crate::Error;

/// A signed-in visitor's contact details, checked with leadkit-contact
/// and normalised (the phone in E.164).
///
/// Only the integrator's own server makes these, from its user record: the
/// engine trusts them as they are, so never build them from what a visitor
/// typed into the widget. A visit with verified details
/// ([`Visit::with_verified_details`]) creates the visitor's lead, or links
/// the conversation to the lead that already has that email, phone or
/// verified visitor id, on its first turn, without asking; that visitor is
/// never asked and never gated.
///
/// ```
/// use leadkit_engine::engine::VerifiedDetails;
/// use leadkit_store::PhoneRegion;
///
/// let details = VerifiedDetails::builder()
///     .name("Ana Souza")
///     .email("Ana.Souza@Example.com")
///     .phone("020 7946 0958")
///     .phone_region("GB".parse::<PhoneRegion>()?)
///     .build()?;
/// assert_eq!(details.details().phone.as_ref().map(|p| p.expose().as_str()), Some("+442079460958"));
///
/// // Invalid details are an error, never dropped in silence.
/// assert!(VerifiedDetails::builder().email("ana@").build().is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifiedDetails {
    details: ContactDetails,
}

impl VerifiedDetails {
    /// A builder; at least an email or a phone is needed.
    pub fn builder() -> VerifiedDetailsBuilder {
        VerifiedDetailsBuilder::default()
    }

    /// The checked details (`Debug` redacts them).
    pub fn details(&self) -> &ContactDetails {
        &self.details
    }
}

/// Builds [`VerifiedDetails`]; each value is checked in
/// [`build`](Self::build).
#[derive(Debug, Default, Clone)]
#[must_use]
pub struct VerifiedDetailsBuilder {
    name: Option<leadkit_core::Pii<String>>,
    email: Option<leadkit_core::Pii<String>>,
    phone: Option<leadkit_core::Pii<String>>,
    region: Option<PhoneRegion>,
}

impl VerifiedDetailsBuilder {
    /// The visitor's name.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(leadkit_core::Pii::new(name.into()));
        self
    }

    /// The visitor's email address.
    pub fn email(mut self, email: impl Into<String>) -> Self {
        self.email = Some(leadkit_core::Pii::new(email.into()));
        self
    }

    /// The visitor's phone number: international (`+44 …`), or national
    /// with a [`phone_region`](Self::phone_region).
    pub fn phone(mut self, phone: impl Into<String>) -> Self {
        self.phone = Some(leadkit_core::Pii::new(phone.into()));
        self
    }

    /// The region a national phone number is read in.
    pub fn phone_region(mut self, region: PhoneRegion) -> Self {
        self.region = Some(region);
        self
    }

    /// Checks every value given with leadkit-contact's default options:
    /// [`Error::InvalidVerifiedDetails`] names the field and why (never
    /// the value); [`Error::VerifiedDetailsIncomplete`] when neither an
    /// email nor a phone was given (the lead could not be found again).
    pub fn build(self) -> Result<VerifiedDetails, Error> {
        if self.email.is_none() && self.phone.is_none() {
            return Err(Error::VerifiedDetailsIncomplete);
        }
        let mut details = ContactDetails::new();
        if let Some(name) = &self.name {
            let name = leadkit_contact::validate_name(name.expose(), &NameOptions::default())
                .map_err(Error::InvalidVerifiedDetails)?;
            details = details.with_name(name.as_str());
        }
        if let Some(email) = &self.email {
            let email = leadkit_contact::validate_email(email.expose(), &EmailOptions::default())
                .map_err(Error::InvalidVerifiedDetails)?;
            details = details.with_email(email.as_str());
        }
        if let Some(phone) = &self.phone {
            let options = match self.region {
                Some(region) => PhoneOptions::new().with_default_region(region.as_str()),
                None => PhoneOptions::new(),
            };
            let phone = leadkit_contact::validate_phone(phone.expose(), &options)
                .map_err(Error::InvalidVerifiedDetails)?;
            details = details.with_phone(phone.e164());
        }
        Ok(VerifiedDetails { details })
    }
}

impl Engine {
    /// Marks the conversation known from the visit's verified details, the
    /// first time they are seen in it, and returns the lead upsert that
    /// creates or links the visitor's lead in the turn's transaction.
    pub(super) fn recognise_verified(
        &self,
        visit: &Visit,
        conversation: &mut Conversation,
        now: DateTime<Utc>,
    ) -> Result<Option<LeadUpsert>, Error> {
        let Some(verified) = &visit.verified_details else {
            return Ok(None);
        };
        if conversation.is_known() {
            return Ok(None);
        }
        conversation
            .handle_known_visitor(now, KnownVisitor::new(None, verified.details.clone()))?;
        let mut upsert = LeadUpsert::new(
            self.inner.ids.new_lead_id(),
            visit.bot,
            verified.details.clone(),
            now,
        )
        .conversation(visit.conversation);
        if let Some(visitor) = &visit.visitor {
            upsert = upsert.visitor(visitor.id().clone());
        }
        Ok(Some(upsert))
    }
}
