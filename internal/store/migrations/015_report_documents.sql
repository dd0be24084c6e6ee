-- The report an office signs (issue 14): each office's profile (header and signature block,
-- as JSON the report package reads), its report drafts per unit, period and language with the
-- office's own paragraphs (JSON, versioned like assessments), and once issued the number, the
-- date, the frozen bulletin (JSON) and the files in every format, kept so that a download
-- gives the same bytes ever after.
CREATE TABLE report_profiles (
    unit_code  TEXT PRIMARY KEY, -- '' for the country
    profile    TEXT NOT NULL,
    version    INTEGER NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE report_drafts (
    id         {{id}},
    unit_code  TEXT NOT NULL,
    period     TEXT NOT NULL,
    lang       TEXT NOT NULL,
    set_id     TEXT NOT NULL DEFAULT '',
    paragraphs TEXT NOT NULL,
    version    INTEGER NOT NULL,
    status     TEXT NOT NULL, -- draft, issued
    number     INTEGER NOT NULL DEFAULT 0,
    issued_on  TEXT NOT NULL DEFAULT '',
    issued_by  TEXT NOT NULL DEFAULT '',
    snapshot   TEXT NOT NULL DEFAULT '',
    created_by TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (unit_code, period, lang)
);
CREATE TABLE report_files (
    draft_id {{bigint}} NOT NULL REFERENCES report_drafts (id) ON DELETE CASCADE,
    format   TEXT NOT NULL,
    content  {{blob}} NOT NULL,
    sha256   TEXT NOT NULL,
    PRIMARY KEY (draft_id, format)
);
