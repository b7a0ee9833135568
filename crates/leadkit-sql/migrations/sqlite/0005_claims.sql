-- Unconfirmed claims (issue 16): a conversation that gave an existing
-- lead's email or phone without being the lead's own or verified is linked
-- to the lead with its claimed details as JSON here; NULL is an ordinary
-- link (one of the lead's own conversations). Erasing the lead erases the
-- claiming conversations' transcripts as well, since they are linked.
ALTER TABLE lead_conversations ADD COLUMN claim TEXT;
