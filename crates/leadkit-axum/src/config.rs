//! What the router serves: the engine, the workspace, the admin token and
//! the bot.

use std::sync::Arc;

use axum::Router;
use axum::middleware::from_fn;
use leadkit_core::WorkspaceId;
use leadkit_engine::engine::Engine;

use crate::{AdminToken, Responder, admin, chat, security_headers};

/// The longest visitor message accepted by default, in bytes.
pub const DEFAULT_MAX_MESSAGE_BYTES: usize = 4096;

/// The router's configuration. Build it with [`Leadkit::new`], adjust it,
/// then call [`Leadkit::router`] (or [`chat_router`](Leadkit::chat_router)
/// and [`admin_router`](Leadkit::admin_router) to mount the two halves
/// separately).
#[derive(Clone)]
pub struct Leadkit {
    pub(crate) engine: Engine,
    pub(crate) workspace: WorkspaceId,
    pub(crate) token: AdminToken,
    pub(crate) responder: Arc<dyn Responder>,
    pub(crate) max_message_bytes: usize,
    pub(crate) secure_cookie: bool,
}

pub(crate) type AppState = Arc<Leadkit>;

impl std::fmt::Debug for Leadkit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leadkit")
            .field("workspace", &self.workspace)
            .field("token", &self.token)
            .field("max_message_bytes", &self.max_message_bytes)
            .field("secure_cookie", &self.secure_cookie)
            .finish_non_exhaustive()
    }
}

impl Leadkit {
    /// Serves `workspace` through `engine`: visitors chat with `responder`,
    /// the business signs in to the admin API and dashboard with
    /// `admin_token`. Every admin request is scoped to `workspace`.
    pub fn new(
        engine: Engine,
        workspace: WorkspaceId,
        admin_token: AdminToken,
        responder: Arc<dyn Responder>,
    ) -> Self {
        Self {
            engine,
            workspace,
            token: admin_token,
            responder,
            max_message_bytes: DEFAULT_MAX_MESSAGE_BYTES,
            secure_cookie: false,
        }
    }

    /// The longest visitor message accepted, in bytes (default
    /// [`DEFAULT_MAX_MESSAGE_BYTES`]); longer ones get `413`.
    #[must_use]
    pub fn max_message_bytes(mut self, bytes: usize) -> Self {
        self.max_message_bytes = bytes;
        self
    }

    /// Marks the session cookie `Secure` (set it when the dashboard is
    /// served over HTTPS, as it should be anywhere but on localhost).
    #[must_use]
    pub fn secure_cookie(mut self, secure: bool) -> Self {
        self.secure_cookie = secure;
        self
    }

    /// The engine.
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// The workspace served.
    pub fn workspace(&self) -> WorkspaceId {
        self.workspace
    }

    /// Everything: the chat endpoint and widget script, the admin API and
    /// the dashboard, with [`security_headers`] on every response. Merge it
    /// into your app at the root (its links are absolute: `/chat`,
    /// `/leadkit/…`, `/admin/…`).
    pub fn router(self) -> Router {
        let state = Arc::new(self);
        chat::routes()
            .merge(admin::routes(&state))
            .with_state(state)
            .layer(from_fn(security_headers))
    }

    /// Only `POST /chat` and `GET /leadkit/widget.js`.
    pub fn chat_router(self) -> Router {
        chat::routes()
            .with_state(Arc::new(self))
            .layer(from_fn(security_headers))
    }

    /// Only the admin API and dashboard under `/admin`.
    pub fn admin_router(self) -> Router {
        let state = Arc::new(self);
        admin::routes(&state)
            .with_state(state)
            .layer(from_fn(security_headers))
    }
}

/// Shorthand for [`Leadkit::router`].
pub fn router(config: Leadkit) -> Router {
    config.router()
}
