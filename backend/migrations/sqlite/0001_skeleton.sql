-- Ingestion ledger: one row per published batch. A batch's content hash is
-- unique per register, so replaying a batch is detected before any write.
CREATE TABLE ingest_batches (
    batch_id       TEXT PRIMARY KEY,
    register       TEXT NOT NULL,
    file_name      TEXT NOT NULL,
    content_sha256 TEXT NOT NULL,
    rows_read      INTEGER NOT NULL,
    rows_added     INTEGER NOT NULL,
    published_at   TEXT NOT NULL,
    UNIQUE (register, content_sha256)
);

-- CPR extract: one row per pseudonymised person (latest batch wins).
CREATE TABLE cpr_persons (
    pseudonym    TEXT PRIMARY KEY,
    birth_date   TEXT NOT NULL,
    sex          INTEGER NOT NULL,
    municipality INTEGER NOT NULL,
    batch_id     TEXT NOT NULL REFERENCES ingest_batches (batch_id) DEFERRABLE INITIALLY DEFERRED
);

-- SSR extract: contacts with general practice.
CREATE TABLE gp_contacts (
    pseudonym       TEXT NOT NULL,
    contact_date    TEXT NOT NULL,
    provider_number TEXT NOT NULL,
    contact_type    TEXT NOT NULL,
    batch_id        TEXT NOT NULL REFERENCES ingest_batches (batch_id) DEFERRABLE INITIALLY DEFERRED
);
CREATE INDEX gp_contacts_by_batch ON gp_contacts (batch_id);

-- Tiles are immutable and content-addressed; releases list them.
CREATE TABLE tiles (
    id        TEXT PRIMARY KEY,
    family    TEXT NOT NULL,
    dimension TEXT NOT NULL,
    rows      INTEGER NOT NULL,
    bytes     BLOB NOT NULL
);

CREATE TABLE releases (
    id         TEXT PRIMARY KEY,
    seq        INTEGER NOT NULL UNIQUE,
    created_at TEXT NOT NULL
);

CREATE TABLE release_tiles (
    release_id TEXT NOT NULL REFERENCES releases (id),
    tile_id    TEXT NOT NULL REFERENCES tiles (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (release_id, tile_id)
);
