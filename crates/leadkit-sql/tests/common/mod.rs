//! Shared helpers: a PostgreSQL store in a schema of its own.
#![allow(dead_code, clippy::unwrap_used)] // test code; not every test binary uses every helper

use std::str::FromStr;

use leadkit_sql::PostgresStore;
use sqlx::Executor;
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};

/// The variable that holds the test server's URL.
pub(crate) const URL_VAR: &str = "LEADKIT_TEST_POSTGRES_URL";

/// A store on the test server, in a fresh schema that `drop` removes.
pub(crate) struct PgTestStore {
    pub(crate) store: PostgresStore,
    url: String,
    schema: String,
}

impl PgTestStore {
    /// Removes the schema and everything in it.
    pub(crate) async fn drop_schema(self) {
        self.store.close().await;
        let pool = PgPoolOptions::new()
            .max_connections(1)
            .connect(&self.url)
            .await
            .unwrap();
        pool.execute(format!("DROP SCHEMA \"{}\" CASCADE", self.schema).as_str())
            .await
            .unwrap();
        pool.close().await;
    }
}

/// The test server, or `None` (with instructions printed) when no URL is
/// set outside CI. Under `CI=true` a missing URL fails the test.
pub(crate) async fn postgres_store(max_connections: u32) -> Option<PgTestStore> {
    let Ok(url) = std::env::var(URL_VAR) else {
        if std::env::var("CI").is_ok_and(|v| v == "true") {
            panic!(
                "{URL_VAR} is not set but CI=true: PostgreSQL tests must run in CI. \
                 Start a throwaway server with `source .ci/postgres.sh` before `cargo test`."
            );
        }
        // Once per test binary, and straight to the stderr stream: the test
        // harness captures `eprintln!` of a passing test, and a skip that
        // nobody sees looks like a pass.
        static TOLD: std::sync::Once = std::sync::Once::new();
        TOLD.call_once(|| {
            use std::io::Write;
            let _ = writeln!(
                std::io::stderr(),
                "\nSKIPPED: the PostgreSQL tests of this file did not run: {URL_VAR} is not set. \
                 To run them: `source .ci/postgres.sh && cargo test -p leadkit-sql --all-features`\n"
            );
        });
        return None;
    };
    let schema = format!(
        "leadkit_test_{}",
        leadkit_store::testkit::fresh_workspace().as_uuid().simple()
    );
    let admin = PgPoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    admin
        .execute(format!("CREATE SCHEMA \"{schema}\"").as_str())
        .await
        .unwrap();
    admin.close().await;
    let options = PgConnectOptions::from_str(&url)
        .unwrap()
        .options([("search_path", format!("{schema},public"))]);
    let store = PostgresStore::connect_with(options, max_connections)
        .await
        .unwrap();
    Some(PgTestStore { store, url, schema })
}
