DROP INDEX decisions_in_day_order;
DROP INDEX projects_in_title_order;
DROP TRIGGER projects_total_on_archive ON projects;
DROP TRIGGER projects_total_on_insert_or_delete ON projects;
DROP TRIGGER decisions_total_on_archive ON decisions;
DROP TRIGGER decisions_total_on_insert_or_delete ON decisions;
DELETE FROM register_totals WHERE register IN ('decisions', 'projects');
