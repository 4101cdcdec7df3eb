-- The compilation groups a year's activities by organisation, project, kind and countries.
-- Each activity keeps its countries also as one text (their codes in order, joined by
-- commas; empty for none), kept by triggers whatever writes the countries, so the year is
-- grouped from one index that holds every column read, not row by row with a look-up of
-- each activity's countries. (group_concat's own ORDER BY is left out: SQLite before 3.44,
-- as in Debian 12's sqlite3 command, would not read this database's schema.)
ALTER TABLE activities ADD COLUMN country_list TEXT NOT NULL DEFAULT '';
UPDATE activities SET country_list = COALESCE((SELECT group_concat(country, ',') FROM
    (SELECT c.country FROM activity_countries c WHERE c.activity_id = activities.id ORDER BY c.position)), '');

CREATE TRIGGER activity_countries_listed_on_insert AFTER INSERT ON activity_countries
BEGIN
    UPDATE activities SET country_list = COALESCE((SELECT group_concat(country, ',') FROM
        (SELECT c.country FROM activity_countries c WHERE c.activity_id = NEW.activity_id ORDER BY c.position)), '') WHERE id = NEW.activity_id;
END;
CREATE TRIGGER activity_countries_listed_on_delete AFTER DELETE ON activity_countries
BEGIN
    UPDATE activities SET country_list = COALESCE((SELECT group_concat(country, ',') FROM
        (SELECT c.country FROM activity_countries c WHERE c.activity_id = OLD.activity_id ORDER BY c.position)), '') WHERE id = OLD.activity_id;
END;
CREATE TRIGGER activity_countries_listed_on_update AFTER UPDATE ON activity_countries
BEGIN
    UPDATE activities SET country_list = COALESCE((SELECT group_concat(country, ',') FROM
        (SELECT c.country FROM activity_countries c WHERE c.activity_id = NEW.activity_id ORDER BY c.position)), '') WHERE id = NEW.activity_id;
END;

-- The index of current activities in start order holds what the compilation reads too.
DROP INDEX activities_current_starts_on_id_idx;
CREATE INDEX activities_current_starts_on_id_idx ON activities
    (starts_on, id, organisation_id, project_id, kind, country_list, hours, own_cost, external_cost, women, men, total)
    WHERE archived_at IS NULL;
