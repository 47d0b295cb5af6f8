#!/usr/bin/env bash
# Template miner speed and memory (issue: ≥ 1,000,000 lines/s on one core;
# peak memory grows < 10% from 1M to 10M lines of the same logs).
#   bash bench/miner_bench.sh [LINES]        (default 1000000)
# Needs ../shared (the Loghub-2k samples) and a release build (build/).
# Prints the naive reference and the miner in the same command, as ratios.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared
[ -d "$shared/data/loghub-2k" ] || { echo "miner_bench: $shared/data/loghub-2k is absent" >&2; exit 2; }
bin=build/bench/miner_bench
[ -x "$bin" ] || { echo "miner_bench: build first: cmake --preset release && cmake --build build -j2" >&2; exit 2; }
lines=${1:-1000000}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The Content field of every system's 2k sample, cut with the benchmark kit's
# own header layouts (one file per system).
python3 - "$shared/loghub-bench" "$shared/data/loghub-2k" "$work" <<'PY'
import os, sys
sys.path.insert(0, sys.argv[1])
from loghub_formats import SYSTEMS, iter_contents
for s in SYSTEMS:
    with open(os.path.join(sys.argv[3], s + ".txt"), "w", encoding="utf-8") as f:
        for _, c in iter_contents(s, os.path.join(sys.argv[2], s, s + "_2k.log")):
            f.write((c or "").replace("\n", " ") + "\n")
PY
files=("$work"/*.txt)
# Each figure is the median of three runs (the machines are noisy); peak RSS
# is per process, so 1x and 10x are separate runs.
median_run() {
  local runs=()
  for _ in 1 2 3; do runs+=("$("$bin" "$@" "${files[@]}")"); done
  printf '%s\n' "${runs[@]}" | sort -t= -k5,5 -n | sed -n 2p   # sorted by seconds
}
field() { sed -n "s/.* $1=\([^ ]*\).*/\1/p" <<<"$2"; }
naive=$(median_run --mode naive --lines "$lines")
miner=$(median_run --mode miner --lines "$lines")
miner10=$(median_run --mode miner --lines $((lines * 10)))
echo "naive:      $naive"
echo "miner:      $miner"
echo "miner x10:  $miner10"
python3 - "$(field lines_per_s "$naive")" "$(field lines_per_s "$miner")" "$(field peak_rss_mib "$miner")" \
  "$(field peak_rss_mib "$miner10")" "$(field MB_per_s "$miner")" "$(field first_pass_lines_per_s "$miner")" <<'PY'
import sys
naive, miner, rss1, rss10, mbs, first = map(float, sys.argv[1:])
print(f"miner {miner:,.0f} lines/s ({mbs:.1f} MB/s) = {miner / naive:.2f}x the naive counter; "
      f"first pass over the distinct lines {first:,.0f} lines/s")
print(f"peak RSS {rss1:.1f} MiB at 1x, {rss10:.1f} MiB at 10x lines: growth {100 * (rss10 - rss1) / rss1:+.1f}%")
PY
