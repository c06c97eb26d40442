-- The audit trail on PostgreSQL: the same tables and columns as SQLite's 0001_initial.sql, with PostgreSQL's types. Ids,
-- times and hashes stay text in the same formats (so a row's fingerprint and an event's chain link are computed from
-- exactly the same values on either store); every text column compares byte-wise (COLLATE "C"), as SQLite's do, so
-- ISO 8601 times sort in time order and key ranges mean the same on both, whatever the database's own collation.

-- One row per received package: the facts known once it was staged and validated. Written once, never changed.
CREATE TABLE uploads (
    id                  text    COLLATE "C" PRIMARY KEY,
    received_at         text    COLLATE "C" NOT NULL,
    user_id             text    COLLATE "C" NOT NULL,
    user_name           text    COLLATE "C" NOT NULL,
    user_email          text    COLLATE "C",
    user_issuer         text    COLLATE "C" NOT NULL,
    client_ip           text    COLLATE "C",
    user_agent          text    COLLATE "C",
    tencent_app         text    COLLATE "C" NOT NULL,
    tencent_region      text    COLLATE "C" NOT NULL,
    package_kind        text    COLLATE "C" NOT NULL,
    file_name           text    COLLATE "C" NOT NULL,
    file_size           bigint  NOT NULL,
    sha256              text    COLLATE "C" NOT NULL,
    row_count           bigint  NOT NULL,
    valid_count         bigint  NOT NULL,
    invalid_count       bigint  NOT NULL,
    duplicate_count     bigint  NOT NULL,
    original_sendable   boolean NOT NULL,
    clean_file_name     text    COLLATE "C",
    clean_size          bigint,
    clean_sha256        text    COLLATE "C",
    clean_account_count bigint,
    validation_summary  text    COLLATE "C" NOT NULL,
    validation_ms       bigint  NOT NULL
);

CREATE INDEX ix_uploads_received ON uploads (received_at DESC);
CREATE INDEX ix_uploads_user ON uploads (user_id, received_at DESC);
-- SQLite's NOCASE comparisons are lower() here, on both sides (Audit/AuditSearch.cs).
CREATE INDEX ix_uploads_email ON uploads (lower(user_email), received_at DESC);
CREATE INDEX ix_uploads_app ON uploads (tencent_app, received_at DESC);
CREATE INDEX ix_uploads_kind ON uploads (package_kind, received_at DESC);
CREATE INDEX ix_uploads_file_name ON uploads (lower(file_name));
CREATE INDEX ix_uploads_sha256 ON uploads (sha256);
CREATE INDEX ix_uploads_clean_sha256 ON uploads (clean_sha256);

-- Everything that happens, in order: upload steps, downloads, exports, verifications, sign-ins.
CREATE TABLE audit_events (
    seq         bigint  PRIMARY KEY,
    occurred_at text    COLLATE "C" NOT NULL,
    kind        text    COLLATE "C" NOT NULL,
    actor_id    text    COLLATE "C" NOT NULL,
    actor_name  text    COLLATE "C" NOT NULL,
    upload_id   text    COLLATE "C" REFERENCES uploads (id),
    data        text    COLLATE "C" NOT NULL,       -- canonical JSON of the event's details
    chain       text    COLLATE "C" NOT NULL        -- hex HMAC-SHA256(key, previous chain || this event)
);

CREATE INDEX ix_audit_events_upload ON audit_events (upload_id, seq);
CREATE INDEX ix_audit_events_day ON audit_events (kind, occurred_at);

-- The newest event's number and link, in one row. Every write transaction locks this row first
-- (Data/PortalDatabase.cs), so appends from all replicas are serialised and the chain never forks; it also keeps the
-- highest number ever issued, so removing the newest events is noticed (SQLite's sqlite_sequence does this there).
CREATE TABLE audit_chain_head (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    seq      bigint  NOT NULL,
    chain    text    COLLATE "C" NOT NULL
);

INSERT INTO audit_chain_head (seq, chain) VALUES (0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE FUNCTION refuse_change_to_trail() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;

CREATE TRIGGER uploads_no_update BEFORE UPDATE ON uploads FOR EACH ROW EXECUTE FUNCTION refuse_change_to_trail();
CREATE TRIGGER uploads_no_delete BEFORE DELETE ON uploads FOR EACH ROW EXECUTE FUNCTION refuse_change_to_trail();
CREATE TRIGGER uploads_no_truncate BEFORE TRUNCATE ON uploads FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_to_trail();
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_change_to_trail();
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events FOR EACH ROW EXECUTE FUNCTION refuse_change_to_trail();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_to_trail();

CREATE FUNCTION chain_head_only_advances() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION 'audit_chain_head only moves forward' USING ERRCODE = 'restrict_violation';
    END IF;
    IF NEW.seq <= OLD.seq THEN
        RAISE EXCEPTION 'audit_chain_head only moves forward' USING ERRCODE = 'restrict_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_chain_head_advances BEFORE UPDATE OR DELETE ON audit_chain_head FOR EACH ROW EXECUTE FUNCTION chain_head_only_advances();
CREATE TRIGGER audit_chain_head_no_truncate BEFORE TRUNCATE ON audit_chain_head FOR EACH STATEMENT EXECUTE FUNCTION refuse_change_to_trail();
