-- Attached files (evidence) of a report, a project or an activity, stored with the data so
-- that a backup of the database holds them. A file handed in with a report (handed_in_version:
-- the report's version it was handed in with) belongs to a public document: the database
-- refuses to change or delete it. No file's content or name ever changes; one not handed in
-- may be removed (removed_at) and is then no longer offered.
CREATE TABLE attachments (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    report_id BIGINT REFERENCES reports (id),
    project_id BIGINT REFERENCES projects (id),
    activity_id BIGINT REFERENCES activities (id),
    file_name TEXT NOT NULL CHECK (length(file_name) BETWEEN 1 AND 255),
    media_type TEXT NOT NULL,
    size_bytes BIGINT NOT NULL CHECK (size_bytes > 0),
    sha256 TEXT NOT NULL CHECK (length(sha256) = 64),
    content BLOB NOT NULL,
    handed_in_version INTEGER CHECK (handed_in_version >= 1),
    uploaded_by BIGINT REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    removed_at TIMESTAMP,
    CHECK ((report_id IS NOT NULL) + (project_id IS NOT NULL) + (activity_id IS NOT NULL) = 1),
    CHECK (handed_in_version IS NULL OR report_id IS NOT NULL)
);
CREATE INDEX attachments_report_idx ON attachments (report_id);
CREATE INDEX attachments_project_idx ON attachments (project_id);
CREATE INDEX attachments_activity_idx ON attachments (activity_id);

CREATE TRIGGER attachments_content_never_changes BEFORE UPDATE OF report_id, project_id, activity_id,
    file_name, media_type, size_bytes, sha256, content, uploaded_by, created_at ON attachments BEGIN
    SELECT RAISE(ABORT, 'an attached file never changes (attachments)');
END;
CREATE TRIGGER attachments_handed_in_stay BEFORE UPDATE OF handed_in_version, removed_at ON attachments
    WHEN OLD.handed_in_version IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'a file handed in with a report is a public record and never changes (attachments)');
END;
CREATE TRIGGER attachments_handed_in_never_deleted BEFORE DELETE ON attachments
    WHEN OLD.handed_in_version IS NOT NULL BEGIN
    SELECT RAISE(ABORT, 'a file handed in with a report is a public record and never changes (attachments)');
END;
