//! Storage benchmarks for the Leads screen at scale (leadkit-store on
//! leadkit-sql), on file-backed SQLite and, when a server is given, on
//! PostgreSQL.
//!
//! ```text
//! cargo bench -p leadkit-workspace --bench store                 # 1,000,000 leads, SQLite
//! LEADKIT_BENCH_LEADS=100000 cargo bench -p leadkit-workspace --bench store
//! source .ci/postgres.sh && cargo bench -p leadkit-workspace --bench store  # + PostgreSQL
//! ```
//!
//! This is a custom harness (percentiles and peak memory are what the
//! targets are about, which criterion does not report). It prints one
//! Markdown table per backend. Environment:
//!
//! - `LEADKIT_BENCH_LEADS`: fixture size (default 1,000,000), across 20 bots;
//! - `LEADKIT_BENCH_CONVERSATIONS`: conversations (two lines each, half
//!   linked to a lead; default as many as leads);
//! - `LEADKIT_BENCH_SCREENS_ONLY`: only the Leads/Conversations screen rows;
//! - `LEADKIT_BENCH_POSTGRES_URL` or `LEADKIT_TEST_POSTGRES_URL`: also run
//!   on that PostgreSQL server (in a schema of its own, dropped after);
//! - `LEADKIT_BENCH_DIR`: where the SQLite file goes (default: temp dir);
//! - `LEADKIT_BENCH_KEEP`: keep the SQLite file afterwards (to rerun the
//!   export alone: `LEADKIT_BENCH_EXPORT=sqlite:PATH <bench binary>`).
//!
//! The CSV export runs in a child process (this binary again) so that its
//! peak RSS (`VmHWM`) is the export's alone, not the fixture builder's.

use std::io::{self, Write};
use std::str::FromStr;
use std::time::{Duration, Instant};

use chrono::{DateTime, TimeZone, Utc};
use leadkit_core::{
    BotId, Consent, ContactDetails, Conversation, ConversationId, LeadId, LeadStatus, VisitorId,
    WorkspaceId,
};
use leadkit_sql::{PostgresStore, SqliteStore};
use leadkit_store::{
    Bot, COMPANY_FIELD, CsvOptions, Direction, Lead, LeadQuery, LeadUpsert, Role, SortColumn,
    Store, TranscriptMessage, TurnWrite, export_csv,
};

const WS: WorkspaceId = WorkspaceId::from_u128(0x1ead_0000_0000_0000_0000_0000_0000_0001);
const BOTS: u128 = 20;
const CHUNK: usize = 50_000;

const FIRST: [&str; 24] = [
    "Ana", "José", "Zoë", "Mário", "Léa", "Björn", "Chloé", "Łukasz", "Amélie", "João", "Sofía",
    "Noël", "Ingrid", "Renée", "Jürgen", "Inês", "Olivia", "Liam", "Emma", "Noah", "Mia", "Lucas",
    "Élodie", "Søren",
];
const LAST: [&str; 24] = [
    "Souza",
    "Álvarez",
    "Müller",
    "Ångström",
    "O'Brien",
    "García",
    "Dubois",
    "Kowalski",
    "Rossi",
    "Novák",
    "Silva",
    "Schmidt",
    "Nguyễn",
    "Öberg",
    "Martín",
    "Fernández",
    "Smith",
    "Jones",
    "Brown",
    "Wilson",
    "Taylor",
    "Lefèvre",
    "Costa",
    "Straße",
];
const COMPANIES: [&str; 12] = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Stark Industries",
    "Wayne Enterprises",
    "Soylent",
    "Cyberdyne",
    "Aperture",
    "Tyrell",
    "École Lumière",
];

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2025, 1, 1, 0, 0, 0)
        .single()
        .expect("a valid fixed date")
}

fn bot(i: u128) -> BotId {
    BotId::from_u128(0xb07 << 64 | i)
}

