-- Plan targets (chỉ tiêu kế hoạch): a unit, a year, a metric and the value to reach. The
-- metric names a progress figure (units_met, criteria_met_avg, indicator:17.1 …) over a
-- criteria set, or a figure of another register (OCOP, funding, models) with an empty set.
CREATE TABLE targets (
    id         {{id}},
    unit_code  TEXT NOT NULL,
    unit_from  TEXT NOT NULL,
    year       INTEGER NOT NULL,
    metric     TEXT NOT NULL,
    set_id     TEXT NOT NULL DEFAULT '',
    value      {{float}} NOT NULL,
    direction  TEXT NOT NULL DEFAULT 'at_least',
    baseline   {{float}} NOT NULL DEFAULT 0,
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (unit_code, unit_from, year, metric, set_id)
);
CREATE INDEX targets_year ON targets (year, unit_code);
