//! The conformance suite: one set of assertions every backend runs.
//!
//! A backend's test calls [`run_all`] with a fresh store. Each check uses
//! its own random workspace, so the checks do not see each other's data
//! and a database can be reused between runs. A failed check panics with
//! the name of what failed (this module is test support, not library code
//! for production).
//!
//! ```
//! use std::sync::Arc;
//! use leadkit_store::{MemoryStore, testkit};
//!
//! # tokio::runtime::Builder::new_multi_thread().build().unwrap().block_on(async {
//! testkit::run_all(Arc::new(MemoryStore::new())).await;
//! # });
//! ```

mod fixture;
mod leads;
mod query;
mod state;

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, TimeZone, Utc};
use leadkit_core::WorkspaceId;

use crate::{Error, Store};

/// Runs every check against `store`; panics on the first failure.
pub async fn run_all(store: Arc<dyn Store>) {
    leads::run(&store).await;
    state::run(&store).await;
    query::run(&store).await;
}

/// A workspace id no other run has used (time, process id and a counter).
pub fn fresh_workspace() -> WorkspaceId {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos());
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let mixed = (nanos << 40) ^ (u128::from(std::process::id()) << 20) ^ u128::from(count);
    WorkspaceId::from_u128(mixed)
}

/// A fixed instant the fixtures count from (whole seconds, which every
/// backend stores exactly).
pub fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0)
        .single()
        .expect("a valid fixed date")
}

/// A conversation's state after one turn (under `after_first_query`) that
/// brought `signals`.
pub(crate) fn after_one_turn(signals: leadkit_core::Signals) -> leadkit_core::Conversation {
    let mut conversation = leadkit_core::Conversation::new();
    let turn = leadkit_core::UserTurn::new(t0(), signals);
    let _ = conversation
        .handle_user_turn(&leadkit_core::Policy::after_first_query(), turn)
        .expect("a valid first turn");
    conversation
}

pub(crate) fn ok<T>(result: Result<T, Error>, what: &str) -> T {
    match result {
        Ok(value) => value,
        Err(error) => panic!("{what}: {error:?}"),
    }
}
