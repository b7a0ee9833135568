//! The web demo: a chat widget and the leads dashboard.
//!
//! ```text
//! cargo run --example server -- [--addr HOST:PORT] [--db PATH] [--mode MODE]
//! ```
//!
//! - `--addr` where to listen (default `127.0.0.1:3000`)
//! - `--db PATH` the SQLite file (default `leadkit-demo.sqlite` in the
//!   current directory); `DATABASE_URL=postgres://…` selects PostgreSQL
//! - `--mode off|after-first-query|on-interest|every-reply|before-chat`
//!   the lead collection of a bot whose settings were never saved (default
//!   `after-first-query`); saved settings (the dashboard, the admin API,
//!   `BotSettingsStore`) take precedence
//! - `--settings-max-age SECONDS` how long a bot's saved settings are used
//!   before they are read again (default 5): with several server processes
//!   on one database, a change made through one applies on the others
//!   within this time
//! - `--client-rate N` requests a minute per client address (default 600,
//!   bursts of a fifth of that)
//! - `--chat-limits off` turns off the per-conversation limits of
//!   `POST /chat` (for load tests of one conversation; never in production)
//! - `--client-header NAME` reads the client address from the header your
//!   reverse proxy sets (`x-forwarded-for`, `x-real-ip` …) instead of the
//!   TCP peer: set it behind a proxy, and only there
//!
//! The server protects itself the way a production deployment should: a
//! rate limit per client address, a cap on requests in progress and on
//! open connections, a header-read timeout (which also closes idle
//! keep-alive connections) and a request timeout. Logs go to stderr at
//! `info` (`RUST_LOG=debug` for more); they carry no personal data.
//!
//! Open the printed address to chat, and `/admin` to see the leads; the
//! admin token is printed at start-up (set `LEADKIT_ADMIN_TOKEN` to choose
//! it).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use async_trait::async_trait;
use hyper::body::Incoming;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use leadkit::axum::axum::extract::ConnectInfo;
use leadkit::axum::axum::http::{HeaderName, Request, StatusCode};
use leadkit::axum::axum::response::Html;
use leadkit::axum::axum::routing::get;
use leadkit::axum::axum::{self, Router};
use leadkit::axum::limits::{ChatLimits, ClientRateLimitLayer, ConcurrencyLimitLayer, Rate};
use leadkit::axum::{AdminToken, ClientAddress, Leadkit, Responder, security_headers};
use leadkit::core::{BotId, ConversationId, Policy, WorkspaceId};
use leadkit::engine::Engine;
use leadkit::sql::{PostgresStore, SqliteStore};
use leadkit::store::{Bot, BotSettings, Store};
use leadkit_workspace::faq;
use tokio::sync::Semaphore;
use tower::ServiceExt;
use tower_http::timeout::TimeoutLayer;

const WORKSPACE: WorkspaceId = WorkspaceId::from_u128(0x1ead_0000_0000_0001);
/// The bot behind the widget.
const FAQ_BOT: BotId = BotId::from_u128(0x1ead_0000_0000_0002);
/// A second bot, so the dashboard's bot filter has something to choose.
const PRICING_BOT: BotId = BotId::from_u128(0x1ead_0000_0000_0003);

const USAGE: &str = "usage: server [--addr HOST:PORT] [--db PATH] \
[--mode off|after-first-query|on-interest|every-reply|before-chat] \
[--settings-max-age SECONDS] [--client-rate PER_MINUTE] [--chat-limits on|off] \
[--client-header NAME]";

/// Open connections at most; the next ones wait in the kernel's backlog.
const MAX_CONNECTIONS: usize = 1024;
/// Requests in progress at most; the next ones get 429 at once.
const MAX_IN_PROGRESS: usize = 256;
/// How long a client may take to send a request's headers, and how long an
/// idle keep-alive connection stays open (hyper starts this timer whenever
/// it waits for the next request head).
const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);
/// How long a request may take, body and answer included.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

