-- As SQLite's 0005_send_keys.sql: idempotency keys of API sends, written in the transaction that queues the send.
CREATE TABLE send_keys (
    actor_id        text COLLATE "C" NOT NULL,
    idempotency_key text COLLATE "C" NOT NULL,
    upload_id       text COLLATE "C" NOT NULL REFERENCES uploads (id),
    package         text COLLATE "C" NOT NULL,
    attempt         integer NOT NULL,
    queued_at       text COLLATE "C" NOT NULL,
    PRIMARY KEY (actor_id, idempotency_key)
);