/// A cheap deterministic mixer (splitmix64), so the fixture is the same on
/// every run without a random-number dependency.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9e37_79b9_7f4a_7c15);
    x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

fn fixture_lead(n: u64) -> Lead {
    let r = mix(n);
    let pick = |shift: u32, len: usize| ((r >> shift) as usize) % len;
    // Leads arrive over a year in creation order (as they do in production,
    // where a lead is written when it is captured), a few seconds apart
    // with jitter.
    let created =
        t0() + chrono::Duration::milliseconds((n * 31_536) as i64 + ((r >> 8) % 5_000) as i64);
    let mut lead = Lead::new(
        LeadId::from_u128(u128::from(n) + 1),
        WS,
        bot(u128::from(r % 20)),
        created,
    );
    let mut details = ContactDetails::new().with_name(format!(
        "{} {}",
        FIRST[pick(3, FIRST.len())],
        LAST[pick(13, LAST.len())]
    ));
    if !r.is_multiple_of(10) {
        details = details.with_email(format!("user{n}@example{}.com", r % 97));
    }
    if r.is_multiple_of(3) {
        details = details.with_phone(format!("+1415{:07}", n % 10_000_000));
    }
    if r.is_multiple_of(2) {
        details = details.with_custom(COMPANY_FIELD, COMPANIES[pick(23, COMPANIES.len())]);
    }
    for field in [
        leadkit_core::Field::Name,
        leadkit_core::Field::Email,
        leadkit_core::Field::Phone,
    ] {
        if let Some(value) = details.get(field) {
            lead.history.push(leadkit_store::ContactValue::new(
                field.as_str(),
                value,
                created,
            ));
        }
    }
    lead.details = details;
    lead.status = LeadStatus::ALL[pick(33, 5)];
    if !r.is_multiple_of(4) {
        lead.consent = Some(Consent::new(
            r % 4 != 1,
            "We may contact you.",
            "v1",
            created,
        ));
    }
    lead.last_seen_at = created + chrono::Duration::minutes(((r >> 40) % 10_000) as i64);
    lead.visitor = VisitorId::new(format!("visitor-{n}")).ok();
    lead
}

fn percentile(samples: &mut [Duration], p: f64) -> Duration {
    samples.sort_unstable();
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples.get(index).copied().unwrap_or_default()
}

fn ms(d: Duration) -> String {
    format!("{:.3} ms", d.as_secs_f64() * 1000.0)
}

fn vm_hwm_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}

/// A writer that counts bytes and throws them away.
struct Counting(u64);

impl Write for Counting {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

struct Report {
    rows: Vec<(String, String, String)>,
}

impl Report {
    fn add(&mut self, what: &str, value: String, target: &str) {
        eprintln!("  {what}: {value}");
        self.rows.push((what.to_owned(), value, target.to_owned()));
    }

