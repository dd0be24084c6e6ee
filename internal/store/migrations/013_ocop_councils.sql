-- OCOP councils as data (issue 16): a council (hội đồng đánh giá, phân hạng) belongs to a unit
-- and a period and has members, users with the ocop-council role. An evaluation is held by
-- one council; only its members enter scoresheets, and closing needs the quorum of the rules
-- in force. A certificate keeps the council's name and members as they were when certified.
CREATE TABLE ocop_councils (
    id         {{id}},
    unit_code  TEXT NOT NULL,
    name       TEXT NOT NULL,
    decision   TEXT NOT NULL DEFAULT '',
    valid_from TEXT NOT NULL,
    valid_to   TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX ocop_councils_unit ON ocop_councils (unit_code, valid_from);

CREATE TABLE ocop_council_members (
    council_id {{bigint}} NOT NULL REFERENCES ocop_councils (id) ON DELETE CASCADE,
    username   TEXT NOT NULL,
    name       TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (council_id, username)
);

ALTER TABLE ocop_evaluations ADD COLUMN council_id {{bigint}} REFERENCES ocop_councils (id);
ALTER TABLE ocop_certificates ADD COLUMN council TEXT NOT NULL DEFAULT '';
ALTER TABLE ocop_certificates ADD COLUMN council_members TEXT NOT NULL DEFAULT '';
