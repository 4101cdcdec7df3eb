DROP INDEX organisations_external_id_key;
ALTER TABLE organisations DROP COLUMN version;
ALTER TABLE organisations DROP COLUMN external_id;
ALTER TABLE organisations DROP COLUMN parent_id;
