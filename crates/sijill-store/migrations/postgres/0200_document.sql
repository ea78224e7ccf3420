-- Documentation of the field: incidents and their sources, evidence with a hash-chained
-- custody log, testimonies (content sealed by the application), rescue missions, and
-- displacement sites with their reports. Dates without a time are 'YYYY-MM-DD' text;
-- timestamps are timestamptz.

CREATE TABLE incidents (
    id             uuid PRIMARY KEY,
    org_id         uuid NOT NULL REFERENCES organizations (id),
    occurred_on    TEXT NOT NULL CHECK (length(occurred_on) = 10),
    date_precision TEXT NOT NULL CHECK (date_precision IN ('day', 'month', 'approximate')),
    area_pcode     TEXT NOT NULL,
    place          TEXT NOT NULL,
    event_type     TEXT NOT NULL,
    sub_event_type TEXT NOT NULL,
    summary        TEXT NOT NULL,
    created_by     uuid REFERENCES users (id),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX incidents_occurred_idx ON incidents (occurred_on);
CREATE INDEX incidents_area_idx ON incidents (area_pcode);

-- What one source says about an incident: who it alleges did it and to whom.
CREATE TABLE incident_sources (
    id          uuid PRIMARY KEY,
    incident_id uuid NOT NULL REFERENCES incidents (id) ON DELETE CASCADE,
    position    bigint NOT NULL,
    source      TEXT NOT NULL,
    url         TEXT,
    perpetrator TEXT NOT NULL,
    target      TEXT NOT NULL,
    claim       TEXT NOT NULL,
    CONSTRAINT incident_sources_position_key UNIQUE (incident_id, position)
);

CREATE TABLE evidence (
    id            uuid PRIMARY KEY,
    org_id        uuid NOT NULL REFERENCES organizations (id),
    incident_id   uuid REFERENCES incidents (id),
    sha256        TEXT NOT NULL CHECK (length(sha256) = 64),
    size_bytes    bigint NOT NULL CHECK (size_bytes >= 0),
    media_type    TEXT NOT NULL,
    original_name TEXT NOT NULL,
    origin_url    TEXT,
    captured_at   timestamptz NOT NULL,
    capture_tool  TEXT NOT NULL,
    captured_by   TEXT NOT NULL,
    violation     TEXT NOT NULL,
    description   TEXT NOT NULL,
    created_by    uuid REFERENCES users (id),
    created_at    timestamptz NOT NULL
);
CREATE INDEX evidence_incident_idx ON evidence (incident_id);
CREATE INDEX evidence_sha256_idx ON evidence (sha256);

-- Append-only, hash-chained like the audit log.
CREATE TABLE evidence_custody (
    seq         bigint PRIMARY KEY CHECK (seq >= 1),
    evidence_id uuid NOT NULL REFERENCES evidence (id),
    event       TEXT NOT NULL CHECK (event IN ('captured', 'viewed', 'transferred', 'exported', 'verified')),
    at          timestamptz NOT NULL,
    actor_id    uuid REFERENCES users (id),
    org_id      uuid REFERENCES organizations (id),
    note        TEXT NOT NULL,
    prev_hash   TEXT NOT NULL,
    hash        TEXT NOT NULL
);
CREATE INDEX evidence_custody_evidence_idx ON evidence_custody (evidence_id);
CREATE FUNCTION evidence_custody_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'the custody log is append-only';
END;
$$;
CREATE TRIGGER evidence_custody_no_change BEFORE UPDATE OR DELETE ON evidence_custody
    FOR EACH ROW EXECUTE FUNCTION evidence_custody_append_only();

CREATE TABLE testimonies (
    id             uuid PRIMARY KEY,
    org_id         uuid NOT NULL REFERENCES organizations (id),
    incident_id    uuid REFERENCES incidents (id),
    consent        TEXT NOT NULL CHECK (consent IN ('internal', 'investigators', 'public-anonymised')),
    interviewer    TEXT NOT NULL,
    interviewed_on TEXT NOT NULL CHECK (length(interviewed_on) = 10),
    content_sealed TEXT NOT NULL,
    created_by     uuid REFERENCES users (id),
    created_at     timestamptz NOT NULL
);
CREATE INDEX testimonies_org_idx ON testimonies (org_id);

CREATE TABLE testimony_shares (
    testimony_id uuid NOT NULL REFERENCES testimonies (id) ON DELETE CASCADE,
    org_id       uuid NOT NULL REFERENCES organizations (id),
    shared_by    uuid REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (testimony_id, org_id)
);

CREATE TABLE rescue_missions (
    id               uuid PRIMARY KEY,
    org_id           uuid NOT NULL REFERENCES organizations (id),
    team             TEXT NOT NULL,
    started_at       timestamptz NOT NULL,
    area_pcode       TEXT NOT NULL,
    place            TEXT NOT NULL,
    kind             TEXT NOT NULL CHECK (kind IN ('search-rescue', 'body-recovery', 'evacuation', 'fire', 'other')),
    rescued_alive    bigint NOT NULL CHECK (rescued_alive >= 0),
    bodies_recovered bigint NOT NULL CHECK (bodies_recovered >= 0),
    remarks          TEXT NOT NULL,
    handed_over_to   TEXT NOT NULL,
    created_by       uuid REFERENCES users (id),
    created_at       timestamptz NOT NULL
);
CREATE INDEX rescue_missions_started_idx ON rescue_missions (started_at);

CREATE TABLE displacement_sites (
    id         uuid PRIMARY KEY,
    name       TEXT NOT NULL,
    name_ar    TEXT,
    kind       TEXT NOT NULL CHECK (kind IN ('air-base', 'forest', 'host-community', 'collective-shelter', 'cross-border')),
    area_pcode TEXT NOT NULL,
    created_by uuid REFERENCES users (id),
    created_at timestamptz NOT NULL,
    CONSTRAINT displacement_sites_name_key UNIQUE (name)
);

CREATE TABLE displacement_reports (
    id          uuid PRIMARY KEY,
    site_id     uuid NOT NULL REFERENCES displacement_sites (id),
    as_of       TEXT NOT NULL CHECK (length(as_of) = 10),
    families    bigint CHECK (families >= 0),
    individuals bigint CHECK (individuals >= 0),
    origins     TEXT NOT NULL,
    needs       TEXT NOT NULL,
    source      TEXT NOT NULL,
    created_by  uuid REFERENCES users (id),
    created_at  timestamptz NOT NULL
);
CREATE INDEX displacement_reports_site_idx ON displacement_reports (site_id, as_of);
