//! `SqliteStore`: the embedded backend.

use std::path::Path;
use std::str::FromStr;
use std::sync::{Arc, Weak};
use std::time::Duration;

use leadkit_core::WorkspaceId;
use leadkit_store::{
    Error as StoreError, Lead, LeadUpsert, TranscriptMessage, TurnReceipt, TurnWrite, ValidQuery,
};
use sqlx::Sqlite;
use sqlx::pool::PoolConnection;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous,
};

use crate::Error;
use crate::error::{backend, corrupt};
use crate::filter::SearchIndex;
use crate::lane::{Lane, TurnConn};
use crate::store::{Backend, SqlStore};

mod batched_turn;
mod group_commit;

/// A file store's two lanes.
#[derive(Debug)]
struct Lanes {
    /// Every turn's writes, one transaction at a time.
    writer: Lane,
    /// The writes that can share the writer's next commit.
    queue: group_commit::WriteQueue,
    /// Turns' reads while it is free.
    reader: Lane,
}

/// The default for [`SqliteStore::common_search_threshold`].
pub const COMMON_SEARCH: u32 = 2000;

/// How long a writer waits for another writer's lock before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// How often a file store checkpoints its write-ahead log in the
/// background.
///
/// SQLite's own checkpoint runs inside the commit that crosses the WAL's
/// size limit, which adds milliseconds (copying pages, an fsync) to that
/// one request. A task of the store's checkpoints instead (`PRAGMA
/// wal_checkpoint(PASSIVE)`, which never blocks readers or writers), on a
/// connection of its own, so commits stay fast. The task ends when the
/// store is closed or its last clone dropped.
pub const CHECKPOINT_INTERVAL: Duration = Duration::from_millis(100);

/// The leadkit store on SQLite (bundled: no system library needed).
///
/// A file database runs in WAL mode (readers never block the writer) with
/// `synchronous = NORMAL` (a committed transaction survives a crash of the
/// process; a power cut may lose the last few), foreign keys on, and a
/// [`BUSY_TIMEOUT`]. Write transactions start with `BEGIN IMMEDIATE`, so
/// concurrent writers queue instead of failing. The schema migrations are
/// embedded and applied when the store opens.
///
/// Free-text search uses an FTS5 trigram index over the folded search
/// column for rare text and a scan in sort order for common text (see
/// [`SqliteStore::common_search_threshold`]); a page is read from SQLite as
/// one JSON value rather than row by row (one message across sqlx's worker
/// thread per page), which roughly triples the throughput of an export.
///
/// A file store keeps two connections of its own besides the pool, for
/// the calls every chat turn makes: the state read, and the turn's writes,
/// which go as one batch of statements (two when the turn carries a lead).
/// A query on SQLite is a round trip to its connection's thread, and those
/// switches, not SQLite's work, are most of a small query's cost. Turns
/// without a lead and transcript lines that wait for the writer at the
/// same time share one transaction (group commit), each with its own
/// compare-and-swap and its own answer.
///
/// ```
/// use leadkit_sql::SqliteStore;
/// use leadkit_store::{LeadQuery, LeadStore};
/// use leadkit_core::WorkspaceId;
///
/// # tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap().block_on(async {
/// let store = SqliteStore::open_in_memory().await?;
/// let page = store.query_leads(WorkspaceId::from_u128(1), &LeadQuery::new()).await?;
/// assert!(page.leads.is_empty());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// # }).unwrap();
/// ```
pub type SqliteStore = SqlStore<SqliteBackend>;

/// The SQLite side of [`SqliteStore`]: its pool, its own connections for
/// turns, and its search tuning. Its methods are [`SqliteStore`]'s.
#[derive(Debug, Clone)]
pub struct SqliteBackend {
    pool: SqlitePool,
    /// A file store's own connections for each turn's calls (see
    /// [`crate::lane`]); `None` in memory, where the pool's one connection
    /// is the database, and with the fast paths off.
    lanes: Option<Arc<Lanes>>,
    common_search: u32,
    /// Alive while any clone of the store is: the checkpoint task holds a
    /// weak reference and stops when it is gone.
    _alive: Arc<()>,
}

