//! The conformance suite against a real PostgreSQL server
//! (`LEADKIT_TEST_POSTGRES_URL`; see `.ci/postgres.sh`).
#![cfg(feature = "postgres")]

mod common;

use std::sync::Arc;

use leadkit_store::testkit;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn postgres_passes_the_conformance_suite() {
    let Some(pg) = common::postgres_store(16).await else {
        return;
    };
    testkit::run_all(Arc::new(pg.store.clone())).await;
    pg.drop_schema().await;
}
