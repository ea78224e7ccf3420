-- Accounts: organizations, users, sessions, API tokens, settings, and the audit chain.
-- Ids are UUIDs made by the application. Timestamps are timestamptz (UTC, microseconds).

CREATE TABLE organizations (
    id             uuid PRIMARY KEY,
    name           text NOT NULL,
    name_ar        text,
    kind           text NOT NULL CHECK (kind IN ('relief', 'civil-defence', 'monitor', 'media', 'un', 'government', 'other')),
    network_member boolean NOT NULL,
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL,
    CONSTRAINT organizations_name_key UNIQUE (name)
);

CREATE TABLE users (
    id                   uuid PRIMARY KEY,
    username             text NOT NULL,
    display_name         text NOT NULL,
    org_id               uuid NOT NULL REFERENCES organizations (id),
    role                 text NOT NULL CHECK (role IN ('admin', 'coordinator', 'documenter', 'field', 'analyst', 'viewer')),
    password_hash        text NOT NULL,
    disabled             boolean NOT NULL DEFAULT false,
    must_change_password boolean NOT NULL,
    created_at           timestamptz NOT NULL,
    updated_at           timestamptz NOT NULL,
    CONSTRAINT users_username_key UNIQUE (username)
);
CREATE INDEX users_org_id_idx ON users (org_id);

CREATE TABLE sessions (
    token_hash text PRIMARY KEY,
    user_id    uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL,
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_id_idx ON sessions (user_id);
CREATE INDEX sessions_expires_at_idx ON sessions (expires_at);

CREATE TABLE api_tokens (
    id           uuid PRIMARY KEY,
    user_id      uuid NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         text NOT NULL,
    token_hash   text NOT NULL,
    created_at   timestamptz NOT NULL,
    last_used_at timestamptz,
    revoked_at   timestamptz,
    CONSTRAINT api_tokens_token_hash_key UNIQUE (token_hash)
);
CREATE UNIQUE INDEX api_tokens_active_name_key ON api_tokens (user_id, name) WHERE revoked_at IS NULL;

CREATE TABLE settings (
    key        text PRIMARY KEY,
    value      text NOT NULL,
    updated_at timestamptz NOT NULL
);

-- Append-only, hash-chained: hash = SHA-256(prev_hash || '\n' || canonical content).
-- No foreign keys: the log must outlive anything it mentions. The detail is kept as the
-- exact JSON text that was hashed (text, not jsonb, which would reorder keys).
CREATE TABLE audit_log (
    seq       bigint PRIMARY KEY,
    at        timestamptz NOT NULL,
    actor_id  uuid,
    org_id    uuid,
    action    text NOT NULL,
    entity    text NOT NULL,
    entity_id text,
    detail    text NOT NULL,
    prev_hash text NOT NULL,
    hash      text NOT NULL
);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
-- The trigger is a guard against mistakes, not a security boundary: tampering by
-- someone who can drop it is what the hash chain detects.
CREATE TRIGGER audit_log_no_change BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
