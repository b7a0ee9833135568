//! Group commit: the plain turns and transcript lines waiting for a file
//! store's writer lane go in together, as one transaction.
//!
//! SQLite writes one transaction at a time, and each commit (WAL frames,
//! file locks) and each round trip to the connection's thread costs more
//! than the few rows a turn writes. So a call does not wait for the lane
//! with its own write: it queues the write, and whichever caller gets the
//! lane runs every write queued by then (up to a bound) as one batch.
//! Alone, a call runs just its own write, as before; under load, one
//! commit serves many calls.
//!
//! Each turn in a batch keeps its own compare-and-swap: its lines are
//! inserted only if its swap wrote (`WHERE changes() = 1`), and a report
//! row per turn says whether it did, so one turn's conflict leaves the
//! others written. Should the batch fail as a whole (an I/O error, a lock
//! held too long by another process), it is rolled back and each write
//! runs again alone, so every caller gets its own answer.

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use futures_util::future::{Either, select};
use leadkit_core::{ConversationId, WorkspaceId};
use leadkit_store::{Error as StoreError, TranscriptMessage, TurnWrite};
use sqlx::sqlite::SqliteConnection;
use sqlx::{QueryBuilder, Sqlite};
use tokio::sync::oneshot;

use super::SqliteBackend;
use super::batched_turn::{check_swap, push_plain_turn};
use crate::error::backend;
use crate::store::Backend;
use crate::write_sql::{MESSAGE_COLUMNS, next_version, push_message_values};

/// At most this many writes share a commit: a caller's wait for its own
/// answer stays bounded however long the queue grows.
const MAX_WRITES: usize = 64;

/// Bound parameters per batch, well under SQLite's limit of 32 766 (a
/// single write larger than this still runs, alone).
const MAX_BINDS: usize = 16_000;

/// Parameters of a transcript line (see `push_message_values`).
const LINE_BINDS: usize = 6;

/// The writes waiting for the writer lane.
#[derive(Debug, Default)]
pub(super) struct WriteQueue {
    pending: Mutex<VecDeque<Queued>>,
    /// Numbers queued writes, so a dropped call can take its own back.
    next_ticket: AtomicU64,
}

/// A write that can share a commit.
#[derive(Debug)]
pub(super) enum Write {
    /// A turn without a lead: its state's swap and its lines.
    Turn {
        conversation: ConversationId,
        /// The state, as JSON.
        state: String,
        expected: Option<u64>,
        messages: Vec<TranscriptMessage>,
    },
    /// Transcript lines on their own.
    Lines(Vec<TranscriptMessage>),
}

impl Write {
    /// A turn without a lead, checked: its new version fits the column.
    pub(super) fn turn(turn: &TurnWrite) -> Result<Self, StoreError> {
        next_version(turn.expected_version)?;
        Ok(Self::Turn {
            conversation: turn.conversation,
            state: turn.state.to_json(),
            expected: turn.expected_version,
            messages: turn.messages.clone(),
        })
    }

    fn binds(&self) -> usize {
        match self {
            // The swap (5) and the report (2) besides the lines.
            Self::Turn { messages, .. } => 7 + LINE_BINDS * messages.len(),
            Self::Lines(messages) => LINE_BINDS * messages.len(),
        }
    }
}

/// What a write's caller hears: the state's new version for a turn,
/// `None` for lines.
type Answer = Result<Option<u64>, StoreError>;

#[derive(Debug)]
struct Queued {
    ticket: u64,
    workspace: WorkspaceId,
    write: Write,
    answer: oneshot::Sender<Answer>,
}

impl Queued {
    fn reply(self, answer: Answer) {
        // A caller that stopped waiting is not an error: its write stands.
        let _ = self.answer.send(answer);
    }
}

