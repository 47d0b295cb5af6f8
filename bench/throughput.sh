#!/usr/bin/env bash
# End-to-end throughput and memory of `log-gardener run` on a generated
# scenario, next to the scenario kit's Python baseline on the same file, in
# the same command (issue: >= 1 GB/s from the page cache, >= 10x baseline,
# peak RSS < 1 GiB at --scale 1000). log-gardener runs with its default
# threads (one per core), then with one, to show what the cores add.
#
#   bash bench/throughput.sh [SCALE ...]     (default: 100)
#   RUNS=5 bash bench/throughput.sh 100       (log-gardener rows: median of RUNS runs, default 3;
#                                              this machine's run-to-run noise is about ±25 %)
#
# Needs ../shared (scenarios/gen.py, baseline.py) and a release build. The
# scenario is generated once per scale into build/bench-data/ and read once
# before timing, so both tools read it from the page cache.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared/scenarios
[ -f "$shared/gen.py" ] || { echo "throughput: $shared/gen.py is absent" >&2; exit 2; }
bin=build/log-gardener
[ -x "$bin" ] || { echo "throughput: build first: cmake --preset release && cmake --build build -j2" >&2; exit 2; }
scales=("$@")
runs=${RUNS:-3}  # log-gardener runs per row; the row shows the median (the baseline runs once)
[ ${#scales[@]} -eq 0 ] && scales=(100)

printf '%-7s %-15s %9s %12s %9s %11s %10s %9s %5s\n' scale tool seconds entries MB MB/s entries/s "RSS MB" runs
for k in "${scales[@]}"; do
  data=build/bench-data/scale-$k
  if [ ! -f "$data/logs.ndjson" ]; then
    mkdir -p "$data"
    python3 "$shared/gen.py" --seed 42 --types public --scale "$k" --out "$data" >/dev/null
  fi
  cat "$data/logs.ndjson" >/dev/null  # into the page cache
  bytes=$(stat -c %s "$data/logs.ndjson")
  entries=$(wc -l < "$data/logs.ndjson")
  read -r svc start end < <(python3 -c "import json,sys;t=json.load(open(sys.argv[1]));print(t['service'],t['window']['start'],t['window']['end'])" "$data/task.json")
  work=$(mktemp -d)
  measure() {  # name, runs, command...: the run with the median time (peak RSS: the largest)
    local name=$1 runs=$2
    shift 2
    : > "$work/times"
    for _ in $(seq 1 "$runs"); do
      rm -f "$work/tracker.db"
      /usr/bin/time -f '%e %M' -o "$work/time" "$@" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; exit 1; }
      cat "$work/time" >> "$work/times"
    done
    read -r secs rss_kb < <(sort -n "$work/times" | awk -v n="$runs" '{ s[NR] = $1; if ($2 > m) m = $2 } END { print s[int((n + 1) / 2)], m }')
    awk -v k="$k" -v n="$name" -v s="$secs" -v e="$entries" -v b="$bytes" -v r="$rss_kb" -v runs="$runs" 'BEGIN {
      if (s <= 0) s = 0.01
      printf "%-7s %-15s %9.2f %12d %9.0f %11.1f %10.0f %9.0f %5d\n", k, n, s, e, b / 1e6, b / 1e6 / s, e / s, r / 1024, runs }'
  }
  measure baseline.py 1 python3 "$shared/baseline.py" --scenario "$data" --out "$work/baseline.json"
  measure log-gardener "$runs" "$bin" run --source "$data/logs.ndjson" --service "$svc" --since "$start" --until "$end" \
    --tracker "local:$work/tracker.db" --json "$work/result.json" -q
  measure "lg --threads 1" "$runs" "$bin" run --threads 1 --source "$data/logs.ndjson" --service "$svc" --since "$start" \
    --until "$end" --tracker "local:$work/tracker.db" --json "$work/result.json" -q
  rm -rf "$work"
done
