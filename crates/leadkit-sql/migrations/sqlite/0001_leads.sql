-- leadkit schema, SQLite. Ids are 16-byte UUID blobs; times are
-- microseconds since the Unix epoch; JSON columns are TEXT. The tables and
-- indexes repeat those of migrations/postgres/0001_leads.sql in this dialect:
-- each backend runs its own migrations, so the schema is written once per
-- database.

CREATE TABLE bots (
    workspace_id BLOB NOT NULL,
    id           BLOB NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE leads (
    -- A stable integer key (an INTEGER PRIMARY KEY survives VACUUM) for the
    -- full-text index below.
    seq           INTEGER PRIMARY KEY,
    workspace_id  BLOB    NOT NULL,
    id            BLOB    NOT NULL,
    bot_id        BLOB    NOT NULL,
    bots          TEXT    NOT NULL,  -- JSON array of bot ids, first bot first
    visitor_id    TEXT,
    name          TEXT,
    email         TEXT,
    phone         TEXT,
    custom        TEXT    NOT NULL,  -- JSON object (the company is "company")
    status        INTEGER NOT NULL,  -- funnel position
    notes         TEXT    NOT NULL,
    consent       TEXT,              -- JSON consent record
    consent_state INTEGER NOT NULL,  -- 0 none, 1 given, 2 refused
    created_at    INTEGER NOT NULL,
    last_seen_at  INTEGER NOT NULL,
    history       TEXT    NOT NULL,  -- JSON array of every value seen
    search        TEXT    NOT NULL,  -- folded name, email, phone, company
    name_sort     TEXT    NOT NULL,
    email_sort    TEXT    NOT NULL,
    phone_sort    TEXT    NOT NULL,
    company_sort  TEXT    NOT NULL,
    UNIQUE (workspace_id, id)
);

-- One index per sort column, with the id tie-break, so that a keyset page
-- is an index range scan whatever the sort; the bot, status and consent
-- filters are checked in the index, so only matching rows are read.
CREATE INDEX leads_by_created   ON leads (workspace_id, created_at, id, bot_id, status, consent_state);
CREATE INDEX leads_by_last_seen ON leads (workspace_id, last_seen_at, id, bot_id, status, consent_state);
CREATE INDEX leads_by_name      ON leads (workspace_id, name_sort, id, bot_id, status, consent_state);
CREATE INDEX leads_by_email     ON leads (workspace_id, email_sort, id, bot_id, status, consent_state);
CREATE INDEX leads_by_phone     ON leads (workspace_id, phone_sort, id, bot_id, status, consent_state);
CREATE INDEX leads_by_company   ON leads (workspace_id, company_sort, id, bot_id, status, consent_state);
CREATE INDEX leads_by_status    ON leads (workspace_id, status, created_at, id, bot_id);
CREATE INDEX leads_by_bot       ON leads (workspace_id, bot_id, created_at, id);

-- Substring search: a trigram index over the folded search column (FTS5
-- with the trigram tokenizer answers GLOB '*text*' from the index for
-- text of three characters or more). It holds no copy of the text
-- (content='leads'); triggers keep it in step.
CREATE VIRTUAL TABLE leads_search USING fts5(
    search,
    content = 'leads',
    content_rowid = 'seq',
    tokenize = 'trigram case_sensitive 1',
    detail = none
);
CREATE TRIGGER leads_search_insert AFTER INSERT ON leads BEGIN
    INSERT INTO leads_search (rowid, search) VALUES (new.seq, new.search);
END;
CREATE TRIGGER leads_search_delete AFTER DELETE ON leads BEGIN
    INSERT INTO leads_search (leads_search, rowid, search) VALUES ('delete', old.seq, old.search);
END;
CREATE TRIGGER leads_search_update AFTER UPDATE OF search ON leads
WHEN old.search IS NOT new.search BEGIN
    INSERT INTO leads_search (leads_search, rowid, search) VALUES ('delete', old.seq, old.search);
    INSERT INTO leads_search (rowid, search) VALUES (new.seq, new.search);
END;

-- De-duplication keys: a visitor id, email or phone finds one lead per workspace.
CREATE TABLE lead_keys (
    workspace_id BLOB    NOT NULL,
    kind         INTEGER NOT NULL,  -- 0 visitor, 1 email, 2 phone
    key          TEXT    NOT NULL,
    lead_id      BLOB    NOT NULL,
    PRIMARY KEY (workspace_id, kind, key),
    FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX lead_keys_by_lead ON lead_keys (workspace_id, lead_id);

CREATE TABLE lead_conversations (
    seq             INTEGER PRIMARY KEY,
    workspace_id    BLOB NOT NULL,
    lead_id         BLOB NOT NULL,
    conversation_id BLOB NOT NULL,
    UNIQUE (workspace_id, lead_id, conversation_id),
    FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE messages (
    seq             INTEGER PRIMARY KEY,
    workspace_id    BLOB    NOT NULL,
    conversation_id BLOB    NOT NULL,
    bot_id          BLOB    NOT NULL,
    role            TEXT    NOT NULL,
    text            TEXT    NOT NULL,
    at              INTEGER NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (workspace_id, conversation_id, seq);

CREATE TABLE conversation_states (
    workspace_id    BLOB    NOT NULL,
    conversation_id BLOB    NOT NULL,
    version         INTEGER NOT NULL,
    state           TEXT    NOT NULL,
    PRIMARY KEY (workspace_id, conversation_id)
);
