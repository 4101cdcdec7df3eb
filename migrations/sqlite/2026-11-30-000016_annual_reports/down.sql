DROP TRIGGER report_versions_never_deleted;
DROP TRIGGER report_versions_never_change;
DROP TABLE report_versions;
DROP TABLE report_goal_contributions;
DROP TABLE report_corrections;
DROP TABLE reports;
DROP TABLE reporting_years;
