#!/usr/bin/env bash
# Two replicas of the portal on one PostgreSQL database, on this machine, with the development stack (each replica has
# its own development identity provider and Tencent simulator): http://127.0.0.1:5081 and http://127.0.0.1:5082. A user
# signed in on one is signed in on the other; an upload confirmed on either is sent by whichever replica claims it.
# Needs Debian's postgresql package (apt-get install postgresql). Ctrl+C stops both replicas and the database.
#
#   scripts/replicas.sh [folder]    the folder keeps the cluster, the chain key and the shared staging folder between runs
#                                   (default: $TMPDIR/portal-replicas); delete it to start afresh
set -euo pipefail
cd "$(dirname "$0")/.."

folder="${1:-${TMPDIR:-/tmp}/portal-replicas}"
port=55440
mkdir -p "$folder"
folder="$(cd "$folder" && pwd)"

admin="$(scripts/postgres.sh start "$folder/postgres" "$port")"
replicas=()
stop() {
    for pid in "${replicas[@]}"; do kill "$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    scripts/postgres.sh stop "$folder/postgres" || true
}
trap stop EXIT INT TERM

# The schema's owner migrates; the portal works as portal_app, which may add to the trail but not change it (README,
# "Several replicas on PostgreSQL"). The throw-away cluster trusts loopback connections, so no passwords here.
psql "$(echo "$admin" | sed 's/;/ /g; s/Host=/host=/; s/Port=/port=/; s/Username=/user=/; s/Database=/dbname=/')" -qAt <<'SQL'
SELECT 'CREATE ROLE portal_owner LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portal_owner') \gexec
SELECT 'CREATE ROLE portal_app LOGIN' WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'portal_app') \gexec
SELECT 'CREATE DATABASE portal OWNER portal_owner' WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'portal') \gexec
SQL

# Every replica links the chain with the same key; kept so that the trail still verifies on the next run.
if [[ ! -f "$folder/chain-key" ]]; then
    (umask 077 && openssl rand -base64 32 > "$folder/chain-key")
fi

dotnet build src/Portal --nologo -v quiet
for n in 1 2; do
    ASPNETCORE_ENVIRONMENT=Development \
    Storage__Provider=PostgreSql \
    ConnectionStrings__Portal="Host=127.0.0.1;Port=$port;Database=portal;Username=portal_app" \
    ConnectionStrings__PortalMigrations="Host=127.0.0.1;Port=$port;Database=portal;Username=portal_owner" \
    Storage__DataDirectory="$folder/replica-$n" \
    Storage__StagingDirectory="$folder/staging" \
    Audit__ChainKey="$(cat "$folder/chain-key")" \
        dotnet run --no-build --no-launch-profile --project src/Portal -- --urls "http://127.0.0.1:508$n" &
    replicas+=("$!")
done

echo "Replicas at http://127.0.0.1:5081 and http://127.0.0.1:5082 (Ctrl+C stops them and the database)."
wait
