//! Write statements pushed onto a `QueryBuilder`, shared by both backends'
//! store methods and SQLite's batched turn, so the SQL of a state swap, a
//! transcript line and a lead key (and the lookup by keys) is written
//! once.

use leadkit_core::{ConversationId, LeadId, WorkspaceId};
use leadkit_store::backend::KeyKind;
use leadkit_store::{Error, TranscriptMessage};
use sqlx::{Database, Encode, QueryBuilder, Type};
use uuid::Uuid;

use crate::columns::micros;

/// Pushes the compare-and-swap of a conversation's state (`state`, as
/// [`leadkit_core::Conversation::to_json`] writes it): an insert of
/// version 1 that does nothing if the row exists (`expected` is `None`),
/// or an update from `expected` that does nothing if the stored version
/// differs. Either way it changes one row exactly when the swap succeeds.
/// Returns the version it writes.
pub(crate) fn push_state_swap<'args, DB>(
    sql: &mut QueryBuilder<'args, DB>,
    workspace: WorkspaceId,
    conversation: ConversationId,
    state: String,
    expected: Option<u64>,
) -> Result<u64, Error>
where
    DB: Database,
    Uuid: Encode<'args, DB> + Type<DB>,
    String: Encode<'args, DB> + Type<DB>,
    i64: Encode<'args, DB> + Type<DB>,
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
            sql.push_bind(ws)
                .push(", ")
                .push_bind(conversation)
                .push(", 1, ")
                .push_bind(state)
                .push(") ON CONFLICT DO NOTHING");
        }
        Some(old) => {
            sql.push("UPDATE conversation_states SET version = ")
                .push_bind(version_param(new)?)
                .push(", state = ")
                .push_bind(state)
                .push(" WHERE workspace_id = ")
                .push_bind(ws)
                .push(" AND conversation_id = ")
                .push_bind(conversation)
                .push(" AND version = ")
                .push_bind(version_param(old)?);
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
pub(crate) fn push_message_values<'args, DB>(
    sql: &mut QueryBuilder<'args, DB>,
    workspace: WorkspaceId,
    messages: &[TranscriptMessage],
) where
    DB: Database,
    Uuid: Encode<'args, DB> + Type<DB>,
    String: Encode<'args, DB> + Type<DB>,
    i64: Encode<'args, DB> + Type<DB>,
{
    sql.push_values(messages, |mut row, m| {
        row.push_bind(*workspace.as_uuid())
            .push_bind(*m.conversation.as_uuid())
            .push_bind(*m.bot.as_uuid())
            .push_bind(m.role.as_str().to_owned())
            .push_bind(m.text.expose().clone())
            .push_bind(micros(m.at));
    });
}

/// Pushes `INSERT INTO lead_keys … VALUES …` for `lead`'s keys (which must
/// not be empty).
pub(crate) fn push_key_insert<'args, DB>(
    sql: &mut QueryBuilder<'args, DB>,
    workspace: WorkspaceId,
    lead: LeadId,
    keys: impl IntoIterator<Item = (KeyKind, String)>,
) where
    DB: Database,
    Uuid: Encode<'args, DB> + Type<DB>,
    String: Encode<'args, DB> + Type<DB>,
    i64: Encode<'args, DB> + Type<DB>,
{
    sql.push("INSERT INTO lead_keys (workspace_id, kind, key, lead_id) ");
    sql.push_values(keys, |mut row, (kind, key)| {
        row.push_bind(*workspace.as_uuid())
            .push_bind(i64::from(kind.code()))
            .push_bind(key)
            .push_bind(*lead.as_uuid());
    });
}

/// Pushes `workspace_id = … AND ((kind = … AND key = …) OR …)`: the
/// `lead_keys` rows of any of `keys` (which must not be empty).
pub(crate) fn push_key_filter<'args, DB>(
    sql: &mut QueryBuilder<'args, DB>,
    workspace: WorkspaceId,
    keys: impl IntoIterator<Item = (KeyKind, String)>,
) where
    DB: Database,
    Uuid: Encode<'args, DB> + Type<DB>,
    String: Encode<'args, DB> + Type<DB>,
    i64: Encode<'args, DB> + Type<DB>,
{
    sql.push("workspace_id = ")
        .push_bind(*workspace.as_uuid())
        .push(" AND (");
    let mut any = sql.separated(" OR ");
    for (kind, key) in keys {
        any.push("(kind = ")
            .push_bind_unseparated(i64::from(kind.code()))
            .push_unseparated(" AND key = ")
            .push_bind_unseparated(key)
            .push_unseparated(")");
    }
    sql.push(")");
}