impl SqlStore<SqliteBackend> {
    /// Opens (creating it if needed) the database file at `path`, with a
    /// pool of up to 8 connections.
    pub async fn open(path: impl AsRef<Path>) -> Result<Self, Error> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true);
        Self::open_with(options, 8).await
    }

    /// A private in-memory database (one connection: each SQLite memory
    /// connection is its own database), for tests and demos.
    pub async fn open_in_memory() -> Result<Self, Error> {
        let options = SqliteConnectOptions::from_str("sqlite::memory:").map_err(Error::Connect)?;
        Self::open_with(options, 1).await
    }

    /// Opens with your own connect options; leadkit's settings (WAL,
    /// foreign keys, busy timeout, synchronous NORMAL) are applied on top.
    pub async fn open_with(
        options: SqliteConnectOptions,
        max_connections: u32,
    ) -> Result<Self, Error> {
        if max_connections == 0 {
            return Err(Error::InvalidSetting {
                reason: "a pool needs at least one connection",
            });
        }
        let options = options
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(BUSY_TIMEOUT)
            .pragma("temp_store", "memory")
            // Deleted content is overwritten with zeros, not left in free
            // space: an erased lead leaves nothing readable in the file.
            .pragma("secure_delete", "on")
            // 8 MiB of page cache per connection: enough for the hot index pages,
            // small enough that an export of every row stays in constant memory.
            .pragma("cache_size", "-8192")
            // Checkpoints run in the background (see `CHECKPOINT_INTERVAL`);
            // a writer checkpoints itself only if the WAL outgrows ~40 MiB.
            .pragma("wal_autocheckpoint", "10000");
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections)
            // A ping before each use is a round trip to the connection's
            // thread for nothing: an embedded database does not drop
            // connections, and a broken one fails the next query anyway.
            .test_before_acquire(false)
            // An in-memory database lives as long as its connection.
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.clone())
            .await
            .map_err(Error::Connect)?;
        crate::migrate::sqlite()
            .run(&pool)
            .await
            .map_err(Error::Migrate)?;
        let alive = Arc::new(());
        // An in-memory database (one connection) has no log to checkpoint,
        // and a task would compete for its only connection; a lane's
        // connection would be a database of its own.
        let lanes = if max_connections > 1 {
            spawn_checkpoints(pool.clone(), Arc::downgrade(&alive));
            let lanes = Lanes {
                writer: Lane::open(&options).await.map_err(Error::Connect)?,
                queue: group_commit::WriteQueue::default(),
                reader: Lane::open(&options).await.map_err(Error::Connect)?,
            };
            Some(Arc::new(lanes))
        } else {
            None
        };
        Ok(Self::new(SqliteBackend {
            pool,
            lanes,
            common_search: COMMON_SEARCH,
            _alive: alive,
        }))
    }

    /// How many matches make a search text "common" (default
    /// [`COMMON_SEARCH`]). A page of a rare search is read through the
    /// trigram index (every match, then sorted); a page of a common one by
    /// walking the sort order and testing each row, which stops after one
    /// page. Both give the same rows; only the speed differs.
    #[must_use]
    pub fn common_search_threshold(mut self, matches: u32) -> Self {
        self.backend.common_search = matches;
        self
    }

    /// Turns the fast paths of a file store off: every call then runs on
    /// the pool as one plain transaction, as on PostgreSQL, instead of on
    /// the store's own connections (lanes), with turns' statements batched
    /// and concurrent turns sharing a commit (group commit). Both give the
    /// same results; the fast paths are faster. The conformance suite runs
    /// on both, so they are known to agree. A store in memory has no fast
    /// paths to turn off.
    #[must_use]
    pub fn without_fast_paths(mut self) -> Self {
        self.backend.lanes = None;
        self
    }

    /// The connection pool, for your own queries (the schema is documented
    /// in `migrations/sqlite`).
    pub fn pool(&self) -> &SqlitePool {
        &self.backend.pool
    }

    /// Closes every connection, checkpointing the WAL.
    pub async fn close(&self) {
        if let Some(lanes) = &self.backend.lanes {
            lanes.writer.close().await;
            lanes.reader.close().await;
        }
        self.backend.pool.close().await;
    }
}

