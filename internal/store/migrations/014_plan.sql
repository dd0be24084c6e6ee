-- The plan to the standard (issue 19): the unit costs an office enters to price the gap of
-- each indicator (đơn giá, for a unit, a year and a criteria set; money as whole thousands of
-- đồng, shown as triệu đồng with three decimals), and the named what-if scenarios it saves
-- (per unit and year, versioned: each save with If-Match is a new version of the same id;
-- the assumptions are the JSON the plan page and the API send).

CREATE TABLE plan_costs (
    unit_code  TEXT NOT NULL,
    year       INTEGER NOT NULL,
    set_id     TEXT NOT NULL,
    code       TEXT NOT NULL,
    per_unit   {{bigint}} NOT NULL,
    note       TEXT NOT NULL DEFAULT '',
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (unit_code, year, set_id, code)
);

CREATE TABLE plan_scenarios (
    id          {{id}},
    unit_code   TEXT NOT NULL,
    year        INTEGER NOT NULL,
    set_id      TEXT NOT NULL,
    name        TEXT NOT NULL,
    assumptions TEXT NOT NULL,
    projected   TEXT NOT NULL,
    version     INTEGER NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (unit_code, year, name)
);

CREATE TABLE plan_scenario_versions (
    scenario_id {{bigint}} NOT NULL REFERENCES plan_scenarios (id) ON DELETE CASCADE,
    version     INTEGER NOT NULL,
    assumptions TEXT NOT NULL,
    projected   TEXT NOT NULL,
    saved_by    TEXT NOT NULL,
    saved_at    TEXT NOT NULL,
    PRIMARY KEY (scenario_id, version)
);