impl WriteQueue {
    fn lock(&self) -> MutexGuard<'_, VecDeque<Queued>> {
        // Only pushes and pops run under the lock: a panic cannot leave
        // the queue half-changed.
        self.pending.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The next batch: queued writes in order, up to the bounds (and at
    /// least one).
    fn take_batch(&self) -> Vec<Queued> {
        let mut pending = self.lock();
        let mut batch = Vec::new();
        let mut binds = 0;
        let mut has_turn = false;
        while let Some(next) = pending.front() {
            let more = next.write.binds();
            if !batch.is_empty() && (batch.len() == MAX_WRITES || binds + more > MAX_BINDS) {
                break;
            }
            // A turn goes alone: its compare-and-swap is judged by
            // `changes()`, which is not a reliable witness after another
            // write's statements once `messages` has triggers (migration
            // 4). Transcript lines still share commits.
            let is_turn = matches!(next.write, Write::Turn { .. });
            if !batch.is_empty() && (is_turn || has_turn) {
                break;
            }
            has_turn |= is_turn;
            binds += more;
            batch.extend(pending.pop_front());
        }
        batch
    }
}

impl SqliteBackend {
    /// Writes `write` in the next group commit; `None` for a store without
    /// lanes (in memory), whose callers write on the pool's connection.
    pub(super) async fn group_write(&self, workspace: WorkspaceId, write: Write) -> Option<Answer> {
        let lanes = self.lanes.as_ref()?;
        let (answer, mut answered) = oneshot::channel();
        let ticket = lanes.queue.next_ticket.fetch_add(1, Ordering::Relaxed);
        lanes.queue.lock().push_back(Queued {
            ticket,
            workspace,
            write,
            answer,
        });
        // Dropped before a batch took it, the write leaves the queue: a
        // call that stopped either ran whole or not at all, never later.
        let _unqueue = Unqueue {
            queue: &lanes.queue,
            ticket,
        };
        loop {
            // Our write is answered by whoever runs its batch: this call,
            // once it holds the lane, or one that held it first.
            let lane = std::pin::pin!(lanes.writer.lock());
            match select(&mut answered, lane).await {
                Either::Left((answer, _)) => {
                    return Some(answer.unwrap_or_else(|_| Err(StoreError::backend(Stopped))));
                }
                Either::Right((Some(lane), _)) => {
                    let batch = lanes.queue.take_batch();
                    if !batch.is_empty() {
                        // Answers go out from the batch's own task, which
                        // finishes even if this call is dropped.
                        let _ = lane
                            .in_transaction(move |conn| Box::pin(run(conn, batch)))
                            .await;
                    }
                }
                Either::Right((None, _)) => {
                    // Closed: nothing queued will ever be written.
                    let closed = std::mem::take(&mut *lanes.queue.lock());
                    for queued in closed {
                        queued.reply(Err(StoreError::backend(sqlx::Error::PoolClosed)));
                    }
                }
            }
        }
    }
}

/// Takes a queued write back out of the queue when its call is dropped
/// (or answered: it is gone from the queue by then, and this does nothing).
struct Unqueue<'q> {
    queue: &'q WriteQueue,
    ticket: u64,
}

impl Drop for Unqueue<'_> {
    fn drop(&mut self) {
        self.queue
            .lock()
            .retain(|queued| queued.ticket != self.ticket);
    }
}

/// The batch's task stopped before it answered (its runtime shut down).
#[derive(Debug, thiserror::Error)]
#[error("the batch writing this call stopped before it finished")]
struct Stopped;

/// Runs a batch and answers each of its writes; if the batch fails as a
/// whole, runs each write alone.
async fn run(conn: &mut SqliteConnection, mut batch: Vec<Queued>) -> Result<(), StoreError> {
    let failed = match write_all(conn, &batch).await {
        Ok(answers) => {
            for (queued, answer) in batch.into_iter().zip(answers) {
                queued.reply(answer);
            }
            return Ok(());
        }
        Err(error) => error,
    };
    // A failed statement or COMMIT leaves the transaction open.
    let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
    if batch.len() == 1 {
        if let Some(only) = batch.pop() {
            only.reply(Err(failed));
        }
        return Ok(());
    }
    tracing::debug!(writes = batch.len(), error = %failed, "group commit failed; writing each alone");
    for queued in batch {
        let answer = match write_all(conn, std::slice::from_ref(&queued)).await {
            Ok(mut answers) => answers.pop().unwrap_or(Ok(None)),
            Err(error) => {
                let _ = sqlx::query("ROLLBACK").execute(&mut *conn).await;
                Err(error)
            }
        };
        queued.reply(answer);
    }
    Ok(())
}

