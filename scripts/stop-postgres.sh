#!/usr/bin/env bash
# Stops and removes the cluster scripts/start-postgres.sh started (LG_POSTGRES_DIR).
set -uo pipefail
dir=${LG_POSTGRES_DIR:-}
[ -n "$dir" ] && [ -d "$dir/data" ] || exit 0
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
run=()
[ "$(id -u)" -eq 0 ] && run=(runuser -u postgres --)
"${run[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1
rm -rf "$dir"
