//! The few things generic store code asks of a sqlx database, behind one
//! bound.
//!
//! sqlx states what a database can do as bounds on other types (`Uuid:
//! Encode<'q, DB>`, `&mut DB::Connection: Executor`, `usize:
//! ColumnIndex<DB::Row>` …), and Rust does not carry such bounds from a
//! trait to its users: every generic function would repeat the whole list.
//! [`SqlDb`] states them once, in its blanket impl, and offers the
//! operations the stores use as methods, so generic code needs only
//! `DB: SqlDb`. Both SQLite and PostgreSQL get it from that one impl.

use futures_util::future::BoxFuture;
use sqlx::query_builder::Separated;
use sqlx::{ColumnIndex, Database, Decode, Encode, QueryBuilder, Row, Type};
use uuid::Uuid;

/// A value bound to a statement: the column types leadkit's schema uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Param {
    Uuid(Uuid),
    Int(i64),
    Text(String),
    OptText(Option<String>),
}

impl From<Uuid> for Param {
    fn from(value: Uuid) -> Self {
        Self::Uuid(value)
    }
}

impl From<i64> for Param {
    fn from(value: i64) -> Self {
        Self::Int(value)
    }
}

impl From<String> for Param {
    fn from(value: String) -> Self {
        Self::Text(value)
    }
}

impl From<Option<String>> for Param {
    fn from(value: Option<String>) -> Self {
        Self::OptText(value)
    }
}

/// A statement being built; its parameters live as long as it.
pub(crate) type Sql<DB> = QueryBuilder<'static, DB>;

/// What the stores need of a database (see the module docs).
pub(crate) trait SqlDb: Exec {
    /// Binds a parameter at the end of the statement.
    fn bind(sql: &mut Sql<Self>, param: Param);

    /// Binds a parameter as the next item of a separated list (a row of
    /// `VALUES`).
    fn bind_separated(list: &mut Separated<'_, 'static, Self, &'static str>, param: Param);

    /// A `UUID` (PostgreSQL) or 16-byte `BLOB` (SQLite) column.
    fn uuid(row: &Self::Row, column: usize) -> Result<Uuid, sqlx::Error>;

    /// An integer column.
    fn int(row: &Self::Row, column: usize) -> Result<i64, sqlx::Error>;

    /// A text column.
    fn text(row: &Self::Row, column: usize) -> Result<String, sqlx::Error>;

    /// A nullable text column.
    fn opt_text(row: &Self::Row, column: usize) -> Result<Option<String>, sqlx::Error>;
}

impl<DB> SqlDb for DB
where
    DB: Exec,
    usize: ColumnIndex<DB::Row>,
    Uuid: Encode<'static, DB> + for<'r> Decode<'r, DB> + Type<DB>,
    i64: Encode<'static, DB> + for<'r> Decode<'r, DB> + Type<DB>,
    String: Encode<'static, DB> + for<'r> Decode<'r, DB> + Type<DB>,
    Option<String>: Encode<'static, DB>,
{
    fn bind(sql: &mut Sql<Self>, param: Param) {
        match param {
            Param::Uuid(v) => sql.push_bind(v),
            Param::Int(v) => sql.push_bind(v),
            Param::Text(v) => sql.push_bind(v),
            Param::OptText(v) => sql.push_bind(v),
        };
    }

    fn bind_separated(list: &mut Separated<'_, 'static, Self, &'static str>, param: Param) {
        match param {
            Param::Uuid(v) => list.push_bind(v),
            Param::Int(v) => list.push_bind(v),
            Param::Text(v) => list.push_bind(v),
            Param::OptText(v) => list.push_bind(v),
        };
    }

    fn uuid(row: &Self::Row, column: usize) -> Result<Uuid, sqlx::Error> {
        row.try_get(column)
    }

    fn int(row: &Self::Row, column: usize) -> Result<i64, sqlx::Error> {
        row.try_get(column)
    }

    fn text(row: &Self::Row, column: usize) -> Result<String, sqlx::Error> {
        row.try_get(column)
    }

    fn opt_text(row: &Self::Row, column: usize) -> Result<Option<String>, sqlx::Error> {
        row.try_get(column)
    }
}

/// Running a statement. sqlx's arguments for SQLite borrow for the
/// statement's lifetime, and a `QueryBuilder<'static, _>`'s arguments only
/// shorten to the statement's borrow for a concrete database: so each
/// database runs statements in an impl of its own. The two impls are the
/// same three calls on different types, and stay that small.
pub(crate) trait Exec: Database {
    /// Runs the statement (all of its statements, for a batch); the rows
    /// it changed.
    fn execute(
        sql: Sql<Self>,
        conn: &mut Self::Connection,
    ) -> BoxFuture<'_, Result<u64, sqlx::Error>>;

