//! What the engine makes of a visitor's details on SQLite: a national phone
//! number read in the bot's or visit's region, or the visitor asked for the
//! country code when there is none; and the acknowledgement a turn carries
//! ("Thanks, Ana — we'll be in touch.", "No problem.").
#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

use std::path::PathBuf;
use std::sync::Arc;

use leadkit::core::{ActionKind, BotId, ConversationId, Field, InvalidReason, Policy, WorkspaceId};
use leadkit::engine::{
    Engine, EngineBuilder, Happened, PhoneRegion, StaticPolicies, TurnReply, Visit,
};
use leadkit::messages::Locale;
use leadkit::sql::SqliteStore;
use leadkit::store::{Bot, BotStore, LeadQuery, LeadStore};

const BOT: BotId = BotId::from_u128(0x14);

struct Db {
    dir: PathBuf,
    store: Arc<SqliteStore>,
    workspace: WorkspaceId,
}

impl Db {
    async fn new() -> Self {
        let dir = std::env::temp_dir().join(format!("leadkit-replies-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = Arc::new(SqliteStore::open(dir.join("leads.sqlite")).await.unwrap());
        let workspace = WorkspaceId::from_uuid(uuid::Uuid::new_v4());
        store
            .put_bot(workspace, &Bot::new(BOT, workspace, "Website"))
            .await
            .unwrap();
        Self {
            dir,
            store,
            workspace,
        }
    }

    fn engine(
        &self,
        policy: Policy,
        configure: impl FnOnce(EngineBuilder) -> EngineBuilder,
    ) -> Engine {
        configure(
            Engine::builder()
                .store(self.store.clone())
                .policies(Arc::new(StaticPolicies::new(policy))),
        )
        .build()
        .unwrap()
    }

    fn visit(&self, conversation: u128) -> Visit {
        Visit::new(self.workspace, BOT, ConversationId::from_u128(conversation))
    }

    async fn phones(&self) -> Vec<String> {
        let page = self
            .store
            .query_leads(self.workspace, &LeadQuery::new())
            .await
            .unwrap();
        page.leads
            .iter()
            .filter_map(|lead| lead.details.get(Field::Phone).map(str::to_owned))
            .collect()
    }
}

impl Drop for Db {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn gb() -> PhoneRegion {
    "GB".parse().unwrap()
}

/// Sends the message and records a bot reply, as a chat server would.
async fn turn(engine: &Engine, visit: &Visit, text: &str) -> TurnReply {
    let reply = engine.user_message(visit, text).await.unwrap();
    engine.assistant_message(visit, "(answer)").await.unwrap();
    reply
}

#[tokio::test]
async fn a_national_number_on_a_gb_engine_becomes_an_e164_lead() {
    let db = Db::new().await;
    let engine = db.engine(Policy::before_chat(), |b| b.default_region(gb()));
    let reply = turn(&engine, &db.visit(1), "my number is 020 7946 0958").await;
    assert_eq!(
        reply
            .lead
            .as_ref()
            .and_then(|l| l.details.get(Field::Phone)),
        Some("+442079460958"),
        "{reply:?}"
    );
    assert!(matches!(
        reply.happened,
        Some(Happened::DetailsCaptured { lead: true, fields }) if fields.contains(Field::Phone)
    ));
    // Stored as such, not just reported.
    assert_eq!(db.phones().await, ["+442079460958"]);
}

#[tokio::test]
async fn the_visit_region_wins_over_the_engine_default() {
    let db = Db::new().await;
    // A German default; the integrator knows this visitor is in the UK.
    let engine = db.engine(Policy::before_chat(), |b| {
        b.default_region("DE".parse().unwrap())
    });
    let visit = db.visit(2).with_region(gb());
    let reply = turn(&engine, &visit, "my number is 020 7946 0958").await;
    let phone = reply
        .lead
        .as_ref()
        .and_then(|l| l.details.get(Field::Phone));
    assert_eq!(phone, Some("+442079460958"));
}

#[tokio::test]
async fn with_no_region_the_visitor_is_asked_for_the_country_code() {
    let db = Db::new().await;
    let engine = db.engine(Policy::before_chat(), |b| b);
    let visit = db.visit(3);
    let reply = turn(&engine, &visit, "my number is 020 7946 0958").await;
    assert_eq!(reply.kind(), ActionKind::Correct, "{reply:?}");
    assert_eq!(
        reply.happened,
        Some(Happened::CorrectionAsked {
            field: Field::Phone,
            reason: InvalidReason::NeedsCountryCode,
        })
    );
    assert_eq!(
        reply.prompt.as_deref(),
        Some("Could you add the country code to that phone number (for example +44)?")
    );
    // Not refused as "incomplete", and not stored as a guess.
    assert!(reply.lead.is_none() && reply.acknowledgement.is_none());
    assert!(db.phones().await.is_empty());

    let reply = turn(&engine, &visit, "sorry: +44 20 7946 0958").await;
    let phone = reply
        .lead
        .as_ref()
        .and_then(|l| l.details.get(Field::Phone));
    assert_eq!(phone, Some("+442079460958"));
}

#[tokio::test]
async fn details_are_acknowledged_by_name_in_the_visit_language() {
    let db = Db::new().await;
    let engine = db.engine(Policy::after_first_query(), |b| b);

    let english = db.visit(4);
    let asked = turn(&engine, &english, "How much is the team plan?").await;
    assert_eq!(asked.kind(), ActionKind::Ask);
    assert_eq!(asked.happened, None);
    assert!(asked.acknowledgement.is_none());
    let given = turn(&engine, &english, "My name is Ana Souza, ana@example.com").await;
    assert!(given.lead.is_some());
    assert_eq!(
        given.acknowledgement.as_ref().map(|a| a.as_str()),
        Some("Thanks, Ana Souza — we'll be in touch.")
    );
    assert!(matches!(
        given.happened,
        Some(Happened::DetailsCaptured { lead: true, fields })
            if fields.contains(Field::Name) && fields.contains(Field::Email)
    ));
    // The name is personal data: not in the reply's Debug output.
    let shown = format!("{given:?}");
    assert!(!shown.contains("Souza"), "{shown}");

    let german = db.visit(5).with_locale(Locale::German);
    turn(&engine, &german, "Was kostet der Team-Tarif?").await;
    let given = turn(&engine, &german, "Ich heiße Jonas Weber, jonas@example.de").await;
    let text = given.acknowledgement.map(|a| a.to_string()).unwrap();
    assert!(text.starts_with("Danke, Jonas Weber"), "{text}");
}

#[tokio::test]
async fn a_decline_is_acknowledged_and_a_bad_value_is_corrected_instead() {
    let db = Db::new().await;
    let engine = db.engine(Policy::after_first_query(), |b| b);

    let visit = db.visit(6);
    turn(&engine, &visit, "Do you ship to Portugal?").await;
    let no = turn(&engine, &visit, "no thanks").await;
    assert_eq!(no.happened, Some(Happened::DetailsDeclined));
    assert_eq!(
        no.acknowledgement.as_ref().map(|a| a.as_str()),
        Some("No problem.")
    );
    assert!(no.answers_query() && no.prompt.is_none());

    let spanish = db.visit(7).with_locale(Locale::Spanish);
    turn(&engine, &spanish, "¿Cuánto cuesta el plan?").await;
    let no = turn(&engine, &spanish, "no gracias").await;
    assert_eq!(
        no.acknowledgement.map(|a| a.to_string()).as_deref(),
        Some("No hay problema.")
    );

    let visit = db.visit(8);
    turn(&engine, &visit, "How much is the team plan?").await;
    let bad = turn(&engine, &visit, "my email is ana@example").await;
    assert!(matches!(
        bad.happened,
        Some(Happened::CorrectionAsked {
            field: Field::Email,
            ..
        })
    ));
    assert!(
        bad.acknowledgement.is_none(),
        "the correction prompt speaks instead"
    );
}

#[tokio::test]
async fn partial_details_are_captured_but_the_prompt_asks_for_the_rest() {
    let db = Db::new().await;
    let engine = db.engine(
        Policy::after_first_query().with_fields("name,email".parse().unwrap()),
        |b| b,
    );
    let visit = db.visit(9);
    turn(&engine, &visit, "How much is the team plan?").await;
    let name_only = turn(&engine, &visit, "My name is Ana Souza").await;
    assert!(
        matches!(
            name_only.happened,
            Some(Happened::DetailsCaptured { lead: false, fields }) if fields.contains(Field::Name)
        ),
        "{name_only:?}"
    );
    assert!(name_only.acknowledgement.is_none());
    assert!(name_only.prompt.is_some_and(|p| p.contains("email")));
}

#[tokio::test]
async fn a_gb_bot_reads_national_numbers_from_its_stored_settings() {
    use leadkit::core::Mode;
    use leadkit::store::{BotSettings, BotSettingsStore, SettingsUpdate};

    let db = Db::new().await;
    let settings = BotSettings::collecting()
        .mode(Mode::BeforeChat)
        .fields("email|phone".parse().unwrap())
        .phone_region("GB".parse().unwrap());
    db.store
        .put_bot_settings(
            db.workspace,
            BOT,
            &SettingsUpdate::new(settings, "test", chrono::Utc::now()),
        )
        .await
        .unwrap();
    // No policy source given: the engine reads the stored settings.
    let engine = Engine::builder().store(db.store.clone()).build().unwrap();
    let reply = turn(&engine, &db.visit(10), "my number is 020 7946 0958").await;
    let phone = reply
        .lead
        .as_ref()
        .and_then(|l| l.details.get(Field::Phone));
    assert_eq!(phone, Some("+442079460958"), "{reply:?}");
    assert_eq!(db.phones().await, ["+442079460958"]);
}

#[tokio::test]
async fn with_collection_off_nothing_is_kept_so_nothing_is_acknowledged() {
    let db = Db::new().await;
    let engine = db.engine(Policy::disabled(), |b| b.default_region(gb()));
    let visit = db.visit(11);
    let reply = turn(
        &engine,
        &visit,
        "I'm Ana Souza, ana@example.com, 020 7946 0958",
    )
    .await;
    assert_eq!(reply.kind(), ActionKind::Answer);
    assert_eq!(reply.happened, None);
    assert!(reply.acknowledgement.is_none() && reply.lead.is_none());
    let reply = turn(&engine, &visit, "no thanks").await;
    assert_eq!(reply.happened, None);
    assert!(reply.acknowledgement.is_none());
}
