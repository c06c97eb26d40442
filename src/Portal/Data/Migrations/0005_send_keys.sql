-- Idempotency keys of API sends: the first request with a key queues the send and records here what it was answered;
-- the same caller's same key again gets that answer and never a second send. Written in the transaction that queues
-- the send, so two requests with one key cannot both queue it. Operational state, not part of the audit trail (the
-- send itself is its 'confirmed' or 'retried' event).
CREATE TABLE send_keys (
    actor_id        TEXT    NOT NULL,           -- who sent the key (a service account's or a person's subject)
    idempotency_key TEXT    NOT NULL,
    upload_id       TEXT    NOT NULL REFERENCES uploads (id),
    package         TEXT    NOT NULL,           -- 'original' or 'clean'
    attempt         INTEGER NOT NULL,
    queued_at       TEXT    NOT NULL,
    PRIMARY KEY (actor_id, idempotency_key)
);
