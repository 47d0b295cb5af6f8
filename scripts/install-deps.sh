#!/usr/bin/env bash
# Installs every Debian package that building, testing and running Log Gardener needs.
# Idempotent: packages already present are skipped by apt; safe to run again.
# Uses sudo when not run as root. Nothing is downloaded except Debian packages.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git python3
  libsimdjson-dev      # LogEntry decoding
  libcli11-dev         # command line
  libfmt-dev           # formatting
  libtomlplusplus-dev  # configuration files
  libxxhash-dev        # fingerprints and template ids
  libabsl-dev          # flat hash sets on the per-entry path
  libre2-dev           # user-configurable patterns
  libsqlite3-dev       # local tracker and state store
  libssl-dev libcurl4-openssl-dev libpq-dev
  postgresql           # the shared state store's tests run a real server on loopback
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-dev  # the fuzz targets (libFuzzer) under ASan + UBSan
  curl                 # test.sh waits for the loopback fixtures server
  openssl              # the loopback Google token endpoint verifies JWT signatures with it
  tzdata               # --tz and the worklog's local times
  chromium             # the HTML report is tested in a real (headless) browser
)

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then sudo_cmd=(sudo); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done

# Node.js and npm run the GitHub fixtures server in tests; most machines have
# them already, so Debian's are installed only when there is no node.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
  missing+=(nodejs npm)
fi

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -qq
"${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
