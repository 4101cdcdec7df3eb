DROP INDEX twin_towns_status_idx;
DROP TABLE twin_towns;
