DROP TABLE assessment_programmes;
DROP TABLE co_funding_assessments;
DROP TABLE project_funding;
DROP TABLE project_goals;
DROP TABLE project_priority_areas;
DROP TABLE project_partners;
DROP TABLE projects;
DROP TABLE funding_programmes;
