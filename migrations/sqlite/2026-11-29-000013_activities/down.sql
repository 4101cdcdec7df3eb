DROP TABLE lead_organisations;
DROP TABLE leads;
DROP TABLE activity_representatives;
DROP TABLE activity_countries;
DROP TABLE activities;
DROP TABLE elected_officials;
