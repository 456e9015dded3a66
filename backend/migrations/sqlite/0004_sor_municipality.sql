-- The municipality of a SOR health institution's address (a unit: its
-- institution's), so a health cluster's hospitals are those in its
-- municipalities. Rows ingested before have none.
ALTER TABLE reg_sor ADD COLUMN municipality INTEGER;
