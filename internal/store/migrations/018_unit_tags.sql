-- Tags of units from a province's decisions (issue 17): the commune group of the 2026-2030
-- set (nhom-1/2/3) and the lists that change which thresholds apply (dac-biet-kho-khan,
-- an-toan-khu) or that reports count (bien-gioi), each with the decision's number and date and
-- the day it applies from. units.tags holds the tags in force, recomputed from these rows.
CREATE TABLE unit_tags (
    id              {{id}},
    unit_code       TEXT NOT NULL,
    unit_valid_from TEXT NOT NULL,
    tag             TEXT NOT NULL,
    decision        TEXT NOT NULL,
    decided         TEXT NOT NULL,
    valid_from      TEXT NOT NULL,
    source          TEXT NOT NULL,
    imported_by     TEXT NOT NULL,
    imported_at     TEXT NOT NULL,
    UNIQUE (unit_code, unit_valid_from, tag, valid_from)
);
CREATE INDEX unit_tags_unit ON unit_tags (unit_code, unit_valid_from);
