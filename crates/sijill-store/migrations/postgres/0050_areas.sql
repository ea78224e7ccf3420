-- Reference areas imported from an OCHA COD-AB table (or another gazetteer), added to
-- the areas compiled into sijill. Aliases are kept as a JSON array of strings.

CREATE TABLE areas (
    pcode      TEXT PRIMARY KEY NOT NULL,
    level      SMALLINT NOT NULL CHECK (level BETWEEN 0 AND 4),
    parent     TEXT,
    name_en    TEXT NOT NULL,
    name_ar    TEXT NOT NULL,
    aliases    TEXT NOT NULL DEFAULT '[]',
    scheme     TEXT NOT NULL CHECK (scheme IN ('ocha', 'iso3166', 'local')),
    source     TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX areas_parent_idx ON areas (parent);
