//! The store traits on SQL, written once for both backends: [`SqlStore`]
//! is generic over a [`Backend`], which says what really differs between
//! SQLite and PostgreSQL (the database type, how a write transaction
//! begins, the row-lock suffix, which errors are retried, which
//! connections a turn uses, how a page is read, and SQLite's fast paths).
//! Everything else, the SQL text included, is here once.

mod bot_settings;

use std::future::Future;
use std::ops::DerefMut;

use async_trait::async_trait;
use leadkit_core::{BotId, Conversation, ConversationId, LeadId, WorkspaceId};
use leadkit_store::backend::{self as rules, KeyKind, MatchContext, Merge};
use leadkit_store::{
    Bot, BotStore, Claim, ClaimDecision, ConversationStateStore, CursorKey, Error as StoreError,
    ExportPages, Lead, LeadKey, LeadPage, LeadPatch, LeadQuery, LeadStore, LeadUpsert, Role, Store,
    TranscriptMessage, TranscriptStore, TurnReceipt, TurnWrite, UpsertOutcome, ValidQuery,
    VersionedState,
};
use sqlx::pool::PoolConnection;
use sqlx::{Database, Pool, QueryBuilder, Transaction};
use uuid::Uuid;

use crate::claims;
use crate::codec::{LEAD_COLUMNS, LeadRow, RawLead, WRITE_COLUMNS};
use crate::error::{backend, corrupt};
use crate::export::ExportSource;
use crate::filter::SearchIndex;
use crate::sql_db::{BindParam, Exec, Sql, SqlDb};
use crate::write_sql::{
    MESSAGE_COLUMNS, push_key_filter, push_key_insert, push_message_values, push_state_swap,
};

/// How many times a write transaction is retried after a unique-key race,
/// a serialization failure or a busy database.
const MAX_ATTEMPTS: u32 = 12;

/// The leadkit store on a SQL database: every trait of `leadkit-store`,
/// once for both backends. Use it as [`SqliteStore`](crate::SqliteStore)
/// or [`PostgresStore`](crate::PostgresStore), whose docs say how each is
/// opened and tuned.
#[derive(Debug, Clone)]
pub struct SqlStore<B> {
    pub(crate) backend: B,
    /// Signs the Leads-screen cursors.
    pub(crate) cursor_key: CursorKey,
}

/// What differs between the SQL backends. Everything a method here does
/// not say is the same SQL on both.
pub(crate) trait Backend:
    ExportSource<Conn = PoolConnection<<Self as Backend>::Db>> + Send + Sync + 'static
{
    /// The sqlx database.
    type Db: SqlDb;
    /// A connection a turn reads or writes on.
    type TurnConn: DerefMut<Target = <Self::Db as Database>::Connection> + Send;

    /// The statement that begins a write transaction.
    const BEGIN_WRITE: &'static str;
    /// What a `SELECT` ends with to lock the rows it reads until commit.
    const FOR_UPDATE: &'static str;
    /// How `count_leads` finds a search text.
    const COUNT_SEARCH: SearchIndex;

    /// The connection pool.
    fn pool(&self) -> &Pool<Self::Db>;

    /// Whether a failed write transaction can be run again (a unique-key
    /// race, a serialization failure, a busy database).
    fn retryable(error: &sqlx::Error) -> bool;

    /// The connection a turn writes on.
    fn writer(&self) -> impl Future<Output = Result<Self::TurnConn, sqlx::Error>> + Send;

    /// The connection a turn reads on.
    fn reader(&self) -> impl Future<Output = Result<Self::TurnConn, sqlx::Error>> + Send;

    /// The backend's faster path for a whole turn, if it has one for this
    /// turn (`None`: the plain transaction runs). It must write exactly
    /// what the plain transaction writes; the conformance suite runs both.
    fn fast_turn(
        &self,
        workspace: WorkspaceId,
        turn: &TurnWrite,
        upsert: Option<&LeadUpsert>,
    ) -> impl Future<Output = Option<Result<TurnReceipt, StoreError>>> + Send;

    /// The backend's faster path for transcript lines, if any.
    fn fast_lines(
        &self,
        workspace: WorkspaceId,
        messages: &[TranscriptMessage],
    ) -> impl Future<Output = Option<Result<(), StoreError>>> + Send;

    /// How a page of this query finds its search text.
    fn page_search_index(
        &self,
        query: &ValidQuery,
    ) -> impl Future<Output = Result<SearchIndex, StoreError>> + Send;

    /// What follows a committed erasure (SQLite: a WAL checkpoint, so that
    /// the erased rows' old pages leave the log). Best effort: the
    /// erasure is done whatever this does.
    fn after_erase(&self) -> impl Future<Output = ()> + Send {
        std::future::ready(())
    }

    /// A page of leads.
    fn fetch_page(
        &self,
        query: &ValidQuery,
        search: SearchIndex,
    ) -> impl Future<Output = Result<Vec<Lead>, StoreError>> + Send;
}

