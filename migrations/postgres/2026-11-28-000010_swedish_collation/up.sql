-- Names and titles sort in Swedish order (Å, Ä, Ö after Z, case ignored): `ORDER BY name
-- COLLATE sv`. SQLite connections register the same name with the domain's swedish_cmp.
CREATE COLLATION IF NOT EXISTS sv (provider = icu, locale = 'sv-SE');
