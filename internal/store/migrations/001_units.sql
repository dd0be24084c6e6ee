-- Administrative units as effective-dated rows: (code, valid_from) identifies one unit,
-- because codes were reused across the 1 July 2025 reform.
CREATE TABLE units (
    code        TEXT NOT NULL,
    valid_from  TEXT NOT NULL,
    valid_to    TEXT NOT NULL,
    name        TEXT NOT NULL,
    full_name   TEXT NOT NULL,
    name_en     TEXT NOT NULL DEFAULT '',
    name_fold   TEXT NOT NULL,
    level       TEXT NOT NULL,
    type        TEXT NOT NULL,
    parent_code TEXT NOT NULL DEFAULT '',
    region      TEXT NOT NULL DEFAULT '',
    tags        TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (code, valid_from)
);
CREATE INDEX units_parent ON units (parent_code, valid_from);
CREATE INDEX units_level ON units (level, valid_from);

-- Which old units became which new ones (full or partial).
CREATE TABLE unit_lineage (
    old_code  TEXT NOT NULL,
    new_code  TEXT NOT NULL,
    kind      TEXT NOT NULL,
    effective TEXT NOT NULL,
    PRIMARY KEY (old_code, new_code, effective)
);
CREATE INDEX unit_lineage_new ON unit_lineage (new_code, effective);

-- Criteria sets imported by offices (provincial versions, completed annexes); the shipped
-- sets live in the binary. The source is the set's YAML.
CREATE TABLE criteria_sets (
    id          TEXT PRIMARY KEY,
    filename    TEXT NOT NULL,
    source      TEXT NOT NULL,
    imported_at TEXT NOT NULL
);
