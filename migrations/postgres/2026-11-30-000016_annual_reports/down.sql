DROP TRIGGER report_versions_never_change ON report_versions;
DROP FUNCTION refuse_changing_a_public_record();
DROP TABLE report_versions;
DROP TABLE report_goal_contributions;
DROP TABLE report_corrections;
DROP TABLE reports;
DROP TABLE reporting_years;
