//! A terminal chat with a small FAQ bot and lead capture on an embedded
//! SQLite file.
//!
//! ```text
//! cargo run --example chat -- [--mode MODE] [--fields SPEC] [--db PATH] [--json] [--export FILE] [--locale TAG]
//! ```
//!
//! - `--mode off|after-first-query|on-interest|every-reply|before-chat`
//!   (default `after-first-query`)
//! - `--fields` the fields to ask for, e.g. `name,email` or `email|phone`
//!   (`field?` for optional)
//! - `--db PATH` the SQLite file (default `leadkit-chat.sqlite`; `:memory:`
//!   for none)
//! - `--json` one JSON object per turn instead of the chat text:
//!   `{"turn":N,"action":"answer|ask|gate|correct","fields":[…],"reply":"…","lead":{…}|null}`
//! - `--export FILE` writes the workspace's leads as CSV when the chat ends
//!
//! At a terminal it prompts for each line; otherwise it reads one visitor
//! message per line from stdin, so it can be scripted:
//!
//! ```text
//! printf 'How much is the Team plan?\nI am Ana, ana@example.com\n' | cargo run --example chat -- --json
//! ```

use std::io::{self, BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;

use leadkit::core::{BotId, ConversationId, FieldRequirements, Policy, WorkspaceId};
use leadkit::engine::{Engine, StaticPolicies, TurnReply, Visit};
use leadkit::messages::Locale;
use leadkit::sql::SqliteStore;
use leadkit::store::{Bot, BotStore, CsvOptions, LeadQuery, Store, export_csv};
use leadkit_workspace::faq;
use serde::Serialize;
use serde_json::json;

const WORKSPACE: WorkspaceId = WorkspaceId::from_u128(0x1ead_0000_0000_0001);
const BOT: BotId = BotId::from_u128(0x1ead_0000_0000_0002);

const USAGE: &str = "usage: chat [--mode off|after-first-query|on-interest|every-reply|before-chat] \
[--fields SPEC] [--db PATH] [--json] [--export FILE] [--locale TAG]";

struct Options {
    policy: Policy,
    db: String,
    json: bool,
    export: Option<String>,
    locale: Locale,
}

fn parse_args(args: impl Iterator<Item = String>) -> Result<Options, String> {
    let mut mode = "after-first-query".to_owned();
    let mut fields: Option<FieldRequirements> = None;
    let mut options = Options {
        policy: Policy::default(),
        db: "leadkit-chat.sqlite".to_owned(),
        json: false,
        export: None,
        locale: Locale::English,
    };
    let mut args = args.peekable();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match arg.as_str() {
            "--mode" => mode = value("--mode")?,
            "--fields" => {
                let spec = value("--fields")?;
                fields = Some(
                    spec.parse()
                        .map_err(|err| format!("--fields {spec:?}: {err}"))?,
                );
            }
            "--db" => options.db = value("--db")?,
            "--json" => options.json = true,
            "--export" => options.export = Some(value("--export")?),
            "--locale" => {
                let tag = value("--locale")?;
                options.locale = tag
                    .parse()
                    .map_err(|err| format!("--locale {tag:?}: {err}"))?;
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    options.policy = leadkit_workspace::demo::policy_for_mode(&mode)?;
    if let Some(fields) = fields {
        options.policy.fields = fields;
    }
    Ok(options)
}

/// One `--json` line, fields in the documented order.
#[derive(Serialize)]
struct TurnLine<'a> {
    turn: u32,
    action: &'static str,
    fields: Vec<&'static str>,
    reply: &'a str,
    lead: serde_json::Value,
}

fn action_name(reply: &TurnReply) -> &'static str {
    reply.kind().as_str()
}

/// The reply the visitor sees: the engine's acknowledgement ("Thanks, Ana —
/// we'll be in touch.", "No problem."), the FAQ answer (unless held) and the
/// prompt. A message that only gave details or declined gets the
/// acknowledgement alone, not the FAQ's "ask me about …" fallback.
fn compose(message: &str, reply: &TurnReply) -> String {
    let answer = reply.answers_query().then(|| {
        let acknowledgement = reply.acknowledgement.as_ref().map(|a| a.as_str());
        match (acknowledgement, faq::lookup(message)) {
            (Some(thanks), Some(answer)) => format!("{thanks} {answer}"),
            (Some(thanks), None) => thanks.to_owned(),
            (None, Some(answer)) => answer.to_owned(),
            (None, None) => faq::FALLBACK.to_owned(),
        }
    });
    match (answer, reply.prompt.as_deref()) {
        (Some(answer), Some(prompt)) => format!("{answer} {prompt}"),
        (Some(answer), None) => answer,
        (None, Some(prompt)) => prompt.to_owned(),
        (None, None) => String::new(),
    }
}

fn lead_json(reply: &TurnReply) -> serde_json::Value {
    match &reply.lead {
        Some(lead) => json!({
            "id": lead.id.to_string(),
            "name": lead.details.name.as_ref().map(|v| v.expose()),
            "email": lead.details.email.as_ref().map(|v| v.expose()),
            "phone": lead.details.phone.as_ref().map(|v| v.expose()),
            "status": lead.status.as_str(),
            "consent": lead.consent.as_ref().map(|c| c.given),
        }),
        None => serde_json::Value::Null,
    }
}

async fn run(options: Options) -> Result<(), Box<dyn std::error::Error>> {
    let store: Arc<SqliteStore> = Arc::new(if options.db == ":memory:" {
        SqliteStore::open_in_memory().await?
    } else {
        SqliteStore::open(&options.db).await?
    });
    store
        .put_bot(WORKSPACE, &Bot::new(BOT, WORKSPACE, "FAQ bot"))
        .await?;
    let engine = Engine::builder()
        .store(store.clone() as Arc<dyn Store>)
        .policies(Arc::new(StaticPolicies::new(options.policy.clone())))
        .build()?;
    let conversation: ConversationId = engine.new_conversation_id();
    let visit = Visit::new(WORKSPACE, BOT, conversation).with_locale(options.locale);

    let stdin = io::stdin();
    let interactive = stdin.is_terminal();
    let mut stdout = io::stdout().lock();
    if interactive && !options.json {
        let mode = if options.policy.enabled {
            format!("{:?}", options.policy.mode)
        } else {
            "off".to_owned()
        };
        writeln!(
            stdout,
            "leadkit chat (lead capture: {mode}, fields {}). Ctrl-D to end.",
            options.policy.fields
        )?;
    }
    let mut lines = stdin.lock().lines();
    loop {
        if interactive && !options.json {
            write!(stdout, "you> ")?;
            stdout.flush()?;
        }
        let Some(line) = lines.next() else { break };
        let line = line?;
        let message = line.trim();
        if message.is_empty() {
            continue;
        }
        let reply = engine.user_message(&visit, message).await?;
        let text = compose(message, &reply);
        engine.assistant_message(&visit, &text).await?;
        if options.json {
            let fields: Vec<&str> = reply.action.fields().iter().map(|f| f.as_str()).collect();
            let line = TurnLine {
                turn: reply.turn,
                action: action_name(&reply),
                fields,
                reply: &text,
                lead: lead_json(&reply),
            };
            writeln!(stdout, "{}", serde_json::to_string(&line)?)?;
        } else {
            writeln!(stdout, "bot> {text}")?;
            if let Some(lead) = &reply.lead {
                writeln!(
                    stdout,
                    "     [lead saved: {}, status {}]",
                    lead.details.fields(),
                    lead.status
                )?;
            }
        }
    }
    if let Some(path) = &options.export {
        let file = io::BufWriter::new(std::fs::File::create(path)?);
        let rows = export_csv(
            store.as_ref(),
            WORKSPACE,
            &LeadQuery::new(),
            file,
            CsvOptions::new(),
        )
        .await?;
        if !options.json {
            writeln!(stdout, "exported {rows} lead(s) to {path}")?;
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let options = match parse_args(std::env::args().skip(1)) {
        Ok(options) => options,
        Err(message) => return leadkit_workspace::demo::usage_error("chat", &message, USAGE),
    };
    if let Err(err) = options.policy.validate() {
        eprintln!("chat: {err}");
        return ExitCode::from(2);
    }
    leadkit_workspace::demo::run_main("chat", run(options))
}
