-- Sync between instances (a field laptop and the network's server). Every change to a
-- synced record is a revision: which record, its parent revisions, the instance that
-- made it, a Lamport clock, the changed fields with their values (personal fields stay
-- sealed with this instance's key), a tombstone flag and a content hash over the
-- non-personal part. `seq` is this instance's arrival order: the cursor of pulls.
CREATE TABLE sync_revisions (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    revision_id  TEXT NOT NULL,
    kind         TEXT NOT NULL,
    record_id    TEXT NOT NULL,
    org_id       TEXT NOT NULL REFERENCES organizations (id),
    parents      TEXT NOT NULL,
    instance_id  TEXT NOT NULL,
    clock        INTEGER NOT NULL CHECK (clock > 0),
    fields       TEXT NOT NULL,
    tombstone    BOOLEAN NOT NULL CHECK (tombstone IN (0, 1)),
    content_hash TEXT NOT NULL CHECK (length(content_hash) = 64),
    received_at  TEXT NOT NULL,
    CONSTRAINT sync_revisions_revision_key UNIQUE (revision_id)
);
CREATE INDEX sync_revisions_record_idx ON sync_revisions (kind, record_id);
CREATE INDEX sync_revisions_org_idx ON sync_revisions (org_id, seq);

-- The row of each synced record as the sync layer last saw or wrote it (JSON of the
-- synced columns), so a later change made by any write path is found by comparison.
CREATE TABLE sync_records (
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL,
    org_id    TEXT NOT NULL REFERENCES organizations (id),
    state     TEXT NOT NULL,
    deleted   BOOLEAN NOT NULL CHECK (deleted IN (0, 1)),
    PRIMARY KEY (kind, record_id)
);

-- The same field changed on two instances without either seeing the other's change.
-- `candidates` is a JSON array of the competing revision ids; the record keeps the
-- value of `chosen_revision` (highest clock, then instance id) until a person resolves.
CREATE TABLE sync_conflicts (
    id                  TEXT PRIMARY KEY NOT NULL,
    kind                TEXT NOT NULL,
    record_id           TEXT NOT NULL,
    org_id              TEXT NOT NULL REFERENCES organizations (id),
    field               TEXT NOT NULL,
    candidates          TEXT NOT NULL,
    chosen_revision     TEXT NOT NULL,
    opened_at           TEXT NOT NULL,
    resolved_at         TEXT,
    resolved_by         TEXT REFERENCES users (id),
    resolution_revision TEXT
);
CREATE UNIQUE INDEX sync_conflicts_open_key ON sync_conflicts (kind, record_id, field) WHERE resolved_at IS NULL;
CREATE INDEX sync_conflicts_org_idx ON sync_conflicts (org_id);
