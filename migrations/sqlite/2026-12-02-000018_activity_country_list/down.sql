DROP INDEX activities_current_starts_on_id_idx;
CREATE INDEX activities_current_starts_on_id_idx ON activities (starts_on, id) WHERE archived_at IS NULL;
DROP TRIGGER activity_countries_listed_on_insert;
DROP TRIGGER activity_countries_listed_on_delete;
DROP TRIGGER activity_countries_listed_on_update;
ALTER TABLE activities DROP COLUMN country_list;
