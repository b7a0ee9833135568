//! The events a workspace's endpoints receive, and their JSON bodies.

use std::fmt;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, SecondsFormat, Utc};

use crate::Error;

/// An event's id, `evt_` and 128 random bits. It is the `webhook-id` of
/// every attempt to deliver the event, so a receiver that sees it twice
/// (deliveries are at least once) drops the copy.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct EventId(String);

impl EventId {
    /// A new random id.
    pub fn generate() -> Result<Self, Error> {
        let mut bytes = [0_u8; 16];
        getrandom::fill(&mut bytes).map_err(Error::Random)?;
        Ok(Self(format!("evt_{}", URL_SAFE_NO_PAD.encode(bytes))))
    }

    /// An id read back from storage. It must be printable ASCII without
    /// spaces or dots (the signed content joins id, time and body with
    /// dots), 1 to 64 characters.
    pub fn parse(text: &str) -> Result<Self, Error> {
        let fits = (1..=64).contains(&text.len())
            && text.bytes().all(|b| b.is_ascii_graphic() && b != b'.');
        if fits {
            Ok(Self(text.to_owned()))
        } else {
            Err(Error::InvalidEventId)
        }
    }

    /// The id's text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EventId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What happened. The names follow the `noun.verb` style of other lead
/// webhooks, and are what endpoints subscribe to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EventType {
    /// A visitor's details created a lead.
    LeadCreated,
    /// A lead's details changed.
    LeadUpdated,
    /// The business changed a lead's status.
    LeadStatusChanged,
    /// A lead was erased. Its body carries the lead id and nothing else.
    LeadErased,
    /// An unverified visitor's details matched an existing lead.
    ConversationClaimed,
    /// Sent by "Send test event".
    Test,
}

impl EventType {
    /// Every type, for subscription screens.
    pub const ALL: [Self; 6] = [
        Self::LeadCreated,
        Self::LeadUpdated,
        Self::LeadStatusChanged,
        Self::LeadErased,
        Self::ConversationClaimed,
        Self::Test,
    ];

    /// The wire name, e.g. `lead.created`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LeadCreated => "lead.created",
            Self::LeadUpdated => "lead.updated",
            Self::LeadStatusChanged => "lead.status_changed",
            Self::LeadErased => "lead.erased",
            Self::ConversationClaimed => "conversation.claimed",
            Self::Test => "webhook.test",
        }
    }

    /// The type named `name`, if any.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == name)
    }
}

impl fmt::Display for EventType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One event: its id, type, time and data. The data may hold a lead's
/// details, so [`Debug`](fmt::Debug) leaves it out.
#[derive(Clone, PartialEq)]
#[non_exhaustive]
pub struct WebhookEvent {
    /// The stable id (`webhook-id`).
    pub id: EventId,
    /// The type.
    pub event_type: EventType,
    /// When the change happened.
    pub occurred_at: DateTime<Utc>,
    /// The event's data (the lead as the API shows it; for an erasure only
    /// its id).
    pub data: serde_json::Value,
}

impl WebhookEvent {
    /// An event.
    pub fn new(
        id: EventId,
        event_type: EventType,
        occurred_at: DateTime<Utc>,
        data: serde_json::Value,
    ) -> Self {
        Self {
            id,
            event_type,
            occurred_at,
            data,
        }
    }

    /// The request body, in the Standard Webhooks payload shape:
    /// `{"type": …, "timestamp": RFC 3339, "data": …}`.
    pub fn body(&self) -> Vec<u8> {
        let payload = serde_json::json!({
            "type": self.event_type.as_str(),
            "timestamp": self.occurred_at.to_rfc3339_opts(SecondsFormat::Micros, true),
            "data": self.data,
        });
        // A `Value` always serialises.
        serde_json::to_vec(&payload).unwrap_or_default()
    }
}

impl fmt::Debug for WebhookEvent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebhookEvent")
            .field("id", &self.id)
            .field("event_type", &self.event_type)
            .field("occurred_at", &self.occurred_at)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_unique_and_parse_back() {
        let a = EventId::generate().expect("random");
        let b = EventId::generate().expect("random");
        assert_ne!(a, b);
        assert_eq!(EventId::parse(a.as_str()).expect("parses"), a);
        for bad in ["", "evt.1", "evt 1", &"x".repeat(65)] {
            assert!(EventId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn type_names_round_trip() {
        for t in EventType::ALL {
            assert_eq!(EventType::from_name(t.as_str()), Some(t));
        }
        assert_eq!(EventType::from_name("lead.deleted"), None);
    }

    #[test]
    fn body_has_the_standard_shape_and_debug_hides_the_data() {
        let at = DateTime::from_timestamp(1_700_000_000, 0).expect("time");
        let event = WebhookEvent::new(
            EventId::parse("evt_x").expect("id"),
            EventType::LeadCreated,
            at,
            serde_json::json!({"email": "ana@example.com"}),
        );
        let body: serde_json::Value = serde_json::from_slice(&event.body()).expect("json");
        assert_eq!(body["type"], "lead.created");
        assert_eq!(body["timestamp"], "2023-11-14T22:13:20.000000Z");
        assert_eq!(body["data"]["email"], "ana@example.com");
        assert!(!format!("{event:?}").contains("ana@"));
    }
}
