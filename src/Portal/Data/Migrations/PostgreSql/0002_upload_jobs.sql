-- As SQLite's 0002_upload_jobs.sql: the validator's two new columns, the state table in its current form (there are no
-- events to rebuild it from on a new PostgreSQL database) and the send queue.

ALTER TABLE uploads ADD COLUMN header_row boolean;
ALTER TABLE uploads ADD COLUMN blank_row_count bigint;

CREATE TABLE upload_state (
    upload_id         text    COLLATE "C" PRIMARY KEY REFERENCES uploads (id),
    status            text    COLLATE "C" NOT NULL,
    received_at       text    COLLATE "C" NOT NULL,
    status_at         text    COLLATE "C" NOT NULL,
    last_seq          bigint  NOT NULL,
    attempts          integer NOT NULL,
    sent_variant      text    COLLATE "C",
    sent_sha256       text    COLLATE "C",
    sent_size         bigint,
    sent_accounts     bigint,
    tencent_upload_id bigint,
    ret_code          integer,
    http_status       integer,
    message           text    COLLATE "C",
    send_ms           bigint,
    may_have_arrived  boolean NOT NULL,
    staged_purged     boolean NOT NULL
);

CREATE INDEX ix_upload_state_status ON upload_state (status, received_at DESC);
CREATE INDEX ix_upload_state_tencent ON upload_state (tencent_upload_id);

-- The send queue: claimed with a lease that the sending replica renews (Uploads/SendJobs.cs).
CREATE TABLE send_jobs (
    upload_id         text    COLLATE "C" PRIMARY KEY REFERENCES uploads (id),
    attempt           integer NOT NULL,
    variant           text    COLLATE "C" NOT NULL,
    tencent_app       text    COLLATE "C" NOT NULL,
    queued_at         text    COLLATE "C" NOT NULL,
    queued_by_id      text    COLLATE "C" NOT NULL,
    queued_by_name    text    COLLATE "C" NOT NULL,
    state             text    COLLATE "C" NOT NULL,
    lease_owner       text    COLLATE "C",
    lease_until       text    COLLATE "C",
    started_at        text    COLLATE "C",
    bytes_sent        bigint  NOT NULL DEFAULT 0,
    bytes_total       bigint  NOT NULL,
    progress_at       text    COLLATE "C",
    cancel_by_id      text    COLLATE "C",
    cancel_by_name    text    COLLATE "C"
);

CREATE INDEX ix_send_jobs_queue ON send_jobs (state, queued_at);
