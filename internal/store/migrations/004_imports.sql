-- Imports of values run by the server in the background (POST /api/v1/imports). done and
-- total count steps (each value is checked, then written) and are brought up to date every
-- second or so, with updated_at, so that another server process sharing the database can show
-- them and tell a running job from one whose process died. report is the JSON report: counts
-- of what the import changed (or would change, for a dry run) and the problems that stopped it.
CREATE TABLE import_jobs (
    id          {{id}},
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    filename    TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'queued',
    dry_run     {{bool}} NOT NULL DEFAULT FALSE,
    total       INTEGER NOT NULL DEFAULT 0,
    done        INTEGER NOT NULL DEFAULT 0,
    report      TEXT NOT NULL DEFAULT '',
    updated_at  TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX import_jobs_creator ON import_jobs (created_by, id);
