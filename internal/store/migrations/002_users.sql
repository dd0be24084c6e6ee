-- Users, their sessions and API tokens, sign-in failures for rate limiting, and the audit log.
-- Session and API tokens are kept as SHA-256 hashes and passwords as argon2id hashes, so the
-- database holds no usable secret. Times are UTC text (2006-01-02T15:04:05.000000Z).
CREATE TABLE users (
    id            {{id}},
    username      TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL DEFAULT '',
    password_hash TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL,
    unit_code     TEXT NOT NULL DEFAULT '',
    created_at    TEXT NOT NULL,
    disabled      {{bool}} NOT NULL DEFAULT FALSE
);
CREATE INDEX users_unit ON users (unit_code);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id    {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    last_seen  TEXT NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- A token acts as its user. An empty expires_at never expires.
CREATE TABLE api_tokens (
    id         {{id}},
    token_hash TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL DEFAULT '',
    user_id    {{bigint}} NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL DEFAULT '',
    revoked    {{bool}} NOT NULL DEFAULT FALSE
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

-- Failed sign-ins, shared by every server process.
CREATE TABLE login_failures (
    username TEXT NOT NULL,
    ip       TEXT NOT NULL,
    at       TEXT NOT NULL
);
CREATE INDEX login_failures_username ON login_failures (username, at);
CREATE INDEX login_failures_ip ON login_failures (ip, at);

-- Who changed what, when: detail is JSON {"old": …, "new": …, "note": "…"}. unit_code names
-- the unit the change concerns as of unit_date (codes were reused across the 2025 reform).
CREATE TABLE audit_log (
    id        {{id}},
    at        TEXT NOT NULL,
    actor     TEXT NOT NULL,
    action    TEXT NOT NULL,
    entity    TEXT NOT NULL,
    entity_id TEXT NOT NULL DEFAULT '',
    unit_code TEXT NOT NULL DEFAULT '',
    unit_date TEXT NOT NULL DEFAULT '',
    detail    TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_entity ON audit_log (entity, entity_id);
CREATE INDEX audit_log_unit ON audit_log (unit_code, unit_date);
