//! The conformance suite against SQLite: one test per check for each way
//! the store runs (in memory; searching by scan; a file with its fast
//! paths; a file with plain transactions only).
#![cfg(feature = "sqlite")]

use std::path::PathBuf;
use std::sync::Arc;

use leadkit_sql::SqliteStore;
use leadkit_store::testkit::{self, Subject};

/// A fresh directory for one test's database file.
fn temp_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "leadkit-sql-conformance-{}-{}",
        std::process::id(),
        testkit::fresh_workspace()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// A file store in a fresh directory, closed and removed after the check.
async fn file_subject(fast_paths: bool) -> Subject {
    let dir = temp_dir();
    let mut store = SqliteStore::open(dir.join("leads.db"))
        .await
        .expect("open file");
    if !fast_paths {
        store = store.without_fast_paths();
    }
    let closing = store.clone();
    Subject::new(Arc::new(store)).cleanup(async move {
        closing.close().await;
        std::fs::remove_dir_all(&dir).expect("clean up");
    })
}

mod memory {
    use super::*;

    async fn subject() -> Option<Subject> {
        let store = SqliteStore::open_in_memory().await.expect("open in memory");
        Some(Subject::new(Arc::new(store)))
    }

    leadkit_store::conformance_tests!(subject);
}

/// Every search text counts as common: pages are found by walking the
/// sort order with LIKE instead of through the trigram index.
mod search_by_scan {
    use super::*;

    async fn subject() -> Option<Subject> {
        let store = SqliteStore::open_in_memory()
            .await
            .expect("open in memory")
            .common_search_threshold(0);
        Some(Subject::new(Arc::new(store)))
    }

    leadkit_store::conformance_tests!(subject);
}

/// A file store with its fast paths (lanes, batched turns, group commit).
mod file {
    use super::*;

    async fn subject() -> Option<Subject> {
        Some(file_subject(true).await)
    }

    leadkit_store::conformance_tests!(subject);
}

/// A file store with plain transactions only: the same checks give the
/// same answers as with the fast paths.
mod file_without_fast_paths {
    use super::*;

    async fn subject() -> Option<Subject> {
        Some(file_subject(false).await)
    }

    leadkit_store::conformance_tests!(subject);
}

#[tokio::test]
async fn reopening_a_file_runs_no_migration_twice() {
    let dir = temp_dir();
    for _ in 0..2 {
        let store = SqliteStore::open(dir.join("leads.db"))
            .await
            .expect("open, then reopen");
        store.close().await;
    }
    std::fs::remove_dir_all(&dir).expect("clean up");
}
