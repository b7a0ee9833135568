-- Every conversation on record: a summary per conversation (bot, first and
-- last line, line count, lead), kept by triggers as lines and links are
-- written (so every write path, batched or grouped, keeps it), and a
-- trigram index over the transcript for the Conversations screen's search.
-- The tables and indexes repeat those of
-- migrations/postgres/0004_conversations.sql in this dialect.

CREATE TABLE conversations (
    workspace_id  BLOB    NOT NULL,
    id            BLOB    NOT NULL,
    bot_id        BLOB    NOT NULL,  -- the bot of its first line
    first_at      INTEGER NOT NULL,
    last_at       INTEGER NOT NULL,
    message_count INTEGER NOT NULL,
    lead_id       BLOB,              -- the lead it was last linked to
    PRIMARY KEY (workspace_id, id)
);
-- Newest first is a backwards range scan; bot and lead are checked in
-- the index.
CREATE INDEX conversations_by_last ON conversations (workspace_id, last_at, id, bot_id, lead_id);
CREATE INDEX conversations_by_lead ON conversations (workspace_id, lead_id);
CREATE INDEX lead_conversations_by_conversation
    ON lead_conversations (workspace_id, conversation_id, seq);

INSERT INTO conversations (workspace_id, id, bot_id, first_at, last_at, message_count, lead_id)
SELECT m.workspace_id, m.conversation_id,
       (SELECT f.bot_id FROM messages f
        WHERE f.workspace_id = m.workspace_id AND f.conversation_id = m.conversation_id
        ORDER BY f.seq LIMIT 1),
       min(m.at), max(m.at), count(*),
       (SELECT l.lead_id FROM lead_conversations l
        WHERE l.workspace_id = m.workspace_id AND l.conversation_id = m.conversation_id
        ORDER BY l.seq DESC LIMIT 1)
FROM messages m
GROUP BY m.workspace_id, m.conversation_id;

CREATE TRIGGER conversations_on_message AFTER INSERT ON messages BEGIN
    INSERT INTO conversations (workspace_id, id, bot_id, first_at, last_at, message_count, lead_id)
    VALUES (new.workspace_id, new.conversation_id, new.bot_id, new.at, new.at, 1,
            (SELECT l.lead_id FROM lead_conversations l
             WHERE l.workspace_id = new.workspace_id AND l.conversation_id = new.conversation_id
             ORDER BY l.seq DESC LIMIT 1))
    ON CONFLICT (workspace_id, id) DO UPDATE SET
        first_at = min(first_at, excluded.first_at),
        last_at = max(last_at, excluded.last_at),
        message_count = message_count + 1;
END;
CREATE TRIGGER conversations_on_link AFTER INSERT ON lead_conversations BEGIN
    UPDATE conversations SET lead_id = new.lead_id
    WHERE workspace_id = new.workspace_id AND id = new.conversation_id;
END;

-- Transcript search: trigrams of each line (case folded), no copy of the
-- text (content='messages'); triggers keep it in step. 'secure-delete'
-- removes a deleted line's entries from the index itself instead of
-- recording a delete marker, so an erased transcript leaves nothing in
-- the index; the leads' search index gets the same setting.
CREATE VIRTUAL TABLE messages_search USING fts5(
    text,
    content = 'messages',
    content_rowid = 'seq',
    tokenize = 'trigram case_sensitive 0'
);
INSERT INTO messages_search (messages_search, rank) VALUES ('secure-delete', 1);
INSERT INTO leads_search (leads_search, rank) VALUES ('secure-delete', 1);
INSERT INTO messages_search (messages_search) VALUES ('rebuild');
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO messages_search (rowid, text) VALUES (new.seq, new.text);
END;
CREATE TRIGGER messages_search_delete AFTER DELETE ON messages BEGIN
    INSERT INTO messages_search (messages_search, rowid, text) VALUES ('delete', old.seq, old.text);
END;

-- Every bot each lead talked to, one row each (the `bots` JSON column is
-- the source; triggers keep this in step), so the Leads screen's bot
-- filter matches any of them, not only the first.
CREATE TABLE lead_bots (
    workspace_id BLOB NOT NULL,
    lead_id      BLOB NOT NULL,
    bot_id       BLOB NOT NULL,
    PRIMARY KEY (workspace_id, lead_id, bot_id),
    FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
INSERT OR IGNORE INTO lead_bots (workspace_id, lead_id, bot_id)
SELECT l.workspace_id, l.id, unhex(replace(j.value, '-', ''))
FROM leads l, json_each(l.bots) j;
CREATE TRIGGER lead_bots_insert AFTER INSERT ON leads BEGIN
    INSERT OR IGNORE INTO lead_bots (workspace_id, lead_id, bot_id)
    SELECT new.workspace_id, new.id, unhex(replace(j.value, '-', '')) FROM json_each(new.bots) j;
END;
CREATE TRIGGER lead_bots_update AFTER UPDATE OF bots ON leads
WHEN old.bots IS NOT new.bots BEGIN
    DELETE FROM lead_bots WHERE workspace_id = new.workspace_id AND lead_id = new.id;
    INSERT OR IGNORE INTO lead_bots (workspace_id, lead_id, bot_id)
    SELECT new.workspace_id, new.id, unhex(replace(j.value, '-', '')) FROM json_each(new.bots) j;
END;
