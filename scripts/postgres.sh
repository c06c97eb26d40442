#!/usr/bin/env bash
# A throw-away PostgreSQL cluster in a folder of its own, for the tests and the two-replica demo: Debian's postgresql
# package, run as an unprivileged user (the server refuses root), listening on 127.0.0.1 only, tuned for speed rather than
# durability (fsync off). Never a server that happens to be running.
#
#   scripts/postgres.sh start <folder> [port]   creates the cluster if the folder has none, starts it, and prints the
#                                               superuser's connection string (PORTAL_TEST_POSTGRES for the tests)
#   scripts/postgres.sh stop <folder>           stops it (delete the folder to forget it)
set -euo pipefail

command="${1:-}" folder="${2:-}" port="${3:-55432}"
if [[ -z "$command" || -z "$folder" ]]; then
    echo "usage: $0 start <folder> [port] | stop <folder>" >&2
    exit 2
fi

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [[ -z "$bin" ]]; then
    echo "PostgreSQL is not installed: apt-get install postgresql" >&2
    exit 1
fi

# The server will not run as root: as root, run it as Debian's postgres user (or a user of its own where there is none).
owner="$(id -un)"
if [[ "$(id -u)" == 0 ]]; then
    owner=postgres
    id -u "$owner" >/dev/null 2>&1 || { owner=pgtest; id -u "$owner" >/dev/null 2>&1 || useradd --system --no-create-home "$owner"; }
fi
as_owner() { if [[ "$owner" == "$(id -un)" ]]; then "$@"; else runuser -u "$owner" -- "$@"; fi; }

case "$command" in
start)
    mkdir -p "$folder"
    folder="$(cd "$folder" && pwd)"
    if [[ "$owner" != "$(id -un)" ]]; then
        chown "$owner" "$folder"
        # The server's user must be able to reach its folder (a mktemp -d parent is root's alone).
        chmod o+x "$(dirname "$folder")"
    fi
    chmod 700 "$folder"
    if [[ ! -f "$folder/PG_VERSION" ]]; then
        as_owner "$bin/initdb" --pgdata="$folder" --username=portal_admin --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    fi
    as_owner "$bin/pg_ctl" --pgdata="$folder" --log="$folder/server.log" --wait --silent start \
        -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories='$folder' -c max_connections=400 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c shared_buffers=256MB"
    echo "Host=127.0.0.1;Port=$port;Username=portal_admin;Database=postgres"
    ;;
stop)
    as_owner "$bin/pg_ctl" --pgdata="$folder" --mode=fast --wait --silent stop
    ;;
*)
    echo "usage: $0 start <folder> [port] | stop <folder>" >&2
    exit 2
    ;;
esac
