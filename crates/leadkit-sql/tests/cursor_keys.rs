//! Cursors are signed by the store's key: stores that share a key (several
//! processes on one database) accept each other's cursors, and a store
//! with another key refuses them.
#![cfg(feature = "sqlite")]

use chrono::{DateTime, Duration, Utc};
use leadkit_core::{BotId, ContactDetails, LeadId};
use leadkit_sql::SqliteStore;
use leadkit_store::testkit::fresh_workspace;
use leadkit_store::{CursorKey, Error, LeadQuery, LeadStore, LeadUpsert};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn stores_sharing_a_key_continue_each_others_pages() {
    let dir = std::env::temp_dir().join(format!(
        "leadkit-sql-cursor-keys-{}-{}",
        std::process::id(),
        fresh_workspace()
    ));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("leads.db");
    let key = CursorKey::new([42; 32]);
    let first = SqliteStore::open(&path)
        .await
        .expect("open")
        .cursor_key(key.clone());
    let second = SqliteStore::open(&path)
        .await
        .expect("open again")
        .cursor_key(key);
    let stranger = SqliteStore::open(&path)
        .await
        .expect("open with its own key");

    let ws = fresh_workspace();
    let t0 = DateTime::<Utc>::UNIX_EPOCH;
    for n in 0..5 {
        let details = ContactDetails::new().with_email(format!("lead{n}@example.com"));
        let upsert = LeadUpsert::new(
            LeadId::from_u128(n + 1),
            BotId::from_u128(9),
            details,
            t0 + Duration::minutes(i64::try_from(n).expect("small")),
        );
        first.upsert_lead(ws, &upsert).await.expect("upsert");
    }
    let query = LeadQuery::new().limit(2);
    let page = first.query_leads(ws, &query).await.expect("first page");
    let cursor = page.next.expect("a full page has a cursor");

    let next = second
        .query_leads(ws, &query.clone().after(cursor.clone()))
        .await
        .expect("the same key opens the cursor");
    assert_eq!(next.leads.len(), 2);
    assert!(next.leads.iter().all(|l| !page.leads.contains(l)));

    let refused = stranger.query_leads(ws, &query.after(cursor)).await;
    assert!(
        matches!(refused, Err(Error::InvalidCursor)),
        "another key refuses it: {refused:?}"
    );

    for store in [first, second, stranger] {
        store.close().await;
    }
    std::fs::remove_dir_all(&dir).expect("clean up");
}
