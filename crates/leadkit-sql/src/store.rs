//! The store traits on SQL, written once and instantiated per backend by
//! `sql_store!` (sqlx's executor bounds make a generic impl unreadable; a
//! macro keeps one text for both backends, so they cannot drift). Backend
//! differences are passed in: the connection type and the row-lock
//! suffix as arguments; as methods of the store, how a write transaction
//! begins (`BEGIN_WRITE`), which connection a turn's reads and writes use
//! (`reader`, `writer`), a backend's faster path for a turn
//! (`batched_turn`, which may decline) and which errors are retried.

/// How many times a write transaction is retried after a unique-key race,
/// a serialization failure or a busy database.
pub(crate) const MAX_ATTEMPTS: u32 = 12;

/// The SQL that writes a lead row.
pub(crate) fn insert_lead_sql() -> &'static str {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let columns = crate::codec::WRITE_COLUMNS;
        let params: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
        format!(
            "INSERT INTO leads ({}) VALUES ({})",
            columns.join(", "),
            params.join(", ")
        )
    });
    &SQL
}

/// The SQL that rewrites a lead row (parameters as in [`insert_lead_sql`]).
pub(crate) fn update_lead_sql() -> &'static str {
    static SQL: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
        let columns = crate::codec::WRITE_COLUMNS;
        let sets: Vec<String> = columns
            .iter()
            .enumerate()
            .skip(2)
            .map(|(i, c)| format!("{c} = ${}", i + 1))
            .collect();
        format!(
            "UPDATE leads SET {} WHERE workspace_id = $1 AND id = $2",
            sets.join(", ")
        )
    });
    &SQL
}

/// Where a backend's `batched_turn` left a turn.
pub(crate) enum TurnPath<C> {
    /// Persisted (or failed) on the backend's own path.
    Done(Box<Result<leadkit_store::TurnReceipt, leadkit_store::Error>>),
    /// Not taken: the connection, for the general transaction.
    General(C),
}

/// Whether an error is a store error wrapping a sqlx error that
/// `retryable` accepts.
pub(crate) fn should_retry(
    error: &leadkit_store::Error,
    retryable: fn(&sqlx::Error) -> bool,
) -> bool {
    match error {
        leadkit_store::Error::Backend(source) => source
            .downcast_ref::<sqlx::Error>()
            .is_some_and(|e| matches!(e, sqlx::Error::RowNotFound) || retryable(e)),
        _ => false,
    }
}

/// A short, growing pause between attempts, jittered by the attempt's
/// address so that racing writers spread out.
pub(crate) async fn backoff(attempt: u32) {
    let spread = u64::from(attempt) * 2 + u64::from(std::process::id() % 3);
    tokio::time::sleep(std::time::Duration::from_millis(spread)).await;
}

