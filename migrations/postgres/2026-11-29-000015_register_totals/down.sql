DROP TRIGGER activities_total_on_archive ON activities;
DROP TRIGGER activities_total_on_insert_or_delete ON activities;
DROP FUNCTION keep_register_total();
DROP TABLE register_totals;
