//! A turn that carries a lead, as two batches of statements on the writer
//! lane instead of one round trip to SQLite's worker thread per
//! statement: begin, state, lines and the lead's read; then the lead's
//! writes and the commit. (A turn without a lead is one batch, shared
//! with whatever else waits for the lane: see `group_commit`.)

use leadkit_core::{ConversationId, WorkspaceId};
use leadkit_store::{
    Error as StoreError, Lead, LeadUpsert, TranscriptMessage, TurnReceipt, TurnWrite, UpsertOutcome,
};
use sqlx::sqlite::{SqliteConnection, SqliteRow};
use sqlx::{QueryBuilder, Row, Sqlite};
use uuid::Uuid;

use leadkit_store::Claim;
use leadkit_store::backend::{self as rules, MatchContext, Merge};

use super::SqliteBackend;
use crate::claims::{Link, push_claim_upsert};
use crate::codec::{LEAD_COLUMNS, LeadRow, WRITE_COLUMNS};
use crate::error::{backend, corrupt};
use crate::lane::LaneGuard;
use crate::store::{Backend, decode_lead, version_of};
use crate::write_sql::{
    MESSAGE_COLUMNS, push_key_filter, push_key_insert, push_message_values, push_state_swap,
};

/// Persists a turn that carries a lead on the writer lane.
///
/// The same rules as the plain path: the state is swapped only from the
/// expected version, the lines and the lead are written only with it, all
/// in one transaction, and the lead is found and merged as `upsert_lead`
/// does.
pub(super) async fn persist(
    lane: LaneGuard,
    workspace: WorkspaceId,
    turn: &TurnWrite,
    upsert: &LeadUpsert,
) -> Result<TurnReceipt, StoreError> {
    let first = first_batch(workspace, turn, upsert)?;
    let expected = turn.expected_version;
    let upsert = upsert.clone();
    lane.in_transaction(move |conn| Box::pin(run(conn, workspace, first, expected, upsert)))
        .await
}

/// The first batch and the state version it writes.
struct FirstBatch {
    sql: QueryBuilder<'static, Sqlite>,
    version: u64,
}

async fn run(
    conn: &mut SqliteConnection,
    workspace: WorkspaceId,
    mut first: FirstBatch,
    expected: Option<u64>,
    upsert: LeadUpsert,
) -> Result<TurnReceipt, StoreError> {
    // `fetch_all`, never `fetch_one`: the latter stops a batch after its
    // first row, before the statements that follow.
    let rows = first
        .sql
        .build()
        .fetch_all(&mut *conn)
        .await
        .map_err(backend)?;
    let (report, existing) = match rows.as_slice() {
        [report] => (report, None),
        [report, lead] => (report, Some(lead)),
        _ => {
            return Err(StoreError::Corrupt {
                what: "turn batch report",
                source: None,
            });
        }
    };
    check_swap(report, expected)?;
    let (lead, created) = match existing {
        Some(row) => {
            let mut lead = decode_lead::<Sqlite>(row, workspace)?;
            let (context, link) = match_context(row, &upsert)?;
            if let (Merge::Claimed, Some(conversation)) = (
                rules::merge_upsert(&mut lead, &upsert, &context),
                upsert.conversation,
            ) {
                let claim = Claim::from_upsert(conversation, &upsert, link.claim);
                let mut second = QueryBuilder::new("");
                push_claim_upsert(&mut second, workspace, lead.id, &claim);
                second.push("; COMMIT");
                second.build().execute(&mut *conn).await.map_err(backend)?;
                return Ok(TurnReceipt::new(
                    first.version,
                    Some(UpsertOutcome::claim(lead)),
                ));
            }
            (lead, false)
        }
        None => (rules::new_lead(workspace, &upsert), true),
    };
    let mut second = lead_batch(&lead, created, upsert.conversation.map(|c| *c.as_uuid()))?;
    second.build().execute(&mut *conn).await.map_err(backend)?;
    Ok(TurnReceipt::new(
        first.version,
        Some(UpsertOutcome::new(lead, created)),
    ))
}

/// The merge context and the conversation's link from the columns the
/// first batch reads after the lead's.
fn match_context(row: &SqliteRow, upsert: &LeadUpsert) -> Result<(MatchContext, Link), StoreError> {
    let own: bool = row.try_get(14).map_err(backend)?;
    let claim: Option<String> = row.try_get(15).map_err(backend)?;
    let taken: String = row.try_get(16).map_err(backend)?;
    let taken: Vec<(i64, String)> =
        serde_json::from_str(&taken).map_err(|e| corrupt("taken lead keys", e))?;
    let keys = rules::upsert_keys(upsert)?;
    let taken = keys
        .into_iter()
        .filter(|(kind, key)| {
            taken
                .iter()
                .any(|(k, v)| *k == i64::from(kind.code()) && v == key)
        })
        .collect();
    let link = Link::from_column(if own { Some(None) } else { claim.map(Some) })?;
    Ok((MatchContext::new().own_conversation(own).taken(taken), link))
}

