-- Tencent's "request too fast" for an app (retCode 1008028 or HTTP 429), until when the portal must not send to it: kept
-- here so that every portal on this database waits, not only the one that was told. Operational state, not part of the
-- trail. The key is the app's endpoint and AccessID, as Tencent limits them (Tencent/TencentRateLimitGate.cs).
CREATE TABLE tencent_pauses (
    app_key      TEXT PRIMARY KEY,
    paused_until TEXT NOT NULL
);