/// Writes `batch` in one transaction; the answers in order. `Err` means
/// the transaction did not commit.
async fn write_all(
    conn: &mut SqliteConnection,
    batch: &[Queued],
) -> Result<Vec<Answer>, StoreError> {
    let mut sql = QueryBuilder::<Sqlite>::new(SqliteBackend::BEGIN_WRITE);
    sql.push("; ");
    let mut versions = Vec::with_capacity(batch.len());
    for queued in batch {
        versions.push(push_write(&mut sql, queued)?);
    }
    sql.push("COMMIT");
    // `fetch_all`: every statement's result is read, so none is skipped.
    let rows = sql.build().fetch_all(&mut *conn).await.map_err(backend)?;
    let mut reports = rows.iter();
    let answers = batch
        .iter()
        .zip(versions)
        .map(|(queued, version)| match (&queued.write, version) {
            (Write::Turn { expected, .. }, Some(version)) => {
                let report = reports.next().ok_or_else(missing_report)?;
                check_swap(report, *expected).map(|()| Some(version))
            }
            _ => Ok(None),
        })
        .collect();
    if reports.next().is_some() {
        return Err(missing_report());
    }
    Ok(answers)
}

/// Pushes one write's statements; a turn's new version.
fn push_write(
    sql: &mut QueryBuilder<'static, Sqlite>,
    queued: &Queued,
) -> Result<Option<u64>, StoreError> {
    match &queued.write {
        Write::Turn {
            conversation,
            state,
            expected,
            messages,
        } => push_plain_turn(
            sql,
            queued.workspace,
            *conversation,
            state.clone(),
            *expected,
            messages,
        )
        .map(Some),
        Write::Lines(messages) => {
            sql.push(format!("INSERT INTO messages ({MESSAGE_COLUMNS}) "));
            push_message_values(sql, queued.workspace, messages);
            sql.push("; ");
            Ok(None)
        }
    }
}

