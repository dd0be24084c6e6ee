-- A counter per kind of data that figures are computed from, bumped in the transaction that
-- changes it, so that every server process can tell in one cheap read whether a cached
-- figure is still good.
CREATE TABLE data_versions (
    name    TEXT PRIMARY KEY,
    version {{bigint}} NOT NULL DEFAULT 0
);
INSERT INTO data_versions (name, version) VALUES ('assessments', 0), ('units', 0), ('recognitions', 0), ('registers', 0);
