-- Every conversation on record: a summary per conversation (bot, first and
-- last line, line count, lead), kept by triggers as lines and links are
-- written, and a trigram index over the transcript for the Conversations
-- screen's search. The tables and indexes repeat those of
-- migrations/sqlite/0004_conversations.sql in this dialect.
--
-- Erasure deletes rows; PostgreSQL keeps a deleted row's bytes in its page
-- (and in the GIN index) until VACUUM reclaims them, and in the WAL until
-- it is recycled. See the crate README ("Erasure on PostgreSQL").

CREATE TABLE conversations (
    workspace_id  UUID   NOT NULL,
    id            UUID   NOT NULL,
    bot_id        UUID   NOT NULL,
    first_at      BIGINT NOT NULL,
    last_at       BIGINT NOT NULL,
    message_count BIGINT NOT NULL,
    lead_id       UUID,
    PRIMARY KEY (workspace_id, id)
);
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

CREATE FUNCTION leadkit_conversation_on_message() RETURNS trigger AS $$
BEGIN
    INSERT INTO conversations (workspace_id, id, bot_id, first_at, last_at, message_count, lead_id)
    VALUES (NEW.workspace_id, NEW.conversation_id, NEW.bot_id, NEW.at, NEW.at, 1,
            (SELECT l.lead_id FROM lead_conversations l
             WHERE l.workspace_id = NEW.workspace_id AND l.conversation_id = NEW.conversation_id
             ORDER BY l.seq DESC LIMIT 1))
    ON CONFLICT (workspace_id, id) DO UPDATE SET
        first_at = least(conversations.first_at, excluded.first_at),
        last_at = greatest(conversations.last_at, excluded.last_at),
        message_count = conversations.message_count + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER conversations_on_message AFTER INSERT ON messages
    FOR EACH ROW EXECUTE FUNCTION leadkit_conversation_on_message();

CREATE FUNCTION leadkit_conversation_on_link() RETURNS trigger AS $$
BEGIN
    UPDATE conversations SET lead_id = NEW.lead_id
    WHERE workspace_id = NEW.workspace_id AND id = NEW.conversation_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER conversations_on_link AFTER INSERT ON lead_conversations
    FOR EACH ROW EXECUTE FUNCTION leadkit_conversation_on_link();

-- Transcript search: trigrams make lower(text) LIKE '%text%' an index
-- lookup.
CREATE INDEX messages_search_trgm ON messages USING gin (lower(text) public.gin_trgm_ops);

-- Every bot each lead talked to, one row each (the `bots` JSON column is
-- the source; triggers keep this in step), so the Leads screen's bot
-- filter matches any of them, not only the first.
CREATE TABLE lead_bots (
    workspace_id UUID NOT NULL,
    lead_id      UUID NOT NULL,
    bot_id       UUID NOT NULL,
    PRIMARY KEY (workspace_id, lead_id, bot_id),
    FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id) ON DELETE CASCADE
);
INSERT INTO lead_bots (workspace_id, lead_id, bot_id)
SELECT l.workspace_id, l.id, j.value::uuid
FROM leads l, jsonb_array_elements_text(l.bots::jsonb) AS j(value)
ON CONFLICT DO NOTHING;

CREATE FUNCTION leadkit_lead_bots() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        IF OLD.bots IS NOT DISTINCT FROM NEW.bots THEN
            RETURN NULL;
        END IF;
        DELETE FROM lead_bots WHERE workspace_id = NEW.workspace_id AND lead_id = NEW.id;
    END IF;
    INSERT INTO lead_bots (workspace_id, lead_id, bot_id)
    SELECT NEW.workspace_id, NEW.id, j.value::uuid
    FROM jsonb_array_elements_text(NEW.bots::jsonb) AS j(value)
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER lead_bots_sync AFTER INSERT OR UPDATE OF bots ON leads
    FOR EACH ROW EXECUTE FUNCTION leadkit_lead_bots();