type Conn<B> = <<B as Backend>::Db as Database>::Connection;

/// Whether an error is a store error wrapping a sqlx error that
/// `retryable` accepts.
fn should_retry(error: &StoreError, retryable: fn(&sqlx::Error) -> bool) -> bool {
    match error {
        StoreError::Backend(source) => source
            .downcast_ref::<sqlx::Error>()
            .is_some_and(|e| matches!(e, sqlx::Error::RowNotFound) || retryable(e)),
        _ => false,
    }
}

/// A short, growing pause between attempts, jittered by the process id so
/// that racing writers spread out.
async fn backoff(attempt: u32) {
    let spread = u64::from(attempt) * 2 + u64::from(std::process::id() % 3);
    tokio::time::sleep(std::time::Duration::from_millis(spread)).await;
}

/// A statement that starts with `text`.
pub(crate) fn sql<DB: SqlDb>(text: impl Into<String>) -> Sql<DB> {
    QueryBuilder::new(text)
}

/// A lead from a row of [`LEAD_COLUMNS`].
pub(crate) fn decode_lead<DB: SqlDb>(
    row: &DB::Row,
    workspace: WorkspaceId,
) -> Result<Lead, StoreError> {
    let raw = RawLead {
        id: DB::uuid(row, 0).map_err(backend)?,
        bot_id: DB::uuid(row, 1).map_err(backend)?,
        bots: DB::text(row, 2).map_err(backend)?,
        visitor_id: DB::opt_text(row, 3).map_err(backend)?,
        name: DB::opt_text(row, 4).map_err(backend)?,
        email: DB::opt_text(row, 5).map_err(backend)?,
        phone: DB::opt_text(row, 6).map_err(backend)?,
        custom: DB::text(row, 7).map_err(backend)?,
        status: DB::int(row, 8).map_err(backend)?,
        notes: DB::text(row, 9).map_err(backend)?,
        consent: DB::opt_text(row, 10).map_err(backend)?,
        created_at: DB::int(row, 11).map_err(backend)?,
        last_seen_at: DB::int(row, 12).map_err(backend)?,
        history: DB::text(row, 13).map_err(backend)?,
    };
    raw.into_lead(workspace)
}

pub(crate) fn decode_message<DB: SqlDb>(row: &DB::Row) -> Result<TranscriptMessage, StoreError> {
    let role = DB::text(row, 2).map_err(backend)?;
    let role = Role::parse(&role).ok_or(StoreError::Corrupt {
        what: "message role",
        source: None,
    })?;
    Ok(TranscriptMessage::new(
        ConversationId::from_uuid(DB::uuid(row, 0).map_err(backend)?),
        BotId::from_uuid(DB::uuid(row, 1).map_err(backend)?),
        role,
        DB::text(row, 3).map_err(backend)?,
        crate::columns::from_micros(DB::int(row, 4).map_err(backend)?)?,
    ))
}

/// A stored state version.
pub(crate) fn version_of(stored: Option<i64>) -> Result<Option<u64>, StoreError> {
    stored
        .map(|v| {
            u64::try_from(v).map_err(|_| StoreError::Corrupt {
                what: "state version",
                source: None,
            })
        })
        .transpose()
}

/// Inserts a new lead's row, or rewrites an existing one.
pub(crate) async fn write_lead<DB: SqlDb>(
    conn: &mut DB::Connection,
    lead: &Lead,
    insert: bool,
) -> Result<(), StoreError> {
    let row = LeadRow::new(lead)?;
    let mut qb = sql::<DB>("");
    if insert {
        qb.push(format_args!(
            "INSERT INTO leads ({}) ",
            WRITE_COLUMNS.join(", ")
        ));
        qb.push_values([row], |mut b, row| row.push_binds(&mut b));
    } else {
        // The first two columns (workspace and id) find the row; the rest
        // are set.
        let [workspace_id, id, rest @ ..] = row.into_params();
        qb.push("UPDATE leads SET ");
        for (i, (column, value)) in WRITE_COLUMNS[2..].iter().zip(rest).enumerate() {
            if i > 0 {
                qb.push(", ");
            }
            qb.push(column).push(" = ").param(value);
        }
        qb.push(" WHERE workspace_id = ")
            .param(workspace_id)
            .push(" AND id = ")
            .param(id);
    }
    DB::execute(qb, conn).await.map_err(backend)?;
    Ok(())
}

