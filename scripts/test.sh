#!/usr/bin/env bash
# Installs dependencies, builds everything (tests included) and runs the whole
# test suite through ctest. Tests that need ../shared skip visibly without it.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake --preset release -DLG_BUILD_TESTS=ON -DLG_BUILD_BENCH=ON >/dev/null
cmake --build --preset release
ctest --preset release -j2
