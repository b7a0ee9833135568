//! Bots' lead-collection settings: round trip, the change history, refusal
//! of invalid settings, tenancy, concurrent saves and redaction of who
//! made a change.

use std::sync::Arc;

use chrono::Duration;
use leadkit_core::{BotId, FieldRequirements, Mode, WorkspaceId};
use leadkit_messages::Locale;

use super::{fresh_workspace, ok, t0};
use crate::{
    Bot, BotSettings, Error, HistoryQuery, PhoneRegion, SettingsError, SettingsUpdate, Store,
};

fn bot(ws: WorkspaceId, n: u128) -> BotId {
    BotId::from_u128(ws.as_uuid().as_u128() ^ (n << 64) ^ 0x5e77)
}

async fn registered(store: &dyn Store, ws: WorkspaceId, n: u128) -> BotId {
    let id = bot(ws, n);
    ok(
        store
            .put_bot(ws, &Bot::new(id, ws, format!("Bot {n}")))
            .await,
        "put_bot",
    );
    id
}

fn gb() -> PhoneRegion {
    PhoneRegion::new("GB").expect("GB is ISO 3166")
}

/// Saved settings read back whole; every change is recorded with who, when,
/// old and new, newest first, and pages by version.
pub(crate) async fn round_trip(store: &dyn Store) {
    let ws = fresh_workspace();
    let b = registered(store, ws, 1).await;
    assert_eq!(
        ok(store.bot_settings(ws, b).await, "unset settings"),
        None,
        "a bot starts with no stored settings"
    );
    assert!(
        ok(
            store
                .bot_settings_history(ws, b, &HistoryQuery::new())
                .await,
            "empty"
        )
        .is_empty()
    );

    let first = BotSettings::off();
    let stored = ok(
        store
            .put_bot_settings(
                ws,
                b,
                &SettingsUpdate::new(first.clone(), "ana@example.com", t0()),
            )
            .await,
        "first save",
    );
    assert_eq!(stored.version, 1);
    assert_eq!(stored.settings, first);
    assert_eq!(stored.updated_at, t0());

    let mut second = BotSettings::collecting()
        .mode(Mode::BeforeChat)
        .fields(FieldRequirements::EMAIL_OR_PHONE)
        .phone_region(gb())
        .language(Locale::Spanish)
        .ask_message(Locale::Spanish, "¿Nos dejas tu email o teléfono? «ñ» 😀")
        .ask_message(Locale::English, "Leave your email or phone?\nThanks.");
    second.max_asks = None;
    second.cooldown_turns = 7;
    second.consent.required = true;
    second.consent.text = "We call back 'today'; \"no\" spam.".to_owned();
    second.consent.version = "2026-03".to_owned();
    let later = t0() + Duration::minutes(5);
    let stored = ok(
        store
            .put_bot_settings(ws, b, &SettingsUpdate::new(second.clone(), "Bruno", later))
            .await,
        "second save",
    );
    assert_eq!(stored.version, 2);
    let read = ok(store.bot_settings(ws, b).await, "read").expect("stored settings");
    assert_eq!(read, stored);
    assert_eq!(read.settings, second, "every setting reads back as saved");
    assert_eq!(read.updated_at, later);

    // The same settings again are no change.
    let again = ok(
        store
            .put_bot_settings(
                ws,
                b,
                &SettingsUpdate::new(second.clone(), "Bruno", later + Duration::minutes(1)),
            )
            .await,
        "same settings",
    );
    assert_eq!(again.version, 2);
    assert_eq!(again.updated_at, later);

    let third = second.clone().enabled(false);
    let last = t0() + Duration::minutes(9);
    ok(
        store
            .put_bot_settings(ws, b, &SettingsUpdate::new(third.clone(), "Carla", last))
            .await,
        "third save",
    );

    let history = ok(
        store
            .bot_settings_history(ws, b, &HistoryQuery::new())
            .await,
        "history",
    );
    let versions: Vec<u64> = history.iter().map(|c| c.version).collect();
    assert_eq!(
        versions,
        [3, 2, 1],
        "newest first, no entry for the non-change"
    );
    assert_eq!(history[0].actor.expose(), "Carla");
    assert_eq!(history[0].at, last);
    assert_eq!(history[0].old.as_ref(), Some(&second));
    assert_eq!(history[0].new, third);
    assert_eq!(history[1].actor.expose(), "Bruno");
    assert_eq!(history[1].old.as_ref(), Some(&first));
    assert_eq!(history[1].new, second);
    assert_eq!(history[2].actor.expose(), "ana@example.com");
    assert_eq!(history[2].old, None, "the first save had nothing before it");
    assert_eq!(history[2].new, first);
    assert!(history.iter().all(|c| c.bot == b));

    let page = ok(
        store
            .bot_settings_history(ws, b, &HistoryQuery::new().limit(2))
            .await,
        "page 1",
    );
    assert_eq!(page.iter().map(|c| c.version).collect::<Vec<_>>(), [3, 2]);
    let page = ok(
        store
            .bot_settings_history(ws, b, &HistoryQuery::new().limit(2).before(2))
            .await,
        "page 2",
    );
    assert_eq!(page.iter().map(|c| c.version).collect::<Vec<_>>(), [1]);
}

