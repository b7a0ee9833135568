//! The crate's one error type, and the JSON error responses of the HTTP API.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// What can go wrong while configuring the router.
///
/// Requests never produce this type: they get an HTTP error response (a
/// JSON body `{"error": code, "message": text}` from the API, an HTML page
/// from the dashboard). No variant carries personal data or the token.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The admin token cannot be used: give at least
    /// [`AdminToken::MIN_LEN`](crate::AdminToken::MIN_LEN) visible ASCII
    /// characters (or use [`AdminToken::generate`](crate::AdminToken::generate)).
    #[error("invalid admin token: {reason}")]
    InvalidToken {
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// An HTTP error with a stable machine-readable code and a message that
/// says what the caller can do. Never carries visitor data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ApiError {
    pub(crate) status: StatusCode,
    pub(crate) code: &'static str,
    pub(crate) message: String,
    /// Seconds to wait before trying again (`Retry-After`), for refusals
    /// that pass.
    pub(crate) retry_after: Option<u64>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: &'a str,
    message: &'a str,
}

impl ApiError {
    pub(crate) fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            code,
            message: message.into(),
            retry_after: None,
        }
    }

    /// Tells the client to try again after `seconds` (`Retry-After`).
    pub(crate) fn retry_after(mut self, seconds: u64) -> Self {
        self.retry_after = Some(seconds);
        self
    }

    /// Another turn of the same conversation changed it while this one was
    /// decided, more often than the engine retries. Nothing was stored, so
    /// the client can send the message again.
    pub(crate) fn conflict() -> Self {
        Self::new(
            StatusCode::CONFLICT,
            "conversation_busy",
            "another message of this conversation is being handled; send this one again",
        )
        .retry_after(1)
    }

    pub(crate) fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub(crate) fn not_found() -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such lead in this workspace",
        )
    }

    pub(crate) fn unauthorized() -> Self {
        Self::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "send the admin token as `Authorization: Bearer <token>` or sign in at /admin",
        )
    }

    pub(crate) fn cross_site() -> Self {
        Self::new(
            StatusCode::FORBIDDEN,
            "cross_site_request",
            "state-changing admin requests must come from the dashboard's own origin",
        )
    }

    fn internal() -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "the server failed; try again later",
        )
    }
}

impl From<leadkit_engine::Error> for ApiError {
    fn from(err: leadkit_engine::Error) -> Self {
        use leadkit_store::Error as StoreError;
        if err.is_conflict() {
            // Expected under load, not a server fault: no error-level log.
            tracing::info!("conversation busy: turn refused with 409 after the engine's retries");
            return ApiError::conflict();
        }
        match &err {
            leadkit_engine::Error::LeadNotFound
            | leadkit_engine::Error::Store(StoreError::NotFound { .. }) => ApiError::not_found(),
            leadkit_engine::Error::Store(StoreError::InvalidQuery { reason }) => {
                ApiError::bad_request("invalid_query", *reason)
            }
            leadkit_engine::Error::Store(StoreError::InvalidCursor) => ApiError::bad_request(
                "invalid_cursor",
                "the cursor does not belong to this filter and sort; request the first page again",
            ),
            leadkit_engine::Error::Store(StoreError::InvalidInput { reason }) => {
                ApiError::bad_request("invalid_input", *reason)
            }
            _ => {
                // leadkit's errors carry no personal data, so they can be logged.
                tracing::error!(error = %err, "leadkit request failed");
                ApiError::internal()
            }
        }
    }
}

impl From<leadkit_store::Error> for ApiError {
    fn from(err: leadkit_store::Error) -> Self {
        leadkit_engine::Error::Store(err).into()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = ErrorBody {
            error: self.code,
            message: &self.message,
        };
        let mut response = (self.status, Json(body)).into_response();
        if let Some(seconds) = self.retry_after {
            response
                .headers_mut()
                .insert(axum::http::header::RETRY_AFTER, seconds.into());
        }
        response
    }
}
