//! The Conversations screen on SQL: the summaries the migration's triggers
//! keep (`conversations`), transcript pages along the messages' index, the
//! transcript search (SQLite: the FTS5 trigram table `messages_search`;
//! PostgreSQL: a trigram GIN index on `lower(text)`), and links to leads.

use async_trait::async_trait;
use leadkit_core::{BotId, ConversationId, LeadId, WorkspaceId};
use leadkit_store::backend::{self as rules, TranscriptPosition};
use leadkit_store::{
    ConversationPage, ConversationQuery, ConversationStore, ConversationSummary, Cursor,
    Error as StoreError, TranscriptPage,
};

use crate::columns::{from_micros, like_contains_pattern, micros};
use crate::error::{backend, corrupt};
use crate::filter::SearchIndex;
use crate::sql_db::{BindParam, Exec, SqlDb};
use crate::store::{Backend, SqlStore, decode_message, sql};

/// The columns a summary is decoded from (a NULL lead as a flag and the
/// conversation's own id, so that every column decodes as non-null).
const SUMMARY_COLUMNS: &str = "id, bot_id, first_at, last_at, message_count, \
     CAST(CASE WHEN lead_id IS NULL THEN 0 ELSE 1 END AS BIGINT), COALESCE(lead_id, id)";

fn decode_summary<DB: SqlDb>(row: &DB::Row) -> Result<ConversationSummary, StoreError> {
    let count = DB::int(row, 4).map_err(backend)?;
    let lead = (DB::int(row, 5).map_err(backend)? == 1)
        .then(|| DB::uuid(row, 6).map(LeadId::from_uuid))
        .transpose()
        .map_err(backend)?;
    Ok(ConversationSummary::new(
        ConversationId::from_uuid(DB::uuid(row, 0).map_err(backend)?),
        BotId::from_uuid(DB::uuid(row, 1).map_err(backend)?),
        from_micros(DB::int(row, 2).map_err(backend)?)?,
        from_micros(DB::int(row, 3).map_err(backend)?)?,
        u64::try_from(count).map_err(|e| corrupt("message count", e))?,
        lead,
    ))
}

/// An FTS5 query for `text` as one phrase: the trigram tokenizer then
/// matches it as a substring. Double quotes in the text are doubled.
fn fts_phrase(text: &str) -> String {
    format!("\"{}\"", text.replace('"', "\"\""))
}

// The method signatures repeat `ConversationStore`'s (and so the in-memory
// store's impl); the bodies are this store's own SQL.
#[async_trait]
impl<B: Backend> ConversationStore for SqlStore<B> {
    async fn list_conversations(
        &self,
        workspace: WorkspaceId,
        query: &ConversationQuery,
    ) -> Result<ConversationPage, StoreError> {
        let query = query.validate(workspace, &self.cursor_key)?;
        let ws = *workspace.as_uuid();
        let mut qb = sql::<B::Db>(format!(
            "SELECT {SUMMARY_COLUMNS} FROM conversations WHERE workspace_id = "
        ));
        qb.param(ws);
        if let Some(bot) = query.bot {
            qb.push(" AND bot_id = ").param(*bot.as_uuid());
        }
        if let Some(from) = query.from {
            qb.push(" AND last_at >= ").param(micros(from));
        }
        if let Some(to) = query.to {
            qb.push(" AND last_at < ").param(micros(to));
        }
        match query.has_lead {
            Some(true) => qb.push(" AND lead_id IS NOT NULL"),
            Some(false) => qb.push(" AND lead_id IS NULL"),
            None => &mut qb,
        };
        if let Some((at, id)) = query.after {
            qb.push(" AND (last_at < ")
                .param(micros(at))
                .push(" OR (last_at = ")
                .param(micros(at))
                .push(" AND id < ")
                .param(*id.as_uuid())
                .push("))");
        }
        if let Some(search) = &query.search {
            qb.push(" AND id IN (SELECT conversation_id FROM messages WHERE workspace_id = ")
                .param(ws);
            if B::COUNT_SEARCH == SearchIndex::Fts5Trigram {
                qb.push(
                    " AND seq IN (SELECT rowid FROM messages_search WHERE messages_search MATCH ",
                )
                .param(fts_phrase(search.expose()))
                .push("))");
            } else {
                qb.push(" AND lower(text) LIKE ")
                    .param(like_contains_pattern(&search.expose().to_lowercase()))
                    .push(" ESCAPE '\\')");
            }
        }
        qb.push(" ORDER BY last_at DESC, id DESC LIMIT ")
            .param(i64::from(query.limit) + 1);
        let mut conn = self.backend.pool().acquire().await.map_err(backend)?;
        let rows = B::Db::fetch_all(qb, &mut conn).await.map_err(backend)?;
        let rows = rows
            .iter()
            .map(decode_summary::<B::Db>)
            .collect::<Result<Vec<_>, _>>()?;
        Ok(query.page(rows))
    }

