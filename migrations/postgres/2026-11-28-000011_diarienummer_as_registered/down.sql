ALTER TABLE programmes DROP COLUMN diarienummer_as_registered;
ALTER TABLE decisions DROP COLUMN diarienummer_as_registered;