impl SqliteBackend {
    /// A turn without a lead joins the writer lane's next group commit
    /// (see `group_commit`); `None`: the turn takes the other paths.
    async fn grouped_turn(
        &self,
        workspace: WorkspaceId,
        turn: &TurnWrite,
    ) -> Option<Result<TurnReceipt, StoreError>> {
        let write = match group_commit::Write::turn(turn) {
            Ok(write) => write,
            Err(error) => return Some(Err(error)),
        };
        let answer = self.group_write(workspace, write).await?;
        Some(answer.and_then(|version| {
            version
                .map(|version| TurnReceipt::new(version, None))
                .ok_or(StoreError::Corrupt {
                    what: "group commit report",
                    source: None,
                })
        }))
    }
}

/// SQLite's side of the store. Its fast paths are all here, behind
/// [`Backend::fast_turn`] and [`Backend::fast_lines`]: a file store runs a
/// turn on its writer lane, as one batch of statements shared with the
/// other writes waiting (`group_commit`) or, for a turn with a lead, as
/// two batches (`batched_turn`). Without lanes (in memory, or
/// [`SqliteStore::without_fast_paths`]) every call takes the plain path.
impl Backend for SqliteBackend {
    type Db = Sqlite;
    type TurnConn = TurnConn;

    /// IMMEDIATE takes the write lock up front: a deferred transaction
    /// that reads and then writes can fail with SQLITE_BUSY_SNAPSHOT,
    /// which the busy timeout does not cover.
    const BEGIN_WRITE: &'static str = "BEGIN IMMEDIATE";
    /// SQLite locks the whole database for a write transaction.
    const FOR_UPDATE: &'static str = "";
    const COUNT_SEARCH: SearchIndex = SearchIndex::Fts5Trigram;

    fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Checkpoints the whole WAL into the database and truncates it: the
    /// log still holds the erased rows' pages as they were written. Waits
    /// for readers (up to the busy timeout); if one outlasts it the
    /// background checkpoints finish the job.
    async fn after_erase(&self) {
        let checkpoint = async {
            let mut conn = self.pool.acquire().await?;
            // (busy, log frames, checkpointed frames); busy = 1: a reader
            // kept part of the log.
            sqlx::query_as::<_, (i64, i64, i64)>("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(&mut *conn)
                .await
        };
        match checkpoint.await {
            Ok((0, _, _)) => {}
            Ok(_) => tracing::warn!("a reader kept the WAL from being truncated after an erasure"),
            Err(error) => tracing::warn!(%error, "WAL checkpoint after an erasure failed"),
        }
    }

    fn retryable(error: &sqlx::Error) -> bool {
        match error {
            sqlx::Error::Database(db) => {
                db.is_unique_violation()
                    // SQLITE_BUSY and SQLITE_LOCKED with their extended codes.
                    || db.code().is_some_and(|c| {
                        c.parse::<i32>().is_ok_and(|c| matches!(c & 0xff, 5 | 6))
                    })
            }
            _ => false,
        }
    }

    /// The writer lane, waited for (SQLite has one writer at a time
    /// anyway), or the pool's connection.
    async fn writer(&self) -> Result<TurnConn, sqlx::Error> {
        if let Some(lanes) = &self.lanes
            && let Some(lane) = lanes.writer.lock().await
        {
            return Ok(TurnConn::Lane(lane));
        }
        Ok(TurnConn::Pooled(self.pool.acquire().await?))
    }

    /// The reader lane when it is free, else one from the pool, so
    /// concurrent readers never queue.
    async fn reader(&self) -> Result<TurnConn, sqlx::Error> {
        if let Some(lane) = self
            .lanes
            .as_ref()
            .and_then(|lanes| lanes.reader.try_lock())
        {
            return Ok(TurnConn::Lane(lane));
        }
        Ok(TurnConn::Pooled(self.pool.acquire().await?))
    }

    async fn fast_turn(
        &self,
        workspace: WorkspaceId,
        turn: &TurnWrite,
        upsert: Option<&LeadUpsert>,
    ) -> Option<Result<TurnReceipt, StoreError>> {
        let lanes = self.lanes.as_ref()?;
        match upsert {
            None => self.grouped_turn(workspace, turn).await,
            Some(upsert) => {
                let lane = lanes.writer.lock().await?;
                Some(batched_turn::persist(lane, workspace, turn, upsert).await)
            }
        }
    }

    /// Transcript lines join the writer lane's next group commit.
    async fn fast_lines(
        &self,
        workspace: WorkspaceId,
        messages: &[TranscriptMessage],
    ) -> Option<Result<(), StoreError>> {
        self.lanes.as_ref()?;
        if messages.is_empty() {
            return Some(Ok(()));
        }
        let write = group_commit::Write::Lines(messages.to_vec());
        Some(self.group_write(workspace, write).await?.map(|_| ()))
    }

    /// The trigram index finds rare text at once but reads every match
    /// before sorting; when the text is common, walking the sort index and
    /// testing each row finds a page of matches sooner. A bounded probe of
    /// the index tells which case it is.
    async fn page_search_index(&self, query: &ValidQuery) -> Result<SearchIndex, StoreError> {
        let Some(search) = &query.search else {
            return Ok(SearchIndex::Like);
        };
        if search.chars().count() < 3 {
            return Ok(SearchIndex::Like);
        }
        let matches: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM (SELECT 1 FROM leads_search s JOIN leads l ON l.seq = s.rowid \
             WHERE s.search GLOB $1 AND l.workspace_id = $2 LIMIT $3)",
        )
        .bind(crate::filter::glob_contains_pattern(search))
        .bind(*query.workspace.as_uuid())
        .bind(i64::from(self.common_search))
        .fetch_one(&self.pool)
        .await
        .map_err(backend)?;
        Ok(if matches < i64::from(self.common_search) {
            SearchIndex::Fts5Trigram
        } else {
            SearchIndex::Like
        })
    }