pub(crate) async fn load_lead<B: Backend>(
    conn: &mut Conn<B>,
    workspace: WorkspaceId,
    id: LeadId,
    lock: bool,
) -> Result<Option<Lead>, StoreError> {
    let mut qb = sql::<B::Db>(format!(
        "SELECT {LEAD_COLUMNS} FROM leads WHERE workspace_id = "
    ));
    qb.param(*workspace.as_uuid())
        .push(" AND id = ")
        .param(*id.as_uuid());
    if lock {
        qb.push(B::FOR_UPDATE);
    }
    let row = B::Db::fetch_optional(qb, conn).await.map_err(backend)?;
    row.map(|r| decode_lead::<B::Db>(&r, workspace)).transpose()
}

pub(crate) async fn insert_keys<DB: SqlDb>(
    conn: &mut DB::Connection,
    workspace: WorkspaceId,
    lead: LeadId,
    keys: &[(KeyKind, String)],
    ignore_taken: bool,
) -> Result<(), StoreError> {
    if keys.is_empty() {
        return Ok(());
    }
    let mut qb = sql::<DB>("");
    push_key_insert(&mut qb, workspace, lead, keys.iter().cloned());
    if ignore_taken {
        // A key another lead already holds stays with that lead: leads are
        // never merged with each other.
        qb.push(" ON CONFLICT DO NOTHING");
    }
    DB::execute(qb, conn).await.map_err(backend)?;
    Ok(())
}

/// Finds the upsert's lead (by its most trusted key), merges into it or
/// creates one, and links the conversation, inside the caller's
/// transaction.
async fn upsert_in<B: Backend>(
    conn: &mut Conn<B>,
    workspace: WorkspaceId,
    upsert: &LeadUpsert,
) -> Result<UpsertOutcome, StoreError> {
    let keys = rules::upsert_keys(upsert)?;
    let mut qb = sql::<B::Db>("SELECT kind, lead_id FROM lead_keys WHERE ");
    push_key_filter(&mut qb, workspace, keys.iter().cloned());
    let rows = B::Db::fetch_all(qb, conn).await.map_err(backend)?;
    let mut found: Option<(i64, Uuid)> = None;
    for row in &rows {
        let kind = B::Db::int(row, 0).map_err(backend)?;
        let lead = B::Db::uuid(row, 1).map_err(backend)?;
        if found.is_none_or(|(k, _)| kind < k) {
            found = Some((kind, lead));
        }
    }
    let (lead, created) = match found {
        Some((_, id)) => {
            let id = LeadId::from_uuid(id);
            // Lock the row: a concurrent upsert of the same lead waits,
            // then merges into this one's result.
            let Some(mut lead) = load_lead::<B>(conn, workspace, id, true).await? else {
                // Erased between the two reads: start again.
                return Err(backend(sqlx::Error::RowNotFound));
            };
            let link = match upsert.conversation {
                Some(c) => claims::link_of::<B::Db>(conn, workspace, id, c).await?,
                None => claims::Link::default(),
            };
            let context = MatchContext::new()
                .own_conversation(link.own)
                .taken(claims::taken_keys::<B::Db>(conn, workspace, id, &keys).await?);
            if let (Merge::Claimed, Some(conversation)) = (
                rules::merge_upsert(&mut lead, upsert, &context),
                upsert.conversation,
            ) {
                let claim = Claim::from_upsert(conversation, upsert, link.claim);
                claims::write_claim::<B::Db>(conn, workspace, id, &claim).await?;
                return Ok(UpsertOutcome::claim(lead));
            }
            write_lead::<B::Db>(conn, &lead, false).await?;
            insert_keys::<B::Db>(conn, workspace, id, &rules::lead_keys(&lead), true).await?;
            (lead, false)
        }
        None => {
            let lead = rules::new_lead(workspace, upsert);
            write_lead::<B::Db>(conn, &lead, true).await?;
            // No ON CONFLICT: a concurrent writer that claimed a key first
            // makes this transaction fail and retry, and the retry finds
            // that writer's lead.
            insert_keys::<B::Db>(conn, workspace, lead.id, &rules::lead_keys(&lead), false).await?;
            (lead, true)
        }
    };
    if let Some(conversation) = upsert.conversation {
        let mut qb = sql::<B::Db>(
            "INSERT INTO lead_conversations (workspace_id, lead_id, conversation_id) VALUES (",
        );
        qb.param(*workspace.as_uuid())
            .push(", ")
            .param(*lead.id.as_uuid())
            .push(", ")
            .param(*conversation.as_uuid())
            .push(") ON CONFLICT DO NOTHING");
        B::Db::execute(qb, conn).await.map_err(backend)?;
    }
    Ok(UpsertOutcome::new(lead, created))
}

