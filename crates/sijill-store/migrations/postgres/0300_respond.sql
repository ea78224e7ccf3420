-- Respond: relief operations of a partner network. Campaigns with their partners and
-- target areas, an item catalogue, distributions, pseudonymous households (name and
-- contact sealed by the application, a keyed hash for cross-partner duplicates), cash
-- transfers, volunteers and dialogue sessions. Dates are date columns; areas are
-- OCHA p-codes. No column for religion, sect, ethnicity or political opinion.

CREATE TABLE respond_items (
    id         uuid PRIMARY KEY,
    code       text NOT NULL,
    name_en    text NOT NULL,
    name_ar    text NOT NULL,
    unit_en    text NOT NULL,
    unit_ar    text NOT NULL,
    is_cash    boolean NOT NULL,
    created_at timestamptz NOT NULL,
    CONSTRAINT respond_items_code_key UNIQUE (code)
);

CREATE TABLE respond_campaigns (
    id         uuid PRIMARY KEY,
    name       text NOT NULL,
    name_ar    text,
    starts_on  date NOT NULL,
    ends_on    date NOT NULL CHECK (ends_on >= starts_on),
    lead_org   uuid NOT NULL REFERENCES organizations (id),
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL,
    CONSTRAINT respond_campaigns_name_key UNIQUE (name)
);

CREATE TABLE respond_campaign_partners (
    campaign_id uuid NOT NULL REFERENCES respond_campaigns (id) ON DELETE CASCADE,
    org_id      uuid NOT NULL REFERENCES organizations (id),
    PRIMARY KEY (campaign_id, org_id)
);

CREATE TABLE respond_campaign_areas (
    campaign_id uuid NOT NULL REFERENCES respond_campaigns (id) ON DELETE CASCADE,
    pcode       text NOT NULL,
    PRIMARY KEY (campaign_id, pcode)
);

CREATE TABLE respond_distributions (
    id             uuid PRIMARY KEY,
    campaign_id    uuid REFERENCES respond_campaigns (id),
    org_id         uuid NOT NULL REFERENCES organizations (id),
    distributed_on date NOT NULL,
    pcode          text NOT NULL,
    site           text,
    item_id        uuid NOT NULL REFERENCES respond_items (id),
    quantity       bigint NOT NULL CHECK (quantity > 0),
    households     bigint NOT NULL CHECK (households >= 0),
    individuals    bigint NOT NULL CHECK (individuals >= 0),
    import_key     text,
    created_by     uuid REFERENCES users (id),
    created_at     timestamptz NOT NULL
);
CREATE INDEX respond_distributions_day_idx ON respond_distributions (distributed_on);
CREATE INDEX respond_distributions_campaign_idx ON respond_distributions (campaign_id);
CREATE UNIQUE INDEX respond_distributions_import_key ON respond_distributions (org_id, import_key) WHERE import_key IS NOT NULL;

CREATE TABLE respond_households (
    id             uuid PRIMARY KEY,
    org_id         uuid NOT NULL REFERENCES organizations (id),
    pcode          text NOT NULL,
    size           bigint NOT NULL CHECK (size > 0),
    females        bigint NOT NULL CHECK (females >= 0),
    males          bigint NOT NULL CHECK (males >= 0),
    children       bigint NOT NULL CHECK (children >= 0),
    elderly        bigint NOT NULL CHECK (elderly >= 0),
    vulnerability  text NOT NULL,
    name_sealed    text NOT NULL,
    contact_sealed text,
    dedup_key      text NOT NULL,
    merged_into    uuid REFERENCES respond_households (id),
    import_key     text,
    created_by     uuid REFERENCES users (id),
    created_at     timestamptz NOT NULL,
    updated_at     timestamptz NOT NULL
);
CREATE INDEX respond_households_org_idx ON respond_households (org_id);
CREATE INDEX respond_households_dedup_idx ON respond_households (dedup_key);
CREATE UNIQUE INDEX respond_households_import_key ON respond_households (org_id, import_key) WHERE import_key IS NOT NULL;

