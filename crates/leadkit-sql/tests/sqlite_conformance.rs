//! The conformance suite against SQLite, in memory and in a file.
#![cfg(feature = "sqlite")]

use std::sync::Arc;

use leadkit_sql::SqliteStore;
use leadkit_store::testkit;

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn in_memory_sqlite_passes_the_conformance_suite() {
    let store = SqliteStore::open_in_memory().await.expect("open in memory");
    testkit::run_all(Arc::new(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sqlite_searching_by_scan_passes_the_conformance_suite() {
    // Every search text counts as common: pages are found by walking the
    // sort order with LIKE instead of through the trigram index.
    let store = SqliteStore::open_in_memory()
        .await
        .expect("open in memory")
        .common_search_threshold(0);
    testkit::run_all(Arc::new(store)).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn file_sqlite_passes_the_conformance_suite() {
    let dir = std::env::temp_dir().join(format!(
        "leadkit-sql-conformance-{}-{}",
        std::process::id(),
        testkit::fresh_workspace()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let store = SqliteStore::open(dir.join("leads.db"))
        .await
        .expect("open file");
    testkit::run_all(Arc::new(store.clone())).await;
    store.close().await;
    // Reopening runs the migrations again, which must be a no-op.
    let reopened = SqliteStore::open(dir.join("leads.db"))
        .await
        .expect("reopen");
    reopened.close().await;
    std::fs::remove_dir_all(&dir).expect("clean up");
}
