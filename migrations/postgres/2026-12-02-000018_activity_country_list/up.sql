-- The compilation groups a year's activities by organisation, project, kind and countries.
-- Each activity keeps its countries also as one text (their codes in order, joined by
-- commas; empty for none), kept by a trigger whatever writes the countries, so the year is
-- grouped from one index that holds every column read (an index-only scan), not with a
-- join to each activity's countries.
ALTER TABLE activities ADD COLUMN country_list TEXT NOT NULL DEFAULT '';
UPDATE activities a SET country_list = l.list
    FROM (SELECT activity_id, string_agg(country, ',' ORDER BY position) AS list
          FROM activity_countries GROUP BY activity_id) l
    WHERE l.activity_id = a.id;

CREATE FUNCTION utblick_list_activity_countries() RETURNS trigger AS $$
DECLARE
    which BIGINT;
BEGIN
    IF TG_OP = 'DELETE' THEN which := OLD.activity_id; ELSE which := NEW.activity_id; END IF;
    UPDATE activities SET country_list = COALESCE((SELECT string_agg(c.country, ',' ORDER BY c.position)
        FROM activity_countries c WHERE c.activity_id = which), '') WHERE id = which;
    IF TG_OP = 'UPDATE' AND OLD.activity_id <> NEW.activity_id THEN
        UPDATE activities SET country_list = COALESCE((SELECT string_agg(c.country, ',' ORDER BY c.position)
            FROM activity_countries c WHERE c.activity_id = OLD.activity_id), '') WHERE id = OLD.activity_id;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER activity_countries_listed AFTER INSERT OR UPDATE OR DELETE ON activity_countries
    FOR EACH ROW EXECUTE FUNCTION utblick_list_activity_countries();

-- The index of current activities in start order holds what the compilation reads too.
DROP INDEX activities_current_starts_on_id_idx;
CREATE INDEX activities_current_starts_on_id_idx ON activities (starts_on, id)
    INCLUDE (organisation_id, project_id, kind, country_list, hours, own_cost, external_cost, women, men, total)
    WHERE archived_at IS NULL;
