-- The council's decisions and the projects keep their totals in `register_totals` too, as the
-- activities do since migration 15: an unfiltered page of 10 000 decisions spent about half
-- its time counting them (measured with perf under load).
INSERT INTO register_totals (register, current, archived)
SELECT 'decisions', COUNT(*) FILTER (WHERE archived_at IS NULL), COUNT(*) FILTER (WHERE archived_at IS NOT NULL)
FROM decisions;
INSERT INTO register_totals (register, current, archived)
SELECT 'projects', COUNT(*) FILTER (WHERE archived_at IS NULL), COUNT(*) FILTER (WHERE archived_at IS NOT NULL)
FROM projects;

CREATE TRIGGER decisions_total_on_insert_or_delete AFTER INSERT OR DELETE ON decisions
    FOR EACH ROW EXECUTE FUNCTION keep_register_total();
CREATE TRIGGER decisions_total_on_archive AFTER UPDATE OF archived_at ON decisions
    FOR EACH ROW WHEN ((OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL))
    EXECUTE FUNCTION keep_register_total();
CREATE TRIGGER projects_total_on_insert_or_delete AFTER INSERT OR DELETE ON projects
    FOR EACH ROW EXECUTE FUNCTION keep_register_total();
CREATE TRIGGER projects_total_on_archive AFTER UPDATE OF archived_at ON projects
    FOR EACH ROW WHEN ((OLD.archived_at IS NULL) <> (NEW.archived_at IS NULL))
    EXECUTE FUNCTION keep_register_total();

-- The project register's default order, Swedish by title: read from an index instead of
-- sorting every project at each request (on SQLite each comparison is a call into Utblick's
-- own collation; with 2 000 projects that was a third of a page's time).
CREATE INDEX projects_in_title_order ON projects (title COLLATE sv, id) WHERE archived_at IS NULL;

-- The decisions' default order, newest first: the index on the day alone left every decision
-- of one meeting (same day) to be sorted by id, and a list of 10 000 to be sorted whole.
CREATE INDEX decisions_in_day_order ON decisions (decided_on, id) WHERE archived_at IS NULL;