struct Options {
    addr: String,
    db: String,
    policy: Policy,
    settings_max_age: Duration,
    client_rate: u32,
    chat_limits: bool,
    client_header: Option<HeaderName>,
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        addr: "127.0.0.1:3000".to_owned(),
        db: "leadkit-demo.sqlite".to_owned(),
        policy: Policy::after_first_query(),
        settings_max_age: leadkit::engine::DEFAULT_SETTINGS_MAX_AGE,
        client_rate: 600,
        chat_limits: true,
        client_header: None,
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--addr" => options.addr = value("--addr")?,
            "--db" => options.db = value("--db")?,
            "--mode" => {
                options.policy = leadkit_workspace::demo::policy_for_mode(&value("--mode")?)?;
            }
            "--settings-max-age" => {
                let text = value("--settings-max-age")?;
                let seconds: u64 = text.parse().map_err(|_| {
                    format!("--settings-max-age takes a number of seconds, not {text:?}")
                })?;
                options.settings_max_age = Duration::from_secs(seconds);
            }
            "--client-rate" => {
                let text = value("--client-rate")?;
                options.client_rate =
                    text.parse().ok().filter(|rate| *rate > 0).ok_or_else(|| {
                        format!("--client-rate takes a positive number, not {text:?}")
                    })?;
            }
            "--chat-limits" => {
                options.chat_limits = match value("--chat-limits")?.as_str() {
                    "on" => true,
                    "off" => false,
                    other => return Err(format!("--chat-limits takes on or off, not {other:?}")),
                }
            }
            "--client-header" => {
                let name = value("--client-header")?;
                options.client_header = Some(
                    HeaderName::try_from(name.as_str())
                        .map_err(|_| format!("{name:?} is not a header name"))?,
                );
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(options)
}

/// The canned FAQ bot answers every query.
struct FaqBot;

#[async_trait]
impl Responder for FaqBot {
    async fn answer(&self, _bot: BotId, _conversation: ConversationId, message: &str) -> String {
        faq::answer(message).to_owned()
    }

    async fn answer_if_any(
        &self,
        _bot: BotId,
        _conversation: ConversationId,
        message: &str,
    ) -> Option<String> {
        faq::lookup(message).map(str::to_owned)
    }
}

/// The demo page: the widget script fills the `#leadkit-chat` box.
fn widget_page() -> String {
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>leadkit demo</title><link rel=\"stylesheet\" href=\"/admin/assets/admin.css\">\
         <script src=\"/leadkit/widget.js\" defer></script></head><body>\
         <header><span class=\"brand\">leadkit demo</span><nav><a href=\"/admin\">Dashboard</a></nav></header>\
         <main><div id=\"leadkit-chat\" data-bot=\"{FAQ_BOT}\" \
         data-greeting=\"Hi! Ask me about pricing, trials, opening hours, shipping, refunds or integrations.\"></div></main>\
         </body></html>\n"
    )
}

async fn open_store(db: &str) -> Result<(Arc<dyn Store>, String), Box<dyn std::error::Error>> {
    match std::env::var("DATABASE_URL") {
        Ok(url) if url.starts_with("postgres://") || url.starts_with("postgresql://") => {
            let store = PostgresStore::connect(&url).await?;
            Ok((Arc::new(store), "PostgreSQL (DATABASE_URL)".to_owned()))
        }
        _ => {
            let store = SqliteStore::open(db).await?;
            Ok((Arc::new(store), format!("SQLite file {db}")))
        }
    }
}