    fn print(&self, backend: &str, leads: u64) {
        println!("\n### {backend}, {leads} leads, {BOTS} bots\n");
        println!("| measurement | result | target |");
        println!("|---|---|---|");
        for (what, value, target) in &self.rows {
            println!("| {what} | {value} | {target} |");
        }
    }
}

async fn build_fixture<S: Store + ?Sized>(
    store: &S,
    leads: u64,
    import: impl AsyncImport,
) -> (Duration, u64) {
    for i in 0..BOTS {
        let name = format!("Bot {i:02}");
        store
            .put_bot(WS, &Bot::new(bot(i), WS, name))
            .await
            .expect("register bot");
    }
    let start = Instant::now();
    let mut n = 0u64;
    while n < leads {
        let end = (n + CHUNK as u64).min(leads);
        let chunk: Vec<Lead> = (n..end).map(fixture_lead).collect();
        import.import(&chunk).await;
        n = end;
        eprint!("\r  fixture: {n}/{leads}");
    }
    eprintln!();
    (start.elapsed(), n)
}

trait AsyncImport {
    fn import(&self, leads: &[Lead]) -> impl Future<Output = ()>;
    /// Links conversations to leads in bulk (the fixture's stand-in for
    /// `link_conversation`, one row per link; the triggers run as usual).
    fn link(&self, links: &[(ConversationId, LeadId)]) -> impl Future<Output = ()>;
}

struct SqliteImport<'a>(&'a SqliteStore);
impl AsyncImport for SqliteImport<'_> {
    async fn import(&self, leads: &[Lead]) {
        self.0.import_leads(WS, leads).await.expect("import");
    }

    async fn link(&self, links: &[(ConversationId, LeadId)]) {
        let mut qb = sqlx::QueryBuilder::<sqlx::Sqlite>::new(
            "INSERT INTO lead_conversations (workspace_id, lead_id, conversation_id) ",
        );
        qb.push_values(links, |mut b, (c, l)| {
            b.push_bind(*WS.as_uuid())
                .push_bind(*l.as_uuid())
                .push_bind(*c.as_uuid());
        });
        qb.build().execute(self.0.pool()).await.expect("link");
    }
}

struct PgImport<'a>(&'a PostgresStore);
impl AsyncImport for PgImport<'_> {
    async fn import(&self, leads: &[Lead]) {
        self.0.import_leads(WS, leads).await.expect("import");
    }

    async fn link(&self, links: &[(ConversationId, LeadId)]) {
        let mut qb = sqlx::QueryBuilder::<sqlx::Postgres>::new(
            "INSERT INTO lead_conversations (workspace_id, lead_id, conversation_id) ",
        );
        qb.push_values(links, |mut b, (c, l)| {
            b.push_bind(*WS.as_uuid())
                .push_bind(*l.as_uuid())
                .push_bind(*c.as_uuid());
        });
        qb.build().execute(self.0.pool()).await.expect("link");
    }
}

const CITIES: [&str; 40] = [
    "Lisbon",
    "Porto",
    "Madrid",
    "Seville",
    "Paris",
    "Lyon",
    "Berlin",
    "Munich",
    "Hamburg",
    "Vienna",
    "Zurich",
    "Geneva",
    "Milan",
    "Rome",
    "Naples",
    "Athens",
    "Warsaw",
    "Krakow",
    "Prague",
    "Budapest",
    "Oslo",
    "Bergen",
    "Stockholm",
    "Helsinki",
    "Tallinn",
    "Riga",
    "Vilnius",
    "Dublin",
    "Cork",
    "Edinburgh",
    "Glasgow",
    "London",
    "Leeds",
    "Boston",
    "Austin",
    "Denver",
    "Toronto",
    "Montreal",
    "Sydney",
    "Auckland",
];

/// Conversation `n` (of the fixture): two lines, a visitor's question and
/// the bot's answer, a city (common words) and an order number (rare).
fn fixture_conversation(n: u64) -> [TranscriptMessage; 2] {
    let r = mix(n ^ 0xc0ffee);
    let c = ConversationId::from_u128(0xc0 << 96 | u128::from(n));
    let bot = bot(u128::from(r % 20));
    let city = CITIES[(r >> 7) as usize % CITIES.len()];
    // Over a year, like the leads, in creation order.
    let at = t0() + chrono::Duration::milliseconds((n * 31_536) as i64 + ((r >> 9) % 5_000) as i64);
    [
        TranscriptMessage::new(
            c,
            bot,
            Role::Visitor,
            format!("Hi, do you ship to {city}? It is about order {n:07}."),
            at,
        ),
        TranscriptMessage::new(
            c,
            bot,
            Role::Assistant,
            format!("Yes, we ship to {city} in {} days.", 2 + r % 5),
            at + chrono::Duration::seconds(20),
        ),
    ]
}