async fn insert_messages<DB: SqlDb>(
    conn: &mut DB::Connection,
    workspace: WorkspaceId,
    messages: &[TranscriptMessage],
) -> Result<(), StoreError> {
    if messages.is_empty() {
        return Ok(());
    }
    let mut qb = sql::<DB>(format!("INSERT INTO messages ({MESSAGE_COLUMNS}) "));
    push_message_values(&mut qb, workspace, messages);
    DB::execute(qb, conn).await.map_err(backend)?;
    Ok(())
}

/// The compare-and-swap of a state; a conflict reports the stored version.
async fn save_state_in<DB: SqlDb>(
    conn: &mut DB::Connection,
    workspace: WorkspaceId,
    conversation: ConversationId,
    state: &Conversation,
    expected: Option<u64>,
) -> Result<u64, StoreError> {
    let mut qb = sql::<DB>("");
    let version = push_state_swap(&mut qb, workspace, conversation, state.to_json(), expected)?;
    let written = DB::execute(qb, &mut *conn).await.map_err(backend)?;
    if written == 1 {
        return Ok(version);
    }
    let mut qb = sql::<DB>("SELECT version FROM conversation_states WHERE workspace_id = ");
    qb.param(*workspace.as_uuid())
        .push(" AND conversation_id = ")
        .param(*conversation.as_uuid());
    let found = match DB::fetch_optional(qb, conn).await.map_err(backend)? {
        Some(row) => Some(DB::int(&row, 0).map_err(backend)?),
        None => None,
    };
    Err(StoreError::VersionConflict {
        expected,
        found: version_of(found)?,
    })
}

// `Backend` is private on purpose (sealed): its only implementors are the
// two backends of this crate, and users reach these methods through
// `SqliteStore` and `PostgresStore`, never naming the trait.
#[allow(private_bounds)]
impl<B: Backend> SqlStore<B> {
    pub(crate) fn new(backend: B) -> Self {
        Self {
            backend,
            cursor_key: CursorKey::random(),
        }
    }

    /// Signs the Leads-screen cursors with `key` instead of a random key
    /// of its own: give every process that serves the same database the
    /// same key, so that a cursor one made is good at the others (see
    /// [`CursorKey`]).
    #[must_use]
    pub fn cursor_key(mut self, key: CursorKey) -> Self {
        self.cursor_key = key;
        self
    }

