DROP TRIGGER compilation_versions_never_change ON compilation_versions;
DROP TABLE compilation_versions;
DROP TABLE compilations;
ALTER TABLE projects DROP COLUMN left_planning_at;