macro_rules! sql_store {
    ($store:ident, $db:ty, $conn:ty, $for_update:literal, $search:expr) => {
        use async_trait::async_trait;
        use leadkit_core::{BotId, Conversation, ConversationId, LeadId, WorkspaceId};
        use leadkit_store::backend::{self as rules, KeyKind};
        use leadkit_store::{
            Bot, BotStore, ConversationStateStore, Error as StoreError, Lead, LeadKey, LeadPage,
            LeadPatch, LeadQuery, LeadStore, LeadUpsert, Role, Store, TranscriptMessage,
            TranscriptStore, TurnReceipt, TurnWrite, UpsertOutcome, VersionedState,
        };
        use sqlx::{QueryBuilder, Row};
        use uuid::Uuid;

        use crate::codec::{LEAD_COLUMNS, LeadRow, RawLead};
        use crate::error::{backend, corrupt};
        use crate::write_sql::{
            MESSAGE_COLUMNS, push_key_filter, push_key_insert, push_message_values, push_state_swap,
        };
        use crate::store::{
            MAX_ATTEMPTS, TurnPath, backoff, insert_lead_sql, should_retry, update_lead_sql,
        };

        type DbRow = <$db as sqlx::Database>::Row;

        fn decode_lead(row: &DbRow, workspace: WorkspaceId) -> Result<Lead, StoreError> {
            let raw = RawLead {
                id: row.try_get(0).map_err(backend)?,
                bot_id: row.try_get(1).map_err(backend)?,
                bots: row.try_get(2).map_err(backend)?,
                visitor_id: row.try_get(3).map_err(backend)?,
                name: row.try_get(4).map_err(backend)?,
                email: row.try_get(5).map_err(backend)?,
                phone: row.try_get(6).map_err(backend)?,
                custom: row.try_get(7).map_err(backend)?,
                status: row.try_get(8).map_err(backend)?,
                notes: row.try_get(9).map_err(backend)?,
                consent: row.try_get(10).map_err(backend)?,
                created_at: row.try_get(11).map_err(backend)?,
                last_seen_at: row.try_get(12).map_err(backend)?,
                history: row.try_get(13).map_err(backend)?,
            };
            raw.into_lead(workspace)
        }

        fn decode_message(row: &DbRow) -> Result<TranscriptMessage, StoreError> {
            let conversation: Uuid = row.try_get(0).map_err(backend)?;
            let bot: Uuid = row.try_get(1).map_err(backend)?;
            let role: String = row.try_get(2).map_err(backend)?;
            let text: String = row.try_get(3).map_err(backend)?;
            let at: i64 = row.try_get(4).map_err(backend)?;
            let role = Role::parse(&role).ok_or(StoreError::Corrupt {
                what: "message role",
                source: None,
            })?;
            Ok(TranscriptMessage::new(
                ConversationId::from_uuid(conversation),
                BotId::from_uuid(bot),
                role,
                text,
                crate::columns::from_micros(at)?,
            ))
        }

        fn version_of(stored: Option<i64>) -> Result<Option<u64>, StoreError> {
            stored
                .map(|v| {
                    u64::try_from(v).map_err(|_| StoreError::Corrupt {
                        what: "state version",
                        source: None,
                    })
                })
                .transpose()
        }

        async fn write_lead(
            conn: &mut $conn,
            lead: &Lead,
            insert: bool,
        ) -> Result<(), StoreError> {
            let row = LeadRow::new(lead)?;
            let sql = if insert {
                insert_lead_sql()
            } else {
                update_lead_sql()
            };
            sqlx::query(sql)
                .bind(row.workspace_id)
                .bind(row.id)
                .bind(row.bot_id)
                .bind(row.bots)
                .bind(row.visitor_id)
                .bind(row.name)
                .bind(row.email)
                .bind(row.phone)
                .bind(row.custom)
                .bind(row.status)
                .bind(row.notes)
                .bind(row.consent)
                .bind(row.consent_state)
                .bind(row.created_at)
                .bind(row.last_seen_at)
                .bind(row.history)
                .bind(row.search)
                .bind(row.name_sort)
                .bind(row.email_sort)
                .bind(row.phone_sort)
                .bind(row.company_sort)
                .bind(row.company)
                .bind(row.consent_at)
                .bind(row.consent_version)
                .execute(&mut *conn)
                .await
                .map_err(backend)?;
            Ok(())
        }

        async fn load_lead(
            conn: &mut $conn,
            workspace: WorkspaceId,
            id: LeadId,
            lock: bool,
        ) -> Result<Option<Lead>, StoreError> {
            let sql = format!(
                "SELECT {LEAD_COLUMNS} FROM leads WHERE workspace_id = $1 AND id = $2{}",
                if lock { $for_update } else { "" }
            );
            let row = sqlx::query(&sql)
                .bind(*workspace.as_uuid())
                .bind(*id.as_uuid())
                .fetch_optional(&mut *conn)
                .await
                .map_err(backend)?;
            row.map(|r| decode_lead(&r, workspace)).transpose()
        }

        async fn insert_keys(
            conn: &mut $conn,
            workspace: WorkspaceId,
            lead: LeadId,
            keys: &[(KeyKind, String)],
            ignore_taken: bool,
        ) -> Result<(), StoreError> {
            if keys.is_empty() {
                return Ok(());
            }
            let mut qb = QueryBuilder::<$db>::new("");
            push_key_insert(&mut qb, workspace, lead, keys.iter().cloned());
            if ignore_taken {
                // A key another lead already holds stays with that lead:
                // leads are never merged with each other.
                qb.push(" ON CONFLICT DO NOTHING");
            }
            qb.build().execute(&mut *conn).await.map_err(backend)?;
            Ok(())
        }

        async fn upsert_in(
            conn: &mut $conn,
            workspace: WorkspaceId,
            upsert: &LeadUpsert,
        ) -> Result<UpsertOutcome, StoreError> {
            let keys = rules::upsert_keys(upsert)?;
            let mut qb = QueryBuilder::<$db>::new(
                "SELECT kind, lead_id FROM lead_keys WHERE ",
            );
            push_key_filter(&mut qb, workspace, keys);
            let rows = qb.build().fetch_all(&mut *conn).await.map_err(backend)?;
            let mut found: Option<(i64, Uuid)> = None;
            for row in &rows {
                let kind: i64 = row.try_get(0).map_err(backend)?;
                let lead: Uuid = row.try_get(1).map_err(backend)?;
                if found.is_none_or(|(k, _)| kind < k) {
                    found = Some((kind, lead));
                }
            }
            let (lead, created) = match found {
                Some((_, id)) => {
                    let id = LeadId::from_uuid(id);
                    // Lock the row: a concurrent upsert of the same lead
                    // waits, then merges into this one's result.
                    let Some(mut lead) = load_lead(conn, workspace, id, true).await? else {
                        // Erased between the two reads: start again.
                        return Err(backend(sqlx::Error::RowNotFound));
                    };
                    rules::merge_upsert(&mut lead, upsert);
                    write_lead(conn, &lead, false).await?;
                    insert_keys(conn, workspace, id, &rules::lead_keys(&lead), true).await?;
                    (lead, false)
                }
                None => {
                    let lead = rules::new_lead(workspace, upsert);
                    write_lead(conn, &lead, true).await?;
                    // No ON CONFLICT: a concurrent writer that claimed a key
                    // first makes this transaction fail and retry, and the
                    // retry finds that writer's lead.
                    insert_keys(conn, workspace, lead.id, &rules::lead_keys(&lead), false).await?;
                    (lead, true)
                }
            };
            if let Some(conversation) = upsert.conversation {
                sqlx::query(
                    "INSERT INTO lead_conversations (workspace_id, lead_id, conversation_id) \
                     VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
                )
                .bind(*workspace.as_uuid())
                .bind(*lead.id.as_uuid())
                .bind(*conversation.as_uuid())
                .execute(&mut *conn)
                .await
                .map_err(backend)?;
            }
            Ok(UpsertOutcome::new(lead, created))
        }

        async fn insert_messages(
            conn: &mut $conn,
            workspace: WorkspaceId,
            messages: &[TranscriptMessage],
        ) -> Result<(), StoreError> {
            if messages.is_empty() {
                return Ok(());
            }
            let mut qb = QueryBuilder::<$db>::new(format!("INSERT INTO messages ({MESSAGE_COLUMNS}) "));
            push_message_values(&mut qb, workspace, messages);
            qb.build().execute(&mut *conn).await.map_err(backend)?;
            Ok(())
        }

        async fn save_state_in(
            conn: &mut $conn,
            workspace: WorkspaceId,
            conversation: ConversationId,
            state: &Conversation,
            expected: Option<u64>,
        ) -> Result<u64, StoreError> {
            let mut qb = QueryBuilder::<$db>::new("");
            let version = push_state_swap(&mut qb, workspace, conversation, state.to_json(), expected)?;
            let written = qb.build().execute(&mut *conn).await.map_err(backend)?.rows_affected();
            if written == 1 {
                return Ok(version);
            }
            let found: Option<i64> = sqlx::query_scalar(
                "SELECT version FROM conversation_states WHERE workspace_id = $1 AND conversation_id = $2",
            )
            .bind(*workspace.as_uuid())
            .bind(*conversation.as_uuid())
            .fetch_optional(&mut *conn)
            .await
            .map_err(backend)?;
            Err(StoreError::VersionConflict {
                expected,
                found: version_of(found)?,
            })
        }

        impl $store {
            /// Imports leads as they are (from a CRM export, a backup, a
            /// benchmark fixture) in one transaction: each row and its
            /// de-duplication keys are inserted, nothing is merged. A lead
            /// whose id or key is already taken fails the whole import.
            /// Returns the number of leads written.
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
                    let rows = chunk.iter().map(LeadRow::new).collect::<Result<Vec<_>, _>>()?;
                    let mut qb = QueryBuilder::<$db>::new("INSERT INTO leads (");
                    qb.push(crate::codec::WRITE_COLUMNS.join(", "));
                    qb.push(") ");
                    qb.push_values(rows, |mut b, row| row.push_binds(&mut b));
                    qb.build().execute(&mut *tx).await.map_err(backend)?;
                    let keys: Vec<(LeadId, KeyKind, String)> = chunk
                        .iter()
                        .flat_map(|l| rules::lead_keys(l).into_iter().map(|(k, v)| (l.id, k, v)))
                        .collect();
                    if !keys.is_empty() {
                        let mut qb = QueryBuilder::<$db>::new(
                            "INSERT INTO lead_keys (workspace_id, kind, key, lead_id) ",
                        );
                        qb.push_values(keys, |mut b, (lead, kind, key)| {
                            b.push_bind(*workspace.as_uuid())
                                .push_bind(i64::from(kind.code()))
                                .push_bind(key)
                                .push_bind(*lead.as_uuid());
                        });
                        qb.build().execute(&mut *tx).await.map_err(backend)?;
                    }
                }
                tx.commit().await.map_err(backend)?;
                Ok(leads.len() as u64)
            }
        }

        #[async_trait]
        impl LeadStore for $store {
            async fn upsert_lead(
                &self,
                workspace: WorkspaceId,
                upsert: &LeadUpsert,
            ) -> Result<UpsertOutcome, StoreError> {
                rules::upsert_keys(upsert)?;
                let mut attempt = 0;
                loop {
                    attempt += 1;
                    let result = async {
                        let mut tx = self.begin_write().await.map_err(backend)?;
                        let outcome = upsert_in(&mut tx, workspace, upsert).await?;
                        tx.commit().await.map_err(backend)?;
                        Ok(outcome)
                    }
                    .await;
                    match result {
                        Err(e) if attempt < MAX_ATTEMPTS && should_retry(&e, Self::retryable) => {
                            tracing::debug!(attempt, "lead upsert raced another writer; retrying");
                            backoff(attempt).await;
                        }
                        other => return other,
                    }
                }
            }

            async fn get_lead(
                &self,
                workspace: WorkspaceId,
                id: LeadId,
            ) -> Result<Option<Lead>, StoreError> {
                let mut conn = self.pool.acquire().await.map_err(backend)?;
                load_lead(&mut conn, workspace, id, false).await
            }

            async fn find_lead(
                &self,
                workspace: WorkspaceId,
                key: &LeadKey,
            ) -> Result<Option<Lead>, StoreError> {
                let Some((kind, key)) = rules::lookup_key(key) else {
                    return Ok(None);
                };
                let sql = format!(
                    "SELECT {LEAD_COLUMNS} FROM leads WHERE workspace_id = $1 AND id = \
                     (SELECT lead_id FROM lead_keys WHERE workspace_id = $1 AND kind = $2 AND key = $3)"
                );
                let row = sqlx::query(&sql)
                    .bind(*workspace.as_uuid())
                    .bind(i64::from(kind.code()))
                    .bind(key)
                    .fetch_optional(&self.pool)
                    .await
                    .map_err(backend)?;
                row.map(|r| decode_lead(&r, workspace)).transpose()
            }

            async fn update_lead(
                &self,
                workspace: WorkspaceId,
                id: LeadId,
                patch: &LeadPatch,
            ) -> Result<Lead, StoreError> {
                let mut tx = self.begin_write().await.map_err(backend)?;
                let mut lead = load_lead(&mut tx, workspace, id, true)
                    .await?
                    .ok_or(StoreError::NotFound { kind: "lead" })?;
                rules::apply_patch(&mut lead, patch)?;
                write_lead(&mut tx, &lead, false).await?;
                tx.commit().await.map_err(backend)?;
                Ok(lead)
            }

            async fn erase_lead(&self, workspace: WorkspaceId, id: LeadId) -> Result<(), StoreError> {
                let mut tx = self.begin_write().await.map_err(backend)?;
                let ws = *workspace.as_uuid();
                let lead = *id.as_uuid();
                const LINKED: &str = "WHERE workspace_id = $1 AND conversation_id IN \
                     (SELECT conversation_id FROM lead_conversations WHERE workspace_id = $1 AND lead_id = $2)";
                sqlx::query(&format!("DELETE FROM messages {LINKED}"))
                    .bind(ws)
                    .bind(lead)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                // The conversations start over, but their versions keep
                // counting: a writer holding a state from before the
                // erasure must conflict, not write the details back.
                sqlx::query(&format!(
                    "UPDATE conversation_states SET version = version + 1, state = $3 {LINKED}"
                ))
                .bind(ws)
                .bind(lead)
                .bind(Conversation::new().to_json())
                .execute(&mut *tx)
                .await
                .map_err(backend)?;
                // Keys and conversation links go with the lead (ON DELETE CASCADE).
                let deleted = sqlx::query("DELETE FROM leads WHERE workspace_id = $1 AND id = $2")
                    .bind(ws)
                    .bind(lead)
                    .execute(&mut *tx)
                    .await
                    .map_err(backend)?;
                if deleted.rows_affected() == 0 {
                    return Err(StoreError::NotFound { kind: "lead" });
                }
                tx.commit().await.map_err(backend)?;
                Ok(())
            }

            async fn query_leads(
                &self,
                workspace: WorkspaceId,
                query: &LeadQuery,
            ) -> Result<LeadPage, StoreError> {
                let query = query.validate(workspace, &self.cursor_key)?;
                let search = self.page_search_index(&query).await?;
                let leads = self.fetch_page(&query, search).await?;
                Ok(LeadPage::new(&query, leads))
            }

            async fn count_leads(
                &self,
                workspace: WorkspaceId,
                query: &LeadQuery,
            ) -> Result<u64, StoreError> {
                let query = query.clone().first_page().validate(workspace, &self.cursor_key)?;
                let count: i64 = crate::filter::select_count::<$db>(&query, $search)
                    .build_query_scalar()
                    .fetch_one(&self.pool)
                    .await
                    .map_err(backend)?;
                u64::try_from(count).map_err(|e| corrupt("lead count", e))
            }

            fn export_pages(
                &self,
                workspace: WorkspaceId,
                query: &LeadQuery,
            ) -> leadkit_store::ExportPages<'_> {
                let query = query.clone().first_page();
                crate::export::pages::<$store>(Box::pin(async move {
                    let query = query.validate(workspace, &self.cursor_key)?;
                    let search = self.page_search_index(&query).await?;
                    let conn = self.pool.acquire().await.map_err(backend)?;
                    Ok((conn, query, search))
                }))
            }
        }

        #[async_trait]
        impl TranscriptStore for $store {
            async fn append_messages(
                &self,
                workspace: WorkspaceId,
                messages: &[TranscriptMessage],
            ) -> Result<(), StoreError> {
                rules::check_messages(messages)?;
                // A file SQLite store commits the lines with whatever else
                // waits for its writer.
                if let Some(written) = self.grouped_lines(workspace, messages).await {
                    return written;
                }
                // One INSERT of every line is atomic on its own: no
                // transaction to open and commit (two fewer round trips,
                // and this runs after every reply).
                let mut conn = self.writer().await.map_err(backend)?;
                insert_messages(&mut conn, workspace, messages).await
            }

            async fn conversation_messages(
                &self,
                workspace: WorkspaceId,
                conversation: ConversationId,
            ) -> Result<Vec<TranscriptMessage>, StoreError> {
                let rows = sqlx::query(
                    "SELECT conversation_id, bot_id, role, text, at FROM messages \
                     WHERE workspace_id = $1 AND conversation_id = $2 ORDER BY seq",
                )
                .bind(*workspace.as_uuid())
                .bind(*conversation.as_uuid())
                .fetch_all(&mut *self.reader().await.map_err(backend)?)
                .await
                .map_err(backend)?;
                rows.iter().map(decode_message).collect()
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
                // Backwards along the conversation's index, then put in order.
                let rows = sqlx::query(
                    "SELECT conversation_id, bot_id, role, text, at FROM (\
                     SELECT conversation_id, bot_id, role, text, at, seq FROM messages \
                     WHERE workspace_id = $1 AND conversation_id = $2 ORDER BY seq DESC LIMIT $3\
                     ) AS recent ORDER BY seq",
                )
                .bind(*workspace.as_uuid())
                .bind(*conversation.as_uuid())
                .bind(i64::try_from(limit).unwrap_or(i64::MAX))
                .fetch_all(&mut *self.reader().await.map_err(backend)?)
                .await
                .map_err(backend)?;
                rows.iter().map(decode_message).collect()
            }

            async fn lead_conversations(
                &self,
                workspace: WorkspaceId,
                lead: LeadId,
            ) -> Result<Vec<ConversationId>, StoreError> {
                let ids: Vec<Uuid> = sqlx::query_scalar(
                    "SELECT conversation_id FROM lead_conversations \
                     WHERE workspace_id = $1 AND lead_id = $2 ORDER BY seq",
                )
                .bind(*workspace.as_uuid())
                .bind(*lead.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
                Ok(ids.into_iter().map(ConversationId::from_uuid).collect())
            }
        }

        #[async_trait]
        impl ConversationStateStore for $store {
            async fn load_state(
                &self,
                workspace: WorkspaceId,
                conversation: ConversationId,
            ) -> Result<Option<VersionedState>, StoreError> {
                let row = sqlx::query(
                    "SELECT version, state FROM conversation_states \
                     WHERE workspace_id = $1 AND conversation_id = $2",
                )
                .bind(*workspace.as_uuid())
                .bind(*conversation.as_uuid())
                .fetch_optional(&mut *self.reader().await.map_err(backend)?)
                .await
                .map_err(backend)?;
                let Some(row) = row else {
                    return Ok(None);
                };
                let version: i64 = row.try_get(0).map_err(backend)?;
                let state: String = row.try_get(1).map_err(backend)?;
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
                let mut conn = self.writer().await.map_err(backend)?;
                save_state_in(&mut conn, workspace, conversation, state, expected_version).await
            }
        }

        #[async_trait]
        impl BotStore for $store {
            async fn put_bot(&self, workspace: WorkspaceId, bot: &Bot) -> Result<(), StoreError> {
                leadkit_store::check_bot(workspace, bot)?;
                sqlx::query(
                    "INSERT INTO bots (workspace_id, id, name) VALUES ($1, $2, $3) \
                     ON CONFLICT (workspace_id, id) DO UPDATE SET name = excluded.name",
                )
                .bind(*workspace.as_uuid())
                .bind(*bot.id.as_uuid())
                .bind(bot.name.clone())
                .execute(&self.pool)
                .await
                .map_err(backend)?;
                Ok(())
            }

            async fn get_bot(&self, workspace: WorkspaceId, id: BotId) -> Result<Option<Bot>, StoreError> {
                let name: Option<String> = sqlx::query_scalar(
                    "SELECT name FROM bots WHERE workspace_id = $1 AND id = $2",
                )
                .bind(*workspace.as_uuid())
                .bind(*id.as_uuid())
                .fetch_optional(&self.pool)
                .await
                .map_err(backend)?;
                Ok(name.map(|name| Bot::new(id, workspace, name)))
            }

            async fn list_bots(&self, workspace: WorkspaceId) -> Result<Vec<Bot>, StoreError> {
                let rows = sqlx::query(
                    "SELECT id, name FROM bots WHERE workspace_id = $1 ORDER BY name, id",
                )
                .bind(*workspace.as_uuid())
                .fetch_all(&self.pool)
                .await
                .map_err(backend)?;
                rows.iter()
                    .map(|row| {
                        let id: Uuid = row.try_get(0).map_err(backend)?;
                        let name: String = row.try_get(1).map_err(backend)?;
                        Ok(Bot::new(BotId::from_uuid(id), workspace, name))
                    })
                    .collect()
            }
        }

        #[async_trait]
        impl Store for $store {
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
                let mut attempt = 0;
                loop {
                    attempt += 1;
                    let result = async {
                        if let Some(receipt) = self.grouped_turn(workspace, turn).await {
                            return receipt;
                        }
                        let conn = self.writer().await.map_err(backend)?;
                        let mut conn =
                            match Self::batched_turn(conn, workspace, turn, upsert.as_ref()).await {
                                TurnPath::Done(receipt) => return *receipt,
                                TurnPath::General(conn) => conn,
                            };
                        let mut tx = sqlx::Connection::begin_with(&mut *conn, Self::BEGIN_WRITE)
                            .await
                            .map_err(backend)?;
                        let version = save_state_in(
                            &mut tx,
                            workspace,
                            turn.conversation,
                            &turn.state,
                            turn.expected_version,
                        )
                        .await?;
                        insert_messages(&mut tx, workspace, &turn.messages).await?;
                        let lead = match &upsert {
                            Some(upsert) => Some(upsert_in(&mut tx, workspace, upsert).await?),
                            None => None,
                        };
                        tx.commit().await.map_err(backend)?;
                        Ok(TurnReceipt::new(version, lead))
                    }
                    .await;
                    match result {
                        Err(e) if attempt < MAX_ATTEMPTS && should_retry(&e, Self::retryable) => {
                            tracing::debug!(attempt, "turn persistence raced another writer; retrying");
                            backoff(attempt).await;
                        }
                        other => return other,
                    }
                }
            }
        }
    };
}

pub(crate) use sql_store;
