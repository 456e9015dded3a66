-- The text columns of register keys compare byte by byte (the "C"
-- collation), whatever the database's locale: as SQLite's BINARY collation
-- and the sort of a batch outside the database do, so that rows sent "in
-- key order" are in the index's order. Under a language's collation they
-- need not be (Danish sorts "aa" as "å", after "z") and each comparison
-- goes through the C library's locale tables.
ALTER TABLE reg_sor ALTER COLUMN sor_id TYPE TEXT COLLATE "C";
ALTER TABLE reg_ydr ALTER COLUMN provider_number TYPE TEXT COLLATE "C";
ALTER TABLE reg_nursing_homes ALTER COLUMN address_id TYPE TEXT COLLATE "C";
ALTER TABLE reg_cpr ALTER COLUMN pseudonym TYPE TEXT COLLATE "C";
ALTER TABLE reg_patient_list ALTER COLUMN pseudonym TYPE TEXT COLLATE "C";
ALTER TABLE reg_lpr ALTER COLUMN contact_id TYPE TEXT COLLATE "C";
ALTER TABLE reg_eoj
    ALTER COLUMN pseudonym TYPE TEXT COLLATE "C",
    ALTER COLUMN month TYPE TEXT COLLATE "C",
    ALTER COLUMN service TYPE TEXT COLLATE "C";
ALTER TABLE reg_ruks
    ALTER COLUMN pseudonym TYPE TEXT COLLATE "C",
    ALTER COLUMN chronic_group TYPE TEXT COLLATE "C";
