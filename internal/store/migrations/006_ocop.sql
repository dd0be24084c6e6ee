-- OCOP (Mỗi xã một sản phẩm): producers, their products, evaluations by councils with the
-- members' scoresheets, certificates. Units are a code plus the valid_from of its version,
-- as for assessments, since codes were reused across the 2025 reform.
CREATE TABLE ocop_producers (
    id              {{id}},
    name            TEXT NOT NULL,
    name_fold       TEXT NOT NULL,
    kind            TEXT NOT NULL,
    registration_no TEXT NOT NULL DEFAULT '',
    address         TEXT NOT NULL DEFAULT '',
    unit_code       TEXT NOT NULL,
    unit_from       TEXT NOT NULL,
    version         INTEGER NOT NULL DEFAULT 1,
    created_by      TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX ocop_producers_unit ON ocop_producers (unit_code, unit_from);
CREATE INDEX ocop_producers_regno ON ocop_producers (registration_no);

CREATE TABLE ocop_products (
    id          {{id}},
    producer_id {{bigint}} NOT NULL REFERENCES ocop_producers (id),
    name        TEXT NOT NULL,
    name_fold   TEXT NOT NULL,
    unit_code   TEXT NOT NULL,
    unit_from   TEXT NOT NULL,
    product_set TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
CREATE INDEX ocop_products_unit ON ocop_products (unit_code, unit_from);
CREATE INDEX ocop_products_producer ON ocop_products (producer_id);

CREATE TABLE ocop_photos (
    id           {{id}},
    product_id   {{bigint}} NOT NULL REFERENCES ocop_products (id) ON DELETE CASCADE,
    name         TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    data         {{blob}} NOT NULL,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX ocop_photos_product ON ocop_photos (product_id);

-- An evaluation: the council's level and date, the rule version, the mandatory conditions it
-- confirmed (ids separated by commas), and, once closed, the outcome (total, stars and the
-- explanation as JSON).
CREATE TABLE ocop_evaluations (
    id          {{id}},
    product_id  {{bigint}} NOT NULL REFERENCES ocop_products (id),
    unit_code   TEXT NOT NULL,
    unit_from   TEXT NOT NULL,
    product_set TEXT NOT NULL,
    level       TEXT NOT NULL,
    council     TEXT NOT NULL DEFAULT '',
    eval_date   TEXT NOT NULL,
    rules       TEXT NOT NULL,
    conditions  TEXT NOT NULL DEFAULT '',
    status      TEXT NOT NULL DEFAULT 'open',
    total       {{float}},
    stars       INTEGER,
    certifiable {{bool}},
    outcome     TEXT NOT NULL DEFAULT '',
    version     INTEGER NOT NULL DEFAULT 1,
    created_by  TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    closed_by   TEXT NOT NULL DEFAULT '',
    closed_at   TEXT NOT NULL DEFAULT ''
);
CREATE INDEX ocop_evaluations_product ON ocop_evaluations (product_id, eval_date);

-- A council member's scoresheet: the points of parts A, B, C.
CREATE TABLE ocop_scoresheets (
    evaluation_id {{bigint}} NOT NULL REFERENCES ocop_evaluations (id) ON DELETE CASCADE,
    member        TEXT NOT NULL,
    member_name   TEXT NOT NULL DEFAULT '',
    part_a        {{float}} NOT NULL,
    part_b        {{float}} NOT NULL,
    part_c        {{float}} NOT NULL,
    total         {{float}} NOT NULL,
    note          TEXT NOT NULL DEFAULT '',
    entered_by    TEXT NOT NULL,
    entered_at    TEXT NOT NULL,
    PRIMARY KEY (evaluation_id, member)
);

-- A certificate (giấy chứng nhận): the decision, its date and last valid day; revocation and
-- replacement by a later certificate of the product are dates, so its status on any day is a
-- function of them.
CREATE TABLE ocop_certificates (
    id            {{id}},
    product_id    {{bigint}} NOT NULL REFERENCES ocop_products (id),
    evaluation_id {{bigint}} REFERENCES ocop_evaluations (id),
    unit_code     TEXT NOT NULL,
    unit_from     TEXT NOT NULL,
    stars         INTEGER NOT NULL,
    decision      TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    valid_to      TEXT NOT NULL,
    issuer        TEXT NOT NULL DEFAULT '',
    level         TEXT NOT NULL DEFAULT '',
    revoked_on    TEXT NOT NULL DEFAULT '',
    revoke_reason TEXT NOT NULL DEFAULT '',
    replaced_on   TEXT NOT NULL DEFAULT '',
    replaced_by   {{bigint}},
    imported      {{bool}} NOT NULL,
    created_by    TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (product_id, decision)
);
CREATE INDEX ocop_certificates_product ON ocop_certificates (product_id, decision_date);
CREATE INDEX ocop_certificates_valid_to ON ocop_certificates (valid_to);
