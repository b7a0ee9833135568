//! `PostgresStore`: the server backend.

use std::str::FromStr;

use leadkit_core::WorkspaceId;
use leadkit_store::{
    Error as StoreError, Lead, LeadUpsert, TranscriptMessage, TurnReceipt, TurnWrite, ValidQuery,
};
use sqlx::Postgres;
use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgRow};

use crate::Error;
use crate::error::backend;
use crate::filter::SearchIndex;
use crate::store::{Backend, SqlStore, decode_lead};

/// The leadkit store on PostgreSQL, through a connection pool.
///
/// The schema is the SQLite one with native UUIDs and a trigram (`pg_trgm`)
/// GIN index for substring search; the migrations are embedded and applied
/// on connect (they create the `pg_trgm` extension in schema `public` if
/// it is missing, which needs a role allowed to create it: the database
/// owner on PostgreSQL 13 and later). Write transactions run at READ
/// COMMITTED with row locks; races on a new lead's keys are retried.
pub type PostgresStore = SqlStore<PostgresBackend>;

/// The PostgreSQL side of [`PostgresStore`]: its pool. Its methods are
/// [`PostgresStore`]'s.
#[derive(Debug, Clone)]
pub struct PostgresBackend {
    pool: PgPool,
}

impl SqlStore<PostgresBackend> {
    /// Connects to `url` (`postgres://user:password@host:port/database`)
    /// with a pool of up to 16 connections.
    pub async fn connect(url: &str) -> Result<Self, Error> {
        let options = PgConnectOptions::from_str(url).map_err(Error::Connect)?;
        Self::connect_with(options, 16).await
    }

    /// Connects with your own options (for example a `search_path` to keep
    /// leadkit's tables in their own schema).
    pub async fn connect_with(
        options: PgConnectOptions,
        max_connections: u32,
    ) -> Result<Self, Error> {
        if max_connections == 0 {
            return Err(Error::InvalidSetting {
                reason: "a pool needs at least one connection",
            });
        }
        let pool = PgPoolOptions::new()
            .max_connections(max_connections)
            .connect_with(options)
            .await
            .map_err(Error::Connect)?;
        crate::migrate::postgres()
            .run(&pool)
            .await
            .map_err(Error::Migrate)?;
        Ok(Self::new(PostgresBackend { pool }))
    }

    /// The connection pool, for your own queries.
    pub fn pool(&self) -> &PgPool {
        &self.backend.pool
    }

    /// Closes every connection.
    pub async fn close(&self) {
        self.backend.pool.close().await;
    }
}

/// PostgreSQL's side of the store: no fast paths (PostgreSQL commits
/// concurrent transactions together itself), every connection from the
/// pool, row locks for read-then-write.
// The items repeat the `Backend` trait's, as SQLite's impl does, each with
// this database's values.
impl Backend for PostgresBackend {
    type Db = Postgres;
    type TurnConn = PoolConnection<Postgres>;

    const BEGIN_WRITE: &'static str = "BEGIN";
    const FOR_UPDATE: &'static str = " FOR UPDATE";
    /// PostgreSQL's planner weighs the trigram index against the sort
    /// index itself: the search is always a plain `LIKE`.
    const COUNT_SEARCH: SearchIndex = SearchIndex::Like;

    fn pool(&self) -> &PgPool {
        &self.pool
    }

    fn retryable(error: &sqlx::Error) -> bool {
        match error {
            sqlx::Error::Database(db) => {
                db.is_unique_violation()
                    // serialization_failure, deadlock_detected
                    || matches!(db.code().as_deref(), Some("40001" | "40P01"))
            }
            _ => false,
        }
    }

    async fn writer(&self) -> Result<PoolConnection<Postgres>, sqlx::Error> {
        self.pool.acquire().await
    }

    async fn reader(&self) -> Result<PoolConnection<Postgres>, sqlx::Error> {
        self.pool.acquire().await
    }

    async fn fast_turn(
        &self,
        _workspace: WorkspaceId,
        _turn: &TurnWrite,
        _upsert: Option<&LeadUpsert>,
    ) -> Option<Result<TurnReceipt, StoreError>> {
        None
    }

    async fn fast_lines(
        &self,
        _workspace: WorkspaceId,
        _messages: &[TranscriptMessage],
    ) -> Option<Result<(), StoreError>> {
        None
    }

    async fn page_search_index(&self, _query: &ValidQuery) -> Result<SearchIndex, StoreError> {
        Ok(SearchIndex::Like)
    }

    async fn fetch_page(
        &self,
        query: &ValidQuery,
        search: SearchIndex,
    ) -> Result<Vec<Lead>, StoreError> {
        let rows = crate::filter::select_page::<Postgres>(query, search)
            .build()
            .fetch_all(&self.pool)
            .await
            .map_err(backend)?;
        rows.iter()
            .map(|r| decode_lead::<Postgres>(r, query.workspace))
            .collect()
    }
}

impl crate::export::ExportSource for PostgresBackend {
    type Conn = PoolConnection<Postgres>;
    type Data = Vec<PgRow>;

    fn fetch(
        mut conn: Self::Conn,
        query: &ValidQuery,
        search: SearchIndex,
    ) -> crate::export::PageFetch<Self> {
        let mut select = crate::filter::select_export_page::<Postgres>(query, search);
        Box::pin(async move {
            let rows = select.build().fetch_all(&mut *conn).await.map_err(backend);
            (conn, rows)
        })
    }

    fn decode(
        rows: &Vec<PgRow>,
    ) -> Result<Vec<crate::export::ExportFields<'_>>, leadkit_store::Error> {
        rows.iter().map(export_fields).collect()
    }
}

fn export_fields(row: &PgRow) -> Result<crate::export::ExportFields<'_>, leadkit_store::Error> {
    use crate::error::backend;
    use sqlx::Row;
    use std::borrow::Cow;
    fn text(row: &PgRow, i: usize) -> Result<Option<Cow<'_, str>>, leadkit_store::Error> {
        row.try_get::<Option<&str>, _>(i)
            .map(|t| t.map(Cow::Borrowed))
            .map_err(backend)
    }
    Ok(crate::export::ExportFields {
        id: row.try_get(0).map_err(backend)?,
        bot: row.try_get(1).map_err(backend)?,
        created_at: row.try_get(2).map_err(backend)?,
        last_seen_at: row.try_get(3).map_err(backend)?,
        status: row.try_get(4).map_err(backend)?,
        name: text(row, 5)?,
        email: text(row, 6)?,
        phone: text(row, 7)?,
        company: text(row, 8)?,
        visitor: text(row, 9)?,
        notes: Cow::Borrowed(row.try_get(10).map_err(backend)?),
        consent_state: row.try_get(11).map_err(backend)?,
        consent_at: text(row, 12)?,
        consent_version: text(row, 13)?,
        sort_key: text(row, 14)?,
    })
}
