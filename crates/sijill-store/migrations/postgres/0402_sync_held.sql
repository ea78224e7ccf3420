-- Records that arrived by sync but could not be written here, kept so a person sees
-- them on /sync: a record whose parent is gone here (a cash transfer to a household
-- deleted on this instance meanwhile), or a deletion kept back because other records
-- here still refer to the record. Their revisions stay in `sync_revisions`; a row is
-- removed as soon as a later merge writes the record.
CREATE TABLE sync_held (
    kind        text NOT NULL,
    record_id   uuid NOT NULL,
    org_id      uuid NOT NULL REFERENCES organizations (id),
    reason      text NOT NULL CHECK (reason IN ('parent', 'unstorable', 'referenced')),
    parent_kind text,
    parent_id   uuid,
    held_at     timestamptz NOT NULL,
    PRIMARY KEY (kind, record_id)
);
CREATE INDEX sync_held_org_idx ON sync_held (org_id);
