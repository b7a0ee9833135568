-- A claim (0005) is stored as a link, but a claiming conversation is not
-- the lead's until a person merges the claim. The summaries that 0004's
-- triggers keep follow ordinary links only (claim IS NULL): a claim does
-- not show its conversation as the lead's, a merge does, and a rejection
-- (the link deleted) leaves the conversation with the lead it had before.
-- The same triggers as migrations/postgres/0006_claim_links.sql.

DROP TRIGGER conversations_on_message;
CREATE TRIGGER conversations_on_message AFTER INSERT ON messages BEGIN
    INSERT INTO conversations (workspace_id, id, bot_id, first_at, last_at, message_count, lead_id)
    VALUES (new.workspace_id, new.conversation_id, new.bot_id, new.at, new.at, 1,
            (SELECT l.lead_id FROM lead_conversations l
             WHERE l.workspace_id = new.workspace_id AND l.conversation_id = new.conversation_id
               AND l.claim IS NULL
             ORDER BY l.seq DESC LIMIT 1))
    ON CONFLICT (workspace_id, id) DO UPDATE SET
        first_at = min(first_at, excluded.first_at),
        last_at = max(last_at, excluded.last_at),
        message_count = message_count + 1;
END;

DROP TRIGGER conversations_on_link;
CREATE TRIGGER conversations_on_link AFTER INSERT ON lead_conversations BEGIN
    UPDATE conversations SET lead_id =
        (SELECT l.lead_id FROM lead_conversations l
         WHERE l.workspace_id = new.workspace_id AND l.conversation_id = new.conversation_id
           AND l.claim IS NULL
         ORDER BY l.seq DESC LIMIT 1)
    WHERE workspace_id = new.workspace_id AND id = new.conversation_id;
END;
CREATE TRIGGER conversations_on_claim_change AFTER UPDATE OF claim ON lead_conversations BEGIN
    UPDATE conversations SET lead_id =
        (SELECT l.lead_id FROM lead_conversations l
         WHERE l.workspace_id = new.workspace_id AND l.conversation_id = new.conversation_id
           AND l.claim IS NULL
         ORDER BY l.seq DESC LIMIT 1)
    WHERE workspace_id = new.workspace_id AND id = new.conversation_id;
END;
CREATE TRIGGER conversations_on_unlink AFTER DELETE ON lead_conversations BEGIN
    UPDATE conversations SET lead_id =
        (SELECT l.lead_id FROM lead_conversations l
         WHERE l.workspace_id = old.workspace_id AND l.conversation_id = old.conversation_id
           AND l.claim IS NULL
         ORDER BY l.seq DESC LIMIT 1)
    WHERE workspace_id = old.workspace_id AND id = old.conversation_id;
END;

-- Summaries linked through a claim before this migration.
UPDATE conversations SET lead_id =
    (SELECT l.lead_id FROM lead_conversations l
     WHERE l.workspace_id = conversations.workspace_id AND l.conversation_id = conversations.id
       AND l.claim IS NULL
     ORDER BY l.seq DESC LIMIT 1);
