-- Attached files (evidence) of a report, a project or an activity, stored with the data so
-- that a backup of the database holds them. A file handed in with a report (handed_in_version:
-- the report's version it was handed in with) belongs to a public document: the database
-- refuses to change or delete it. No file's content or name ever changes; one not handed in
-- may be removed (removed_at) and is then no longer offered.
CREATE TABLE attachments (
    id BIGSERIAL PRIMARY KEY,
    report_id BIGINT REFERENCES reports (id),
    project_id BIGINT REFERENCES projects (id),
    activity_id BIGINT REFERENCES activities (id),
    file_name TEXT NOT NULL CHECK (char_length(file_name) BETWEEN 1 AND 255),
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
    sha256 TEXT NOT NULL CHECK (char_length(sha256) = 64),
    content BYTEA NOT NULL,
    handed_in_version INTEGER CHECK (handed_in_version >= 1),
    uploaded_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    removed_at TIMESTAMP,
    CHECK (num_nonnulls(report_id, project_id, activity_id) = 1),
    CHECK (handed_in_version IS NULL OR report_id IS NOT NULL)
);
CREATE INDEX attachments_report_idx ON attachments (report_id);
CREATE INDEX attachments_project_idx ON attachments (project_id);
CREATE INDEX attachments_activity_idx ON attachments (activity_id);

CREATE FUNCTION utblick_attachments_stay() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF OLD.handed_in_version IS NOT NULL THEN
        RAISE EXCEPTION 'a file handed in with a report is a public record and never changes (attachments)'
            USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'UPDATE' AND (NEW.report_id IS DISTINCT FROM OLD.report_id
        OR NEW.project_id IS DISTINCT FROM OLD.project_id OR NEW.activity_id IS DISTINCT FROM OLD.activity_id
        OR NEW.file_name <> OLD.file_name OR NEW.media_type <> OLD.media_type
        OR NEW.size_bytes <> OLD.size_bytes OR NEW.sha256 <> OLD.sha256 OR NEW.content <> OLD.content
        OR NEW.uploaded_by IS DISTINCT FROM OLD.uploaded_by OR NEW.created_at <> OLD.created_at) THEN
        RAISE EXCEPTION 'an attached file never changes (attachments)' USING ERRCODE = 'restrict_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$$;
CREATE TRIGGER attachments_stay BEFORE UPDATE OR DELETE ON attachments
    FOR EACH ROW EXECUTE FUNCTION utblick_attachments_stay();