/// `conversations` conversations of two lines each, every other one
/// linked to a lead.
async fn build_conversations<S: Store + ?Sized>(
    store: &S,
    conversations: u64,
    leads: u64,
    import: &impl AsyncImport,
) -> Duration {
    let start = Instant::now();
    let mut n = 0u64;
    while n < conversations {
        let end = (n + 1_000).min(conversations);
        let lines: Vec<TranscriptMessage> = (n..end).flat_map(fixture_conversation).collect();
        store.append_messages(WS, &lines).await.expect("lines");
        let links: Vec<(ConversationId, LeadId)> = (n..end)
            .filter(|i| i.is_multiple_of(2) && leads > 0)
            .map(|i| {
                (
                    fixture_conversation(i)[0].conversation,
                    LeadId::from_u128(u128::from(mix(i) % leads) + 1),
                )
            })
            .collect();
        if !links.is_empty() {
            import.link(&links).await;
        }
        n = end;
        if n.is_multiple_of(50_000) || n == conversations {
            eprint!("\r  conversations: {n}/{conversations}");
        }
    }
    eprintln!();
    start.elapsed()
}

/// The Leads and Conversations screens' pages exactly as the dashboard
/// runs them, and transcript search.
async fn measure_screens<S: Store + ?Sized>(store: &S, report: &mut Report) {
    use leadkit_store::ConversationQuery;
    // The Leads screen: a page of 50 and the bot names; no count (the
    // dashboard counts only a one-page result, or on request).
    let mut samples = Vec::new();
    for i in 0..40u128 {
        let mut query = match i % 5 {
            0 => LeadQuery::new(),
            1 => LeadQuery::new().bots([bot(i % BOTS)]),
            2 => LeadQuery::new().statuses([LeadStatus::New]).has_email(true),
            3 => LeadQuery::new().sort(SortColumn::Name, Direction::Asc),
            _ => LeadQuery::new()
                .bots([bot(i % BOTS)])
                .sort(SortColumn::LastSeenAt, Direction::Desc),
        };
        for _page in 0..3 {
            let start = Instant::now();
            let page = store.query_leads(WS, &query).await.expect("leads page");
            std::hint::black_box(store.list_bots(WS).await.expect("bots"));
            samples.push(start.elapsed());
            match page.next {
                Some(cursor) => query = query.after(cursor),
                None => break,
            }
        }
    }
    report.add(
        "Leads screen page as the dashboard runs it (page of 50 + bot names, no count; 5 filters/sorts, pages 1–3) p50 / p95",
        format!(
            "{} / {}",
            ms(percentile(&mut samples, 0.5)),
            ms(percentile(&mut samples, 0.95))
        ),
        "p95 ≤ 10 ms",
    );

    // The Conversations screen: a page of 50, each linked lead's name, the
    // bot names.
    let mut samples = Vec::new();
    for i in 0..40u128 {
        let mut query = match i % 4 {
            0 => ConversationQuery::new(),
            1 => ConversationQuery::new().bot(bot(i % BOTS)),
            2 => ConversationQuery::new().has_lead(false),
            _ => ConversationQuery::new().has_lead(true).bot(bot(i % BOTS)),
        };
        for _page in 0..3 {
            let start = Instant::now();
            let page = store
                .list_conversations(WS, &query)
                .await
                .expect("conversations page");
            let mut seen = std::collections::HashSet::new();
            for lead in page.conversations.iter().filter_map(|c| c.lead) {
                if seen.insert(lead) {
                    std::hint::black_box(store.get_lead(WS, lead).await.expect("lead"));
                }
            }
            std::hint::black_box(store.list_bots(WS).await.expect("bots"));
            samples.push(start.elapsed());
            match page.next {
                Some(cursor) => query = query.after(cursor),
                None => break,
            }
        }
    }
    report.add(
        "Conversations screen page as the dashboard runs it (page of 50 + linked leads + bot names; 4 filters, pages 1–3) p50 / p95",
        format!(
            "{} / {}",
            ms(percentile(&mut samples, 0.5)),
            ms(percentile(&mut samples, 0.95))
        ),
        "p95 ≤ 10 ms",
    );

    // Transcript search: common words (a city: 1 conversation in 40) and
    // rare ones (one order number).
    let mut samples = Vec::new();
    for round in 0..3u64 {
        for (i, city) in CITIES.iter().enumerate().take(10) {
            let common = ConversationQuery::new().search(city.to_lowercase());
            let start = Instant::now();
            std::hint::black_box(store.list_conversations(WS, &common).await.expect("search"));
            samples.push(start.elapsed());
            let rare = ConversationQuery::new()
                .search(format!("order {:07}", mix(round * 10 + i as u64) % 1_000));
            let start = Instant::now();
            std::hint::black_box(store.list_conversations(WS, &rare).await.expect("search"));
            samples.push(start.elapsed());
        }
    }
    report.add(
        "free-text search over transcripts, first page of 50 (10 common words, 10 order numbers; ×3) p50 / p95",
        format!(
            "{} / {}",
            ms(percentile(&mut samples, 0.5)),
            ms(percentile(&mut samples, 0.95))
        ),
        "p95 ≤ 100 ms",
    );
}

