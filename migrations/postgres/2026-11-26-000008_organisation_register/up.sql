-- The organisation register in full (rule 7): departments under administrations and
-- companies, an external id for the styrkort system, a version for If-Match.
ALTER TABLE organisations ADD COLUMN parent_id BIGINT REFERENCES organisations (id);
ALTER TABLE organisations ADD COLUMN external_id TEXT;
ALTER TABLE organisations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
CREATE UNIQUE INDEX organisations_external_id_key ON organisations (external_id);
