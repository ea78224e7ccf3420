-- Reconcile: published claims with their sources and documents; victim lists and their
-- records; linkage runs, persons, clerical decisions; estimates.
-- Personal fields (names, mother's name, place of death, the raw file) are sealed by the
-- application; no column holds a name or a reversible key of one. No column for
-- religion, sect, ethnicity or political opinion.

CREATE TABLE claim_sources (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    kind       text NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT claim_sources_name_key UNIQUE (name)
);

CREATE TABLE claim_documents (
    id           uuid PRIMARY KEY,
    source_id    uuid NOT NULL REFERENCES claim_sources (id),
    title        text NOT NULL,
    url          text,
    published_on text,
    lang         text NOT NULL,
    body         text NOT NULL,
    sha256       text NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT claim_documents_sha_key UNIQUE (source_id, sha256)
);

CREATE TABLE claims (
    id          uuid PRIMARY KEY,
    document_id uuid NOT NULL REFERENCES claim_documents (id),
    value       double precision,
    low         double precision,
    high        double precision,
    qualifier   text,
    measure     text NOT NULL,
    scope_pcode text,
    period_from text,
    period_to   text,
    as_of       text,
    claimant    text,
    quote       text NOT NULL,
    status      text NOT NULL CHECK (status IN ('unverified', 'corroborated', 'contested', 'retracted')),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX claims_document_idx ON claims (document_id);

CREATE TABLE victim_lists (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id),
    source      text NOT NULL,
    file_name   text NOT NULL,
    file_sha256 text NOT NULL,
    raw_sealed  text NOT NULL,
    mapping     text NOT NULL,
    dropped     text NOT NULL,
    records     bigint NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT victim_lists_file_key UNIQUE (org_id, file_sha256)
);

CREATE TABLE victim_records (
    id              uuid PRIMARY KEY,
    list_id         uuid NOT NULL REFERENCES victim_lists (id),
    row_no          bigint NOT NULL,
    record_key      text NOT NULL,
    personal_sealed text NOT NULL,
    sex             text,
    age             bigint,
    birth_year      bigint,
    date_of_death   text,
    governorate     text,
    status          text NOT NULL CHECK (status IN ('civilian', 'combatant', 'security', 'unknown')),
    CONSTRAINT victim_records_key UNIQUE (list_id, record_key)
);

CREATE TABLE linkage_runs (
    id          uuid PRIMARY KEY,
    org_id      uuid NOT NULL REFERENCES organizations (id),
    status      text NOT NULL CHECK (status IN ('running', 'done', 'failed')),
    stage       text NOT NULL,
    progress    double precision NOT NULL,
    params      text NOT NULL,
    stats       text NOT NULL,
    error       text,
    started_at timestamptz NOT NULL,
    finished_at timestamptz
);

CREATE TABLE persons (
    id     uuid PRIMARY KEY,
    run_id uuid NOT NULL REFERENCES linkage_runs (id),
    label  bigint NOT NULL
);
CREATE INDEX persons_run_idx ON persons (run_id);

CREATE TABLE person_records (
    run_id      uuid NOT NULL REFERENCES linkage_runs (id),
    person_id   uuid NOT NULL REFERENCES persons (id),
    record_id   uuid NOT NULL REFERENCES victim_records (id),
    probability double precision NOT NULL,
    PRIMARY KEY (run_id, record_id)
);
CREATE INDEX person_records_person_idx ON person_records (person_id);

CREATE TABLE review_pairs (
    run_id      uuid NOT NULL REFERENCES linkage_runs (id),
    record_a    uuid NOT NULL REFERENCES victim_records (id),
    record_b    uuid NOT NULL REFERENCES victim_records (id),
    probability double precision NOT NULL,
    weights     text NOT NULL,
    PRIMARY KEY (run_id, record_a, record_b)
);

CREATE TABLE clerical_decisions (
    org_id     uuid NOT NULL REFERENCES organizations (id),
    record_a   uuid NOT NULL REFERENCES victim_records (id),
    record_b   uuid NOT NULL REFERENCES victim_records (id),
    decision   text NOT NULL CHECK (decision IN ('match', 'non_match', 'unsure')),
    decided_by uuid REFERENCES users (id),
    decided_at timestamptz NOT NULL,
    PRIMARY KEY (org_id, record_a, record_b)
);

CREATE TABLE estimates (
    id         uuid PRIMARY KEY,
    org_id     uuid NOT NULL REFERENCES organizations (id),
    run_id     uuid NOT NULL REFERENCES linkage_runs (id),
    method     text NOT NULL,
    stratum_by text NOT NULL,
    lists      text NOT NULL,
    params     text NOT NULL,
    observed   bigint NOT NULL,
    estimate   double precision NOT NULL,
    low        double precision,
    high       double precision,
    model      text NOT NULL,
    report     text NOT NULL,
    created_at timestamptz NOT NULL
);
