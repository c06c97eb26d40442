#!/usr/bin/env bash
# Runs once, when the database is first created: the role the portal works as. Its grants (read and add, but no UPDATE,
# DELETE or TRUNCATE on uploads and audit_events) are given by the portal itself after each start-up migration.
set -euo pipefail
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
    --set=password="$PORTAL_APP_PASSWORD" <<'SQL'
CREATE ROLE portal_app LOGIN PASSWORD :'password';
GRANT CONNECT ON DATABASE portal TO portal_app;
SQL