    async fn begin_write(&self) -> Result<Transaction<'static, B::Db>, sqlx::Error> {
        self.backend.pool().begin_with(B::BEGIN_WRITE).await
    }

    /// Runs `attempt` until it succeeds, fails for good, or has run
    /// [`MAX_ATTEMPTS`] times.
    async fn retrying<T, F, Fut>(&self, what: &'static str, mut attempt: F) -> Result<T, StoreError>
    where
        F: FnMut() -> Fut + Send,
        Fut: Future<Output = Result<T, StoreError>> + Send,
    {
        let mut tries = 0;
        loop {
            tries += 1;
            match attempt().await {
                Err(e) if tries < MAX_ATTEMPTS && should_retry(&e, B::retryable) => {
                    tracing::debug!(attempt = tries, what, "raced another writer; retrying");
                    backoff(tries).await;
                }
                other => return other,
            }
        }
    }

    /// Imports leads as they are (from a CRM export, a backup, a benchmark
    /// fixture) in one transaction: each row and its de-duplication keys
    /// are inserted, nothing is merged. A lead whose id or key is already
    /// taken fails the whole import. Returns the number of leads written.
    pub async fn import_leads(
        &self,
        workspace: WorkspaceId,
        leads: &[Lead],
    ) -> Result<u64, StoreError> {
        if leads.iter().any(|l| l.workspace != workspace) {
            return Err(StoreError::InvalidInput {
                reason: "every imported lead must belong to the workspace",
            });
        }
        let mut tx = self.begin_write().await.map_err(backend)?;
        // Multi-row INSERTs (well under PostgreSQL's 65,535 bound
        // parameters and SQLite's 32,766 per statement).
        for chunk in leads.chunks(500) {
            let rows = chunk
                .iter()
                .map(LeadRow::new)
                .collect::<Result<Vec<_>, _>>()?;
            let mut qb = sql::<B::Db>(format!("INSERT INTO leads ({}) ", WRITE_COLUMNS.join(", ")));
            qb.push_values(rows, |mut b, row| row.push_binds(&mut b));
            B::Db::execute(qb, &mut tx).await.map_err(backend)?;
            let keys: Vec<(KeyKind, String, LeadId)> = chunk
                .iter()
                .flat_map(|l| rules::lead_keys(l).into_iter().map(|(k, v)| (k, v, l.id)))
                .collect();
            if !keys.is_empty() {
                let mut qb =
                    sql::<B::Db>("INSERT INTO lead_keys (workspace_id, kind, key, lead_id) ");
                qb.push_values(keys, |mut b, (kind, key, lead)| {
                    b.param(*workspace.as_uuid())
                        .param(i64::from(kind.code()))
                        .param(key)
                        .param(*lead.as_uuid());
                });
                B::Db::execute(qb, &mut tx).await.map_err(backend)?;
            }
        }
        tx.commit().await.map_err(backend)?;
        Ok(leads.len() as u64)
    }
}

// The method signatures repeat `LeadStore`'s (and so the in-memory
// store's impl); the bodies are this store's own SQL.
#[async_trait]
impl<B: Backend> LeadStore for SqlStore<B> {
    async fn upsert_lead(
        &self,
        workspace: WorkspaceId,
        upsert: &LeadUpsert,
    ) -> Result<UpsertOutcome, StoreError> {
        rules::upsert_keys(upsert)?;
        self.retrying("lead upsert", || async {
            let mut tx = self.begin_write().await.map_err(backend)?;
            let outcome = upsert_in::<B>(&mut tx, workspace, upsert).await?;
            tx.commit().await.map_err(backend)?;
            Ok(outcome)
        })
        .await
    }

    async fn get_lead(
        &self,
        workspace: WorkspaceId,
        id: LeadId,
    ) -> Result<Option<Lead>, StoreError> {
        let mut conn = self.backend.pool().acquire().await.map_err(backend)?;
        load_lead::<B>(&mut conn, workspace, id, false).await
    }

    async fn find_lead(
        &self,
        workspace: WorkspaceId,
        key: &LeadKey,
    ) -> Result<Option<Lead>, StoreError> {
        let Some((kind, key)) = rules::lookup_key(key) else {
            return Ok(None);
        };
        let mut qb = sql::<B::Db>(format!(
            "SELECT {LEAD_COLUMNS} FROM leads WHERE workspace_id = "
        ));
        qb.param(*workspace.as_uuid())
            .push(" AND id = (SELECT lead_id FROM lead_keys WHERE workspace_id = ")
            .param(*workspace.as_uuid())
            .push(" AND kind = ")
            .param(i64::from(kind.code()))
            .push(" AND key = ")
            .param(key)
            .push(")");
        let mut conn = self.backend.pool().acquire().await.map_err(backend)?;
        let row = B::Db::fetch_optional(qb, &mut conn)
            .await
            .map_err(backend)?;
        row.map(|r| decode_lead::<B::Db>(&r, workspace)).transpose()
    }

    async fn update_lead(
        &self,
        workspace: WorkspaceId,
        id: LeadId,
        patch: &LeadPatch,
    ) -> Result<Lead, StoreError> {
        let mut tx = self.begin_write().await.map_err(backend)?;
        let mut lead = load_lead::<B>(&mut tx, workspace, id, true)
            .await?
            .ok_or(StoreError::NotFound { kind: "lead" })?;
        rules::apply_patch(&mut lead, patch)?;
        write_lead::<B::Db>(&mut tx, &lead, false).await?;
        tx.commit().await.map_err(backend)?;
        Ok(lead)
    }

