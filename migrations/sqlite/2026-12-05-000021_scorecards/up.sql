-- Scorecards (styrkort) pushed in from the municipality's scorecard system: a scorecard is a
-- goal framework with the styrkort system's id; its goals are framework goals with their own
-- external ids, whose organisation they are, the KPI they are followed up by and that KPI's
-- targets per year. A goal the styrkort system removes is archived, never deleted: projects
-- and handed-in reports keep naming it.
ALTER TABLE frameworks ADD COLUMN external_id TEXT;
ALTER TABLE frameworks ADD COLUMN organisation_id BIGINT REFERENCES organisations (id);
ALTER TABLE frameworks ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE frameworks ADD COLUMN updated_at TIMESTAMP;
CREATE UNIQUE INDEX frameworks_external_id ON frameworks (external_id);

ALTER TABLE framework_goals ADD COLUMN external_id TEXT;
ALTER TABLE framework_goals ADD COLUMN organisation_id BIGINT REFERENCES organisations (id);
ALTER TABLE framework_goals ADD COLUMN kpi TEXT;
ALTER TABLE framework_goals ADD COLUMN archived_at TIMESTAMP;
ALTER TABLE framework_goals ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE framework_goals ADD COLUMN updated_at TIMESTAMP;
CREATE UNIQUE INDEX framework_goals_external_id ON framework_goals (framework_id, external_id);

CREATE TABLE goal_targets (
    goal_id BIGINT NOT NULL REFERENCES framework_goals (id),
    year INTEGER NOT NULL,
    value DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (goal_id, year)
);
CREATE INDEX goal_targets_year ON goal_targets (year);