async fn measure<S: Store + ?Sized>(store: &S, report: &mut Report, leads: u64, backend: &str) {
    // Free-text search: first page (50, newest first) for a mix of terms.
    let terms = [
        "souza",
        "alvarez",
        "muller",
        "angstrom",
        "o'brien",
        "nguyen",
        "lefevre",
        "strasse",
        "user12345",
        "user99",
        "example42",
        "+1415000",
        "5551",
        "acme",
        "ecole",
        "stark",
        "zoe",
        "jose",
        "lukasz",
        "elodie",
    ];
    let mut samples = Vec::new();
    for _round in 0..5 {
        for term in terms {
            let query = LeadQuery::new().search(term);
            let start = Instant::now();
            let page = store.query_leads(WS, &query).await.expect("search");
            samples.push(start.elapsed());
            std::hint::black_box(page);
        }
    }
    let p50 = percentile(&mut samples, 0.5);
    let p95 = percentile(&mut samples, 0.95);
    report.add(
        "free-text search, first page of 50 (p50 / p95)",
        format!("{} / {}", ms(p50), ms(p95)),
        "p95 ≤ 50 ms",
    );
    // A rare term (matches a handful of leads), which must read the whole index.
    let mut samples = Vec::new();
    for i in 0..20u64 {
        let term = format!("user{}@", (mix(i) % leads.max(1)));
        let start = Instant::now();
        let page = store
            .query_leads(WS, &LeadQuery::new().search(term))
            .await
            .expect("search");
        samples.push(start.elapsed());
        std::hint::black_box(page);
    }
    let p95 = percentile(&mut samples, 0.95);
    let p50 = percentile(&mut samples, 0.5);
    report.add(
        "free-text search for one exact email, rare match (p50 / p95)",
        format!("{} / {}", ms(p50), ms(p95)),
        "p95 ≤ 50 ms",
    );

    // Filtered, sorted pages: bot + status + has email, several sorts, first
    // and following pages through the cursor.
    let mut samples = Vec::new();
    for i in 0..40u128 {
        let (column, direction) = [
            (SortColumn::CreatedAt, Direction::Desc),
            (SortColumn::Name, Direction::Asc),
            (SortColumn::LastSeenAt, Direction::Desc),
            (SortColumn::Company, Direction::Asc),
        ][(i % 4) as usize];
        let mut query = LeadQuery::new()
            .bots([bot(i % BOTS), bot((i + 7) % BOTS)])
            .statuses([LeadStatus::New, LeadStatus::Contacted])
            .has_email(true)
            .sort(column, direction)
            .limit(50);
        for _page in 0..3 {
            let start = Instant::now();
            let page = store.query_leads(WS, &query).await.expect("page");
            samples.push(start.elapsed());
            match page.next {
                Some(cursor) => query = query.after(cursor),
                None => break,
            }
        }
    }
    let p50 = percentile(&mut samples, 0.5);
    let p95 = percentile(&mut samples, 0.95);
    report.add(
        "filtered, sorted page of 50 (p50 / p95)",
        format!("{} / {}", ms(p50), ms(p95)),
        "p95 ≤ 10 ms",
    );

    // Total count of a filtered query (the Leads screen's "N leads").
    let mut samples = Vec::new();
    for i in 0..10u128 {
        let query = LeadQuery::new().bots([bot(i)]).statuses([LeadStatus::New]);
        let start = Instant::now();
        std::hint::black_box(store.count_leads(WS, &query).await.expect("count"));
        samples.push(start.elapsed());
    }
    report.add(
        "count of a filtered query (p50)",
        ms(percentile(&mut samples, 0.5)),
        "—",
    );

    // Ingest through the real upsert path, one transaction per lead.
    let ingest = 5_000u64;
    let start = Instant::now();
    for i in 0..ingest {
        let n = leads + 10 + i;
        let details = ContactDetails::new()
            .with_name("New Lead")
            .with_email(format!("ingest{n}@example.com"));
        let upsert = LeadUpsert::new(
            LeadId::from_u128(u128::from(n) + 1),
            bot(u128::from(i) % BOTS),
            details,
            t0(),
        );
        store.upsert_lead(WS, &upsert).await.expect("upsert");
    }
    let secs = start.elapsed().as_secs_f64();
    report.add(
        "lead ingest via upsert_lead (one transaction each)",
        format!("{:.0} leads/s", ingest as f64 / secs),
        "—",
    );

    // Transcript lines, a turn's two lines per call.
    let calls = 5_000u128;
    let start = Instant::now();
    for i in 0..calls {
        let c = ConversationId::from_u128(0xc0 << 64 | i);
        let lines = [
            TranscriptMessage::new(
                c,
                bot(i % BOTS),
                Role::Visitor,
                "Do you ship to Lisbon?",
                t0(),
            ),
            TranscriptMessage::new(c, bot(i % BOTS), Role::Assistant, "Yes, in 3 days.", t0()),
        ];
        store.append_messages(WS, &lines).await.expect("append");
    }
    let secs = start.elapsed().as_secs_f64();
    report.add(
        "transcript ingest, 2 lines per call",
        format!("{:.0} lines/s", (calls * 2) as f64 / secs),
        "—",
    );

    // One chat turn: state (CAS) + two lines + a lead upsert, one transaction.
    let mut samples = Vec::new();
    for i in 0..3_000u128 {
        let c = ConversationId::from_u128(0x7 << 64 | i);
        let n = (mix(i as u64) % leads.max(1)) as u128;
        // Half the turns update an existing lead, half create one.
        let email = if i % 2 == 0 {
            format!("user{n}@example{}.com", mix(n as u64) % 97)
        } else {
            format!("turn{i}@example.com")
        };
        let upsert = LeadUpsert::new(
            LeadId::from_u128(0x7 << 96 | i),
            bot(i % BOTS),
            ContactDetails::new().with_email(email),
            t0(),
        )
        .visitor(VisitorId::new(format!("turn-visitor-{i}")).expect("valid"));
        let turn = TurnWrite::new(c, Conversation::new(), None)
            .message(TranscriptMessage::new(
                c,
                bot(i % BOTS),
                Role::Visitor,
                "I'm interested, my email is in the form",
                t0(),
            ))
            .message(TranscriptMessage::new(
                c,
                bot(i % BOTS),
                Role::Assistant,
                "Thanks, we'll be in touch.",
                t0(),
            ))
            .lead(upsert);
        let start = Instant::now();
        store.persist_turn(WS, &turn).await.expect("persist turn");
        samples.push(start.elapsed());
    }
    let p50 = percentile(&mut samples, 0.5);
    let p99 = percentile(&mut samples, 0.99);
    report.add(
        "one chat turn persisted (state + 2 lines + lead upsert, 1 transaction) p50 / p99",
        format!("{} / {}", ms(p50), ms(p99)),
        if backend == "SQLite" {
            "p50 ≤ 1 ms"
        } else {
            "—"
        },
    );
}