    async fn erase_lead(&self, workspace: WorkspaceId, id: LeadId) -> Result<(), StoreError> {
        let mut tx = self.begin_write().await.map_err(backend)?;
        let (ws, lead) = (*workspace.as_uuid(), *id.as_uuid());
        // The rows of the conversations linked to the lead.
        let linked = |qb: &mut Sql<B::Db>| {
            qb.push(" WHERE workspace_id = ")
                .param(ws)
                .push(
                    " AND conversation_id IN (SELECT conversation_id FROM lead_conversations \
                     WHERE workspace_id = ",
                )
                .param(ws)
                .push(" AND lead_id = ")
                .param(lead)
                .push(")");
        };
        let mut qb = sql::<B::Db>("DELETE FROM messages");
        linked(&mut qb);
        B::Db::execute(qb, &mut tx).await.map_err(backend)?;
        // The conversations start over, but their versions keep counting:
        // a writer holding a state from before the erasure must conflict,
        // not write the details back.
        let mut qb = sql::<B::Db>("UPDATE conversation_states SET version = version + 1, state = ");
        qb.param(Conversation::new().to_json());
        linked(&mut qb);
        B::Db::execute(qb, &mut tx).await.map_err(backend)?;
        // Their summaries (the transcript search rows went with the
        // messages, by trigger).
        let mut qb = sql::<B::Db>("DELETE FROM conversations WHERE workspace_id = ");
        qb.param(ws)
            .push(
                " AND id IN (SELECT conversation_id FROM lead_conversations \
                 WHERE workspace_id = ",
            )
            .param(ws)
            .push(" AND lead_id = ")
            .param(lead)
            .push(")");
        B::Db::execute(qb, &mut tx).await.map_err(backend)?;
        // Keys and conversation links go with the lead (ON DELETE CASCADE).
        let mut qb = sql::<B::Db>("DELETE FROM leads WHERE workspace_id = ");
        qb.param(ws).push(" AND id = ").param(lead);
        let deleted = B::Db::execute(qb, &mut tx).await.map_err(backend)?;
        if deleted == 0 {
            return Err(StoreError::NotFound { kind: "lead" });
        }
        tx.commit().await.map_err(backend)?;
        self.backend.after_erase().await;
        Ok(())
    }

    async fn lead_claims(
        &self,
        workspace: WorkspaceId,
        lead: LeadId,
    ) -> Result<Vec<Claim>, StoreError> {
        let mut conn = self.backend.pool().acquire().await.map_err(backend)?;
        claims::lead_claims::<B::Db>(&mut conn, workspace, lead).await
    }

    async fn resolve_claim(
        &self,
        workspace: WorkspaceId,
        lead: LeadId,
        conversation: ConversationId,
        decision: ClaimDecision,
    ) -> Result<Lead, StoreError> {
        self.retrying("claim resolution", || async {
            let mut tx = self.begin_write().await.map_err(backend)?;
            let lead =
                claims::resolve_in::<B>(&mut tx, workspace, lead, conversation, decision).await?;
            tx.commit().await.map_err(backend)?;
            Ok(lead)
        })
        .await
    }

    async fn query_leads(
        &self,
        workspace: WorkspaceId,
        query: &LeadQuery,
    ) -> Result<LeadPage, StoreError> {
        let query = query.validate(workspace, &self.cursor_key)?;
        let search = self.backend.page_search_index(&query).await?;
        let leads = self.backend.fetch_page(&query, search).await?;
        Ok(LeadPage::new(&query, leads))
    }

    async fn count_leads(
        &self,
        workspace: WorkspaceId,
        query: &LeadQuery,
    ) -> Result<u64, StoreError> {
        let query = query
            .clone()
            .first_page()
            .validate(workspace, &self.cursor_key)?;
        let qb = crate::filter::select_count::<B::Db>(&query, B::COUNT_SEARCH);
        let mut conn = self.backend.pool().acquire().await.map_err(backend)?;
        let row = B::Db::fetch_optional(qb, &mut conn)
            .await
            .map_err(backend)?
            .ok_or(StoreError::Corrupt {
                what: "lead count",
                source: None,
            })?;
        let count = B::Db::int(&row, 0).map_err(backend)?;
        u64::try_from(count).map_err(|e| corrupt("lead count", e))
    }