async fn run(options: Options) -> Result<(), Box<dyn std::error::Error>> {
    let (store, described) = open_store(&options.db).await?;
    store
        .put_bot(WORKSPACE, &Bot::new(FAQ_BOT, WORKSPACE, "Website FAQ"))
        .await?;
    store
        .put_bot(
            WORKSPACE,
            &Bot::new(PRICING_BOT, WORKSPACE, "Pricing assistant"),
        )
        .await?;
    let engine = Engine::builder()
        .store(store)
        .default_settings(BotSettings::from_policy(&options.policy))
        .settings_max_age(options.settings_max_age)
        .build()?;
    // A token the operator chose is not printed: they know it, and output
    // often ends up in log collectors.
    let (token, token_text) = match std::env::var("LEADKIT_ADMIN_TOKEN") {
        Ok(token) => (
            AdminToken::new(token)?,
            "(from LEADKIT_ADMIN_TOKEN)".to_owned(),
        ),
        Err(_) => {
            let token = AdminToken::generate();
            let text = token.expose().to_owned();
            (token, text)
        }
    };

    let listener = tokio::net::TcpListener::bind(&options.addr).await?;
    let addr = listener.local_addr()?;
    // Plain HTTP is for a server only this machine can reach; anywhere
    // else the session cookie is `Secure` and HTTPS (a proxy) is needed.
    let development_http = addr.ip().is_loopback();

    let client_address = options
        .client_header
        .map_or(ClientAddress::Peer, ClientAddress::TrustedHeader);
    let chat_limits = if options.chat_limits {
        ChatLimits::default()
    } else {
        ChatLimits::none()
    };

    let page = widget_page();
    let leadkit = Leadkit::new(engine, WORKSPACE, token, Arc::new(FaqBot))
        .insecure_development_http(development_http)
        .client_address(client_address.clone())
        .chat_limits(chat_limits);
    // Outermost first: the concurrency cap, the per-address rate, then the
    // request timeout around the app.
    let app = Router::new()
        .route("/", get(move || async move { Html(page) }))
        .layer(axum::middleware::from_fn(security_headers))
        .merge(leadkit.router())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        .layer(ClientRateLimitLayer::new(
            Rate::per_minute(options.client_rate, options.client_rate / 5),
            client_address,
        ))
        .layer(ConcurrencyLimitLayer::new(MAX_IN_PROGRESS));

    println!("leadkit demo, storing leads in {described}");
    println!("  chat:      http://{addr}/");
    println!("  dashboard: http://{addr}/admin");
    println!("  admin token: {token_text}");
    if !development_http {
        println!("  (not on loopback: sign in to the dashboard over HTTPS, through a TLS proxy)");
    }
    tracing::info!(%addr, "listening");
    serve(listener, app).await
}

/// Serves HTTP/1.1 connections: at most [`MAX_CONNECTIONS`] at once, each
/// with the [`HEADER_READ_TIMEOUT`] (`axum::serve` sets no timeouts, so a
/// client could hold connections open with half-sent requests).
async fn serve(
    listener: tokio::net::TcpListener,
    app: Router,
) -> Result<(), Box<dyn std::error::Error>> {
    let connections = Arc::new(Semaphore::new(MAX_CONNECTIONS));
    loop {
        let permit = connections.clone().acquire_owned().await?;
        let (stream, peer) = match listener.accept().await {
            Ok(accepted) => accepted,
            Err(err) => {
                // Out of file descriptors and the like: wait, do not spin.
                tracing::warn!(error = %err, "accept failed");
                tokio::time::sleep(Duration::from_millis(100)).await;
                continue;
            }
        };
        let app = app.clone();
        tokio::spawn(async move {
            let service = hyper::service::service_fn(move |mut request: Request<Incoming>| {
                // What `into_make_service_with_connect_info` would record.
                request
                    .extensions_mut()
                    .insert(ConnectInfo::<SocketAddr>(peer));
                app.clone().oneshot(request)
            });
            let mut builder = http1::Builder::new();
            builder
                .timer(TokioTimer::new())
                .header_read_timeout(HEADER_READ_TIMEOUT);
            if let Err(err) = builder
                .serve_connection(TokioIo::new(stream), service)
                .await
            {
                tracing::debug!(error = %err, "connection ended with an error");
            }
            drop(permit);
        });
    }
}

/// Log output on stderr: `info` and above unless `RUST_LOG` names another
/// level (`error`, `warn`, `info`, `debug`, `trace`). leadkit logs no
/// personal data at any level.
fn install_logging() {
    let level = std::env::var("RUST_LOG")
        .ok()
        .and_then(|level| level.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::INFO);
    tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .with_ansi(false)
        .init();
}

fn main() -> ExitCode {
    install_logging();
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => return leadkit_workspace::demo::usage_error("server", &message, USAGE),
    };
    leadkit_workspace::demo::run_main("server", run(options))
}
