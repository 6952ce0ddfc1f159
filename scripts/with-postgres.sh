#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster: initdb in a temporary directory (as an
# unprivileged user, since initdb refuses root), a free port on 127.0.0.1, DATABASE_URL exported
# for the command, and the cluster stopped and removed at the end whatever happens.
#   scripts/with-postgres.sh make pytest
set -euo pipefail

pg_bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)
if [ -z "$pg_bin" ] || [ ! -x "$pg_bin/initdb" ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "PostgreSQL server binaries are missing: install the Debian package postgresql." >&2
    exit 1
  fi
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q >/dev/null && apt-get install -y -q postgresql >/dev/null
  pg_bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
fi

pg_user=postgres
if [ "$(id -u)" -eq 0 ]; then
  id -u "$pg_user" >/dev/null 2>&1 || useradd --system --no-create-home "$pg_user"
  as_pg() { runuser -u "$pg_user" -- "$@"; }
else
  as_pg() { "$@"; }
fi
pg_dir=$(mktemp -d /tmp/ceasefire-pg.XXXXXX)
[ "$(id -u)" -eq 0 ] && chown "$pg_user" "$pg_dir"
pg_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
stop_pg() {
  as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}
trap stop_pg EXIT

as_pg "$pg_bin/initdb" -D "$pg_dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
as_pg "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w \
  -o "-k $pg_dir -p $pg_port -c listen_addresses=127.0.0.1 ${PG_EXTRA_OPTIONS:-}" start >/dev/null
as_pg "$pg_bin/createdb" -h 127.0.0.1 -p "$pg_port" -U postgres ceasefire
export DATABASE_URL="postgres://postgres@127.0.0.1:$pg_port/ceasefire"
"$@"
