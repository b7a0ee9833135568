//! Write statements pushed onto a `QueryBuilder`, shared by both backends'
//! store methods and SQLite's batched turn, so the SQL of a state swap, a
//! transcript line and a lead key (and the lookup by keys) is written
//! once.

use leadkit_core::{ConversationId, LeadId, WorkspaceId};
use leadkit_store::backend::KeyKind;
use leadkit_store::{Error, TranscriptMessage};

use crate::columns::micros;
use crate::sql_db::{BindParam, Sql, SqlDb};

/// Pushes the compare-and-swap of a conversation's state (`state`, as
/// [`leadkit_core::Conversation::to_json`] writes it): an insert of
/// version 1 that does nothing if the row exists (`expected` is `None`),
/// or an update from `expected` that does nothing if the stored version
/// differs. Either way it changes one row exactly when the swap succeeds.
/// Returns the version it writes.
pub(crate) fn push_state_swap<DB>(
    sql: &mut Sql<DB>,
    workspace: WorkspaceId,
    conversation: ConversationId,
    state: String,
    expected: Option<u64>,
) -> Result<u64, Error>
where
    DB: SqlDb,
{
    let ws = *workspace.as_uuid();
    let conversation = *conversation.as_uuid();
    let new = next_version(expected)?;
    match expected {
        None => {
            sql.push(
                "INSERT INTO conversation_states (workspace_id, conversation_id, version, state) \
                 VALUES (",
            );
            sql.param(ws)
                .push(", ")
                .param(conversation)
                .push(", 1, ")
                .param(state)
                .push(") ON CONFLICT DO NOTHING");
        }
        Some(old) => {
            sql.push("UPDATE conversation_states SET version = ")
                .param(version_param(new)?)
                .push(", state = ")
                .param(state)
                .push(" WHERE workspace_id = ")
                .param(ws)
                .push(" AND conversation_id = ")
                .param(conversation)
                .push(" AND version = ")
                .param(version_param(old)?);
        }
    }
    Ok(new)
}

/// The version a swap from `expected` writes, if the column can hold it.
pub(crate) fn next_version(expected: Option<u64>) -> Result<u64, Error> {
    let new = match expected {
        None => 1,
        Some(old) => old.checked_add(1).ok_or(Error::InvalidInput {
            reason: "state version out of range",
        })?,
    };
    version_param(new)?;
    Ok(new)
}

/// A state version as the `BIGINT`/`INTEGER` column holds it.
pub(crate) fn version_param(version: u64) -> Result<i64, Error> {
    i64::try_from(version).map_err(|_| Error::InvalidInput {
        reason: "state version out of range",
    })
}

/// The columns [`push_message_values`] fills, in order.
pub(crate) const MESSAGE_COLUMNS: &str = "workspace_id, conversation_id, bot_id, role, text, at";

/// Pushes `VALUES (…), (…)` with one row per transcript line.
pub(crate) fn push_message_values<DB>(
    sql: &mut Sql<DB>,
    workspace: WorkspaceId,
    messages: &[TranscriptMessage],
) where
    DB: SqlDb,
{
    sql.push_values(messages, |mut row, m| {
        row.param(*workspace.as_uuid())
            .param(*m.conversation.as_uuid())
            .param(*m.bot.as_uuid())
            .param(m.role.as_str().to_owned())
            .param(m.text.expose().clone())
            .param(micros(m.at));
    });
}

/// Pushes `INSERT INTO lead_keys … VALUES …` for `lead`'s keys (which must
/// not be empty).
pub(crate) fn push_key_insert<DB>(
    sql: &mut Sql<DB>,
    workspace: WorkspaceId,
    lead: LeadId,
    keys: impl IntoIterator<Item = (KeyKind, String)>,
) where
    DB: SqlDb,
{
    sql.push("INSERT INTO lead_keys (workspace_id, kind, key, lead_id) ");
    sql.push_values(keys, |mut row, (kind, key)| {
        row.param(*workspace.as_uuid())
            .param(i64::from(kind.code()))
            .param(key)
            .param(*lead.as_uuid());
    });
}

/// Pushes `workspace_id = … AND ((kind = … AND key = …) OR …)`: the
/// `lead_keys` rows of any of `keys` (which must not be empty).
pub(crate) fn push_key_filter<DB>(
    sql: &mut Sql<DB>,
    workspace: WorkspaceId,
    keys: impl IntoIterator<Item = (KeyKind, String)>,
) where
    DB: SqlDb,
{
    sql.push("workspace_id = ")
        .param(*workspace.as_uuid())
        .push(" AND (");
    for (i, (kind, key)) in keys.into_iter().enumerate() {
        if i > 0 {
            sql.push(" OR ");
        }
        sql.push("(kind = ")
            .param(i64::from(kind.code()))
            .push(" AND key = ")
            .param(key)
            .push(")");
    }
    sql.push(")");
}
