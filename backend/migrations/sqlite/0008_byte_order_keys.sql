-- PostgreSQL's migration 0008 makes the text columns of register keys
-- compare byte by byte. SQLite's default collation (BINARY) does already:
-- nothing changes here; the version keeps both engines' migrations in step.
SELECT 1;
