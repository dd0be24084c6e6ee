-- The resources register (SPEC §1.8): funding mobilised by source, works with their planned
-- budget and disbursements, models, steering meetings and the tasks their conclusions assign.
-- Money is kept exactly as whole thousands of đồng (shown as triệu đồng with three decimals),
-- quantities as thousandths of their measure ({{bigint}}). A row names its unit by code and by
-- the day that version of the unit began (unit_from): codes were reused in the 2025 reform.
-- name_fold is a name without diacritics or case, so that one work or model is not entered
-- twice under two spellings.

CREATE TABLE funding (
    id             {{id}},
    unit_code      TEXT NOT NULL,
    unit_from      TEXT NOT NULL,
    year           INTEGER NOT NULL,
    reported_total {{bigint}},
    note           TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (unit_code, unit_from, year)
);
CREATE INDEX funding_year ON funding (year, unit_code);

CREATE TABLE funding_parts (
    funding_id {{bigint}} NOT NULL REFERENCES funding (id) ON DELETE CASCADE,
    source     TEXT NOT NULL,
    amount     {{bigint}} NOT NULL,
    PRIMARY KEY (funding_id, source)
);

CREATE TABLE works (
    id            {{id}},
    unit_code     TEXT NOT NULL,
    unit_from     TEXT NOT NULL,
    year          INTEGER NOT NULL,
    kind          TEXT NOT NULL,
    name          TEXT NOT NULL,
    name_fold     TEXT NOT NULL,
    criterion_set TEXT NOT NULL DEFAULT '',
    criterion     INTEGER NOT NULL DEFAULT 0,
    quantity      {{bigint}} NOT NULL DEFAULT 0,
    measure       TEXT NOT NULL,
    status        TEXT NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (unit_code, unit_from, year, kind, name_fold)
);
CREATE INDEX works_year ON works (year, unit_code);

CREATE TABLE work_budget (
    work_id {{bigint}} NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    source  TEXT NOT NULL,
    amount  {{bigint}} NOT NULL,
    PRIMARY KEY (work_id, source)
);

CREATE TABLE work_disbursements (
    id         {{id}},
    work_id    {{bigint}} NOT NULL REFERENCES works (id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    amount     {{bigint}} NOT NULL,
    source     TEXT NOT NULL DEFAULT '',
    note       TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX work_disbursements_work ON work_disbursements (work_id, day);

CREATE TABLE models (
    id            {{id}},
    kind          TEXT NOT NULL,
    unit_code     TEXT NOT NULL,
    unit_from     TEXT NOT NULL,
    village       TEXT NOT NULL DEFAULT '',
    name          TEXT NOT NULL,
    name_fold     TEXT NOT NULL,
    year          INTEGER NOT NULL,
    decision      TEXT NOT NULL DEFAULT '',
    decision_date TEXT NOT NULL DEFAULT '',
    revoked_year  INTEGER NOT NULL DEFAULT 0,
    note          TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    UNIQUE (kind, unit_code, unit_from, name_fold)
);
CREATE INDEX models_year ON models (year, unit_code);

-- Meetings of a unit's steering committee (Ban Chỉ đạo) and the tasks assigned from them
-- (or on their own). A task's owner is a department named in words, or a unit by code and
-- version (owner_from).
CREATE TABLE steering_meetings (
    id          {{id}},
    unit_code   TEXT NOT NULL,
    unit_from   TEXT NOT NULL,
    day         TEXT NOT NULL,
    chair       TEXT NOT NULL,
    conclusions TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX steering_meetings_unit ON steering_meetings (unit_code, day);

CREATE TABLE steering_tasks (
    id            {{id}},
    meeting_id    {{bigint}} REFERENCES steering_meetings (id),
    unit_code     TEXT NOT NULL,
    unit_from     TEXT NOT NULL,
    title         TEXT NOT NULL,
    owner_kind    TEXT NOT NULL,
    owner         TEXT NOT NULL,
    owner_from    TEXT NOT NULL DEFAULT '',
    criterion_set TEXT NOT NULL DEFAULT '',
    criterion     INTEGER NOT NULL DEFAULT 0,
    linked_unit   TEXT NOT NULL DEFAULT '',
    assigned      TEXT NOT NULL,
    due           TEXT NOT NULL,
    status        TEXT NOT NULL,
    done_on       TEXT NOT NULL DEFAULT '',
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE INDEX steering_tasks_due ON steering_tasks (due, status);
CREATE INDEX steering_tasks_meeting ON steering_tasks (meeting_id);

CREATE TABLE task_notes (
    id         {{id}},
    task_id    {{bigint}} NOT NULL REFERENCES steering_tasks (id) ON DELETE CASCADE,
    day        TEXT NOT NULL,
    note       TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX task_notes_task ON task_notes (task_id, id);
