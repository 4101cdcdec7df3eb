-- The programme's life (rule 1): each version carries the version of its row (for
-- If-Match) and, once adopted, the executive board's decision.
ALTER TABLE programmes ADD COLUMN row_version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE programmes ADD COLUMN adopted_by_decision_id BIGINT REFERENCES decisions (id);
