-- One row per received package. Written once when the file has been staged and validated; never changed.
CREATE TABLE uploads (
    id                 TEXT    PRIMARY KEY,          -- portal upload id (GUID, 32 hex digits)
    received_at        TEXT    NOT NULL,             -- UTC, ISO 8601 round-trip format
    user_id            TEXT    NOT NULL,             -- OIDC 'sub'
    user_name          TEXT    NOT NULL,
    user_email         TEXT,
    tencent_app        TEXT    NOT NULL,             -- configured app name
    file_name          TEXT    NOT NULL,
    file_size          INTEGER NOT NULL,
    sha256             TEXT    NOT NULL,             -- lower-case hex of the bytes received
    row_count          INTEGER NOT NULL,
    validation_outcome TEXT    NOT NULL CHECK (validation_outcome IN ('accepted', 'rejected')),
    validation_summary TEXT    NOT NULL
);

CREATE INDEX ix_uploads_received_at ON uploads (received_at DESC, id);
CREATE INDEX ix_uploads_user ON uploads (user_id, received_at DESC);

-- What happened to an upload after it was received, in order. The current state is the newest event.
CREATE TABLE upload_events (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    upload_id         TEXT    NOT NULL REFERENCES uploads (id),
    occurred_at       TEXT    NOT NULL,
    kind              TEXT    NOT NULL CHECK (kind IN ('accepted', 'rejected', 'sending', 'sent', 'failed')),
    actor_id          TEXT    NOT NULL,
    tencent_upload_id INTEGER,
    ret_code          INTEGER,
    http_status       INTEGER,
    message           TEXT
);

CREATE INDEX ix_upload_events_upload ON upload_events (upload_id, seq DESC);

-- The audit trail is append-only: nothing recorded may be changed or removed through the portal.
CREATE TRIGGER uploads_no_update BEFORE UPDATE ON uploads
BEGIN SELECT RAISE(ABORT, 'uploads is append-only'); END;
CREATE TRIGGER uploads_no_delete BEFORE DELETE ON uploads
BEGIN SELECT RAISE(ABORT, 'uploads is append-only'); END;
CREATE TRIGGER upload_events_no_update BEFORE UPDATE ON upload_events
BEGIN SELECT RAISE(ABORT, 'upload_events is append-only'); END;
CREATE TRIGGER upload_events_no_delete BEFORE DELETE ON upload_events
BEGIN SELECT RAISE(ABORT, 'upload_events is append-only'); END;
