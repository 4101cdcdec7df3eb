DROP INDEX activity_countries_country_idx;
DROP INDEX activities_current_starts_on_id_idx;
DROP INDEX activities_starts_on_id_idx;
CREATE INDEX activities_starts_on_idx ON activities (starts_on);
