-- SQLite's migration 0007 moves the rows of registers whose key is most of
-- the row into the key's B-tree. PostgreSQL keeps a table and its key's
-- index apart in any case: nothing changes here; the version keeps both
-- engines' migrations in step.
SELECT 1;
