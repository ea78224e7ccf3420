-- Respond: relief operations of a partner network. Campaigns with their partners and
-- target areas, an item catalogue, distributions, pseudonymous households (name and
-- contact sealed by the application, a keyed hash for cross-partner duplicates), cash
-- transfers, volunteers and dialogue sessions. Dates are 'YYYY-MM-DD' text; areas are
-- OCHA p-codes. No column for religion, sect, ethnicity or political opinion.

CREATE TABLE respond_items (
    id         TEXT PRIMARY KEY NOT NULL,
    code       TEXT NOT NULL,
    name_en    TEXT NOT NULL,
    name_ar    TEXT NOT NULL,
    unit_en    TEXT NOT NULL,
    unit_ar    TEXT NOT NULL,
    is_cash    BOOLEAN NOT NULL CHECK (is_cash IN (0, 1)),
    created_at TEXT NOT NULL,
    CONSTRAINT respond_items_code_key UNIQUE (code)
);

CREATE TABLE respond_campaigns (
    id         TEXT PRIMARY KEY NOT NULL,
    name       TEXT NOT NULL,
    name_ar    TEXT,
    starts_on  TEXT NOT NULL,
    ends_on    TEXT NOT NULL CHECK (ends_on >= starts_on),
    lead_org   TEXT NOT NULL REFERENCES organizations (id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CONSTRAINT respond_campaigns_name_key UNIQUE (name)
);

CREATE TABLE respond_campaign_partners (
    campaign_id TEXT NOT NULL REFERENCES respond_campaigns (id) ON DELETE CASCADE,
    org_id      TEXT NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (campaign_id, org_id)
);

CREATE TABLE respond_campaign_areas (
    campaign_id TEXT NOT NULL REFERENCES respond_campaigns (id) ON DELETE CASCADE,
    pcode       TEXT NOT NULL,
    PRIMARY KEY (campaign_id, pcode)
);

CREATE TABLE respond_distributions (
    id             TEXT PRIMARY KEY NOT NULL,
    campaign_id    TEXT REFERENCES respond_campaigns (id),
    org_id         TEXT NOT NULL REFERENCES organizations (id),
    distributed_on TEXT NOT NULL,
    pcode          TEXT NOT NULL,
    site           TEXT,
    item_id        TEXT NOT NULL REFERENCES respond_items (id),
    quantity       INTEGER NOT NULL CHECK (quantity > 0),
    households     INTEGER NOT NULL CHECK (households >= 0),
    individuals    INTEGER NOT NULL CHECK (individuals >= 0),
    import_key     TEXT,
    created_by     TEXT REFERENCES users (id),
    created_at     TEXT NOT NULL
);
CREATE INDEX respond_distributions_day_idx ON respond_distributions (distributed_on);
CREATE INDEX respond_distributions_campaign_idx ON respond_distributions (campaign_id);
CREATE UNIQUE INDEX respond_distributions_import_key ON respond_distributions (org_id, import_key) WHERE import_key IS NOT NULL;

CREATE TABLE respond_households (
    id             TEXT PRIMARY KEY NOT NULL,
    org_id         TEXT NOT NULL REFERENCES organizations (id),
    pcode          TEXT NOT NULL,
    size           INTEGER NOT NULL CHECK (size > 0),
    females        INTEGER NOT NULL CHECK (females >= 0),
    males          INTEGER NOT NULL CHECK (males >= 0),
    children       INTEGER NOT NULL CHECK (children >= 0),
    elderly        INTEGER NOT NULL CHECK (elderly >= 0),
    vulnerability  TEXT NOT NULL,
    name_sealed    TEXT NOT NULL,
    contact_sealed TEXT,
    dedup_key      TEXT NOT NULL,
    merged_into    TEXT REFERENCES respond_households (id),
    import_key     TEXT,
    created_by     TEXT REFERENCES users (id),
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL
);
CREATE INDEX respond_households_org_idx ON respond_households (org_id);
CREATE INDEX respond_households_dedup_idx ON respond_households (dedup_key);
CREATE UNIQUE INDEX respond_households_import_key ON respond_households (org_id, import_key) WHERE import_key IS NOT NULL;

CREATE TABLE respond_household_reviews (
    household_id TEXT NOT NULL REFERENCES respond_households (id),
    other_org_id TEXT NOT NULL REFERENCES organizations (id),
    decision     TEXT NOT NULL CHECK (decision IN ('same', 'different')),
    decided_by   TEXT REFERENCES users (id),
    decided_at   TEXT NOT NULL,
    PRIMARY KEY (household_id, other_org_id)
);

CREATE TABLE respond_cash_transfers (
    id           TEXT PRIMARY KEY NOT NULL,
    org_id       TEXT NOT NULL REFERENCES organizations (id),
    household_id TEXT NOT NULL REFERENCES respond_households (id),
    campaign_id  TEXT REFERENCES respond_campaigns (id),
    amount_minor INTEGER NOT NULL CHECK (amount_minor > 0),
    currency     TEXT NOT NULL CHECK (length(currency) = 3),
    paid_on      TEXT NOT NULL,
    modality     TEXT NOT NULL CHECK (modality IN ('cash-in-hand', 'mobile-money', 'voucher', 'bank', 'hawala')),
    dedup_key    TEXT NOT NULL,
    created_by   TEXT REFERENCES users (id),
    created_at   TEXT NOT NULL
);
CREATE INDEX respond_cash_dedup_idx ON respond_cash_transfers (dedup_key, paid_on);

CREATE TABLE respond_volunteers (
    id           TEXT PRIMARY KEY NOT NULL,
    org_id       TEXT NOT NULL REFERENCES organizations (id),
    campaign_id  TEXT REFERENCES respond_campaigns (id),
    name_sealed  TEXT NOT NULL,
    pcode        TEXT NOT NULL,
    skills       TEXT NOT NULL,
    days_active  INTEGER NOT NULL CHECK (days_active >= 0),
    created_at   TEXT NOT NULL
);

CREATE TABLE respond_dialogues (
    id           TEXT PRIMARY KEY NOT NULL,
    org_id       TEXT NOT NULL REFERENCES organizations (id),
    campaign_id  TEXT REFERENCES respond_campaigns (id),
    held_on      TEXT NOT NULL,
    pcode        TEXT NOT NULL,
    facilitators_sealed TEXT NOT NULL,
    dignitaries  INTEGER NOT NULL CHECK (dignitaries >= 0),
    residents    INTEGER NOT NULL CHECK (residents >= 0),
    activists    INTEGER NOT NULL CHECK (activists >= 0),
    youth        INTEGER NOT NULL CHECK (youth >= 0),
    women        INTEGER NOT NULL CHECK (women >= 0),
    topics       TEXT NOT NULL,
    outcomes     TEXT NOT NULL,
    follow_ups   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);

-- The built-in item catalogue (networks add their own items beside these).
INSERT INTO respond_items (id, code, name_en, name_ar, unit_en, unit_ar, is_cash, created_at) VALUES
    ('00000000-0000-4000-8300-000000000001', 'food-basket', 'Food basket', 'سلة غذائية', 'basket', 'سلة', 0, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000002', 'bread', 'Bread', 'خبز', 'loaf', 'رغيف', 0, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000003', 'ready-meal', 'Ready meal', 'وجبة جاهزة', 'meal', 'وجبة', 0, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000004', 'hygiene-kit', 'Hygiene kit', 'حقيبة نظافة شخصية', 'kit', 'حقيبة', 0, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000005', 'diapers', 'Diapers', 'حفاضات أطفال', 'pack', 'عبوة', 0, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000006', 'towels', 'Towels', 'مناشف', 'towel', 'منشفة', 0, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000007', 'cleaning-kit', 'Cleaning materials', 'مواد تنظيف', 'kit', 'حقيبة', 0, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000008', 'water', 'Drinking water', 'مياه شرب', 'litre', 'ليتر', 0, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000009', 'blanket', 'Blankets', 'بطانيات', 'blanket', 'بطانية', 0, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000010', 'medical-kit', 'First-aid kit', 'حقيبة إسعافات أولية', 'kit', 'حقيبة', 0, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000011', 'cash', 'Cash assistance', 'مساعدة نقدية', 'family', 'أسرة', 1, '2025-01-01T00:00:00.000000Z');
