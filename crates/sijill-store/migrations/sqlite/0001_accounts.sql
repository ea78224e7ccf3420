-- Accounts: organizations, users, sessions, API tokens, settings, and the audit chain.
-- Ids are UUIDs made by the application, stored as hyphenated text.
-- Timestamps are UTC, stored as fixed-width text 'YYYY-MM-DDTHH:MM:SS.ffffffZ' so that
-- text order is time order.

CREATE TABLE organizations (
    id             TEXT PRIMARY KEY NOT NULL,
    name           TEXT NOT NULL,
    name_ar        TEXT,
    kind           TEXT NOT NULL CHECK (kind IN ('relief', 'civil-defence', 'monitor', 'media', 'un', 'government', 'other')),
    network_member BOOLEAN NOT NULL CHECK (network_member IN (0, 1)),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    CONSTRAINT organizations_name_key UNIQUE (name)
);

CREATE TABLE users (
    id                   TEXT PRIMARY KEY NOT NULL,
    username             TEXT NOT NULL,
    display_name         TEXT NOT NULL,
    org_id               TEXT NOT NULL REFERENCES organizations (id),
    role                 TEXT NOT NULL CHECK (role IN ('admin', 'coordinator', 'documenter', 'field', 'analyst', 'viewer')),
    password_hash        TEXT NOT NULL,
    disabled             BOOLEAN NOT NULL DEFAULT 0 CHECK (disabled IN (0, 1)),
    must_change_password BOOLEAN NOT NULL CHECK (must_change_password IN (0, 1)),
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username)
);
CREATE INDEX users_org_id_idx ON users (org_id);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY NOT NULL,
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           TEXT PRIMARY KEY NOT NULL,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    token_hash   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE UNIQUE INDEX api_tokens_active_name_key ON api_tokens (user_id, name) WHERE revoked_at IS NULL;

CREATE TABLE settings (
    key        TEXT PRIMARY KEY NOT NULL,
    value      TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Append-only, hash-chained: hash = SHA-256(prev_hash || '\n' || canonical content).
-- No foreign keys: the log must outlive anything it mentions.
CREATE TABLE audit_log (
    seq       INTEGER PRIMARY KEY NOT NULL,
    at        TEXT NOT NULL,
    actor_id  TEXT,
    org_id    TEXT,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT,
    detail    TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash      TEXT NOT NULL
);

-- The triggers are a guard against mistakes, not a security boundary: tampering by
-- someone who can drop them is what the hash chain detects.
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
