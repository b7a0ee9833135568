//! The conformance suite: one set of assertions every backend runs.
//!
//! Each check is a function of [`checks`]. A backend's tests get one named
//! test per check from [`conformance_tests!`](crate::conformance_tests), so
//! one regression does not hide the others and a check runs alone by name
//! (`cargo test -p leadkit-sql --test sqlite_conformance file::erases`):
//!
//! ```ignore
//! mod memory {
//!     async fn subject() -> Option<leadkit_store::testkit::Subject> {
//!         Some(leadkit_store::testkit::Subject::new(std::sync::Arc::new(
//!             leadkit_store::MemoryStore::new(),
//!         )))
//!     }
//!     leadkit_store::conformance_tests!(subject);
//! }
//! ```
//!
//! Each check uses its own random workspace, so the checks do not see each
//! other's data and a database can be reused between runs. A failed check
//! panics with the name of what failed (this module is test support, not
//! library code for production). [`run_all`] runs every check in turn.
//!
//! ```
//! use std::sync::Arc;
//! use leadkit_store::{MemoryStore, testkit};
//!
//! # tokio::runtime::Builder::new_multi_thread().build().unwrap().block_on(async {
//! testkit::run_all(Arc::new(MemoryStore::new())).await;
//! # });
//! ```

mod bot_settings;
mod claims;
mod conversations;
mod fixture;
mod leads;
mod query;
mod state;

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use chrono::{DateTime, TimeZone, Utc};
use leadkit_core::WorkspaceId;

use crate::{Error, Store};

/// The names of every check, handed to `$callback!` after `$args`: the
/// one list that [`conformance_tests!`](crate::conformance_tests) and
/// [`run_all`] are made from.
#[doc(hidden)]
#[macro_export]
macro_rules! __leadkit_store_each_check {
    ($callback:path, [$($args:tt)*]) => {
        $callback! { [$($args)*]
            dedupes keeps_conflicts needs_a_key edits transcripts erases
            isolates_workspaces concurrent_upserts redacts
            compare_and_swap persist_turn turns_without_a_lead concurrent_saves
            concurrent_turns
            sorts_and_pages filters hostile_search bad_queries export
            export_pages_match_queries
            bot_settings_round_trip bot_settings_refuses_invalid
            bot_settings_isolates_workspaces bot_settings_concurrent_saves
            bot_settings_redacts_actor
            claims_cannot_take_over claims_are_merged_or_rejected claims_are_erased
            keys_stay_with_their_lead claims_leave_summaries_unlinked
            conversations_list transcript_pages erases_every_conversation
            bot_filter_matches_any_bot previous_pages
        }
    };
}

