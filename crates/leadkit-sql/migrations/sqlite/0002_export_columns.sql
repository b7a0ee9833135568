-- The company and the consent's time and notice version as plain columns,
-- so that an export reads them without parsing the JSON of every row
-- (the JSON columns stay the source a lead is read from).
ALTER TABLE leads ADD COLUMN company TEXT;
ALTER TABLE leads ADD COLUMN consent_at TEXT;       -- RFC 3339, as in the consent JSON
ALTER TABLE leads ADD COLUMN consent_version TEXT;

UPDATE leads SET
    company = json_extract(custom, '$.company'),
    consent_at = json_extract(consent, '$.at'),
    consent_version = json_extract(consent, '$.version')
WHERE custom <> '{}' OR consent IS NOT NULL;