    /// The page as one JSON value (one message across sqlx's worker thread
    /// per page, not one per row).
    async fn fetch_page(
        &self,
        query: &ValidQuery,
        search: SearchIndex,
    ) -> Result<Vec<Lead>, StoreError> {
        let json: String = crate::filter::select_page_json::<Sqlite>(query, search)
            .build_query_scalar()
            .fetch_one(&self.pool)
            .await
            .map_err(backend)?;
        let rows: Vec<crate::codec::JsonLead> =
            serde_json::from_str(&json).map_err(|e| corrupt("lead page", e))?;
        rows.into_iter()
            .map(|row| row.into_lead(query.workspace))
            .collect()
    }
}

/// Checkpoints the WAL every [`CHECKPOINT_INTERVAL`] while the store lives.
fn spawn_checkpoints(pool: SqlitePool, alive: Weak<()>) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(CHECKPOINT_INTERVAL);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if alive.strong_count() == 0 || pool.is_closed() {
                break;
            }
            if let Err(error) = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
                .execute(&pool)
                .await
            {
                tracing::debug!(%error, "background WAL checkpoint failed");
            }
        }
    });
}

impl crate::export::ExportSource for SqliteBackend {
    type Conn = PoolConnection<Sqlite>;
    /// The page as one JSON array (one message across sqlx's worker
    /// thread per page, not one per row).
    type Data = String;

    fn fetch(
        mut conn: Self::Conn,
        query: &ValidQuery,
        search: SearchIndex,
    ) -> crate::export::PageFetch<Self> {
        let mut select = crate::filter::select_export_json::<Sqlite>(query, search);
        Box::pin(async move {
            let json = select
                .build_query_scalar::<String>()
                .fetch_one(&mut *conn)
                .await
                .map_err(backend);
            (conn, json)
        })
    }

    fn decode(json: &String) -> Result<Vec<crate::export::ExportFields<'_>>, leadkit_store::Error> {
        serde_json::from_str(json).map_err(|e| corrupt("export page", e))
    }
}
