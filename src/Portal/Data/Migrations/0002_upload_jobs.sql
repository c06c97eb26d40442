-- Sends become background jobs, and the upload's state is derived from its events by the application
-- (Uploads/UploadState.Apply): the state table is rebuilt from the events after this script.

-- Kept by the validator since this version; unknown (NULL) for older uploads, whose fingerprints do not cover them.
ALTER TABLE uploads ADD COLUMN header_row INTEGER;
ALTER TABLE uploads ADD COLUMN blank_row_count INTEGER;

DROP TABLE upload_state;
CREATE TABLE upload_state (
    upload_id         TEXT    PRIMARY KEY REFERENCES uploads (id),
    status            TEXT    NOT NULL,             -- received, validated, rejected, queued, sending, sent, failed, cancelled, interrupted
    received_at       TEXT    NOT NULL,
    status_at         TEXT    NOT NULL,             -- when the upload reached its status
    last_seq          INTEGER NOT NULL,
    attempts          INTEGER NOT NULL,
    sent_variant      TEXT,                         -- 'original' or 'clean'
    sent_sha256       TEXT,
    sent_size         INTEGER,
    sent_accounts     INTEGER,
    tencent_upload_id INTEGER,
    ret_code          INTEGER,
    http_status       INTEGER,
    message           TEXT,
    send_ms           INTEGER,
    may_have_arrived  INTEGER NOT NULL,             -- the last send ended without an answer after its bytes left
    staged_purged     INTEGER NOT NULL
);

CREATE INDEX ix_upload_state_status ON upload_state (status, received_at DESC);
CREATE INDEX ix_upload_state_tencent ON upload_state (tencent_upload_id);

-- The send queue: one row per upload whose send is queued or running, removed when the send ends (its outcome is an
-- event). Operational state, not part of the trail: a worker claims a row with a lease it renews while sending; a lease
-- that runs out means the worker is gone, and the send is recorded as interrupted.
CREATE TABLE send_jobs (
    upload_id         TEXT    PRIMARY KEY REFERENCES uploads (id),
    attempt           INTEGER NOT NULL,
    variant           TEXT    NOT NULL,
    tencent_app       TEXT    NOT NULL,
    queued_at         TEXT    NOT NULL,
    queued_by_id      TEXT    NOT NULL,
    queued_by_name    TEXT    NOT NULL,
    state             TEXT    NOT NULL,             -- 'queued' or 'running'
    lease_owner       TEXT,                         -- the worker sending it
    lease_until       TEXT,
    started_at        TEXT,
    bytes_sent        INTEGER NOT NULL DEFAULT 0,
    bytes_total       INTEGER NOT NULL,
    progress_at       TEXT,
    cancel_by_id      TEXT,                         -- who asked to cancel it while it ran
    cancel_by_name    TEXT
);

CREATE INDEX ix_send_jobs_queue ON send_jobs (state, queued_at);

-- then: rebuild-upload-state
