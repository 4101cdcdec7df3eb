DROP INDEX security_events_time_idx;
DROP TABLE security_events;
