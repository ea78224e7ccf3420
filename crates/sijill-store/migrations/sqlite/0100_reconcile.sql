-- Reconcile: published claims with their sources and documents; victim lists and their
-- records; linkage runs, persons, clerical decisions; estimates.
-- Personal fields (names, mother's name, place of death, the raw file) are sealed by the
-- application; no column holds a name or a reversible key of one. No column for
-- religion, sect, ethnicity or political opinion.

CREATE TABLE claim_sources (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    kind       TEXT NOT NULL,
    created_at TEXT NOT NULL,
    CONSTRAINT claim_sources_name_key UNIQUE (name)
);

CREATE TABLE claim_documents (
    id           TEXT PRIMARY KEY NOT NULL,
    source_id    TEXT NOT NULL REFERENCES claim_sources (id),
    title        TEXT NOT NULL,
    url          TEXT,
    published_on TEXT,
    lang         TEXT NOT NULL,
    body         TEXT NOT NULL,
    sha256       TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    CONSTRAINT claim_documents_sha_key UNIQUE (source_id, sha256)
);

CREATE TABLE claims (
    id          TEXT PRIMARY KEY NOT NULL,
    document_id TEXT NOT NULL REFERENCES claim_documents (id),
    value       REAL,
    low         REAL,
    high        REAL,
    qualifier   TEXT,
    measure     TEXT NOT NULL,
    scope_pcode TEXT,
    period_from TEXT,
    period_to   TEXT,
    as_of       TEXT,
    claimant    TEXT,
    quote       TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('unverified', 'corroborated', 'contested', 'retracted')),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX claims_document_idx ON claims (document_id);

CREATE TABLE victim_lists (
    id          TEXT PRIMARY KEY NOT NULL,
    org_id      TEXT NOT NULL REFERENCES organizations (id),
    source      TEXT NOT NULL,
    file_name   TEXT NOT NULL,
    file_sha256 TEXT NOT NULL,
    raw_sealed  TEXT NOT NULL,
    mapping     TEXT NOT NULL,
    dropped     TEXT NOT NULL,
    records     INTEGER NOT NULL,
    created_at  TEXT NOT NULL,
    CONSTRAINT victim_lists_file_key UNIQUE (org_id, file_sha256)
);

CREATE TABLE victim_records (
    id              TEXT PRIMARY KEY NOT NULL,
    list_id         TEXT NOT NULL REFERENCES victim_lists (id),
    row_no          INTEGER NOT NULL,
    record_key      TEXT NOT NULL,
    personal_sealed TEXT NOT NULL,
    sex             TEXT,
    age             INTEGER,
    birth_year      INTEGER,
    date_of_death   TEXT,
    governorate     TEXT,
    status          TEXT NOT NULL CHECK (status IN ('civilian', 'combatant', 'security', 'unknown')),
    CONSTRAINT victim_records_key UNIQUE (list_id, record_key)
);

CREATE TABLE linkage_runs (
    id          TEXT PRIMARY KEY NOT NULL,
    org_id      TEXT NOT NULL REFERENCES organizations (id),
    status      TEXT NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    stage       TEXT NOT NULL,
    progress    REAL NOT NULL,
    params      TEXT NOT NULL,
    stats       TEXT NOT NULL,
    error       TEXT,
    started_at  TEXT NOT NULL,
    finished_at TEXT
);

CREATE TABLE persons (
    id     TEXT PRIMARY KEY NOT NULL,
    run_id TEXT NOT NULL REFERENCES linkage_runs (id),
    label  INTEGER NOT NULL
);
CREATE INDEX persons_run_idx ON persons (run_id);

CREATE TABLE person_records (
    run_id      TEXT NOT NULL REFERENCES linkage_runs (id),
    person_id   TEXT NOT NULL REFERENCES persons (id),
    record_id   TEXT NOT NULL REFERENCES victim_records (id),
    probability REAL NOT NULL,
    PRIMARY KEY (run_id, record_id)
);
CREATE INDEX person_records_person_idx ON person_records (person_id);

CREATE TABLE review_pairs (
    run_id      TEXT NOT NULL REFERENCES linkage_runs (id),
    record_a    TEXT NOT NULL REFERENCES victim_records (id),
    record_b    TEXT NOT NULL REFERENCES victim_records (id),
    probability REAL NOT NULL,
    weights     TEXT NOT NULL,
    PRIMARY KEY (run_id, record_a, record_b)
);

CREATE TABLE clerical_decisions (
    org_id     TEXT NOT NULL REFERENCES organizations (id),
    record_a   TEXT NOT NULL REFERENCES victim_records (id),
    record_b   TEXT NOT NULL REFERENCES victim_records (id),
    decision   TEXT NOT NULL CHECK (decision IN ('match', 'non_match', 'unsure')),
    decided_by TEXT REFERENCES users (id),
    decided_at TEXT NOT NULL,
    PRIMARY KEY (org_id, record_a, record_b)
);

CREATE TABLE estimates (
    id         TEXT PRIMARY KEY NOT NULL,
    org_id     TEXT NOT NULL REFERENCES organizations (id),
    run_id     TEXT NOT NULL REFERENCES linkage_runs (id),
    method     TEXT NOT NULL,
    stratum_by TEXT NOT NULL,
    lists      TEXT NOT NULL,
    params     TEXT NOT NULL,
    observed   INTEGER NOT NULL,
    estimate   REAL NOT NULL,
    low        REAL,
    high       REAL,
    model      TEXT NOT NULL,
    report     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
