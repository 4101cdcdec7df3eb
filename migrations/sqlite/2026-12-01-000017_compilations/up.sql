-- The compilation (rule 8): one per reporting year, compiled centrally from the year's data
-- and reports; draft (computed from the data as it is now) → final (frozen as a numbered
-- version) → presented to the council (with its decision from the register); published for
-- anyone to read once presented. Each finalising freezes every figure and text as JSON in a
-- version that never changes.
--
-- And, for the programme's demand measured (co-funding assessed before every new development
-- project): when a project left planning, kept from now on and read for the projects before
-- from the audit log.

ALTER TABLE projects ADD COLUMN left_planning_at TIMESTAMP;
UPDATE projects SET left_planning_at = (
    SELECT MIN(e.occurred_at) FROM audit_events e
    WHERE e.entity_type = 'project' AND e.entity_id = CAST(projects.id AS TEXT)
      AND e.action = 'project.status_changed'
      AND e.changes LIKE '%"before":"planning"%'
      AND e.changes NOT LIKE '%"after":"cancelled"%'
);

CREATE TABLE compilations (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    reporting_year_id BIGINT NOT NULL UNIQUE REFERENCES reporting_years (id),
    status TEXT NOT NULL CHECK (status IN ('draft', 'final', 'presented')),
    -- The council's decision it was presented with.
    decision_id BIGINT REFERENCES decisions (id),
    -- The note of its last reopening: what is corrected.
    comment TEXT,
    -- The version presented to the council (what the public reads once published).
    presented_version INTEGER,
    published_at TIMESTAMP,
    version INTEGER NOT NULL,
    created_at TIMESTAMP NOT NULL,
    updated_at TIMESTAMP NOT NULL
);

CREATE TABLE compilation_versions (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    compilation_id BIGINT NOT NULL REFERENCES compilations (id),
    number INTEGER NOT NULL CHECK (number >= 1),
    frozen_at TIMESTAMP NOT NULL,
    frozen_by BIGINT REFERENCES users (id),
    content TEXT NOT NULL,
    UNIQUE (compilation_id, number)
);

-- A frozen compilation never changes and is never deleted, whatever writes to the database.
CREATE TRIGGER compilation_versions_never_change BEFORE UPDATE ON compilation_versions BEGIN
    SELECT RAISE(ABORT, 'a frozen compilation is a public record and never changes (compilation_versions)');
END;
CREATE TRIGGER compilation_versions_never_deleted BEFORE DELETE ON compilation_versions BEGIN
    SELECT RAISE(ABORT, 'a frozen compilation is a public record and never changes (compilation_versions)');
END;
