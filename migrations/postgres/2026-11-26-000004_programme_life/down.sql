ALTER TABLE programmes DROP COLUMN adopted_by_decision_id;
ALTER TABLE programmes DROP COLUMN row_version;