/// Runs the export in a child process and reads back its figures.
fn export_in_child(target: &str) -> (u64, f64, u64) {
    let output = std::process::Command::new(std::env::current_exe().expect("own path"))
        .env("LEADKIT_BENCH_EXPORT", target)
        .stderr(std::process::Stdio::inherit())
        .output()
        .expect("run the export child");
    assert!(output.status.success(), "export child failed");
    let text = String::from_utf8_lossy(&output.stdout);
    let mut parts = text.split_whitespace();
    let mut next = || parts.next().expect("child output").to_owned();
    let rows = next().parse().expect("rows");
    let secs = next().parse().expect("seconds");
    let hwm = next().parse().expect("VmHWM");
    (rows, secs, hwm)
}

async fn export_child(target: &str) {
    let start = Instant::now();
    let mut out = Counting(0);
    let rows = if let Some(path) = target.strip_prefix("sqlite:") {
        let store = SqliteStore::open(path).await.expect("open");
        export_csv(&store, WS, &LeadQuery::new(), &mut out, CsvOptions::new())
            .await
            .expect("export")
    } else {
        let (url, schema) = target.rsplit_once('#').expect("url#schema");
        let options = sqlx::postgres::PgConnectOptions::from_str(url)
            .expect("url")
            .options([("search_path", format!("{schema},public"))]);
        let store = PostgresStore::connect_with(options, 2)
            .await
            .expect("connect");
        export_csv(&store, WS, &LeadQuery::new(), &mut out, CsvOptions::new())
            .await
            .expect("export")
    };
    let secs = start.elapsed().as_secs_f64();
    println!("{rows} {secs} {}", vm_hwm_kib());
}

