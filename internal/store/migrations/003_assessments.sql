-- An assessment: one unit (code + the valid_from of its version, since codes were reused)
-- against one criteria set for one period. The eval_* columns keep the engine's summary,
-- refreshed in the same transaction as every change of values, so progress reads them
-- without re-evaluating.
CREATE TABLE assessments (
    id            {{id}},
    unit_code     TEXT NOT NULL,
    unit_from     TEXT NOT NULL,
    set_id        TEXT NOT NULL,
    period        TEXT NOT NULL,
    period_start  TEXT NOT NULL,
    period_end    TEXT NOT NULL,
    status        TEXT NOT NULL DEFAULT 'draft',
    version       INTEGER NOT NULL DEFAULT 1,
    comment       TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    eval_at                TEXT,
    eval_met               {{bool}},
    eval_criteria_met      INTEGER,
    eval_criteria_total    INTEGER,
    eval_indicators_met    INTEGER,
    eval_indicators_total  INTEGER,
    eval_criteria          TEXT NOT NULL DEFAULT '',
    UNIQUE (unit_code, unit_from, set_id, period)
);
CREATE INDEX assessments_set_end ON assessments (set_id, period_end);
CREATE INDEX assessments_unit ON assessments (unit_code, set_id, period_end);

-- The values of an assessment: an indicator code, a data element used by a formula, or a
-- criterion's direct result (TC17), as the text entered (normalised: dot decimals, true/false).
CREATE TABLE assessment_values (
    assessment_id {{bigint}} NOT NULL REFERENCES assessments (id) ON DELETE CASCADE,
    code          TEXT NOT NULL,
    value         TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    entered_by    TEXT NOT NULL,
    entered_at    TEXT NOT NULL,
    PRIMARY KEY (assessment_id, code)
);
