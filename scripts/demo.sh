#!/usr/bin/env bash
# Installs dependencies, builds, and runs the gardener on the bundled example:
# a one-hour Cloud Run export (examples/cloud-run-export.json) and a few
# existing issues (examples/issues.json) in a local SQLite tracker.
# Everything it writes goes to out/example/ (delete it to start over).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release -DLG_BUILD_TESTS=OFF -DLG_BUILD_BENCH=OFF >/dev/null
cmake --build --preset release

out=out/example
mkdir -p "$out"
db="$out/gardener.db"
./build/log-gardener issues import examples/issues.json --tracker "local:$db"
./build/log-gardener run \
  --source file:examples/cloud-run-export.json \
  --service checkout-api \
  --period "last 1 hour" --now 2025-09-15T16:00:00Z \
  --tracker "local:$db" \
  --worklog "$out/worklogs" --json "$out/result.json"
echo
echo "Look at the tracker with: ./build/log-gardener issues list --tracker local:$db"
