-- The audit trail. uploads and audit_events are append-only (triggers below) and every event is chained with an
-- HMAC (see Audit/AuditChain.cs), so a changed, removed or inserted row is found by "Verify integrity".

-- One row per received package: the facts known once it was staged and validated. Written once, never changed.
CREATE TABLE uploads (
    id                  TEXT    PRIMARY KEY,        -- portal upload id: 32 lower-case hex digits
    received_at         TEXT    NOT NULL,           -- UTC, ISO 8601 round-trip format (sorts in time order)
    user_id             TEXT    NOT NULL,           -- OIDC 'sub'
    user_name           TEXT    NOT NULL,
    user_email          TEXT,
    user_issuer         TEXT    NOT NULL,           -- OIDC 'iss'
    client_ip           TEXT,
    user_agent          TEXT,
    tencent_app         TEXT    NOT NULL,
    tencent_region      TEXT    NOT NULL,
    package_kind        TEXT    NOT NULL,
    file_name           TEXT    NOT NULL,
    file_size           INTEGER NOT NULL,
    sha256              TEXT    NOT NULL,           -- of the bytes received
    row_count           INTEGER NOT NULL,
    valid_count         INTEGER NOT NULL,
    invalid_count       INTEGER NOT NULL,
    duplicate_count     INTEGER NOT NULL,
    original_sendable   INTEGER NOT NULL,           -- 1 when Tencent would accept the original as it is
    clean_file_name     TEXT,                       -- the clean package the validator wrote, if any
    clean_size          INTEGER,
    clean_sha256        TEXT,
    clean_account_count INTEGER,
    validation_summary  TEXT    NOT NULL,
    validation_ms       INTEGER NOT NULL
);

CREATE INDEX ix_uploads_received ON uploads (received_at DESC);
CREATE INDEX ix_uploads_user ON uploads (user_id, received_at DESC);
CREATE INDEX ix_uploads_email ON uploads (user_email COLLATE NOCASE, received_at DESC);
CREATE INDEX ix_uploads_app ON uploads (tencent_app, received_at DESC);
CREATE INDEX ix_uploads_kind ON uploads (package_kind, received_at DESC);
CREATE INDEX ix_uploads_file_name ON uploads (file_name COLLATE NOCASE);
CREATE INDEX ix_uploads_sha256 ON uploads (sha256);
CREATE INDEX ix_uploads_clean_sha256 ON uploads (clean_sha256);

-- Everything that happens, in order: upload steps, downloads, exports, verifications, sign-ins.
CREATE TABLE audit_events (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    occurred_at TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    actor_id    TEXT    NOT NULL,
    actor_name  TEXT    NOT NULL,
    upload_id   TEXT    REFERENCES uploads (id),
    data        TEXT    NOT NULL,                   -- canonical JSON of the event's details
    chain       TEXT    NOT NULL                    -- hex HMAC-SHA256(key, previous chain || this event)
);

CREATE INDEX ix_audit_events_upload ON audit_events (upload_id, seq);
CREATE INDEX ix_audit_events_day ON audit_events (kind, occurred_at);

-- The current state of each upload, derived from its events when they are appended (a read model for fast
-- filtering; "Verify integrity" checks it against the events, and it can be rebuilt from them).
CREATE TABLE upload_state (
    upload_id         TEXT    PRIMARY KEY REFERENCES uploads (id),
    received_at       TEXT    NOT NULL,
    status            TEXT    NOT NULL,
    last_seq          INTEGER NOT NULL,
    attempts          INTEGER NOT NULL DEFAULT 0,
    sent_variant      TEXT,                         -- 'original' or 'clean'
    sent_sha256       TEXT,
    sent_size         INTEGER,
    sent_accounts     INTEGER,
    tencent_upload_id INTEGER,
    ret_code          INTEGER,
    http_status       INTEGER,
    message           TEXT,
    send_ms           INTEGER,
    staged_purged     INTEGER NOT NULL DEFAULT 0
);

CREATE INDEX ix_upload_state_status ON upload_state (status, received_at DESC);
CREATE INDEX ix_upload_state_tencent ON upload_state (tencent_upload_id);

CREATE TRIGGER uploads_no_update BEFORE UPDATE ON uploads
BEGIN SELECT RAISE(ABORT, 'uploads is append-only'); END;
CREATE TRIGGER uploads_no_delete BEFORE DELETE ON uploads
BEGIN SELECT RAISE(ABORT, 'uploads is append-only'); END;
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
