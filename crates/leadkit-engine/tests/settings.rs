//! Stored bot settings as the engine's default policy source, on the
//! in-memory store: the default for a bot with none, changes through the
//! engine applied at once, the bound on staleness, custom messages, the
//! bot's language, and an integrator's own source taking precedence.
#![allow(clippy::unwrap_used)] // test code: a panic is a failed test

mod common;

use std::sync::Arc;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, Utc};
use common::{BOT, WORKSPACE, visit};
use leadkit_core::{ActionKind, Mode, Policy};
use leadkit_engine::Error;
use leadkit_engine::engine::{Engine, EngineBuilder, ManualClock, StaticPolicies};
use leadkit_engine::messages::Locale;
use leadkit_store::{Bot, BotSettings, BotSettingsStore, BotStore, MemoryStore, SettingsUpdate};

const QUERY: &str = "How much does the premium plan cost?";

struct Rig {
    engine: Engine,
    store: Arc<MemoryStore>,
    clock: Arc<ManualClock>,
}

async fn rig(configure: impl FnOnce(EngineBuilder) -> EngineBuilder) -> Rig {
    let store = Arc::new(MemoryStore::new());
    store
        .put_bot(WORKSPACE, &Bot::new(BOT, WORKSPACE, "Support"))
        .await
        .unwrap();
    let clock = Arc::new(ManualClock::new(
        DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000),
    ));
    let engine = configure(Engine::builder().store(store.clone()).clock(clock.clone()))
        .build()
        .unwrap();
    Rig {
        engine,
        store,
        clock,
    }
}

fn update(settings: BotSettings) -> SettingsUpdate {
    SettingsUpdate::new(settings, "admin", DateTime::UNIX_EPOCH)
}

#[tokio::test]
async fn the_default_is_changeable_and_a_change_through_the_engine_applies_at_once() {
    let r = rig(|b| b.default_settings(BotSettings::off())).await;
    let first = r.engine.user_message(&visit(1), QUERY).await.unwrap();
    assert_eq!(first.kind(), ActionKind::Answer, "off by default here");
    assert_eq!(
        r.engine.bot_settings(WORKSPACE, BOT).await.unwrap(),
        BotSettings::off()
    );
    r.engine
        .put_bot_settings(WORKSPACE, BOT, &update(BotSettings::collecting()))
        .await
        .unwrap();
    let next = r.engine.user_message(&visit(2), QUERY).await.unwrap();
    assert_eq!(next.kind(), ActionKind::Ask, "applied from the next turn");

    // The crate's own default collects.
    let r = rig(|b| b).await;
    let reply = r.engine.user_message(&visit(3), QUERY).await.unwrap();
    assert_eq!(reply.kind(), ActionKind::Ask);
}

#[tokio::test]
async fn a_change_behind_the_engines_back_applies_within_the_bound() {
    let r = rig(|b| b.settings_max_age(StdDuration::from_secs(30))).await;
    assert_eq!(
        r.engine
            .user_message(&visit(1), QUERY)
            .await
            .unwrap()
            .kind(),
        ActionKind::Ask
    );
    r.store
        .put_bot_settings(
            WORKSPACE,
            BOT,
            &update(BotSettings::collecting().enabled(false)),
        )
        .await
        .unwrap();
    r.clock.advance(Duration::seconds(29));
    assert_eq!(
        r.engine
            .user_message(&visit(2), QUERY)
            .await
            .unwrap()
            .kind(),
        ActionKind::Ask,
        "cached within the bound"
    );
    r.clock.advance(Duration::seconds(1));
    assert_eq!(
        r.engine
            .user_message(&visit(3), QUERY)
            .await
            .unwrap()
            .kind(),
        ActionKind::Answer,
        "read again at the bound"
    );

    // With no cache, every turn reads the store.
    let r = rig(|b| b.settings_max_age(StdDuration::ZERO)).await;
    assert_eq!(
        r.engine
            .user_message(&visit(4), QUERY)
            .await
            .unwrap()
            .kind(),
        ActionKind::Ask
    );
    r.store
        .put_bot_settings(WORKSPACE, BOT, &update(BotSettings::off()))
        .await
        .unwrap();
    assert_eq!(
        r.engine
            .user_message(&visit(5), QUERY)
            .await
            .unwrap()
            .kind(),
        ActionKind::Answer
    );
}

