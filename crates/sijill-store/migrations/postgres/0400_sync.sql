-- Sync between instances (a field laptop and the network's server). Every change to a
-- synced record is a revision: which record, its parent revisions, the instance that
-- made it, a Lamport clock, the changed fields with their values (personal fields stay
-- sealed with this instance's key), a tombstone flag and a content hash over the
-- non-personal part. `seq` is this instance's arrival order: the cursor of pulls
-- (writers take a table lock, so a reader never sees a later seq before an earlier one).
CREATE TABLE sync_revisions (
    seq          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    revision_id  uuid NOT NULL,
    kind         text NOT NULL,
    record_id    uuid NOT NULL,
    org_id       uuid NOT NULL REFERENCES organizations (id),
    parents      text NOT NULL,
    instance_id  uuid NOT NULL,
    clock        bigint NOT NULL CHECK (clock > 0),
    fields       text NOT NULL,
    tombstone    boolean NOT NULL,
    content_hash text NOT NULL CHECK (length(content_hash) = 64),
    received_at  timestamptz NOT NULL,
    CONSTRAINT sync_revisions_revision_key UNIQUE (revision_id)
);
CREATE INDEX sync_revisions_record_idx ON sync_revisions (kind, record_id);
CREATE INDEX sync_revisions_org_idx ON sync_revisions (org_id, seq);

-- The row of each synced record as the sync layer last saw or wrote it (JSON of the
-- synced columns), so a later change made by any write path is found by comparison.
CREATE TABLE sync_records (
    kind      text NOT NULL,
    record_id uuid NOT NULL,
    org_id    uuid NOT NULL REFERENCES organizations (id),
    state     text NOT NULL,
    deleted   boolean NOT NULL,
    PRIMARY KEY (kind, record_id)
);

-- The same field changed on two instances without either seeing the other's change.
-- `candidates` is a JSON array of the competing revision ids; the record keeps the
-- value of `chosen_revision` (highest clock, then instance id) until a person resolves.
CREATE TABLE sync_conflicts (
    id                  uuid PRIMARY KEY,
    kind                text NOT NULL,
    record_id           uuid NOT NULL,
    org_id              uuid NOT NULL REFERENCES organizations (id),
    field               text NOT NULL,
    candidates          text NOT NULL,
    chosen_revision     uuid NOT NULL,
    opened_at           timestamptz NOT NULL,
    resolved_at         timestamptz,
    resolved_by         uuid REFERENCES users (id),
    resolution_revision uuid
);
CREATE UNIQUE INDEX sync_conflicts_open_key ON sync_conflicts (kind, record_id, field) WHERE resolved_at IS NULL;
CREATE INDEX sync_conflicts_org_idx ON sync_conflicts (org_id);
