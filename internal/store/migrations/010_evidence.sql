-- Evidence files (minh chứng) of an assessment (SPEC §1.3): scans and office files that back
-- its values, each for one indicator or criterion code, or '' for the whole assessment. The
-- content is kept in the database with its checksum, so a backup of the database holds them.
CREATE TABLE assessment_evidence (
    id            {{id}},
    assessment_id {{bigint}} NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    code          TEXT NOT NULL DEFAULT '',
    filename      TEXT NOT NULL,
    content_type  TEXT NOT NULL,
    size          {{bigint}} NOT NULL,
    sha256        TEXT NOT NULL,
    content       {{blob}} NOT NULL,
    uploaded_by   TEXT NOT NULL,
    uploaded_at   TEXT NOT NULL
);
CREATE INDEX assessment_evidence_assessment ON assessment_evidence (assessment_id, id);
