DROP INDEX decisions_decided_on_idx;
DROP TABLE decisions;
