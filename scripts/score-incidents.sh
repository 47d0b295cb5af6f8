#!/usr/bin/env bash
# Incident-grouping and triage quality on the public scenarios and on
# generated ones: generates `gen.py --types public --seed N` for each seed,
# runs the gardener exactly as the acceptance commands do, scores each run with
# score.py, and prints one row per scenario plus the means.
#   bash scripts/score-incidents.sh [SEED...]      (default seeds 201..220; the public p1..p3 are seeds 110, 137, 130)
#   TRACKER=github bash scripts/score-incidents.sh   the same through the GitHub tracker, against
#                                                    tests/fake_github/server.py on loopback
# Needs ../shared and a built ./build/log-gardener. Work files: out/incidents/.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared/scenarios
[ -d "$shared" ] || { echo "score-incidents: $shared is absent" >&2; exit 2; }
bin=./build/log-gardener
seeds=("$@")
[ ${#seeds[@]} -gt 0 ] || seeds=($(seq 201 220))
out=out/incidents
mkdir -p "$out"
dirs=("$shared"/public/p1 "$shared"/public/p2 "$shared"/public/p3)
for s in "${seeds[@]}"; do
  d=$out/gen-$s
  if [ ! -f "$d/truth.json" ]; then
    rm -rf "$d"
    python3 "$shared/gen.py" --seed "$s" --types public --out "$d" >/dev/null
  fi
  dirs+=("$d")
done
tracker_args=()
if [ "${TRACKER:-local}" = github ]; then
  rm -f "$out/.port"  # a previous run's port file would be read before the server writes its own
  python3 tests/fake_github/server.py --port 0 --port-file "$out/.port" >/dev/null 2>&1 &
  server_pid=$!
  trap 'kill $server_pid 2>/dev/null || true' EXIT
  for _ in $(seq 1 100); do [ -f "$out/.port" ] && break; sleep 0.05; done
  api="http://127.0.0.1:$(cat "$out/.port")"
  export GITHUB_TOKEN=test-token-not-a-secret
fi
for dir in "${dirs[@]}"; do
  name=$(basename "$dir")
  work=$out/run-$name
  rm -rf "$work" && mkdir -p "$work"
  read -r svc start end < <(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print(t["service"], t["window"]["start"], t["window"]["end"])' "$dir/task.json")
  if [ "${TRACKER:-local}" = github ]; then
    python3 -c 'import json,sys,urllib.request; body=json.dumps({"issues": json.load(open(sys.argv[2]))}).encode(); urllib.request.urlopen(urllib.request.Request(sys.argv[1] + "/_seed", body, {"Content-Type": "application/json"}))' "$api" "$dir/issues.json"
    tracker_args=(--tracker github:netra/staging --github-api "$api")
  else
    $bin issues import "$dir/issues.json" --tracker "local:$work/T.db" >/dev/null
    tracker_args=(--tracker "local:$work/T.db")
  fi
  $bin run --source "file:$dir/logs.ndjson" --service "$svc" --since "$start" --until "$end" \
    "${tracker_args[@]}" --state "sqlite:$work/S.db" --json "$work/OUT.json" --worklog "$work/W" -q
  python3 "$shared/score.py" --truth "$dir/truth.json" --result "$work/OUT.json" --json-out "$work/score.json" --quiet >/dev/null
done
python3 - "$out" "${dirs[@]}" <<'PY'
import json, os, sys
out = sys.argv[1]
rows = []
for d in sys.argv[2:]:
    name = os.path.basename(d)
    s = json.load(open(os.path.join(out, "run-" + name, "score.json")))
    c, cc, a, p = s["clustering"], s["clusters"], s["actions"], s["priority"]
    rows.append((name, c["grouping_accuracy"], c["ari"], c["pairwise_f1"], cc["clusters"], cc["incidents"],
                 p["exact"], p["within_one"], a["accuracy"], s["overall"]))
print("| scenario | GA | ARI | pairwise F1 | clusters / incidents | priority exact | within one | actions | overall |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r[0]} | {r[1]:.3f} | {r[2]:.3f} | {r[3]:.3f} | {r[4]} / {r[5]} | {r[6]:.2f} | {r[7]:.2f} | {r[8]:.2f} | {r[9]:.3f} |")
n = len(rows)
mean = lambda k: sum(r[k] for r in rows) / n
near = sum(1 for r in rows if abs(r[4] - r[5]) <= 1)
print(f"| **mean of {n}** | {mean(1):.3f} | {mean(2):.3f} | {mean(3):.3f} | ±1 on {near}/{n} | {mean(6):.2f} | {mean(7):.2f} | {mean(8):.2f} | {mean(9):.3f} |")
PY
