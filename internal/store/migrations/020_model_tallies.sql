-- Aggregate registers (issue 13.8). model_tallies: models entered as counts per unit, kind
-- and year ("28 new, 96 cumulative") beside the models entered one row each, with the total a
-- share is counted against (of: 0 takes the villages in the unit list). unit_indicators: a
-- unit's own socio-economic figures (income per person, poverty rate, …) for a district or a
-- province itself, each with the name every output prints and its measure.
CREATE TABLE model_tallies (
    id         {{id}},
    kind       TEXT NOT NULL,
    unit_code  TEXT NOT NULL,
    unit_from  TEXT NOT NULL,
    year       INTEGER NOT NULL,
    new_count  INTEGER NOT NULL,
    cumulative INTEGER NOT NULL,
    of_total   INTEGER NOT NULL DEFAULT 0,
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, unit_code, unit_from, year)
);
CREATE INDEX model_tallies_year ON model_tallies (year, unit_code);

CREATE TABLE unit_indicators (
    id         {{id}},
    unit_code  TEXT NOT NULL,
    unit_from  TEXT NOT NULL,
    year       INTEGER NOT NULL,
    code       TEXT NOT NULL,
    name       TEXT NOT NULL,
    measure    TEXT NOT NULL DEFAULT '',
    value      {{float}} NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (unit_code, unit_from, year, code)
);
CREATE INDEX unit_indicators_year ON unit_indicators (year, unit_code);
