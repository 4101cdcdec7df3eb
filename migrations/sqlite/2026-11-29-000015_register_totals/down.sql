DROP TRIGGER activities_total_on_archive;
DROP TRIGGER activities_total_on_delete;
DROP TRIGGER activities_total_on_insert;
DROP TABLE register_totals;
