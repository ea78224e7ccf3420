-- More kinds of record sync (cash, volunteers, dialogue, rescue missions, displacement
-- reports, incident sources, evidence, custody events, testimonies).
--
-- Custody events are rows of a per-instance hash chain numbered by `seq`, so they have
-- no id of their own: `sync_custody` gives each one a record id that is the same on
-- every instance, and keeps where it was first recorded (the instance, its number and
-- hash in that instance's chain). An event received from another instance is appended
-- to this instance's chain as a new link and mapped here to its origin.
CREATE TABLE sync_custody (
    record_id       uuid PRIMARY KEY,
    local_seq       bigint NOT NULL REFERENCES evidence_custody (seq),
    origin_instance uuid NOT NULL,
    origin_seq      bigint NOT NULL CHECK (origin_seq >= 1),
    origin_hash     text NOT NULL CHECK (length(origin_hash) = 64),
    CONSTRAINT sync_custody_local_key UNIQUE (local_seq),
    CONSTRAINT sync_custody_origin_key UNIQUE (origin_instance, origin_seq)
);

-- A displacement report belongs to the organization that filed it (the creator's until
-- now, which does not travel: accounts do not sync). Filled on arrival of a synced
-- report; reports made here keep it null and are read through their creator.
ALTER TABLE displacement_reports ADD COLUMN org_id uuid REFERENCES organizations (id);
