-- As SQLite's 0003_sessions.sql: sign-in sessions on the server, shared by every replica.
CREATE TABLE sessions (
    id            text  COLLATE "C" PRIMARY KEY,
    user_id       text  COLLATE "C" NOT NULL,
    user_name     text  COLLATE "C" NOT NULL,
    client_ip     text  COLLATE "C",
    user_agent    text  COLLATE "C",
    started_at    text  COLLATE "C" NOT NULL,
    last_seen_at  text  COLLATE "C" NOT NULL,
    expires_at    text  COLLATE "C" NOT NULL,
    ended_at      text  COLLATE "C",
    ended_by      text  COLLATE "C",
    ticket        bytea NOT NULL
);

CREATE INDEX ix_sessions_active ON sessions (ended_at, expires_at);