    /// Runs the statement and reads every row (of every statement).
    fn fetch_all(
        sql: Sql<Self>,
        conn: &mut Self::Connection,
    ) -> BoxFuture<'_, Result<Vec<Self::Row>, sqlx::Error>>;

    /// Runs the statement and reads its first row, if any.
    fn fetch_optional(
        sql: Sql<Self>,
        conn: &mut Self::Connection,
    ) -> BoxFuture<'_, Result<Option<Self::Row>, sqlx::Error>>;
}

// The same three calls as `Postgres`'s impl below, on SQLite's types (see
// `Exec` for why they cannot be one generic impl).
#[cfg(feature = "sqlite")]
impl Exec for sqlx::Sqlite {
    fn execute(
        mut sql: Sql<Self>,
        conn: &mut Self::Connection,
    ) -> BoxFuture<'_, Result<u64, sqlx::Error>> {
        Box::pin(async move { Ok(sql.build().execute(&mut *conn).await?.rows_affected()) })
    }

    fn fetch_all(
        mut sql: Sql<Self>,
        conn: &mut Self::Connection,
    ) -> BoxFuture<'_, Result<Vec<Self::Row>, sqlx::Error>> {
        Box::pin(async move { sql.build().fetch_all(&mut *conn).await })
    }

    fn fetch_optional(
        mut sql: Sql<Self>,
        conn: &mut Self::Connection,
    ) -> BoxFuture<'_, Result<Option<Self::Row>, sqlx::Error>> {
        Box::pin(async move { sql.build().fetch_optional(&mut *conn).await })
    }
}

// The same three calls as SQLite's impl above, on PostgreSQL's types.
#[cfg(feature = "postgres")]
impl Exec for sqlx::Postgres {
    fn execute(
        mut sql: Sql<Self>,
        conn: &mut Self::Connection,
    ) -> BoxFuture<'_, Result<u64, sqlx::Error>> {
        Box::pin(async move { Ok(sql.build().execute(&mut *conn).await?.rows_affected()) })
    }

    fn fetch_all(
        mut sql: Sql<Self>,
        conn: &mut Self::Connection,
    ) -> BoxFuture<'_, Result<Vec<Self::Row>, sqlx::Error>> {
        Box::pin(async move { sql.build().fetch_all(&mut *conn).await })
    }

    fn fetch_optional(
        mut sql: Sql<Self>,
        conn: &mut Self::Connection,
    ) -> BoxFuture<'_, Result<Option<Self::Row>, sqlx::Error>> {
        Box::pin(async move { sql.build().fetch_optional(&mut *conn).await })
    }
}

/// `sql.param(value)`: binds a value on a statement of any [`SqlDb`].
pub(crate) trait BindParam {
    /// Binds `value` at the end of the statement.
    fn param(&mut self, value: impl Into<Param>) -> &mut Self;
}

impl<DB: SqlDb> BindParam for Sql<DB> {
    fn param(&mut self, value: impl Into<Param>) -> &mut Self {
        DB::bind(self, value.into());
        self
    }
}

impl<DB: SqlDb> BindParam for Separated<'_, 'static, DB, &'static str> {
    fn param(&mut self, value: impl Into<Param>) -> &mut Self {
        DB::bind_separated(self, value.into());
        self
    }
}
