//! The schema migrations, embedded in the binary (one folder per backend).

use std::borrow::Cow;

use sqlx::migrate::{Migration, MigrationType, Migrator};

fn migrator(files: &[(i64, &'static str, &'static str)]) -> Migrator {
    let migrations = files
        .iter()
        .map(|(version, description, sql)| {
            Migration::new(
                *version,
                Cow::Borrowed(*description),
                MigrationType::Simple,
                Cow::Borrowed(*sql),
                false,
            )
        })
        .collect::<Vec<_>>();
    Migrator {
        migrations: Cow::Owned(migrations),
        ..Migrator::DEFAULT
    }
}

/// The SQLite migrations.
#[cfg(feature = "sqlite")]
pub(crate) fn sqlite() -> Migrator {
    migrator(&[
        (
            1,
            "leads",
            include_str!("../migrations/sqlite/0001_leads.sql"),
        ),
        (
            2,
            "export columns",
            include_str!("../migrations/sqlite/0002_export_columns.sql"),
        ),
        (
            3,
            "bot settings",
            include_str!("../migrations/sqlite/0003_bot_settings.sql"),
        ),
        (
            4,
            "conversations",
            include_str!("../migrations/sqlite/0004_conversations.sql"),
        ),
        (
            5,
            "claims",
            include_str!("../migrations/sqlite/0005_claims.sql"),
        ),
        (
            6,
            "claim links",
            include_str!("../migrations/sqlite/0006_claim_links.sql"),
        ),
    ])
}

/// The PostgreSQL migrations.
#[cfg(feature = "postgres")]
pub(crate) fn postgres() -> Migrator {
    migrator(&[
        (
            1,
            "leads",
            include_str!("../migrations/postgres/0001_leads.sql"),
        ),
        (
            2,
            "export columns",
            include_str!("../migrations/postgres/0002_export_columns.sql"),
        ),
        (
            3,
            "bot settings",
            include_str!("../migrations/postgres/0003_bot_settings.sql"),
        ),
        (
            4,
            "conversations",
            include_str!("../migrations/postgres/0004_conversations.sql"),
        ),
        (
            5,
            "claims",
            include_str!("../migrations/postgres/0005_claims.sql"),
        ),
        (
            6,
            "claim links",
            include_str!("../migrations/postgres/0006_claim_links.sql"),
        ),
    ])
}
