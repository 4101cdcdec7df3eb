-- A registry number is shown exactly as registered ("20/16"); the `diarienummer` column
-- keeps its normal form ("2016/20") for matching and uniqueness.
ALTER TABLE decisions ADD COLUMN diarienummer_as_registered TEXT NOT NULL DEFAULT '';
UPDATE decisions SET diarienummer_as_registered = diarienummer;
ALTER TABLE programmes ADD COLUMN diarienummer_as_registered TEXT NOT NULL DEFAULT '';
UPDATE programmes SET diarienummer_as_registered = diarienummer;
