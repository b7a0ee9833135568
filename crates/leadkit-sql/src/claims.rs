//! Unconfirmed claims on SQL (see `leadkit_store::Claim`): a claim is a
//! `lead_conversations` row whose `claim` column holds the claimed details
//! as JSON (NULL: one of the lead's own conversations), so an erasure's
//! cascade and transcript cleanup cover claiming conversations as well.

use leadkit_core::{ConversationId, LeadId, WorkspaceId};
use leadkit_store::backend::{self as rules, KeyKind};
use leadkit_store::{Claim, ClaimDecision, Error as StoreError, Lead};
use sqlx::QueryBuilder;

use crate::error::backend;
use crate::sql_db::{BindParam, Exec, Sql, SqlDb};
use crate::store::{Backend, insert_keys, load_lead, write_lead};
use crate::write_sql::push_key_filter;

/// How a conversation is linked to a lead.
#[derive(Debug, Default)]
pub(crate) struct Link {
    /// As one of the lead's own conversations.
    pub(crate) own: bool,
    /// The claim it has on the lead, if any.
    pub(crate) claim: Option<Claim>,
}

impl Link {
    /// The link from the `claim` column of its row, if there is a row.
    pub(crate) fn from_column(row: Option<Option<String>>) -> Result<Self, StoreError> {
        Ok(match row {
            None => Link::default(),
            Some(None) => Link {
                own: true,
                claim: None,
            },
            Some(Some(json)) => Link {
                own: false,
                claim: Some(Claim::from_json(&json)?),
            },
        })
    }
}

/// How `conversation` is linked to `lead`.
pub(crate) async fn link_of<DB: SqlDb>(
    conn: &mut DB::Connection,
    workspace: WorkspaceId,
    lead: LeadId,
    conversation: ConversationId,
) -> Result<Link, StoreError> {
    let mut qb =
        QueryBuilder::<DB>::new("SELECT claim FROM lead_conversations WHERE workspace_id = ");
    qb.param(*workspace.as_uuid())
        .push(" AND lead_id = ")
        .param(*lead.as_uuid())
        .push(" AND conversation_id = ")
        .param(*conversation.as_uuid());
    let row = DB::fetch_optional(qb, conn).await.map_err(backend)?;
    let column = row
        .map(|r| DB::opt_text(&r, 0))
        .transpose()
        .map_err(backend)?;
    Link::from_column(column)
}

/// Which of `keys` a lead other than `lead` holds.
pub(crate) async fn taken_keys<DB: SqlDb>(
    conn: &mut DB::Connection,
    workspace: WorkspaceId,
    lead: LeadId,
    keys: &[(KeyKind, String)],
) -> Result<Vec<(KeyKind, String)>, StoreError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let mut qb = QueryBuilder::<DB>::new("SELECT kind, key FROM lead_keys WHERE ");
    push_key_filter(&mut qb, workspace, keys.iter().cloned());
    qb.push(" AND lead_id <> ").param(*lead.as_uuid());
    let rows = DB::fetch_all(qb, conn).await.map_err(backend)?;
    let mut taken = Vec::new();
    for row in &rows {
        let kind = DB::int(row, 0).map_err(backend)?;
        let key = DB::text(row, 1).map_err(backend)?;
        taken.extend(
            keys.iter()
                .filter(|(k, v)| i64::from(k.code()) == kind && *v == key)
                .cloned(),
        );
    }
    Ok(taken)
}

/// Pushes the insert (or update) of `conversation`'s claim on `lead`.
pub(crate) fn push_claim_upsert<DB: SqlDb>(
    sql: &mut Sql<DB>,
    workspace: WorkspaceId,
    lead: LeadId,
    claim: &Claim,
) {
    sql.push(
        "INSERT INTO lead_conversations (workspace_id, lead_id, conversation_id, claim) VALUES (",
    )
    .param(*workspace.as_uuid())
    .push(", ")
    .param(*lead.as_uuid())
    .push(", ")
    .param(*claim.conversation.as_uuid())
    .push(", ")
    .param(claim.to_json())
    .push(
        ") ON CONFLICT (workspace_id, lead_id, conversation_id) \
         DO UPDATE SET claim = excluded.claim",
    );
}

/// Records `conversation`'s claim on `lead` (replacing its earlier one).
pub(crate) async fn write_claim<DB: SqlDb>(
    conn: &mut DB::Connection,
    workspace: WorkspaceId,
    lead: LeadId,
    claim: &Claim,
) -> Result<(), StoreError> {
    let mut qb = QueryBuilder::<DB>::new("");
    push_claim_upsert(&mut qb, workspace, lead, claim);
    DB::execute(qb, conn).await.map_err(backend)?;
    Ok(())
}

/// The claims on a lead, oldest first.
pub(crate) async fn lead_claims<DB: SqlDb>(
    conn: &mut DB::Connection,
    workspace: WorkspaceId,
    lead: LeadId,
) -> Result<Vec<Claim>, StoreError> {
    let mut qb =
        QueryBuilder::<DB>::new("SELECT claim FROM lead_conversations WHERE workspace_id = ");
    qb.param(*workspace.as_uuid())
        .push(" AND lead_id = ")
        .param(*lead.as_uuid())
        .push(" AND claim IS NOT NULL ORDER BY seq");
    let rows = DB::fetch_all(qb, conn).await.map_err(backend)?;
    rows.iter()
        .map(|row| Claim::from_json(&DB::text(row, 0).map_err(backend)?))
        .collect()
}

/// Merges or rejects a claim inside the caller's write transaction.
pub(crate) async fn resolve_in<B: Backend>(
    conn: &mut <B::Db as sqlx::Database>::Connection,
    workspace: WorkspaceId,
    id: LeadId,
    conversation: ConversationId,
    decision: ClaimDecision,
) -> Result<Lead, StoreError> {
    let not_found = || StoreError::NotFound { kind: "claim" };
    let mut lead = load_lead::<B>(conn, workspace, id, true)
        .await?
        .ok_or_else(not_found)?;
    let claim = link_of::<B::Db>(conn, workspace, id, conversation)
        .await?
        .claim
        .ok_or_else(not_found)?;
    let mut qb = QueryBuilder::<B::Db>::new(match decision {
        // The conversation becomes one of the lead's own.
        ClaimDecision::Merge => "UPDATE lead_conversations SET claim = NULL",
        _ => "DELETE FROM lead_conversations",
    });
    qb.push(" WHERE workspace_id = ")
        .param(*workspace.as_uuid())
        .push(" AND lead_id = ")
        .param(*id.as_uuid())
        .push(" AND conversation_id = ")
        .param(*conversation.as_uuid());
    B::Db::execute(qb, &mut *conn).await.map_err(backend)?;
    if decision == ClaimDecision::Merge {
        let keys = rules::detail_keys(&claim.details);
        let taken = taken_keys::<B::Db>(conn, workspace, id, &keys).await?;
        rules::merge_claim(&mut lead, &claim, &taken);
        write_lead::<B::Db>(conn, &lead, false).await?;
        insert_keys::<B::Db>(conn, workspace, id, &rules::lead_keys(&lead), true).await?;
    }
    Ok(lead)
}
