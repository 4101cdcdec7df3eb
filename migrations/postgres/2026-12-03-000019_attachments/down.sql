DROP TABLE attachments;
DROP FUNCTION utblick_attachments_stay();
