-- What replicas must share beyond the trail: Tencent's "slow down" for an app, and the data-protection key ring.

-- As SQLite's 0004_shared_state.sql.
CREATE TABLE tencent_pauses (
    app_key      text COLLATE "C" PRIMARY KEY,
    paused_until text COLLATE "C" NOT NULL
);

-- ASP.NET Core data-protection keys (Data/DatabaseKeyRepository.cs), encrypted with DataProtection:Certificate when it is
-- configured: a cookie one replica issued is read by every other.
CREATE TABLE data_protection_keys (
    friendly_name text COLLATE "C" PRIMARY KEY,
    xml           text COLLATE "C" NOT NULL,
    created_at    text COLLATE "C" NOT NULL
);
