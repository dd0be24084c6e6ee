-- SQLite only (PostgreSQL keeps its table: there the primary key is the one index either way).
-- The values of an assessment as a WITHOUT ROWID table: one B-tree ordered by (assessment_id,
-- code) instead of a rowid table plus the index of its primary key, so an import writes each
-- value once, not twice (issue 12: a million values in seconds).
CREATE TABLE assessment_values_new (
    assessment_id INTEGER NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    code          TEXT NOT NULL,
    value         TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    entered_by    TEXT NOT NULL,
    entered_at    TEXT NOT NULL,
    PRIMARY KEY (assessment_id, code)
) WITHOUT ROWID;
INSERT INTO assessment_values_new (assessment_id, code, value, note, entered_by, entered_at)
    SELECT assessment_id, code, value, note, entered_by, entered_at FROM assessment_values;
DROP TABLE assessment_values;
ALTER TABLE assessment_values_new RENAME TO assessment_values;
