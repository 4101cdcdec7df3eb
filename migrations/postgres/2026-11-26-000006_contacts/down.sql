DROP INDEX contacts_organisation_idx;
DROP TABLE contacts;
