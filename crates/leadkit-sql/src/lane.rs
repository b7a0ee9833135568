//! Lanes: connections of the SQLite store's own, outside sqlx's pool, for
//! the few calls every chat turn makes.
//!
//! Every query on SQLite is a message to the connection's worker thread
//! and back, and sqlx's pool adds one more each time a connection is
//! returned (it pings the connection to check it survived). For a turn's
//! small queries those thread switches are most of the cost, so a turn
//! does its work on a lane: one connection behind an async mutex, never
//! returned anywhere, on which a query is a single round trip.

use std::ops::{Deref, DerefMut};
use std::sync::Arc;

use futures_util::future::BoxFuture;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection};
use sqlx::{ConnectOptions, Connection, Sqlite};
use tokio::sync::{Mutex, OwnedMappedMutexGuard, OwnedMutexGuard};

/// One connection, used by one task at a time.
#[derive(Debug)]
pub(crate) struct Lane {
    /// `None` once the store is closed.
    slot: Arc<Mutex<Option<Slot>>>,
}

#[derive(Debug)]
pub(crate) struct Slot {
    conn: SqliteConnection,
    /// Set while a batch that opens its own transaction runs. Still set
    /// when the next task takes the lane means the batch was stopped
    /// part-way (its runtime shut down), so its transaction may be open.
    batch_running: bool,
}

impl Lane {
    /// Opens the lane's connection with the store's options.
    pub(crate) async fn open(options: &SqliteConnectOptions) -> Result<Self, sqlx::Error> {
        let conn = options.connect().await?;
        Ok(Self {
            slot: Arc::new(Mutex::new(Some(Slot {
                conn,
                batch_running: false,
            }))),
        })
    }

    /// Waits for the lane; `None` once it is closed.
    pub(crate) async fn lock(&self) -> Option<LaneGuard> {
        let slot = Arc::clone(&self.slot).lock_owned().await;
        let mut lane = LaneGuard(OwnedMutexGuard::try_map(slot, Option::as_mut).ok()?);
        if lane.0.batch_running {
            // Whatever the stopped batch left open is rolled back; when it
            // had finished, this fails harmlessly ("no transaction").
            let _ = sqlx::query("ROLLBACK").execute(&mut lane.0.conn).await;
            lane.0.batch_running = false;
        }
        Some(lane)
    }

    /// The lane if no other task holds it (for reads, which can go through
    /// the pool instead of waiting).
    pub(crate) fn try_lock(&self) -> Option<LaneGuard> {
        let slot = Arc::clone(&self.slot).try_lock_owned().ok()?;
        let slot = OwnedMutexGuard::try_map(slot, Option::as_mut).ok()?;
        // Reads never run batches; a lane with a stopped one is left for
        // `lock` to repair.
        (!slot.batch_running).then_some(LaneGuard(slot))
    }

    /// Closes the connection; later calls find the lane closed.
    pub(crate) async fn close(&self) {
        if let Some(slot) = self.slot.lock().await.take()
            && let Err(error) = slot.conn.close().await
        {
            tracing::debug!(%error, "closing a SQLite lane failed");
        }
    }
}

/// A lane held by one task.
pub(crate) struct LaneGuard(OwnedMappedMutexGuard<Option<Slot>, Slot>);

impl LaneGuard {
    /// Runs `work`, which begins a transaction with a statement of its own
    /// and commits it, in a task of its own; an error rolls it back.
    ///
    /// The task finishes the work (commits, or fails and rolls back) even
    /// if the caller's future is dropped part-way. Run in the caller's
    /// future instead, a drop would stop it between statements (sqlx
    /// stops a statement list at the first result nobody receives) and
    /// leave the transaction open, holding SQLite's write lock.
    pub(crate) async fn in_transaction<T, W>(mut self, work: W) -> Result<T, leadkit_store::Error>
    where
        T: Send + 'static,
        W: for<'c> FnOnce(
                &'c mut SqliteConnection,
            ) -> BoxFuture<'c, Result<T, leadkit_store::Error>>
            + Send
            + 'static,
    {
        let task = tokio::spawn(async move {
            self.0.batch_running = true;
            let result = work(&mut self.0.conn).await;
            if result.is_err() {
                // Also after a COMMIT that failed, or a conflict found after
                // the commit (then "no transaction" is the harmless answer).
                let _ = sqlx::query("ROLLBACK").execute(&mut self.0.conn).await;
            }
            self.0.batch_running = false;
            result
        });
        match task.await {
            Ok(result) => result,
            Err(stopped) => Err(leadkit_store::Error::backend(stopped)),
        }
    }
}

impl Deref for LaneGuard {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        &self.0.conn
    }
}

impl DerefMut for LaneGuard {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        &mut self.0.conn
    }
}

/// A connection for one call: a lane when the store has one, else one
/// from the pool (an in-memory store, whose only connection is the pool's).
pub(crate) enum TurnConn {
    Lane(LaneGuard),
    Pooled(PoolConnection<Sqlite>),
}

impl Deref for TurnConn {
    type Target = SqliteConnection;

    fn deref(&self) -> &SqliteConnection {
        match self {
            Self::Lane(lane) => lane,
            Self::Pooled(conn) => conn,
        }
    }
}

impl DerefMut for TurnConn {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        match self {
            Self::Lane(lane) => lane,
            Self::Pooled(conn) => conn,
        }
    }
}