/// Begins the transaction, swaps the state, inserts the lines, reports,
/// and reads the lead the upsert's keys find (the transaction stays open
/// for [`lead_batch`]).
fn first_batch(
    workspace: WorkspaceId,
    turn: &TurnWrite,
    upsert: &LeadUpsert,
) -> Result<FirstBatch, StoreError> {
    let mut sql = QueryBuilder::new(SqliteBackend::BEGIN_WRITE);
    sql.push("; ");
    let version = push_plain_turn(
        &mut sql,
        workspace,
        turn.conversation,
        turn.state.to_json(),
        turn.expected_version,
        &turn.messages,
    )?;
    // The lead of the most trusted key (visitor id, then email, then
    // phone), as `upsert_lead` chooses.
    let keys = rules::upsert_keys(upsert)?;
    // Then what the merge rules need to know (`match_context`): the
    // conversation's link to the lead (own, or its earlier claim) and the
    // upsert's keys other leads hold.
    let conversation = *upsert.conversation.unwrap_or(turn.conversation).as_uuid();
    sql.push(format!(
        "SELECT {LEAD_COLUMNS}, \
         EXISTS (SELECT 1 FROM lead_conversations c WHERE c.workspace_id = leads.workspace_id \
         AND c.lead_id = leads.id AND c.conversation_id = "
    ))
    .push_bind(conversation)
    .push(
        " AND c.claim IS NULL), (SELECT c.claim FROM lead_conversations c \
         WHERE c.workspace_id = leads.workspace_id AND c.lead_id = leads.id \
         AND c.conversation_id = ",
    )
    .push_bind(conversation)
    .push(
        "), (SELECT json_group_array(json_array(k.kind, k.key)) FROM lead_keys k WHERE k.lead_id <> leads.id AND ",
    );
    push_key_filter(&mut sql, workspace, keys.iter().cloned());
    sql.push(") FROM leads WHERE workspace_id = ")
        .push_bind(*workspace.as_uuid())
        .push(" AND id = (SELECT lead_id FROM lead_keys WHERE ");
    push_key_filter(&mut sql, workspace, keys);
    sql.push(" ORDER BY kind LIMIT 1)");
    Ok(FirstBatch { sql, version })
}

/// Pushes a turn's state swap, its lines and its report; returns the
/// version the swap writes.
///
/// The lines are inserted only when the swap wrote its row (`changes() =
/// 1`: SQLite sets `changes()` when a statement finishes, so inside the
/// INSERT it still counts the swap). The report, read inside the
/// transaction, is the rows the last write changed (none when the swap
/// missed) and the version now stored, which a conflict reports (see
/// [`check_swap`]).
pub(super) fn push_plain_turn(
    sql: &mut QueryBuilder<'static, Sqlite>,
    workspace: WorkspaceId,
    conversation: ConversationId,
    state: String,
    expected: Option<u64>,
    messages: &[TranscriptMessage],
) -> Result<u64, StoreError> {
    let version = push_state_swap(sql, workspace, conversation, state, expected)?;
    sql.push("; ");
    if !messages.is_empty() {
        sql.push(format!(
            "INSERT INTO messages ({MESSAGE_COLUMNS}) SELECT * FROM ("
        ));
        push_message_values(sql, workspace, messages);
        sql.push(") WHERE changes() = 1; ");
    }
    sql.push(
        "SELECT changes(), (SELECT version FROM conversation_states \
         WHERE workspace_id = ",
    )
    .push_bind(*workspace.as_uuid())
    .push(" AND conversation_id = ")
    .push_bind(*conversation.as_uuid())
    .push("); ");
    Ok(version)
}

/// Writes the lead (new, or merged into the one found), its keys and its
/// link to the conversation, and commits.
fn lead_batch(
    lead: &Lead,
    created: bool,
    conversation: Option<Uuid>,
) -> Result<QueryBuilder<'static, Sqlite>, StoreError> {
    let ws = *lead.workspace.as_uuid();
    let id = *lead.id.as_uuid();
    let keys = rules::lead_keys(lead);
    let mut sql = QueryBuilder::new("INSERT INTO leads (");
    sql.push(WRITE_COLUMNS.join(", ")).push(") ");
    sql.push_values([LeadRow::new(lead)?], |mut row, lead| {
        lead.push_binds(&mut row)
    });
    if !created {
        // The row exists (read in this transaction): rewrite it in place.
        sql.push(" ON CONFLICT (workspace_id, id) DO UPDATE SET ");
        let mut sets = sql.separated(", ");
        for column in &WRITE_COLUMNS[2..] {
            sets.push(format!("{column} = excluded.{column}"));
        }
    }
    sql.push("; ");
    if !keys.is_empty() {
        push_key_insert(&mut sql, lead.workspace, lead.id, keys);
        // A merged lead's key that another lead holds stays with that
        // lead (leads are never merged with each other); a new lead's
        // keys were free when read, in this same transaction.
        if !created {
            sql.push(" ON CONFLICT DO NOTHING");
        }
        sql.push("; ");
    }
    if let Some(conversation) = conversation {
        sql.push(
            "INSERT INTO lead_conversations (workspace_id, lead_id, conversation_id) VALUES (",
        )
        .push_bind(ws)
        .push(", ")
        .push_bind(id)
        .push(", ")
        .push_bind(conversation)
        .push(") ON CONFLICT DO NOTHING; ");
    }
    sql.push("COMMIT");
    Ok(sql)
}

/// Whether the swap wrote its row; a conflict reports the stored version.
pub(super) fn check_swap(report: &SqliteRow, expected: Option<u64>) -> Result<(), StoreError> {
    let changed: i64 = report.try_get(0).map_err(backend)?;
    if changed > 0 {
        return Ok(());
    }
    let found: Option<i64> = report.try_get(1).map_err(backend)?;
    Err(StoreError::VersionConflict {
        expected,
        found: version_of(found)?,
    })
}
