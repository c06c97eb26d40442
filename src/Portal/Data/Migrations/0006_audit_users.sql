-- Everyone the trail names (uploaders and the actors of events), one row each, so that a partial, any-letter-case search
-- for a user ("mia", "@shop.example") scans these few rows rather than every upload or event; the ids it finds then
-- filter the indexed user_id and actor_id columns (Audit/AuditSearch.cs). A lookup derived from uploads and audit_events
-- and kept in step by the triggers below, in the transaction that records them; it is not part of the chain.
CREATE TABLE audit_users (
    user_id    TEXT PRIMARY KEY,                    -- OIDC 'sub' (uploads.user_id, audit_events.actor_id)
    user_name  TEXT NOT NULL,                       -- the latest name recorded
    user_email TEXT                                 -- the latest e-mail an upload recorded (events carry none)
);

-- The activity view (Audit/ActivitySearch.cs) filters events by actor and by time, newest first; the back-fill below
-- also finds each actor's newest event through the first index.
CREATE INDEX ix_audit_events_actor ON audit_events (actor_id, seq);
CREATE INDEX ix_audit_events_time ON audit_events (occurred_at);

-- Back-fill: each user's newest upload, then each actor's newest event for those who never uploaded. Both read only an
-- index to find those rows (a bare rowid beside MAX() comes from the row holding the maximum).
INSERT INTO audit_users (user_id, user_name, user_email)
SELECT user_id, user_name, user_email FROM uploads
WHERE rowid IN (SELECT rowid FROM (SELECT rowid, MAX(received_at) FROM uploads GROUP BY user_id));

INSERT INTO audit_users (user_id, user_name)
SELECT actor_id, actor_name FROM audit_events
WHERE seq IN (SELECT MAX(seq) FROM audit_events GROUP BY actor_id)
ON CONFLICT (user_id) DO NOTHING;

CREATE TRIGGER uploads_name_user AFTER INSERT ON uploads
BEGIN
    INSERT INTO audit_users (user_id, user_name, user_email) VALUES (NEW.user_id, NEW.user_name, NEW.user_email)
    ON CONFLICT (user_id) DO UPDATE SET user_name = excluded.user_name, user_email = COALESCE(excluded.user_email, user_email)
    WHERE user_name IS NOT excluded.user_name OR user_email IS NOT COALESCE(excluded.user_email, user_email);
END;

CREATE TRIGGER audit_events_name_actor AFTER INSERT ON audit_events
BEGIN
    INSERT INTO audit_users (user_id, user_name) VALUES (NEW.actor_id, NEW.actor_name)
    ON CONFLICT (user_id) DO UPDATE SET user_name = excluded.user_name WHERE user_name IS NOT excluded.user_name;
END;


-- Every column of the audit log sorts (Audit/AuditSearch.cs OrderBy, decision 0018); these serve the sorts no index served,
-- each with the time as the second key so that a page of equal values is in time order without sorting them.
-- A user search leads through this one: the few users' uploads in a date range, with the app and kind to check and the
-- id to join the state by, all read from the index (the combined filter's first page, decision 0018).
CREATE INDEX ix_uploads_user_facts ON uploads (user_id, received_at, tencent_app, package_kind, id);
CREATE INDEX ix_uploads_size ON uploads (file_size, received_at);
CREATE INDEX ix_uploads_rows ON uploads (row_count, received_at);
CREATE INDEX ix_uploads_user_name ON uploads (user_name COLLATE NOCASE, received_at);