fn report_export(report: &mut Report, target: &str) {
    let (rows, secs, hwm) = export_in_child(target);
    report.add(
        "CSV export of every row (child process)",
        format!(
            "{rows} rows in {secs:.2} s = {:.0} rows/s",
            rows as f64 / secs
        ),
        "≥ 500k rows/s",
    );
    report.add(
        "CSV export peak RSS (VmHWM of the child)",
        format!("{:.1} MiB", hwm as f64 / 1024.0),
        "≤ 64 MB",
    );
}

async fn run_sqlite(leads: u64) {
    let dir = std::env::var("LEADKIT_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| std::env::temp_dir())
        .join(format!("leadkit-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("bench dir");
    let path = dir.join("leads.db");
    let store = SqliteStore::open(&path).await.expect("open SQLite");
    eprintln!("SQLite at {}", path.display());
    let mut report = Report { rows: Vec::new() };
    let (took, n) = build_fixture(&store, leads, SqliteImport(&store)).await;
    report.add(
        "bulk import of the fixture (import_leads, 50k per transaction)",
        format!("{:.0} leads/s", n as f64 / took.as_secs_f64()),
        "—",
    );
    let conversations = conversation_count(leads);
    let took = build_conversations(&store, conversations, leads, &SqliteImport(&store)).await;
    report.add(
        "conversations fixture (2 lines each, 1,000 conversations per append_messages, half linked)",
        format!(
            "{conversations} conversations, {:.0} lines/s",
            (conversations * 2) as f64 / took.as_secs_f64()
        ),
        "—",
    );
    sqlx::query("ANALYZE")
        .execute(store.pool())
        .await
        .expect("analyze");
    measure_screens(&store, &mut report).await;
    if !screens_only() {
        measure(&store, &mut report, leads, "SQLite").await;
    }
    store.close().await;
    if !screens_only() {
        report_export(&mut report, &format!("sqlite:{}", path.display()));
    }
    let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
    report.add(
        "database file size",
        format!("{:.0} MiB", size as f64 / 1048576.0),
        "—",
    );
    report.print("SQLite (file, WAL)", leads);
    if std::env::var_os("LEADKIT_BENCH_KEEP").is_some() {
        eprintln!("kept {}", path.display());
    } else {
        std::fs::remove_dir_all(&dir).expect("clean up");
    }
}

async fn run_postgres(url: &str, leads: u64) {
    use sqlx::Executor;
    let schema = format!("leadkit_bench_{}", std::process::id());
    let admin = sqlx::postgres::PgPoolOptions::new()
        .max_connections(1)
        .connect(url)
        .await
        .expect("connect");
    admin
        .execute(format!("CREATE SCHEMA \"{schema}\"").as_str())
        .await
        .expect("schema");
    let options = sqlx::postgres::PgConnectOptions::from_str(url)
        .expect("url")
        .options([("search_path", format!("{schema},public"))]);
    let store = PostgresStore::connect_with(options, 8)
        .await
        .expect("connect");
    let mut report = Report { rows: Vec::new() };
    let (took, n) = build_fixture(&store, leads, PgImport(&store)).await;
    report.add(
        "bulk import of the fixture (import_leads, 50k per transaction)",
        format!("{:.0} leads/s", n as f64 / took.as_secs_f64()),
        "—",
    );
    let conversations = conversation_count(leads);
    let took = build_conversations(&store, conversations, leads, &PgImport(&store)).await;
    report.add(
        "conversations fixture (2 lines each, 1,000 conversations per append_messages, half linked)",
        format!(
            "{conversations} conversations, {:.0} lines/s",
            (conversations * 2) as f64 / took.as_secs_f64()
        ),
        "—",
    );
    store.pool().execute("ANALYZE").await.expect("analyze");
    measure_screens(&store, &mut report).await;
    if !screens_only() {
        measure(&store, &mut report, leads, "PostgreSQL").await;
    }
    store.close().await;
    if !screens_only() {
        report_export(&mut report, &format!("{url}#{schema}"));
    }
    report.print("PostgreSQL", leads);
    admin
        .execute(format!("DROP SCHEMA \"{schema}\" CASCADE").as_str())
        .await
        .expect("drop schema");
}

/// `LEADKIT_BENCH_CONVERSATIONS` (default: as many as leads).
fn conversation_count(leads: u64) -> u64 {
    std::env::var("LEADKIT_BENCH_CONVERSATIONS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(leads)
}

/// `LEADKIT_BENCH_SCREENS_ONLY`: only the dashboard screens' rows (skips
/// ingest, turns, the older search rows and the export).
fn screens_only() -> bool {
    std::env::var_os("LEADKIT_BENCH_SCREENS_ONLY").is_some()
}

fn main() {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    if let Ok(target) = std::env::var("LEADKIT_BENCH_EXPORT") {
        runtime.block_on(export_child(&target));
        return;
    }
    // `cargo bench` passes `--bench`; anything else (e.g. `cargo test
    // --benches`) only checks that the binary runs.
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let leads: u64 = std::env::var("LEADKIT_BENCH_LEADS")
        .ok()
        .and_then(|v| v.replace('_', "").parse().ok())
        .unwrap_or(1_000_000);
    runtime.block_on(run_sqlite(leads));
    let url = std::env::var("LEADKIT_BENCH_POSTGRES_URL")
        .or_else(|_| std::env::var("LEADKIT_TEST_POSTGRES_URL"));
    match url {
        Ok(url) => runtime.block_on(run_postgres(&url, leads)),
        Err(_) => eprintln!(
            "PostgreSQL skipped: set LEADKIT_BENCH_POSTGRES_URL (or `source .ci/postgres.sh`)"
        ),
    }
}
