-- The activity register's default order (newest first, the id breaking ties) read straight
-- from an index: one for the current activities (what a list shows unless asked for the
-- archived ones; it also answers their count), one for all. And the country filter without
-- a scan of every activity's countries.
DROP INDEX activities_starts_on_idx;
CREATE INDEX activities_starts_on_id_idx ON activities (starts_on, id);
CREATE INDEX activities_current_starts_on_id_idx ON activities (starts_on, id) WHERE archived_at IS NULL;
CREATE INDEX activity_countries_country_idx ON activity_countries (country);
