-- A closed tile's scope in a table of its own: in SQLite a column after
-- the tile bytes can only be read by reading the bytes, and the manifest
-- and every authorization check read scopes only.
CREATE TABLE tile_scopes (
    tile_id TEXT PRIMARY KEY REFERENCES tiles (id),
    scope   TEXT NOT NULL
);
INSERT INTO tile_scopes (tile_id, scope) SELECT id, scope FROM tiles WHERE scope IS NOT NULL;
ALTER TABLE tiles DROP COLUMN scope;
