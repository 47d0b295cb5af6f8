#!/usr/bin/env bash
# Several services from one read, against one run per service, on the same
# generated export (issue 8: a platform team gardens many services each hour).
# Prints the seconds of each way and their ratio, and checks that both give
# every service the same report (durations aside).
#
#   bash bench/services.sh [SCALE]     (default 100; the export of bench/throughput.sh)
#
# Needs ../shared (scenarios/gen.py) and a release build.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared/scenarios
[ -f "$shared/gen.py" ] || { echo "services: $shared/gen.py is absent" >&2; exit 2; }
bin=build/log-gardener
[ -x "$bin" ] || { echo "services: build first: cmake --preset release && cmake --build build -j2" >&2; exit 2; }
k=${1:-100}
data=build/bench-data/scale-$k
if [ ! -f "$data/logs.ndjson" ]; then
  mkdir -p "$data"
  python3 "$shared/gen.py" --seed 42 --types public --scale "$k" --out "$data" >/dev/null
fi
cat "$data/logs.ndjson" >/dev/null  # into the page cache
read -r start end < <(python3 -c "import json,sys;t=json.load(open(sys.argv[1]));print(t['window']['start'],t['window']['end'])" "$data/task.json")
# Every service in the export, most entries first.
mapfile -t services < <(python3 -c '
import json, sys, collections
c = collections.Counter()
for line in open(sys.argv[1]):
    c[json.loads(line).get("resource", {}).get("labels", {}).get("service_name")] += 1
print("\n".join(s for s, _ in c.most_common() if s))' "$data/logs.ndjson")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
common=(--source "$data/logs.ndjson" --since "$start" --until "$end" --now "$end" --dry-run -q)

t0=$(date +%s.%N)
for s in "${services[@]}"; do
  "$bin" run "${common[@]}" --service "$s" --tracker "local:$work/one.db" --json "$work/one-$s.json"
done
t1=$(date +%s.%N)
flags=()
for s in "${services[@]}"; do flags+=(--service "$s"); done
"$bin" run "${common[@]}" "${flags[@]}" --tracker "local:$work/one.db" --json "$work/all-{service}.json"
t2=$(date +%s.%N)

same=yes
for s in "${services[@]}"; do
  diff <(grep -v duration "$work/one-$s.json") <(grep -v duration "$work/all-$s.json") >/dev/null || same="NO ($s differs)"
done
awk -v n="${#services[@]}" -v a="$t0" -v b="$t1" -v c="$t2" -v same="$same" -v bytes="$(stat -c %s "$data/logs.ndjson")" 'BEGIN {
  sep = b - a; one = c - b
  printf "%d services, %.0f MB export\n", n, bytes / 1e6
  printf "one run per service   %6.2f s\n", sep
  printf "one run, all services %6.2f s   (%.1fx faster)\n", one, sep / one
  printf "same report per service: %s\n", same }'