/// Invalid settings, a bad actor or an unknown bot change nothing.
pub(crate) async fn refuses_invalid(store: &dyn Store) {
    let ws = fresh_workspace();
    let b = registered(store, ws, 1).await;
    let good = BotSettings::collecting();
    ok(
        store
            .put_bot_settings(ws, b, &SettingsUpdate::new(good.clone(), "admin", t0()))
            .await,
        "valid save",
    );
    let mut too_many = good.clone();
    too_many.max_asks = Some(crate::MAX_ASKS_LIMIT + 1);
    let mut long_cooldown = good.clone();
    long_cooldown.cooldown_turns = u32::MAX;
    let mut huge_notice = good.clone();
    huge_notice.consent.text = "x".repeat(100 * 1024);
    let no_fields = good.clone().fields(FieldRequirements::NONE);
    let blank_message = good.clone().ask_message(Locale::French, " ");
    let cases = [
        (too_many, "admin", "too many asks"),
        (long_cooldown, "admin", "absurd cool-down"),
        (huge_notice, "admin", "100 kB notice"),
        (no_fields, "admin", "no field required"),
        (blank_message, "admin", "blank ask message"),
        (good.clone().enabled(false), " ", "blank actor"),
        (
            good.clone().enabled(false),
            "a\u{7}b",
            "control character in the actor",
        ),
    ];
    for (settings, actor, what) in cases {
        let at = t0() + Duration::minutes(1);
        match store
            .put_bot_settings(ws, b, &SettingsUpdate::new(settings, actor, at))
            .await
        {
            Err(Error::InvalidSettings(_)) => {}
            other => panic!("{what}: expected InvalidSettings, got {other:?}"),
        }
    }
    let stored = ok(store.bot_settings(ws, b).await, "read").expect("still stored");
    assert_eq!(stored.settings, good, "a refused change changes nothing");
    assert_eq!(stored.version, 1);
    let history = ok(
        store
            .bot_settings_history(ws, b, &HistoryQuery::new())
            .await,
        "history",
    );
    assert_eq!(history.len(), 1, "a refused change is not recorded");

    let unknown = bot(ws, 99);
    match store
        .put_bot_settings(ws, unknown, &SettingsUpdate::new(good, "admin", t0()))
        .await
    {
        Err(Error::NotFound { kind: "bot" }) => {}
        other => panic!("settings of an unregistered bot: {other:?}"),
    }
    assert_eq!(ok(store.bot_settings(ws, unknown).await, "unknown"), None);
    assert_eq!(
        SettingsError::InvalidRegion,
        PhoneRegion::new("UK").expect_err("UK is not ISO 3166")
    );
}

