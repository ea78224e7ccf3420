-- Erasure by crypto-shredding (crypto_shred.rs): the nodes of the per-record key tree,
-- each sealed by the key file, and the register of erased records (kinds and ids only).
CREATE TABLE shred_nodes (
    depth   BIGINT NOT NULL CHECK (depth BETWEEN 0 AND 64),
    prefix  TEXT NOT NULL,
    wrapped TEXT NOT NULL,
    PRIMARY KEY (depth, prefix)
);

CREATE TABLE erasures (
    subject   TEXT PRIMARY KEY,
    kind      TEXT NOT NULL,
    record_id TEXT NOT NULL,
    erased_at TIMESTAMPTZ NOT NULL
);
