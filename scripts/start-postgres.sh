#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for the tests: initdb in a temporary
# folder, listening on 127.0.0.1 on a free port (no other socket), trust
# authentication for the user lg. Prints two lines for the caller to eval:
#   export LG_POSTGRES_URL=postgres://lg@127.0.0.1:PORT/postgres
#   export LG_POSTGRES_DIR=DIR          (stop with scripts/stop-postgres.sh)
# As root (CI), the server runs as the postgres system user, which Debian's
# postgresql package creates. Exits non-zero when no PostgreSQL is installed.
set -euo pipefail
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
  echo "start-postgres.sh: no PostgreSQL server installed (Debian package postgresql)" >&2
  exit 1
fi
dir=$(mktemp -d /tmp/lg-postgres-XXXXXX)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
run=()
if [ "$(id -u)" -eq 0 ]; then
  chown postgres "$dir"
  run=(runuser -u postgres --)
fi
"${run[@]}" "$bin/initdb" -D "$dir/data" -U lg -A trust --no-sync >"$dir/initdb.log" 2>&1
"${run[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=100" start >/dev/null
echo "export LG_POSTGRES_URL=postgres://lg@127.0.0.1:$port/postgres"
echo "export LG_POSTGRES_DIR=$dir"