/// Settings and their history never cross workspaces.
pub(crate) async fn isolates_workspaces(store: &dyn Store) {
    let (ws, other) = (fresh_workspace(), fresh_workspace());
    let b = registered(store, ws, 1).await;
    ok(
        store
            .put_bot_settings(
                ws,
                b,
                &SettingsUpdate::new(BotSettings::off(), "admin", t0()),
            )
            .await,
        "save",
    );
    assert_eq!(ok(store.bot_settings(other, b).await, "other ws"), None);
    assert!(
        ok(
            store
                .bot_settings_history(other, b, &HistoryQuery::new())
                .await,
            "other"
        )
        .is_empty()
    );
    // The same bot id is not registered in the other workspace.
    assert!(matches!(
        store
            .put_bot_settings(
                other,
                b,
                &SettingsUpdate::new(BotSettings::collecting(), "x", t0())
            )
            .await,
        Err(Error::NotFound { .. })
    ));
    // Registered there too, it keeps settings of its own.
    ok(
        store.put_bot(other, &Bot::new(b, other, "Same id")).await,
        "put_bot",
    );
    ok(
        store
            .put_bot_settings(
                other,
                b,
                &SettingsUpdate::new(BotSettings::collecting(), "y", t0()),
            )
            .await,
        "save in other",
    );
    let mine = ok(store.bot_settings(ws, b).await, "mine").expect("stored");
    assert_eq!(mine.settings, BotSettings::off());
    let theirs = ok(store.bot_settings(other, b).await, "theirs").expect("stored");
    assert_eq!(theirs.settings, BotSettings::collecting());
    assert_eq!(theirs.version, 1);
}

/// Concurrent saves of one bot's settings: every change gets its own
/// version and its own history entry, each one's old value is the one
/// before it.
pub(crate) async fn concurrent_saves(store: &Arc<dyn Store>) {
    let ws = fresh_workspace();
    let b = registered(store.as_ref(), ws, 1).await;
    let tasks: Vec<_> = (0..8u32)
        .map(|i| {
            let store = Arc::clone(store);
            tokio::spawn(async move {
                let mut settings = BotSettings::collecting();
                settings.cooldown_turns = i + 1;
                store
                    .put_bot_settings(
                        ws,
                        b,
                        &SettingsUpdate::new(settings, format!("user {i}"), t0()),
                    )
                    .await
            })
        })
        .collect();
    for task in tasks {
        ok(task.await.expect("task ran"), "concurrent save");
    }
    let history = ok(
        store
            .bot_settings_history(ws, b, &HistoryQuery::new())
            .await,
        "history",
    );
    assert_eq!(history.len(), 8);
    let versions: Vec<u64> = history.iter().map(|c| c.version).collect();
    assert_eq!(versions, (1..=8).rev().collect::<Vec<u64>>());
    for pair in history.windows(2) {
        assert_eq!(
            pair[0].old.as_ref(),
            Some(&pair[1].new),
            "a chain of changes"
        );
    }
    let stored = ok(store.bot_settings(ws, b).await, "read").expect("stored");
    assert_eq!(stored.version, 8);
    assert_eq!(stored.settings, history[0].new);
}

/// Who changed the settings stays out of `Debug`.
pub(crate) async fn redacts_actor(store: &dyn Store) {
    let ws = fresh_workspace();
    let b = registered(store, ws, 1).await;
    let update = SettingsUpdate::new(BotSettings::off(), "secret.admin@example.com", t0());
    ok(store.put_bot_settings(ws, b, &update).await, "save");
    let history = ok(
        store
            .bot_settings_history(ws, b, &HistoryQuery::new())
            .await,
        "history",
    );
    for debug in [format!("{update:?}"), format!("{history:?}")] {
        assert!(!debug.contains("secret"), "actor in Debug: {debug}");
    }
}
