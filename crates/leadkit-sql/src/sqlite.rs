//! `SqliteStore`: the embedded backend.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::sqlite::{
    SqliteConnectOptions, SqliteConnection, SqliteJournalMode, SqlitePool, SqlitePoolOptions,
    SqliteSynchronous,
};
use sqlx::{Sqlite, Transaction};

use crate::Error;
use crate::filter::SearchIndex;

/// The default for [`SqliteStore::common_search_threshold`].
pub const COMMON_SEARCH: u32 = 2000;

/// How long a writer waits for another writer's lock before failing.
pub const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

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
#[derive(Debug, Clone)]
pub struct SqliteStore {
    pool: SqlitePool,
    common_search: u32,
}

impl SqliteStore {
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
            // 8 MiB of page cache per connection: enough for the hot index pages,
            // small enough that an export of every row stays in constant memory.
            .pragma("cache_size", "-8192");
        let pool = SqlitePoolOptions::new()
            .max_connections(max_connections)
            // An in-memory database lives as long as its connection.
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options)
            .await
            .map_err(Error::Connect)?;
        crate::migrate::sqlite()
            .run(&pool)
            .await
            .map_err(Error::Migrate)?;
        Ok(Self {
            pool,
            common_search: COMMON_SEARCH,
        })
    }

    /// How many matches make a search text "common" (default
    /// [`COMMON_SEARCH`]). A page of a rare search is read through the
    /// trigram index (every match, then sorted); a page of a common one by
    /// walking the sort order and testing each row, which stops after one
    /// page. Both give the same rows; only the speed differs.
    #[must_use]
    pub fn common_search_threshold(mut self, matches: u32) -> Self {
        self.common_search = matches;
        self
    }

    /// The connection pool, for your own queries (the schema is documented
    /// in `migrations/sqlite`).
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Closes every connection, checkpointing the WAL.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    async fn begin_write(&self) -> Result<Transaction<'static, Sqlite>, sqlx::Error> {
        // IMMEDIATE takes the write lock up front: a deferred transaction
        // that reads and then writes can fail with SQLITE_BUSY_SNAPSHOT,
        // which the busy timeout does not cover.
        self.pool.begin_with("BEGIN IMMEDIATE").await
    }

    /// How a page of a search is best found. The trigram index finds rare
    /// text at once but reads every match before sorting; when the text is
    /// common, walking the sort index and testing each row finds a page of
    /// matches sooner. A bounded probe of the index tells which case it is.
    async fn page_search_index(
        &self,
        query: &leadkit_store::ValidQuery,
    ) -> Result<SearchIndex, leadkit_store::Error> {
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

    async fn fetch_page(
        &self,
        query: &leadkit_store::ValidQuery,
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
}

crate::store::sql_store!(
    SqliteStore,
    Sqlite,
    SqliteConnection,
    "",
    SearchIndex::Fts5Trigram
);
