DROP INDEX decisions_in_day_order;
DROP INDEX projects_in_title_order;
DROP TRIGGER projects_total_on_archive;
DROP TRIGGER projects_total_on_delete;
DROP TRIGGER projects_total_on_insert;
DROP TRIGGER decisions_total_on_archive;
DROP TRIGGER decisions_total_on_delete;
DROP TRIGGER decisions_total_on_insert;
DELETE FROM register_totals WHERE register IN ('decisions', 'projects');
