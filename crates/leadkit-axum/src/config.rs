//! What the router serves: the engine, the workspace, the admin token and
//! the bot, and how the admin side's sessions and sign-in behave.

use std::sync::Arc;

use axum::Router;
use axum::http::{HeaderValue, header};
use axum::middleware::{from_fn, map_response};
use axum::response::Response;
use chrono::Duration;
use leadkit_core::WorkspaceId;
use leadkit_engine::engine::{Clock, Engine, SystemClock};

use crate::admin::SignInThrottle;
use crate::limits::{ChatLimiters, ChatLimits};
use crate::session::{DEFAULT_SESSION_LIFETIME, MemoryRevocations, SessionRevocations};
use crate::{AdminToken, ClientAddress, Responder, admin, chat, security_headers};

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
    pub(crate) development_http: bool,
    pub(crate) hsts: Option<std::time::Duration>,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) session_lifetime: Duration,
    pub(crate) revocations: Arc<dyn SessionRevocations>,
    pub(crate) client_address: ClientAddress,
    pub(crate) throttle: Arc<SignInThrottle>,
    pub(crate) chat_limits: Arc<ChatLimiters>,
}

pub(crate) type AppState = Arc<Leadkit>;

impl std::fmt::Debug for Leadkit {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leadkit")
            .field("workspace", &self.workspace)
            .field("token", &self.token)
            .field("max_message_bytes", &self.max_message_bytes)
            .field("development_http", &self.development_http)
            .field("hsts", &self.hsts)
            .field("session_lifetime", &self.session_lifetime)
            .field("client_address", &self.client_address)
            .field("chat_limits", &self.chat_limits.limits)
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
            development_http: false,
            hsts: None,
            clock: Arc::new(SystemClock),
            session_lifetime: DEFAULT_SESSION_LIFETIME,
            revocations: Arc::new(MemoryRevocations::new()),
            client_address: ClientAddress::default(),
            throttle: Arc::new(SignInThrottle::default()),
            chat_limits: Arc::new(ChatLimiters::new(ChatLimits::default())),
        }
    }

    /// The longest visitor message accepted, in bytes (default
    /// [`DEFAULT_MAX_MESSAGE_BYTES`]); longer ones get `413`.
    #[must_use]
    pub fn max_message_bytes(mut self, bytes: usize) -> Self {
        self.max_message_bytes = bytes;
        self
    }

    /// **Development only**: serve the dashboard over plain HTTP. The
    /// session cookie loses its `Secure` flag and same-origin checks expect
    /// `http://` origins. Off by default, so that the cookie never travels
    /// unencrypted; turn it on only for a server that listens on a loopback
    /// address (the `server` example does exactly that).
    #[must_use]
    pub fn insecure_development_http(mut self, on: bool) -> Self {
        self.development_http = on;
        self
    }

    /// Sends `Strict-Transport-Security: max-age=<seconds>` on every
    /// response, so browsers use HTTPS only for this host (off by default:
    /// set it once HTTPS works, because browsers remember it).
    #[must_use]
    pub fn hsts(mut self, max_age: std::time::Duration) -> Self {
        self.hsts = Some(max_age);
        self
    }

    /// How long a dashboard session lasts after sign-in (default 12 hours),
    /// checked by the server whatever the browser keeps.
    #[must_use]
    pub fn session_lifetime(mut self, lifetime: std::time::Duration) -> Self {
        self.session_lifetime = Duration::from_std(lifetime).unwrap_or(DEFAULT_SESSION_LIFETIME);
        self
    }

    /// Where logouts are remembered (default: in this process, see
    /// [`SessionRevocations`] for several servers).
    #[must_use]
    pub fn session_revocations(mut self, revocations: Arc<dyn SessionRevocations>) -> Self {
        self.revocations = revocations;
        self
    }

    /// Where the client's address is read from, for sign-in throttling and
    /// the chat limits (default: the TCP peer; set a trusted header behind
    /// a proxy).
    #[must_use]
    pub fn client_address(mut self, source: ClientAddress) -> Self {
        self.client_address = source;
        self
    }

    /// The limits `POST /chat` applies per conversation and per client
    /// address (default [`ChatLimits::default`]). Per-client request rates
    /// and the global concurrency cap are tower layers you mount yourself:
    /// see [`limits`](crate::limits).
    #[must_use]
    pub fn chat_limits(mut self, limits: ChatLimits) -> Self {
        self.chat_limits = Arc::new(ChatLimiters::new(limits));
        self
    }

    /// The clock sessions and throttling read (default: the system clock).
    #[must_use]
    pub fn clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
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
        let hsts = state.hsts;
        with_headers(
            chat::routes()
                .merge(admin::routes(&state))
                .with_state(state),
            hsts,
        )
    }

    /// Only `POST /chat` and `GET /leadkit/widget.js`.
    pub fn chat_router(self) -> Router {
        let hsts = self.hsts;
        with_headers(chat::routes().with_state(Arc::new(self)), hsts)
    }

    /// Only the admin API and dashboard under `/admin`.
    pub fn admin_router(self) -> Router {
        let state = Arc::new(self);
        let hsts = state.hsts;
        with_headers(admin::routes(&state).with_state(state), hsts)
    }
}

/// [`security_headers`] on every response, and HSTS when configured.
fn with_headers(router: Router, hsts: Option<std::time::Duration>) -> Router {
    let router = router.layer(from_fn(security_headers));
    let Some(max_age) = hsts else {
        return router;
    };
    let value = HeaderValue::from_str(&format!("max-age={}", max_age.as_secs()))
        .unwrap_or_else(|_| HeaderValue::from_static("max-age=31536000"));
    router.layer(map_response(move |mut response: Response| {
        let value = value.clone();
        async move {
            response
                .headers_mut()
                .insert(header::STRICT_TRANSPORT_SECURITY, value);
            response
        }
    }))
}

/// Shorthand for [`Leadkit::router`].
pub fn router(config: Leadkit) -> Router {
    config.router()
}
