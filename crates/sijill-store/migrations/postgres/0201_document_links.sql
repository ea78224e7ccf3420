-- Links from documentation to victim records: the records an incident is about, and the
-- victim record made from a body a rescue mission recovered. A link is made by one
-- organization and names its own record; reading them is scoped in the store.

CREATE TABLE incident_victims (
    incident_id      uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    victim_record_id uuid NOT NULL REFERENCES victim_records (id),
    org_id           uuid NOT NULL REFERENCES organizations (id),
    created_by       uuid REFERENCES users (id),
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (incident_id, victim_record_id)
);
CREATE INDEX incident_victims_record_idx ON incident_victims (victim_record_id);

CREATE TABLE rescue_bodies (
    mission_id       uuid NOT NULL REFERENCES rescue_missions (id),
    body_no          bigint NOT NULL CHECK (body_no >= 1),
    victim_record_id uuid NOT NULL REFERENCES victim_records (id),
    org_id           uuid NOT NULL REFERENCES organizations (id),
    created_by       uuid REFERENCES users (id),
    created_at       timestamptz NOT NULL,
    PRIMARY KEY (mission_id, body_no),
    CONSTRAINT rescue_bodies_record_key UNIQUE (victim_record_id)
);
