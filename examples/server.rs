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
//!   (default `after-first-query`)
//!
//! Open the printed address to chat, and `/admin` to see the leads; the
//! admin token is printed at start-up (set `LEADKIT_ADMIN_TOKEN` to choose
//! it).

use std::process::ExitCode;
use std::sync::Arc;

use async_trait::async_trait;
use leadkit::axum::axum::response::Html;
use leadkit::axum::axum::routing::get;
use leadkit::axum::axum::{self, Router};
use leadkit::axum::{AdminToken, Leadkit, Responder, security_headers};
use leadkit::core::{BotId, ConversationId, Policy, WorkspaceId};
use leadkit::engine::{Engine, StaticPolicies};
use leadkit::sql::{PostgresStore, SqliteStore};
use leadkit::store::{Bot, Store};
use leadkit_workspace::faq;

const WORKSPACE: WorkspaceId = WorkspaceId::from_u128(0x1ead_0000_0000_0001);
/// The bot behind the widget.
const FAQ_BOT: BotId = BotId::from_u128(0x1ead_0000_0000_0002);
/// A second bot, so the dashboard's bot filter has something to choose.
const PRICING_BOT: BotId = BotId::from_u128(0x1ead_0000_0000_0003);

const USAGE: &str = "usage: server [--addr HOST:PORT] [--db PATH] \
[--mode off|after-first-query|on-interest|every-reply|before-chat]";

struct Options {
    addr: String,
    db: String,
    policy: Policy,
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut options = Options {
        addr: "127.0.0.1:3000".to_owned(),
        db: "leadkit-demo.sqlite".to_owned(),
        policy: Policy::after_first_query(),
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
        .policies(Arc::new(StaticPolicies::new(options.policy)))
        .build()?;
    let token = match std::env::var("LEADKIT_ADMIN_TOKEN") {
        Ok(token) => AdminToken::new(token)?,
        Err(_) => AdminToken::generate(),
    };
    let token_text = token.expose().to_owned();

    let listener = tokio::net::TcpListener::bind(&options.addr).await?;
    let addr = listener.local_addr()?;
    // Plain HTTP is for a server only this machine can reach; anywhere
    // else the session cookie is `Secure` and HTTPS (a proxy) is needed.
    let development_http = addr.ip().is_loopback();

    let page = widget_page();
    let leadkit = Leadkit::new(engine, WORKSPACE, token, Arc::new(FaqBot))
        .insecure_development_http(development_http);
    let app = Router::new()
        .route("/", get(move || async move { Html(page) }))
        .layer(axum::middleware::from_fn(security_headers))
        .merge(leadkit.router());

    println!("leadkit demo, storing leads in {described}");
    println!("  chat:      http://{addr}/");
    println!("  dashboard: http://{addr}/admin");
    println!("  admin token: {token_text}");
    if !development_http {
        println!("  (not on loopback: sign in to the dashboard over HTTPS, through a TLS proxy)");
    }
    axum::serve(
        listener,
        app.into_make_service_with_connect_info::<std::net::SocketAddr>(),
    )
    .await?;
    Ok(())
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
