//! Lead events published to subscribers.

use leadkit_core::{LeadId, LeadStatus, WorkspaceId};
use leadkit_store::Lead;

/// Something that happened to a lead. Published after it is stored.
///
/// `Debug` output redacts contact details (see [`Lead`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum LeadEvent {
    /// A visitor gave details and a new lead was created.
    Created {
        /// The workspace.
        workspace: WorkspaceId,
        /// The lead as stored.
        lead: Box<Lead>,
    },
    /// An existing lead got new details or consent.
    Updated {
        /// The workspace.
        workspace: WorkspaceId,
        /// The lead as stored.
        lead: Box<Lead>,
    },
    /// The business changed a lead's status.
    StatusChanged {
        /// The workspace.
        workspace: WorkspaceId,
        /// The lead.
        lead: LeadId,
        /// The status before.
        from: LeadStatus,
        /// The status now.
        to: LeadStatus,
    },
    /// A lead was erased with its details and transcripts.
    Erased {
        /// The workspace.
        workspace: WorkspaceId,
        /// The lead that no longer exists.
        lead: LeadId,
    },
}

impl LeadEvent {
    /// The id of the lead concerned.
    pub fn lead_id(&self) -> LeadId {
        match self {
            LeadEvent::Created { lead, .. } | LeadEvent::Updated { lead, .. } => lead.id,
            LeadEvent::StatusChanged { lead, .. } | LeadEvent::Erased { lead, .. } => *lead,
        }
    }
}