    async fn conversation_summary(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
    ) -> Result<Option<ConversationSummary>, StoreError> {
        let mut qb = sql::<B::Db>(format!(
            "SELECT {SUMMARY_COLUMNS} FROM conversations WHERE workspace_id = "
        ));
        qb.param(*workspace.as_uuid())
            .push(" AND id = ")
            .param(*conversation.as_uuid());
        let mut conn = self.backend.pool().acquire().await.map_err(backend)?;
        let row = B::Db::fetch_optional(qb, &mut conn)
            .await
            .map_err(backend)?;
        row.map(|r| decode_summary::<B::Db>(&r)).transpose()
    }

    async fn transcript_page(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        before: Option<Cursor>,
        limit: u32,
    ) -> Result<TranscriptPage, StoreError> {
        rules::check_transcript_limit(limit)?;
        let before = before
            .map(|c| rules::open_transcript_cursor(&self.cursor_key, workspace, conversation, &c))
            .transpose()?;
        // Backwards along the conversation's index from the end (or the
        // cursor): only the page's lines are read.
        let mut qb = sql::<B::Db>(
            "SELECT conversation_id, bot_id, role, text, at, seq FROM messages \
             WHERE workspace_id = ",
        );
        qb.param(*workspace.as_uuid())
            .push(" AND conversation_id = ")
            .param(*conversation.as_uuid());
        if let Some(TranscriptPosition(seq)) = before {
            qb.push(" AND seq < ")
                .param(i64::try_from(seq).map_err(|_| StoreError::InvalidCursor)?);
        }
        qb.push(" ORDER BY seq DESC LIMIT ")
            .param(i64::from(limit) + 1);
        let mut conn = self.backend.reader().await.map_err(backend)?;
        let rows = B::Db::fetch_all(qb, &mut conn).await.map_err(backend)?;
        let lines = rows
            .iter()
            .map(|row| {
                let seq = B::Db::int(row, 5).map_err(backend)?;
                let seq = u64::try_from(seq).map_err(|e| corrupt("message sequence", e))?;
                Ok((TranscriptPosition(seq), decode_message::<B::Db>(row)?))
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(rules::transcript_page(
            &self.cursor_key,
            workspace,
            conversation,
            limit,
            lines,
        ))
    }

    async fn link_conversation(
        &self,
        workspace: WorkspaceId,
        conversation: ConversationId,
        lead: LeadId,
    ) -> Result<(), StoreError> {
        let (ws, lead) = (*workspace.as_uuid(), *lead.as_uuid());
        // The trigger on lead_conversations sets the summary's lead.
        let mut qb = sql::<B::Db>(
            "INSERT INTO lead_conversations (workspace_id, lead_id, conversation_id) SELECT ",
        );
        qb.param(ws)
            .push(", ")
            .param(lead)
            .push(", ")
            .param(*conversation.as_uuid())
            .push(" WHERE EXISTS (SELECT 1 FROM leads WHERE workspace_id = ")
            .param(ws)
            .push(" AND id = ")
            .param(lead)
            .push(") ON CONFLICT DO NOTHING");
        let mut conn = self.backend.pool().acquire().await.map_err(backend)?;
        if B::Db::execute(qb, &mut conn).await.map_err(backend)? == 1 {
            return Ok(());
        }
        // Nothing written: already linked, or no such lead.
        let mut qb = sql::<B::Db>("SELECT count(*) FROM leads WHERE workspace_id = ");
        qb.param(ws).push(" AND id = ").param(lead);
        let found = B::Db::fetch_optional(qb, &mut conn)
            .await
            .map_err(backend)?
            .map(|row| B::Db::int(&row, 0))
            .transpose()
            .map_err(backend)?
            .unwrap_or(0);
        if found == 0 {
            return Err(StoreError::NotFound { kind: "lead" });
        }
        Ok(())
    }
}
