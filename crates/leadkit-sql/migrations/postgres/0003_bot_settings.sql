-- Each bot's lead-collection settings (leadkit_store::BotSettings as
-- JSON), and every change to them for the audit trail. A bot with no row
-- uses the engine's default settings.
CREATE TABLE bot_settings (
    workspace_id UUID NOT NULL,
    bot_id       UUID NOT NULL,
    version      BIGINT NOT NULL,  -- 1 after the first save, +1 per change
    settings     TEXT NOT NULL,  -- JSON
    updated_at   BIGINT NOT NULL,  -- microseconds since the Unix epoch
    PRIMARY KEY (workspace_id, bot_id)
);

-- One row per change: who (the actor may be personal data), when, and the
-- settings before (NULL for the first save) and after. Read newest first.
CREATE TABLE bot_settings_changes (
    workspace_id UUID NOT NULL,
    bot_id       UUID NOT NULL,
    version      BIGINT NOT NULL,
    changed_at   BIGINT NOT NULL,
    actor        TEXT NOT NULL,
    old_settings TEXT,
    new_settings TEXT NOT NULL,
    PRIMARY KEY (workspace_id, bot_id, version)
);
