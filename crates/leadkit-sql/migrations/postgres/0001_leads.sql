-- leadkit schema, PostgreSQL. Times are microseconds since the Unix epoch
-- (as on SQLite, so that both backends share their queries); JSON columns
-- are TEXT. Sort columns use the "C" collation: byte order, the same order
-- as SQLite and as Rust strings. The tables and indexes repeat those of
-- migrations/sqlite/0001_leads.sql in this dialect: each backend runs its own
-- migrations, so the schema is written once per database.

CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE TABLE bots (
    workspace_id UUID NOT NULL,
    id           UUID NOT NULL,
    name         TEXT NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

CREATE TABLE leads (
    workspace_id  UUID   NOT NULL,
    id            UUID   NOT NULL,
    bot_id        UUID   NOT NULL,
    bots          TEXT   NOT NULL,
    visitor_id    TEXT,
    name          TEXT,
    email         TEXT,
    phone         TEXT,
    custom        TEXT   NOT NULL,
    status        BIGINT NOT NULL,
    notes         TEXT   NOT NULL,
    consent       TEXT,
    consent_state BIGINT NOT NULL,
    created_at    BIGINT NOT NULL,
    last_seen_at  BIGINT NOT NULL,
    history       TEXT   NOT NULL,
    search        TEXT   NOT NULL,
    name_sort     TEXT   COLLATE "C" NOT NULL,
    email_sort    TEXT   COLLATE "C" NOT NULL,
    phone_sort    TEXT   COLLATE "C" NOT NULL,
    company_sort  TEXT   COLLATE "C" NOT NULL,
    PRIMARY KEY (workspace_id, id)
);

-- One index per sort column with the id tie-break (keyset pages are index
-- range scans); bot, status and consent are filtered inside the index.
CREATE INDEX leads_by_created   ON leads (workspace_id, created_at, id, bot_id, status, consent_state);
CREATE INDEX leads_by_last_seen ON leads (workspace_id, last_seen_at, id, bot_id, status, consent_state);
CREATE INDEX leads_by_name      ON leads (workspace_id, name_sort, id, bot_id, status, consent_state);
CREATE INDEX leads_by_email     ON leads (workspace_id, email_sort, id, bot_id, status, consent_state);
CREATE INDEX leads_by_phone     ON leads (workspace_id, phone_sort, id, bot_id, status, consent_state);
CREATE INDEX leads_by_company   ON leads (workspace_id, company_sort, id, bot_id, status, consent_state);
CREATE INDEX leads_by_status    ON leads (workspace_id, status, created_at, id, bot_id);
CREATE INDEX leads_by_bot       ON leads (workspace_id, bot_id, created_at, id);
-- Substring search: trigrams make LIKE '%text%' an index lookup.
CREATE INDEX leads_search_trgm  ON leads USING gin (search public.gin_trgm_ops);

CREATE TABLE lead_keys (
    workspace_id UUID   NOT NULL,
    kind         BIGINT NOT NULL,
    key          TEXT   NOT NULL,
    lead_id      UUID   NOT NULL,
    PRIMARY KEY (workspace_id, kind, key),
    FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id) ON DELETE CASCADE
);
CREATE INDEX lead_keys_by_lead ON lead_keys (workspace_id, lead_id);

CREATE TABLE lead_conversations (
    seq             BIGSERIAL PRIMARY KEY,
    workspace_id    UUID NOT NULL,
    lead_id         UUID NOT NULL,
    conversation_id UUID NOT NULL,
    UNIQUE (workspace_id, lead_id, conversation_id),
    FOREIGN KEY (workspace_id, lead_id) REFERENCES leads (workspace_id, id) ON DELETE CASCADE
);

CREATE TABLE messages (
    seq             BIGSERIAL PRIMARY KEY,
    workspace_id    UUID   NOT NULL,
    conversation_id UUID   NOT NULL,
    bot_id          UUID   NOT NULL,
    role            TEXT   NOT NULL,
    text            TEXT   NOT NULL,
    at              BIGINT NOT NULL
);
CREATE INDEX messages_by_conversation ON messages (workspace_id, conversation_id, seq);

CREATE TABLE conversation_states (
    workspace_id    UUID   NOT NULL,
    conversation_id UUID   NOT NULL,
    version         BIGINT NOT NULL,
    state           TEXT   NOT NULL,
    PRIMARY KEY (workspace_id, conversation_id)
);
