-- Recognition (xét, công nhận). A dossier (hồ sơ) is one unit (code + the valid_from of its
-- version, since codes were reused) applying for one tier, following the workflow of
-- data/workflows chosen when it was opened. step/step_id/step_started say where it stands;
-- status is preparing, in_review, returned, rejected or recognized. Dates are YYYY-MM-DD.
CREATE TABLE dossiers (
    id              {{id}},
    unit_code       TEXT NOT NULL,
    unit_from       TEXT NOT NULL,
    tier            TEXT NOT NULL,
    set_id          TEXT NOT NULL DEFAULT '',
    workflow_id     TEXT NOT NULL,
    opened          TEXT NOT NULL,
    step            INTEGER NOT NULL DEFAULT 0,
    step_id         TEXT NOT NULL,
    step_started    TEXT NOT NULL,
    status          TEXT NOT NULL DEFAULT 'preparing',
    closed          TEXT NOT NULL DEFAULT '',
    assessment_id   {{bigint}},
    posting_from    TEXT NOT NULL DEFAULT '',
    posting_to      TEXT NOT NULL DEFAULT '',
    posting_where   TEXT NOT NULL DEFAULT '',
    vote_members    INTEGER,
    vote_yes        INTEGER,
    vote_no         INTEGER,
    vote_abstain    INTEGER,
    vote_on         TEXT NOT NULL DEFAULT '',
    vote_note       TEXT NOT NULL DEFAULT '',
    recognition_id  {{bigint}},
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX dossiers_unit ON dossiers (unit_code, unit_from, tier);
CREATE INDEX dossiers_status ON dossiers (status, step_started);

-- Each passage through a step: when it started and ended, how, by whom and why.
CREATE TABLE dossier_steps (
    id          {{id}},
    dossier_id  {{bigint}} NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    step_id     TEXT NOT NULL,
    started     TEXT NOT NULL,
    ended       TEXT NOT NULL DEFAULT '',
    outcome     TEXT NOT NULL DEFAULT '',
    actor       TEXT NOT NULL DEFAULT '',
    comment     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX dossier_steps_dossier ON dossier_steps (dossier_id, id);

-- Uploaded files of the checklist, kept in the database with their size, type and SHA-256.
CREATE TABLE dossier_documents (
    id           {{id}},
    dossier_id   {{bigint}} NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    item         TEXT NOT NULL,
    step_id      TEXT NOT NULL,
    filename     TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         {{bigint}} NOT NULL,
    sha256       TEXT NOT NULL,
    content      {{blob}} NOT NULL,
    uploaded_by  TEXT NOT NULL,
    uploaded_at  TEXT NOT NULL
);
CREATE INDEX dossier_documents_dossier ON dossier_documents (dossier_id, item);

-- Comments: officers' notes on a step (kind note), comments received during the public
-- posting (kind public, author = who sent it, day = when it was received).
CREATE TABLE dossier_comments (
    id          {{id}},
    dossier_id  {{bigint}} NOT NULL REFERENCES dossiers (id) ON DELETE CASCADE,
    step_id     TEXT NOT NULL,
    kind        TEXT NOT NULL DEFAULT 'note',
    author      TEXT NOT NULL DEFAULT '',
    body        TEXT NOT NULL,
    day         TEXT NOT NULL,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX dossier_comments_dossier ON dossier_comments (dossier_id, id);

-- The registry: every recognition decision, from a dossier or imported from an office's
-- existing register. A unit is recognised for a tier on a day when a decision dated on or
-- before it has no revocation dated on or before it.
CREATE TABLE recognitions (
    id              {{id}},
    unit_code       TEXT NOT NULL,
    unit_from       TEXT NOT NULL,
    tier            TEXT NOT NULL,
    set_id          TEXT NOT NULL DEFAULT '',
    decision_number TEXT NOT NULL,
    decision_date   TEXT NOT NULL,
    signer          TEXT NOT NULL DEFAULT '',
    dossier_id      {{bigint}},
    source          TEXT NOT NULL DEFAULT 'dossier',
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    UNIQUE (unit_code, unit_from, tier, decision_number)
);
CREATE INDEX recognitions_tier ON recognitions (tier, decision_date);

-- Revocation decisions (thu hồi quyết định công nhận): at most one per recognition.
CREATE TABLE recognition_revocations (
    recognition_id  {{bigint}} PRIMARY KEY REFERENCES recognitions (id) ON DELETE CASCADE,
    decision_number TEXT NOT NULL,
    decision_date   TEXT NOT NULL,
    signer          TEXT NOT NULL DEFAULT '',
    reason          TEXT NOT NULL DEFAULT '',
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL
);