    fn export_pages(&self, workspace: WorkspaceId, query: &LeadQuery) -> ExportPages<'_> {
        let query = query.clone().first_page();
        crate::export::pages::<B>(Box::pin(async move {
            let query = query.validate(workspace, &self.cursor_key)?;
            let search = self.backend.page_search_index(&query).await?;
            let conn = self.backend.pool().acquire().await.map_err(backend)?;
            Ok((conn, query, search))
        }))
    }
}

// The method signatures repeat `TranscriptStore`'s (and so the other
// store's impl). `recent_messages` also opens like the trait's default (an
// empty answer for `limit == 0`) because it overrides that default to read
// only the last lines.
#[async_trait]
impl<B: Backend> TranscriptStore for SqlStore<B> {
    async fn append_messages(
        &self,
        workspace: WorkspaceId,
        messages: &[TranscriptMessage],
    ) -> Result<(), StoreError> {
        rules::check_messages(messages)?;
        if let Some(written) = self.backend.fast_lines(workspace, messages).await {
            return written;
        }
        // One INSERT of every line is atomic on its own: no transaction to
        // open and commit (two fewer round trips, and this runs after every
        // reply).
        let mut conn = self.backend.writer().await.map_err(backend)?;
        insert_messages::<B::Db>(&mut conn, workspace, messages).await
    }

    async fn conversation_messages(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> Result<Vec<TranscriptMessage>, StoreError> {
        let mut qb = sql::<B::Db>(
            "SELECT conversation_id, bot_id, role, text, at FROM messages WHERE workspace_id = ",
        );
        qb.param(*workspace.as_uuid())
            .push(" AND conversation_id = ")
            .param(*conversation.as_uuid())
            .push(" ORDER BY seq");
        let mut conn = self.backend.reader().await.map_err(backend)?;
        let rows = B::Db::fetch_all(qb, &mut conn).await.map_err(backend)?;
        rows.iter().map(decode_message::<B::Db>).collect()
    }

    async fn recent_messages(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        limit: usize,
    ) -> Result<Vec<TranscriptMessage>, StoreError> {
        if limit == 0 {
            return Ok(Vec::new());
        }
        // Backwards along the conversation's index, then put in order. (The
        // same columns and workspace/conversation filter as
        // `conversation_messages` above, inside a subquery of its own.)
        let mut qb = sql::<B::Db>(
            "SELECT conversation_id, bot_id, role, text, at FROM (\
             SELECT conversation_id, bot_id, role, text, at, seq FROM messages \
             WHERE workspace_id = ",
        );
        qb.param(*workspace.as_uuid())
            .push(" AND conversation_id = ")
            .param(*conversation.as_uuid())
            .push(" ORDER BY seq DESC LIMIT ")
            .param(i64::try_from(limit).unwrap_or(i64::MAX))
            .push(") AS recent ORDER BY seq");
        let mut conn = self.backend.reader().await.map_err(backend)?;
        let rows = B::Db::fetch_all(qb, &mut conn).await.map_err(backend)?;
        rows.iter().map(decode_message::<B::Db>).collect()
    }

    async fn lead_conversations(
        &self,
        workspace: WorkspaceId,
        lead: LeadId,
    ) -> Result<Vec<ConversationId>, StoreError> {
        let mut qb =
            sql::<B::Db>("SELECT conversation_id FROM lead_conversations WHERE workspace_id = ");
        qb.param(*workspace.as_uuid())
            .push(" AND lead_id = ")
            .param(*lead.as_uuid())
            .push(" AND claim IS NULL ORDER BY seq");
        let mut conn = self.backend.pool().acquire().await.map_err(backend)?;
        let rows = B::Db::fetch_all(qb, &mut conn).await.map_err(backend)?;
        rows.iter()
            .map(|row| {
                B::Db::uuid(row, 0)
                    .map(ConversationId::from_uuid)
                    .map_err(backend)
            })
            .collect()
    }
}

#[async_trait]
impl<B: Backend> ConversationStateStore for SqlStore<B> {
    async fn load_state(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> Result<Option<VersionedState>, StoreError> {
        let mut qb =
            sql::<B::Db>("SELECT version, state FROM conversation_states WHERE workspace_id = ");
        qb.param(*workspace.as_uuid())
            .push(" AND conversation_id = ")
            .param(*conversation.as_uuid());
        let mut conn = self.backend.reader().await.map_err(backend)?;
        let Some(row) = B::Db::fetch_optional(qb, &mut conn)
            .await
            .map_err(backend)?
        else {
            return Ok(None);
        };
        let version = B::Db::int(&row, 0).map_err(backend)?;
        let state = B::Db::text(&row, 1).map_err(backend)?;
        let conversation = Conversation::from_json(&state).map_err(StoreError::State)?;
        let version = version_of(Some(version))?.unwrap_or_default();
        Ok(Some(VersionedState::new(conversation, version)))
    }

    async fn save_state(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        state: &Conversation,
        expected_version: Option<u64>,
    ) -> Result<u64, StoreError> {
        let mut conn = self.backend.writer().await.map_err(backend)?;
        save_state_in::<B::Db>(&mut conn, workspace, conversation, state, expected_version).await
    }
}

#[async_trait]
impl<B: Backend> BotStore for SqlStore<B> {
    async fn put_bot(&self, workspace: WorkspaceId, bot: &Bot) -> Result<(), StoreError> {
        leadkit_store::check_bot(workspace, bot)?;
        let mut qb = sql::<B::Db>("INSERT INTO bots (workspace_id, id, name) VALUES (");
        qb.param(*workspace.as_uuid())
            .push(", ")
            .param(*bot.id.as_uuid())
            .push(", ")
            .param(bot.name.clone())
            .push(") ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name");
        let mut conn = self.backend.pool().acquire().await.map_err(backend)?;
        B::Db::execute(qb, &mut conn).await.map_err(backend)?;
        Ok(())
    }

