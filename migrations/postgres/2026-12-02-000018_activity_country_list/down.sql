DROP INDEX activities_current_starts_on_id_idx;
CREATE INDEX activities_current_starts_on_id_idx ON activities (starts_on, id) WHERE archived_at IS NULL;
DROP TRIGGER activity_countries_listed ON activity_countries;
DROP FUNCTION utblick_list_activity_countries();
ALTER TABLE activities DROP COLUMN country_list;
