#!/usr/bin/env bash
# Installs dependencies, builds everything (tests included) and runs the whole
# test suite through ctest. Tests that need ../shared skip visibly without it.
# The GitHub client's conformance tests need @octokit/fixtures-server (npm):
# it is installed from tests/github-fixtures/package-lock.json and started on
# loopback here; if npm cannot install it, those tests skip visibly. A
# throwaway PostgreSQL cluster is started on loopback the same way
# (scripts/start-postgres.sh) for the PostgreSQL state and fleet tests.
#
#   bash scripts/test.sh                 the release build (the README's command)
#   bash scripts/test.sh release asan    also the unit and integration tests under
#                                        AddressSanitizer + UBSan (what CI runs)
set -euo pipefail
cd "$(dirname "$0")/.."
presets=("$@")
[ ${#presets[@]} -eq 0 ] && presets=(release)

bash scripts/install-deps.sh
for preset in "${presets[@]}"; do
  bench=OFF
  [ "$preset" = release ] && bench=ON
  cmake --preset "$preset" -DLG_BUILD_TESTS=ON -DLG_BUILD_BENCH=$bench >/dev/null
  cmake --build --preset "$preset"
done

fixtures_pid=
cleanup() {
  [ -n "$fixtures_pid" ] && kill "$fixtures_pid" 2>/dev/null
  bash scripts/stop-postgres.sh
  true
}
trap cleanup EXIT
# A throwaway PostgreSQL on loopback for the state-store and fleet tests.
if pg_env=$(bash scripts/start-postgres.sh); then
  eval "$pg_env"
else
  echo "test.sh: no PostgreSQL server; the PostgreSQL tests will skip" >&2
fi
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
for preset in "${presets[@]}"; do
  echo "== ctest: $preset"
  if [ "$preset" = asan ]; then
    # Sanitizers: the unit and integration tests (the data-accuracy checks on
    # ../shared are the release build's); any report aborts with a non-zero exit.
    ASAN_OPTIONS=abort_on_error=0:detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      ctest --preset asan -j2 -L 'unit|integration' -LE shared
  else
    ctest --preset "$preset" -j2
  fi
done
