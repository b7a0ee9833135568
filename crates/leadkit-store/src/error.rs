//! The crate's one error type.

/// Everything a store can report.
///
/// No variant carries personal data: a failed lookup names the kind of
/// record, never the email or phone that was looked for. Match on the
/// variants, not on the `Display` text.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The conversation state was saved by someone else since it was loaded
    /// (or it already exists when `expected_version` was `None`). Load it
    /// again, apply the turn to the fresh state and save again.
    #[error(
        "conversation state version conflict (expected {expected:?}, found {found:?}); reload and retry"
    )]
    VersionConflict {
        /// The version the caller expected (`None`: expected no state yet).
        expected: Option<u64>,
        /// The version found in the store (`None`: no state stored).
        found: Option<u64>,
    },

    /// No record of this kind with that id exists in the workspace.
    #[error("no {kind} with that id in this workspace")]
    NotFound {
        /// `"lead"`, `"bot"` …
        kind: &'static str,
    },

    /// The lead query cannot be run as given (an impossible date range, a
    /// page size out of bounds, a search text that is too long). Fix the
    /// query; nothing was read.
    #[error("invalid lead query: {reason}")]
    InvalidQuery {
        /// What is wrong with it.
        reason: &'static str,
    },

    /// A pagination cursor could not be decoded, was damaged, or belongs to
    /// a different query (other filters, sort or workspace). Start again
    /// from the first page.
    #[error("invalid pagination cursor; request the first page again")]
    InvalidCursor,

    /// An argument is not acceptable (a lead with no visitor id, email or
    /// phone to find it by; a bot registered under another workspace …).
    #[error("invalid input: {reason}")]
    InvalidInput {
        /// What is wrong with it.
        reason: &'static str,
    },

    /// Bot settings (or who changed them) were refused; nothing was
    /// stored. The inner error says which setting and its limit, and can be
    /// shown to the business as it is.
    #[error(transparent)]
    InvalidSettings(#[from] crate::SettingsError),

    /// A saved conversation state could not be encoded or decoded.
    #[error("conversation state could not be encoded or decoded")]
    State(#[source] leadkit_core::Error),

    /// A stored record could not be decoded (the database was edited by hand
    /// or written by an incompatible version).
    #[error("stored {what} is corrupt")]
    Corrupt {
        /// Which record or column.
        what: &'static str,
        /// The decoding error, if any.
        #[source]
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },

    /// Writing an export to its destination failed (the writer's I/O).
    #[error("writing the export failed")]
    Export(#[source] std::io::Error),

    /// The storage backend failed (connection lost, disk full, constraint
    /// violated after retries). The source says why; retrying may help.
    #[error("the storage backend failed")]
    Backend(#[source] Box<dyn std::error::Error + Send + Sync>),
}

impl Error {
    /// Wraps a backend's own error.
    pub fn backend(source: impl std::error::Error + Send + Sync + 'static) -> Self {
        Error::Backend(Box::new(source))
    }

    /// A corrupt record with its decoding error.
    pub fn corrupt(
        what: &'static str,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Error::Corrupt {
            what,
            source: Some(Box::new(source)),
        }
    }
}