fn missing_report() -> StoreError {
    StoreError::Corrupt {
        what: "group commit report",
        source: None,
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // test code

    use leadkit_core::{BotId, Conversation};
    use leadkit_store::{ConversationStateStore, Role, TranscriptStore};

    use super::*;
    use crate::SqliteStore;

    const WS: WorkspaceId = WorkspaceId::from_u128(1);
    const BOT: BotId = BotId::from_u128(2);
    const A: ConversationId = ConversationId::from_u128(10);
    const B: ConversationId = ConversationId::from_u128(11);

    fn line(conversation: ConversationId, text: &str) -> TranscriptMessage {
        TranscriptMessage::new(
            conversation,
            BOT,
            Role::Visitor,
            text,
            chrono::DateTime::UNIX_EPOCH,
        )
    }

    fn turn(conversation: ConversationId, expected: Option<u64>, text: &str) -> Write {
        Write::turn(
            &TurnWrite::new(conversation, Conversation::new(), expected)
                .message(line(conversation, text)),
        )
        .unwrap()
    }

    /// Runs `writes` as one batch on the writer lane; each write's answer.
    async fn run_batch(store: &SqliteStore, writes: Vec<Write>) -> Vec<Answer> {
        let mut batch = Vec::new();
        let mut answers = Vec::new();
        for (ticket, write) in (0..).zip(writes) {
            let (answer, answered) = oneshot::channel();
            batch.push(Queued {
                ticket,
                workspace: WS,
                write,
                answer,
            });
            answers.push(answered);
        }
        let lane = store
            .backend
            .lanes
            .as_ref()
            .unwrap()
            .writer
            .lock()
            .await
            .unwrap();
        lane.in_transaction(move |conn| Box::pin(run(conn, batch)))
            .await
            .unwrap();
        let mut out = Vec::new();
        for answered in answers {
            out.push(answered.await.unwrap());
        }
        out
    }

    async fn texts(store: &SqliteStore, conversation: ConversationId) -> Vec<String> {
        let lines = store.conversation_messages(WS, conversation).await.unwrap();
        lines.iter().map(|l| l.text.expose().clone()).collect()
    }

    /// One batch: turns of two conversations, lines, and a stale turn that
    /// conflicts alone; `poison` makes one line's INSERT fail.
    async fn mixed_batch(store: &SqliteStore, poison: &str) -> Vec<Answer> {
        store
            .save_state(WS, A, &Conversation::new(), None)
            .await
            .unwrap();
        // A turn goes in a batch of its own (see `take_batch`); lines
        // share one.
        let mut answers = Vec::new();
        for batch in [
            vec![turn(A, Some(1), "a: second")],
            vec![Write::Lines(vec![line(A, poison)])],
            vec![turn(B, None, "b: first")],
            vec![turn(A, Some(1), "a: stale")],
            vec![Write::Lines(vec![line(B, "b: reply")])],
        ] {
            answers.extend(run_batch(store, batch).await);
        }
        answers
    }

    fn assert_answers(answers: &[Answer], poisoned: bool) {
        assert!(matches!(answers[0], Ok(Some(2))), "{:?}", answers[0]);
        assert_eq!(answers[1].is_err(), poisoned, "{:?}", answers[1]);
        assert!(matches!(answers[2], Ok(Some(1))), "{:?}", answers[2]);
        assert!(
            matches!(
                answers[3],
                Err(StoreError::VersionConflict {
                    expected: Some(1),
                    found: Some(2)
                })
            ),
            "{:?}",
            answers[3]
        );
        assert!(matches!(answers[4], Ok(None)), "{:?}", answers[4]);
    }

    async fn file_store(name: &str) -> (SqliteStore, std::path::PathBuf) {
        let dir = std::env::temp_dir().join(format!("leadkit-group-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let store = SqliteStore::open(dir.join("leads.db")).await.unwrap();
        (store, dir)
    }

    #[tokio::test]
    async fn a_batch_answers_each_write_its_own() {
        let (store, dir) = file_store("answers").await;
        let answers = mixed_batch(&store, "a: reply").await;
        assert_answers(&answers, false);
        assert_eq!(texts(&store, A).await, ["a: second", "a: reply"]);
        assert_eq!(texts(&store, B).await, ["b: first", "b: reply"]);
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    #[tokio::test]
    async fn a_write_that_fails_fails_alone() {
        let (store, dir) = file_store("poison").await;
        sqlx::query(
            "CREATE TRIGGER poison BEFORE INSERT ON messages WHEN NEW.text = 'poison' \
             BEGIN SELECT RAISE(ABORT, 'poisoned line'); END",
        )
        .execute(store.pool())
        .await
        .unwrap();
        let answers = mixed_batch(&store, "poison").await;
        // The batch failed as a whole, and each write ran again alone.
        assert_answers(&answers, true);
        assert_eq!(texts(&store, A).await, ["a: second"]);
        assert_eq!(texts(&store, B).await, ["b: first", "b: reply"]);
        assert_eq!(store.load_state(WS, A).await.unwrap().unwrap().version, 2);
        store.close().await;
        let _ = std::fs::remove_dir_all(dir);
    }

    /// Queues `writes` with tickets from 0, their answers dropped.
    fn enqueue(queue: &WriteQueue, writes: impl IntoIterator<Item = Write>) {
        for (ticket, write) in (0..).zip(writes) {
            let (answer, _) = oneshot::channel();
            queue.lock().push_back(Queued {
                ticket,
                workspace: WS,
                write,
                answer,
            });
        }
    }

    #[test]
    fn a_turn_goes_alone() {
        let queue = WriteQueue::default();
        enqueue(
            &queue,
            [
                Write::Lines(vec![line(A, "x")]),
                Write::Lines(vec![line(B, "y")]),
                turn(A, Some(1), "a"),
                turn(B, None, "b"),
                Write::Lines(vec![line(A, "z")]),
            ],
        );
        let sizes: Vec<usize> = std::iter::from_fn(|| {
            let batch = queue.take_batch();
            (!batch.is_empty()).then_some(batch.len())
        })
        .collect();
        assert_eq!(sizes, [2, 1, 1, 1]);
    }

    #[tokio::test]
    async fn batches_stop_at_their_bounds() {
        let queue = WriteQueue::default();
        let many = |n: usize| Write::Lines(vec![line(A, "x"); n]);
        enqueue(&queue, (0..70).map(|_| many(1)));
        assert_eq!(queue.take_batch().len(), MAX_WRITES);
        assert_eq!(queue.take_batch().len(), 70 - MAX_WRITES);
        assert!(queue.take_batch().is_empty());
        // A write bigger than the bound still goes, alone.
        enqueue(&queue, [many(MAX_BINDS), many(1)]);
        assert_eq!(queue.take_batch().len(), 1);
        assert_eq!(queue.take_batch().len(), 1);
    }
}
