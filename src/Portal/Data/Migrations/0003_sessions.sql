-- Sign-in sessions kept on the server: the cookie holds only a random key, whose SHA-256 is the row's id, so the
-- database alone cannot be used to take over a session. Ending a session (sign-out, an auditor, its absolute lifetime)
-- works at once and survives restarts. Operational state, not part of the audit trail (sign-ins and sign-outs are events).
CREATE TABLE sessions (
    id            TEXT PRIMARY KEY,             -- hex SHA-256 of the key in the cookie
    user_id       TEXT NOT NULL,
    user_name     TEXT NOT NULL,
    client_ip     TEXT,
    user_agent    TEXT,
    started_at    TEXT NOT NULL,
    last_seen_at  TEXT NOT NULL,
    expires_at    TEXT NOT NULL,                -- the absolute end, whatever the activity
    ended_at      TEXT,
    ended_by      TEXT,                         -- 'sign-out', 'expired', or the auditor who ended it
    ticket        BLOB NOT NULL                 -- the authentication ticket (claims, tokens), encrypted with Data Protection
);

CREATE INDEX ix_sessions_active ON sessions (ended_at, expires_at);
