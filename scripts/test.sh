#!/usr/bin/env bash
# Installs dependencies, builds everything (tests included) and runs the whole
# test suite through ctest. Tests that need ../shared skip visibly without it.
# The GitHub client's conformance tests need @octokit/fixtures-server (npm):
# it is installed from tests/github-fixtures/package-lock.json and started on
# loopback here; if npm cannot install it, those tests skip visibly.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release -DLG_BUILD_TESTS=ON -DLG_BUILD_BENCH=ON >/dev/null
cmake --build --preset release

fixtures_pid=
cleanup() { [ -n "$fixtures_pid" ] && kill "$fixtures_pid" 2>/dev/null || true; }
trap cleanup EXIT
if command -v npm >/dev/null && (cd tests/github-fixtures && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  node tests/github-fixtures/node_modules/.bin/octokit-fixtures-server --port "$port" --log-level error \
    --fixtures 'tests/github-fixtures/node_modules/@octokit/fixtures/scenarios/**/normalized-fixture.json' \
    >/dev/null 2>&1 &
  fixtures_pid=$!
  for _ in $(seq 1 50); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    sleep 0.2
  done
  export LG_OCTOKIT_FIXTURES="http://127.0.0.1:$port"
else
  echo "test.sh: @octokit/fixtures-server could not be installed; the GitHub conformance tests will skip" >&2
fi
ctest --preset release -j2
