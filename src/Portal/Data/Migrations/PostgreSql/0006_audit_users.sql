-- Everyone the trail names, one row each, for partial user search: as SQLite's 0006_audit_users.sql, with PostgreSQL's
-- trigger functions.
CREATE TABLE audit_users (
    user_id    text COLLATE "C" PRIMARY KEY,
    user_name  text COLLATE "C" NOT NULL,
    user_email text COLLATE "C"
);

CREATE INDEX ix_audit_events_actor ON audit_events (actor_id, seq);
CREATE INDEX ix_audit_events_time ON audit_events (occurred_at);

-- Back-fill: each user's newest upload, then each actor's newest event for those who never uploaded.
INSERT INTO audit_users (user_id, user_name, user_email)
SELECT DISTINCT ON (user_id) user_id, user_name, user_email FROM uploads ORDER BY user_id, received_at DESC;

INSERT INTO audit_users (user_id, user_name)
SELECT actor_id, actor_name FROM audit_events
WHERE seq IN (SELECT MAX(seq) FROM audit_events GROUP BY actor_id)
ON CONFLICT (user_id) DO NOTHING;

CREATE FUNCTION name_upload_user() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_users (user_id, user_name, user_email) VALUES (NEW.user_id, NEW.user_name, NEW.user_email)
    ON CONFLICT (user_id) DO UPDATE SET user_name = excluded.user_name, user_email = COALESCE(excluded.user_email, audit_users.user_email)
    WHERE audit_users.user_name IS DISTINCT FROM excluded.user_name
       OR audit_users.user_email IS DISTINCT FROM COALESCE(excluded.user_email, audit_users.user_email);
    RETURN NULL;
END
$$;

CREATE FUNCTION name_event_actor() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO audit_users (user_id, user_name) VALUES (NEW.actor_id, NEW.actor_name)
    ON CONFLICT (user_id) DO UPDATE SET user_name = excluded.user_name
    WHERE audit_users.user_name IS DISTINCT FROM excluded.user_name;
    RETURN NULL;
END
$$;

CREATE TRIGGER uploads_name_user AFTER INSERT ON uploads FOR EACH ROW EXECUTE FUNCTION name_upload_user();
CREATE TRIGGER audit_events_name_actor AFTER INSERT ON audit_events FOR EACH ROW EXECUTE FUNCTION name_event_actor();

-- Every column of the audit log sorts (decision 0018); these serve the sorts no index served.
-- A user search leads through this one: the few users' uploads in a date range, with the app and kind to check and the
-- id to join the state by, all read from the index (the combined filter's first page, decision 0018).
CREATE INDEX ix_uploads_user_facts ON uploads (user_id, received_at, tencent_app, package_kind, id);
CREATE INDEX ix_uploads_size ON uploads (file_size, received_at);
CREATE INDEX ix_uploads_rows ON uploads (row_count, received_at);
CREATE INDEX ix_uploads_user_name ON uploads (lower(user_name), received_at);
-- The uploadId sort puts uploads without one last both ways: ix_upload_state_tencent serves ascending order, this one descending.
CREATE INDEX ix_upload_state_tencent_desc ON upload_state (tencent_upload_id DESC NULLS LAST);