/// One `#[tokio::test]` per check of the suite, each named after its check,
/// against the store `$subject().await` gives ([`Subject`]; `None` skips
/// the test, for a backend whose server is not available, which the
/// function should say on stderr).
///
/// The calling crate needs tokio (`macros`, `rt-multi-thread`) among its
/// dev-dependencies. See the [module docs](crate::testkit).
#[macro_export]
macro_rules! conformance_tests {
    ($subject:path) => {
        $crate::__leadkit_store_each_check!($crate::__leadkit_store_check_tests, [$subject]);
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __leadkit_store_check_tests {
    ([$subject:path] $($check:ident)*) => {
        $(
            #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
            async fn $check() {
                let Some(subject) = $subject().await else {
                    return;
                };
                $crate::testkit::checks::$check(subject.store()).await;
                subject.finish().await;
            }
        )*
    };
}

macro_rules! run_each {
    ([$store:ident] $($check:ident)*) => {
        $(checks::$check(Arc::clone(&$store)).await;)*
    };
}

/// Runs every check against `store`, one after the other; panics on the
/// first failure.
pub async fn run_all(store: Arc<dyn Store>) {
    crate::__leadkit_store_each_check!(run_each, [store]);
}

/// A store under test, and what to do once a check is done with it.
pub struct Subject {
    store: Arc<dyn Store>,
    cleanup: Option<Pin<Box<dyn Future<Output = ()> + Send>>>,
}

impl std::fmt::Debug for Subject {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Subject").finish_non_exhaustive()
    }
}

impl Subject {
    /// A store with nothing to clean up.
    pub fn new(store: Arc<dyn Store>) -> Self {
        Self {
            store,
            cleanup: None,
        }
    }

    /// Runs `cleanup` after the check passed (closing the store, dropping
    /// a schema, removing a directory).
    #[must_use]
    pub fn cleanup(mut self, cleanup: impl Future<Output = ()> + Send + 'static) -> Self {
        self.cleanup = Some(Box::pin(cleanup));
        self
    }

    /// The store.
    pub fn store(&self) -> Arc<dyn Store> {
        Arc::clone(&self.store)
    }

    /// Drops the store and runs the cleanup.
    pub async fn finish(self) {
        drop(self.store);
        if let Some(cleanup) = self.cleanup {
            cleanup.await;
        }
    }
}

/// The checks, one function each, named for what they check. Each is a
/// thin wrapper of the same shape over the check's body in `leads`,
/// `state` or `query`, so that a generated test can name it.
pub mod checks {
    use std::sync::Arc;

    use super::{
        bot_settings, claims, conversations, fixture, fresh_workspace, leads, query, state,
    };
    use crate::Store;

    /// One lead per visitor, email or phone.
    pub async fn dedupes(store: Arc<dyn Store>) {
        leads::dedupes(store.as_ref()).await;
    }

    /// Conflicting values are kept in the history, never overwritten.
    pub async fn keeps_conflicts(store: Arc<dyn Store>) {
        leads::keeps_conflicts(store.as_ref()).await;
    }

    /// A lead needs a key to be found again.
    pub async fn needs_a_key(store: Arc<dyn Store>) {
        leads::needs_a_key(store.as_ref()).await;
    }

    /// Status, notes and custom-field edits.
    pub async fn edits(store: Arc<dyn Store>) {
        leads::edits(store.as_ref()).await;
    }

    /// Transcripts in order, recent lines, links to leads.
    pub async fn transcripts(store: Arc<dyn Store>) {
        leads::transcripts(store.as_ref()).await;
    }

    /// Erasure removes a lead, its keys and transcripts, and resets states.
    pub async fn erases(store: Arc<dyn Store>) {
        leads::erases(store.as_ref()).await;
    }

    /// No call reads or writes across workspaces.
    pub async fn isolates_workspaces(store: Arc<dyn Store>) {
        leads::isolates_workspaces(store.as_ref()).await;
    }

    /// Concurrent upserts of one visitor make one lead.
    pub async fn concurrent_upserts(store: Arc<dyn Store>) {
        leads::concurrent_upserts(&store).await;
    }

    /// `Debug` output carries no personal data.
    pub async fn redacts(store: Arc<dyn Store>) {
        leads::redacts(store.as_ref()).await;
    }

    /// Saving a state is a compare-and-swap on its version.
    pub async fn compare_and_swap(store: Arc<dyn Store>) {
        state::compare_and_swap(store.as_ref()).await;
    }

    /// A turn with a lead is written whole or not at all.
    pub async fn persist_turn(store: Arc<dyn Store>) {
        state::persist_turn(store.as_ref()).await;
    }

    /// A turn without a lead is written whole or not at all.
    pub async fn turns_without_a_lead(store: Arc<dyn Store>) {
        state::turns_without_a_lead(store.as_ref()).await;
    }

    /// Concurrent saves of one state: one wins, the rest conflict.
    pub async fn concurrent_saves(store: Arc<dyn Store>) {
        state::concurrent_saves(&store).await;
    }

    /// Concurrent turns of one conversation: one wins, the rest conflict.
    pub async fn concurrent_turns(store: Arc<dyn Store>) {
        state::concurrent_turns(&store).await;
    }

    /// Every sort and direction, paged with cursors.
    pub async fn sorts_and_pages(store: Arc<dyn Store>) {
        let fx = fixture::build(store.as_ref(), fresh_workspace()).await;
        query::sorts_and_pages(store.as_ref(), &fx).await;
    }

    /// Every filter, alone and combined, and the count.
    pub async fn filters(store: Arc<dyn Store>) {
        let fx = fixture::build(store.as_ref(), fresh_workspace()).await;
        query::filters(store.as_ref(), &fx).await;
    }

    /// Search text with wildcards, quotes and SQL in it.
    pub async fn hostile_search(store: Arc<dyn Store>) {
        let fx = fixture::build(store.as_ref(), fresh_workspace()).await;
        query::hostile_search(store.as_ref(), &fx).await;
    }

    /// Bad queries and foreign, tampered or junk cursors are refused.
    pub async fn bad_queries(store: Arc<dyn Store>) {
        let fx = fixture::build(store.as_ref(), fresh_workspace()).await;
        query::bad_queries(store.as_ref(), &fx).await;
    }

    /// The CSV export: header, columns, formula defence, line ends.
    pub async fn export(store: Arc<dyn Store>) {
        let fx = fixture::build(store.as_ref(), fresh_workspace()).await;
        query::export(store.as_ref(), &fx).await;
    }

    /// An unverified conversation cannot take over a lead it does not own:
    /// it becomes a claim; the lead's own, verified and direct upserts merge.
    pub async fn claims_cannot_take_over(store: Arc<dyn Store>) {
        claims::claims_cannot_take_over(store.as_ref()).await;
    }

    /// A claim is merged (its details applied) or rejected (nothing changes).
    pub async fn claims_are_merged_or_rejected(store: Arc<dyn Store>) {
        claims::claims_are_merged_or_rejected(store.as_ref()).await;
    }

    /// Erasing a lead erases its claims and the claiming conversations.
    pub async fn claims_are_erased(store: Arc<dyn Store>) {
        claims::claims_are_erased(store.as_ref()).await;
    }

    /// No lead takes another lead's key (the A/B case).
    pub async fn keys_stay_with_their_lead(store: Arc<dyn Store>) {
        claims::keys_stay_with_their_lead(store.as_ref()).await;
    }

    /// A claiming conversation's summary has no lead until its claim is
    /// merged, and none again after a rejection.
    pub async fn claims_leave_summaries_unlinked(store: Arc<dyn Store>) {
        claims::claims_leave_summaries_unlinked(store.as_ref()).await;
    }

    /// Conversation summaries kept on write; the list's order, filters,
    /// search and pages.
    pub async fn conversations_list(store: Arc<dyn Store>) {
        conversations::conversations_list(store.as_ref()).await;
    }

    /// Transcripts read backwards in signed pages.
    pub async fn transcript_pages(store: Arc<dyn Store>) {
        conversations::transcript_pages(store.as_ref()).await;
    }

    /// Erasing a lead erases its three conversations (captured, recognised,
    /// linked later): lines, summaries, search matches, states.
    pub async fn erases_every_conversation(store: Arc<dyn Store>) {
        conversations::erases_every_conversation(store.as_ref()).await;
    }

    /// The Leads screen's bot filter matches any bot a lead talked to.
    pub async fn bot_filter_matches_any_bot(store: Arc<dyn Store>) {
        conversations::bot_filter_matches_any_bot(store.as_ref()).await;
    }

    /// Previous pages lead back to exactly the page before.
    pub async fn previous_pages(store: Arc<dyn Store>) {
        conversations::previous_pages(store.as_ref()).await;
    }

    /// A backend's export pages hold what its query pages hold.
    pub async fn export_pages_match_queries(store: Arc<dyn Store>) {
        let fx = fixture::build(store.as_ref(), fresh_workspace()).await;
        query::export_pages_match_queries(store.as_ref(), &fx).await;
    }

    /// Bot settings read back whole; changes are recorded newest first.
    pub async fn bot_settings_round_trip(store: Arc<dyn Store>) {
        bot_settings::round_trip(store.as_ref()).await;
    }

    /// Invalid bot settings, actors or unknown bots change nothing.
    pub async fn bot_settings_refuses_invalid(store: Arc<dyn Store>) {
        bot_settings::refuses_invalid(store.as_ref()).await;
    }

    /// Bot settings never cross workspaces.
    pub async fn bot_settings_isolates_workspaces(store: Arc<dyn Store>) {
        bot_settings::isolates_workspaces(store.as_ref()).await;
    }

    /// Concurrent settings saves each get a version and a history entry.
    pub async fn bot_settings_concurrent_saves(store: Arc<dyn Store>) {
        bot_settings::concurrent_saves(&store).await;
    }

    /// Who changed a bot's settings stays out of `Debug`.
    pub async fn bot_settings_redacts_actor(store: Arc<dyn Store>) {
        bot_settings::redacts_actor(store.as_ref()).await;
    }
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
