DROP TRIGGER compilation_versions_never_deleted;
DROP TRIGGER compilation_versions_never_change;
DROP TABLE compilation_versions;
DROP TABLE compilations;
ALTER TABLE projects DROP COLUMN left_planning_at;
