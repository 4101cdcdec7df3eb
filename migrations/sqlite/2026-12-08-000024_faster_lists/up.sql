-- The council's decisions and the projects keep their totals in `register_totals` too, as the
-- activities do since migration 15: an unfiltered page of 10 000 decisions spent about half
-- its time counting them (measured with perf under load).
INSERT INTO register_totals (register, current, archived)
SELECT 'decisions', COALESCE(SUM(archived_at IS NULL), 0), COALESCE(SUM(archived_at IS NOT NULL), 0) FROM decisions;
INSERT INTO register_totals (register, current, archived)
SELECT 'projects', COALESCE(SUM(archived_at IS NULL), 0), COALESCE(SUM(archived_at IS NOT NULL), 0) FROM projects;

CREATE TRIGGER decisions_total_on_insert AFTER INSERT ON decisions BEGIN
    UPDATE register_totals
    SET current = current + (NEW.archived_at IS NULL), archived = archived + (NEW.archived_at IS NOT NULL)
    WHERE register = 'decisions';
END;
CREATE TRIGGER decisions_total_on_delete AFTER DELETE ON decisions BEGIN
    UPDATE register_totals
    SET current = current - (OLD.archived_at IS NULL), archived = archived - (OLD.archived_at IS NOT NULL)
    WHERE register = 'decisions';
END;
CREATE TRIGGER decisions_total_on_archive AFTER UPDATE OF archived_at ON decisions
    WHEN (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) BEGIN
    UPDATE register_totals
    SET current = current + (NEW.archived_at IS NULL) - (OLD.archived_at IS NULL),
        archived = archived + (NEW.archived_at IS NOT NULL) - (OLD.archived_at IS NOT NULL)
    WHERE register = 'decisions';
END;

CREATE TRIGGER projects_total_on_insert AFTER INSERT ON projects BEGIN
    UPDATE register_totals
    SET current = current + (NEW.archived_at IS NULL), archived = archived + (NEW.archived_at IS NOT NULL)
    WHERE register = 'projects';
END;
CREATE TRIGGER projects_total_on_delete AFTER DELETE ON projects BEGIN
    UPDATE register_totals
    SET current = current - (OLD.archived_at IS NULL), archived = archived - (OLD.archived_at IS NOT NULL)
    WHERE register = 'projects';
END;
CREATE TRIGGER projects_total_on_archive AFTER UPDATE OF archived_at ON projects
    WHEN (OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL) BEGIN
    UPDATE register_totals
    SET current = current + (NEW.archived_at IS NULL) - (OLD.archived_at IS NULL),
        archived = archived + (NEW.archived_at IS NOT NULL) - (OLD.archived_at IS NOT NULL)
    WHERE register = 'projects';
END;

-- The project register's default order, Swedish by title: read from an index instead of
-- sorting every project at each request (on SQLite each comparison is a call into Utblick's
-- own collation; with 2 000 projects that was a third of a page's time).
CREATE INDEX projects_in_title_order ON projects (title COLLATE sv, id) WHERE archived_at IS NULL;

-- The decisions' default order, newest first: the index on the day alone left every decision
-- of one meeting (same day) to be sorted by id, and a list of 10 000 to be sorted whole.
CREATE INDEX decisions_in_day_order ON decisions (decided_on, id) WHERE archived_at IS NULL;
