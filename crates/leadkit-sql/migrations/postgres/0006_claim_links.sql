-- A claim (0005) is stored as a link, but a claiming conversation is not
-- the lead's until a person merges the claim. The summaries that 0004's
-- triggers keep follow ordinary links only (claim IS NULL): a claim does
-- not show its conversation as the lead's, a merge does, and a rejection
-- (the link deleted) leaves the conversation with the lead it had before.
-- The same triggers as migrations/sqlite/0006_claim_links.sql.

CREATE OR REPLACE FUNCTION leadkit_conversation_on_message() RETURNS trigger AS $$
BEGIN
    INSERT INTO conversations (workspace_id, id, bot_id, first_at, last_at, message_count, lead_id)
    VALUES (NEW.workspace_id, NEW.conversation_id, NEW.bot_id, NEW.at, NEW.at, 1,
            (SELECT l.lead_id FROM lead_conversations l
             WHERE l.workspace_id = NEW.workspace_id AND l.conversation_id = NEW.conversation_id
               AND l.claim IS NULL
             ORDER BY l.seq DESC LIMIT 1))
    ON CONFLICT (workspace_id, id) DO UPDATE SET
        first_at = least(conversations.first_at, excluded.first_at),
        last_at = greatest(conversations.last_at, excluded.last_at),
        message_count = conversations.message_count + 1;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Inserted, claim changed or deleted: the conversation's lead is its
-- latest ordinary link again.
CREATE OR REPLACE FUNCTION leadkit_conversation_on_link() RETURNS trigger AS $$
DECLARE
    link lead_conversations%ROWTYPE;
BEGIN
    IF TG_OP = 'DELETE' THEN
        link := OLD;
    ELSE
        link := NEW;
    END IF;
    UPDATE conversations SET lead_id =
        (SELECT l.lead_id FROM lead_conversations l
         WHERE l.workspace_id = link.workspace_id AND l.conversation_id = link.conversation_id
           AND l.claim IS NULL
         ORDER BY l.seq DESC LIMIT 1)
    WHERE workspace_id = link.workspace_id AND id = link.conversation_id;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER conversations_on_link ON lead_conversations;
CREATE TRIGGER conversations_on_link AFTER INSERT OR DELETE OR UPDATE OF claim ON lead_conversations
    FOR EACH ROW EXECUTE FUNCTION leadkit_conversation_on_link();

-- Summaries linked through a claim before this migration.
UPDATE conversations SET lead_id =
    (SELECT l.lead_id FROM lead_conversations l
     WHERE l.workspace_id = conversations.workspace_id AND l.conversation_id = conversations.id
       AND l.claim IS NULL
     ORDER BY l.seq DESC LIMIT 1);