#[tokio::test]
async fn custom_messages_consent_and_language_reach_the_prompt() {
    let mut settings = BotSettings::collecting()
        .mode(Mode::BeforeChat)
        .language(Locale::German)
        .ask_message(Locale::German, "Bitte zuerst Ihre E-Mail-Adresse.");
    settings.consent.required = true;
    settings.consent.text = "Wir melden uns nur zu dieser Anfrage.".to_owned();
    settings.consent.version = "v7".to_owned();
    let r = rig(|b| b).await;
    r.engine
        .put_bot_settings(WORKSPACE, BOT, &update(settings))
        .await
        .unwrap();

    // No language given: the bot's German, with its own message and the
    // consent notice after it.
    let gate = r.engine.user_message(&visit(1), QUERY).await.unwrap();
    assert_eq!(gate.kind(), ActionKind::Gate);
    let prompt = gate.prompt.unwrap();
    assert!(
        prompt.starts_with("Bitte zuerst Ihre E-Mail-Adresse. "),
        "{prompt}"
    );
    assert!(
        prompt.contains("Wir melden uns nur zu dieser Anfrage."),
        "{prompt}"
    );

    // The visitor's own language wins; with no custom message in it, the
    // built-in text.
    let english = r
        .engine
        .user_message(&visit(2).with_locale(Locale::English), QUERY)
        .await
        .unwrap();
    let prompt = english.prompt.unwrap();
    assert!(!prompt.contains("Bitte"), "{prompt}");
    assert!(prompt.contains("email"), "{prompt}");
}

#[tokio::test]
async fn an_integrators_own_source_wins_and_bad_defaults_are_refused() {
    let r = rig(|b| b.policies(Arc::new(StaticPolicies::new(Policy::after_first_query())))).await;
    r.store
        .put_bot_settings(WORKSPACE, BOT, &update(BotSettings::off()))
        .await
        .unwrap();
    assert_eq!(
        r.engine
            .user_message(&visit(1), QUERY)
            .await
            .unwrap()
            .kind(),
        ActionKind::Ask,
        "StaticPolicies, not the stored settings"
    );

    let mut bad = BotSettings::collecting();
    bad.cooldown_turns = u32::MAX;
    let built = Engine::builder()
        .store(Arc::new(MemoryStore::new()))
        .default_settings(bad)
        .build();
    assert!(matches!(built, Err(Error::InvalidConfig { .. })));

    // Invalid settings through the engine: a typed error, nothing stored.
    let mut bad = BotSettings::collecting();
    bad.max_asks = Some(1_000_000);
    let refused = r
        .engine
        .put_bot_settings(WORKSPACE, BOT, &update(bad))
        .await;
    assert!(
        matches!(
            refused,
            Err(Error::Store(leadkit_store::Error::InvalidSettings(_)))
        ),
        "{refused:?}"
    );
    assert_eq!(
        r.store
            .bot_settings(WORKSPACE, BOT)
            .await
            .unwrap()
            .unwrap()
            .settings,
        BotSettings::off()
    );
}

#[tokio::test]
async fn the_cache_reads_each_bot_once_per_bound_and_stays_bounded() {
    use leadkit_engine::engine::StoredSettings;
    use leadkit_store::MockStore;

    let (b1, b2) = (
        leadkit_core::BotId::from_u128(1),
        leadkit_core::BotId::from_u128(2),
    );
    let mut store = MockStore::new();
    // b1: read, cached, read again after b2 pushed it out of a one-bot
    // cache, and again after the clock stepped back. b2: read once.
    store
        .expect_bot_settings()
        .withf(move |_, bot| *bot == b1)
        .times(3)
        .returning(|_, _| Ok(None));
    store
        .expect_bot_settings()
        .withf(move |_, bot| *bot == b2)
        .times(1)
        .returning(|_, _| Ok(None));
    let clock = Arc::new(ManualClock::new(
        DateTime::<Utc>::UNIX_EPOCH + Duration::days(20_000),
    ));
    let source = StoredSettings::new(Arc::new(store), clock.clone())
        .default_settings(BotSettings::off())
        .max_age(StdDuration::from_secs(10))
        .capacity(1);
    assert_eq!(
        source.effective(WORKSPACE, b1).await.unwrap(),
        BotSettings::off()
    );
    clock.advance(Duration::seconds(9));
    source.effective(WORKSPACE, b1).await.unwrap(); // cached
    source.effective(WORKSPACE, b2).await.unwrap(); // full: b1 dropped
    source.effective(WORKSPACE, b1).await.unwrap(); // read again
    clock.advance(Duration::seconds(-60));
    source.effective(WORKSPACE, b1).await.unwrap(); // a clock step back is not trusted
}
