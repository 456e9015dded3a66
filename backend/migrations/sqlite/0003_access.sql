-- Closed tiles: the scope a tile belongs to (NULL: a public tile). A
-- closed tile names its scope in its own metadata, so its id differs from
-- every other scope's tile.
ALTER TABLE tiles ADD COLUMN scope TEXT;

-- Reports saved by signed-in users: the view is a portal address and
-- carries no authority. `owner` is issuer and subject of the token,
-- `organisation` the scope (or role) it may be shared with.
CREATE TABLE saved_reports (
    id           TEXT PRIMARY KEY,
    owner        TEXT NOT NULL,
    organisation TEXT NOT NULL,
    name         TEXT NOT NULL,
    description  TEXT NOT NULL,
    view         TEXT NOT NULL,
    shared       BOOLEAN NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX saved_reports_by_owner ON saved_reports (owner);
CREATE INDEX saved_reports_by_organisation ON saved_reports (organisation);
