//! Where the engine gets new ids from.

use std::sync::atomic::{AtomicU64, Ordering};

use leadkit_core::{ConversationId, LeadId};
use uuid::Uuid;

/// A source of new ids. Injected so tests get predictable ones.
pub trait IdSource: Send + Sync + 'static {
    /// A new lead id.
    fn new_lead_id(&self) -> LeadId;
    /// A new conversation id.
    fn new_conversation_id(&self) -> ConversationId;
}

/// Random (version 4) UUIDs.
#[derive(Debug, Clone, Copy, Default)]
pub struct RandomIds;

impl IdSource for RandomIds {
    fn new_lead_id(&self) -> LeadId {
        LeadId::from_uuid(Uuid::new_v4())
    }

    fn new_conversation_id(&self) -> ConversationId {
        ConversationId::from_uuid(Uuid::new_v4())
    }
}

/// Ids 1, 2, 3 … (as UUIDs), for tests.
#[derive(Debug, Default)]
pub struct SequentialIds {
    next: AtomicU64,
}

impl SequentialIds {
    /// Starts at 1.
    pub fn new() -> Self {
        Self::default()
    }

    fn next(&self) -> u128 {
        u128::from(self.next.fetch_add(1, Ordering::Relaxed) + 1)
    }
}

impl IdSource for SequentialIds {
    fn new_lead_id(&self) -> LeadId {
        LeadId::from_u128(self.next())
    }

    fn new_conversation_id(&self) -> ConversationId {
        ConversationId::from_u128(self.next())
    }
}
