-- The change feed (GET /api/v1/changes) is the audit log read in order: each event also
-- keeps the version its record had after the change (none for records without versions).
ALTER TABLE audit_events ADD COLUMN entity_version INTEGER;
