-- The company and the consent's time and notice version as plain columns,
-- so that an export reads them without parsing the JSON of every row
-- (the JSON columns stay the source a lead is read from).
ALTER TABLE leads
    ADD COLUMN company TEXT,
    ADD COLUMN consent_at TEXT,       -- RFC 3339, as in the consent JSON
    ADD COLUMN consent_version TEXT;

UPDATE leads SET
    company = custom::json ->> 'company',
    consent_at = consent::json ->> 'at',
    consent_version = consent::json ->> 'version'
WHERE custom <> '{}' OR consent IS NOT NULL;