    async fn get_bot(&self, workspace: WorkspaceId, id: BotId) -> Result<Option<Bot>, StoreError> {
        let mut qb = sql::<B::Db>("SELECT name FROM bots WHERE workspace_id = ");
        qb.param(*workspace.as_uuid())
            .push(" AND id = ")
            .param(*id.as_uuid());
        let mut conn = self.backend.pool().acquire().await.map_err(backend)?;
        let row = B::Db::fetch_optional(qb, &mut conn)
            .await
            .map_err(backend)?;
        row.map(|row| {
            let name = B::Db::text(&row, 0).map_err(backend)?;
            Ok(Bot::new(id, workspace, name))
        })
        .transpose()
    }

    async fn list_bots(&self, workspace: WorkspaceId) -> Result<Vec<Bot>, StoreError> {
        let mut qb = sql::<B::Db>("SELECT id, name FROM bots WHERE workspace_id = ");
        qb.param(*workspace.as_uuid()).push(" ORDER BY name, id");
        let mut conn = self.backend.pool().acquire().await.map_err(backend)?;
        let rows = B::Db::fetch_all(qb, &mut conn).await.map_err(backend)?;
        rows.iter()
            .map(|row| {
                let id = B::Db::uuid(row, 0).map_err(backend)?;
                let name = B::Db::text(row, 1).map_err(backend)?;
                Ok(Bot::new(BotId::from_uuid(id), workspace, name))
            })
            .collect()
    }
}

#[async_trait]
impl<B: Backend> Store for SqlStore<B> {
    async fn persist_turn(
        &self,
        workspace: WorkspaceId,
        turn: &TurnWrite,
    ) -> Result<TurnReceipt, StoreError> {
        rules::check_messages(&turn.messages)?;
        let upsert = match &turn.lead {
            Some(upsert) => {
                rules::upsert_keys(upsert)?;
                let mut upsert = upsert.clone();
                upsert.conversation = Some(turn.conversation);
                Some(upsert)
            }
            None => None,
        };
        self.retrying("turn persistence", || async {
            if let Some(receipt) = self
                .backend
                .fast_turn(workspace, turn, upsert.as_ref())
                .await
            {
                return receipt;
            }
            let mut conn = self.backend.writer().await.map_err(backend)?;
            let mut tx = sqlx::Connection::begin_with(&mut *conn, B::BEGIN_WRITE)
                .await
                .map_err(backend)?;
            let version = save_state_in::<B::Db>(
                &mut tx,
                workspace,
                turn.conversation,
                &turn.state,
                turn.expected_version,
            )
            .await?;
            insert_messages::<B::Db>(&mut tx, workspace, &turn.messages).await?;
            let lead = match &upsert {
                Some(upsert) => Some(upsert_in::<B>(&mut tx, workspace, upsert).await?),
                None => None,
            };
            tx.commit().await.map_err(backend)?;
            Ok(TurnReceipt::new(version, lead))
        })
        .await
    }
}