CREATE TABLE respond_household_reviews (
    household_id uuid NOT NULL REFERENCES respond_households (id),
    other_org_id uuid NOT NULL REFERENCES organizations (id),
    decision     text NOT NULL CHECK (decision IN ('same', 'different')),
    decided_by   uuid REFERENCES users (id),
    decided_at   timestamptz NOT NULL,
    PRIMARY KEY (household_id, other_org_id)
);

CREATE TABLE respond_cash_transfers (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES organizations (id),
    household_id uuid NOT NULL REFERENCES respond_households (id),
    campaign_id  uuid REFERENCES respond_campaigns (id),
    amount_minor bigint NOT NULL CHECK (amount_minor > 0),
    currency     text NOT NULL CHECK (length(currency) = 3),
    paid_on      date NOT NULL,
    modality     text NOT NULL CHECK (modality IN ('cash-in-hand', 'mobile-money', 'voucher', 'bank', 'hawala')),
    dedup_key    text NOT NULL,
    created_by   uuid REFERENCES users (id),
    created_at   timestamptz NOT NULL
);
CREATE INDEX respond_cash_dedup_idx ON respond_cash_transfers (dedup_key, paid_on);

CREATE TABLE respond_volunteers (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES organizations (id),
    campaign_id  uuid REFERENCES respond_campaigns (id),
    name_sealed  text NOT NULL,
    pcode        text NOT NULL,
    skills       text NOT NULL,
    days_active  bigint NOT NULL CHECK (days_active >= 0),
    created_at   timestamptz NOT NULL
);

CREATE TABLE respond_dialogues (
    id           uuid PRIMARY KEY,
    org_id       uuid NOT NULL REFERENCES organizations (id),
    campaign_id  uuid REFERENCES respond_campaigns (id),
    held_on      date NOT NULL,
    pcode        text NOT NULL,
    facilitators_sealed text NOT NULL,
    dignitaries  bigint NOT NULL CHECK (dignitaries >= 0),
    residents    bigint NOT NULL CHECK (residents >= 0),
    activists    bigint NOT NULL CHECK (activists >= 0),
    youth        bigint NOT NULL CHECK (youth >= 0),
    women        bigint NOT NULL CHECK (women >= 0),
    topics       text NOT NULL,
    outcomes     text NOT NULL,
    follow_ups   text NOT NULL,
    created_at   timestamptz NOT NULL
);

-- The built-in item catalogue (networks add their own items beside these).
INSERT INTO respond_items (id, code, name_en, name_ar, unit_en, unit_ar, is_cash, created_at) VALUES
    ('00000000-0000-4000-8300-000000000001', 'food-basket', 'Food basket', 'سلة غذائية', 'basket', 'سلة', false, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000002', 'bread', 'Bread', 'خبز', 'loaf', 'رغيف', false, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000003', 'ready-meal', 'Ready meal', 'وجبة جاهزة', 'meal', 'وجبة', false, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000004', 'hygiene-kit', 'Hygiene kit', 'حقيبة نظافة شخصية', 'kit', 'حقيبة', false, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000005', 'diapers', 'Diapers', 'حفاضات أطفال', 'pack', 'عبوة', false, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000006', 'towels', 'Towels', 'مناشف', 'towel', 'منشفة', false, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000007', 'cleaning-kit', 'Cleaning materials', 'مواد تنظيف', 'kit', 'حقيبة', false, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000008', 'water', 'Drinking water', 'مياه شرب', 'litre', 'ليتر', false, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000009', 'blanket', 'Blankets', 'بطانيات', 'blanket', 'بطانية', false, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000010', 'medical-kit', 'First-aid kit', 'حقيبة إسعافات أولية', 'kit', 'حقيبة', false, '2025-01-01T00:00:00.000000Z'),
    ('00000000-0000-4000-8300-000000000011', 'cash', 'Cash assistance', 'مساعدة نقدية', 'family', 'أسرة', true, '2025-01-01T00:00:00.000000Z');
