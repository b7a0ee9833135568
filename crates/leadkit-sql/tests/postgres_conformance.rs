//! The conformance suite against a real PostgreSQL server, one test per
//! check (`LEADKIT_TEST_POSTGRES_URL`; see `.ci/postgres.sh`). Each test
//! runs in a schema of its own, dropped when it passes.
#![cfg(feature = "postgres")]

mod common;

use std::sync::Arc;

use leadkit_store::testkit::Subject;

async fn subject() -> Option<Subject> {
    let pg = common::postgres_store(16).await?;
    Some(Subject::new(Arc::new(pg.store.clone())).cleanup(pg.drop_schema()))
}

leadkit_store::conformance_tests!(subject);
