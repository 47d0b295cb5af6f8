#!/usr/bin/env bash
# Incident-grouping and triage quality on the public scenarios and on
# generated ones: generates `gen.py --types public --seed N` for each seed,
# runs the gardener exactly as the acceptance commands do, scores each run with
# score.py, and prints one row per scenario plus the means.
#   bash scripts/score-incidents.sh [SEED...]      (default seeds 201..220; the public p1..p3 are seeds 110, 137, 130)
#   TRACKER=github bash scripts/score-incidents.sh   the same through the GitHub tracker, against
#                                                    tests/fake_github/server.py on loopback
#   RERUN=1 bash scripts/score-incidents.sh          (local tracker) also reruns every scenario with
#                                                    the same state and then with a fresh one, and
#                                                    reports whether either changed the tracker and
#                                                    its actions score
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
  if [ "${RERUN:-0}" = 1 ] && [ "${TRACKER:-local}" = local ]; then
    # A second run must post nothing, with its state (the journal) and with a
    # fresh one (the markers in the tracker), and report the same actions.
    before=$($bin issues export "${tracker_args[@]}" | sha256sum)
    changed=""
    for state in S.db S-fresh.db; do
      $bin run --source "file:$dir/logs.ndjson" --service "$svc" --since "$start" --until "$end" \
        "${tracker_args[@]}" --state "sqlite:$work/$state" --json "$work/OUT-$state.json" -q
      python3 "$shared/score.py" --truth "$dir/truth.json" --result "$work/OUT-$state.json" \
        --json-out "$work/score-$state.json" --quiet >/dev/null
      after=$($bin issues export "${tracker_args[@]}" | sha256sum)
      [ "$before" = "$after" ] || changed="$changed $state"
    done
    echo "$changed" > "$work/rerun-changed.txt"
  fi
done
python3 - "$out" "${dirs[@]}" <<'PY'
import json, os, sys
out = sys.argv[1]
rows = []
reruns = []
for d in sys.argv[2:]:
    name = os.path.basename(d)
    s = json.load(open(os.path.join(out, "run-" + name, "score.json")))
    c, cc, a, p = s["clustering"], s["clusters"], s["actions"], s["priority"]
    rows.append((name, c["grouping_accuracy"], c["ari"], c["pairwise_f1"], cc["clusters"], cc["incidents"],
                 p["exact"], p["within_one"], a["accuracy"], s["overall"]))
    changed = os.path.join(out, "run-" + name, "rerun-changed.txt")
    if os.environ.get("RERUN") == "1" and os.path.exists(changed):
        again = [json.load(open(os.path.join(out, "run-" + name, f"score-{st}.json")))["actions"]["accuracy"]
                 for st in ("S.db", "S-fresh.db")]
        reruns.append((name, a["accuracy"], again, open(changed).read().split()))
print("| scenario | GA | ARI | pairwise F1 | clusters / incidents | priority exact | within one | actions | overall |")
print("|---|---|---|---|---|---|---|---|---|")
for r in rows:
    print(f"| {r[0]} | {r[1]:.3f} | {r[2]:.3f} | {r[3]:.3f} | {r[4]} / {r[5]} | {r[6]:.2f} | {r[7]:.2f} | {r[8]:.2f} | {r[9]:.3f} |")
n = len(rows)
mean = lambda k: sum(r[k] for r in rows) / n
near = sum(1 for r in rows if abs(r[4] - r[5]) <= 1)
print(f"| **mean of {n}** | {mean(1):.3f} | {mean(2):.3f} | {mean(3):.3f} | ±1 on {near}/{n} | {mean(6):.2f} | {mean(7):.2f} | {mean(8):.2f} | {mean(9):.3f} |")
if reruns:
    moved = [r for r in reruns if r[3] or any(x != r[1] for x in r[2])]
    for name, first, again, changed in moved:
        print(f"rerun {name}: actions {first:.2f} then {again[0]:.2f} (same state), {again[1]:.2f} (fresh state);"
              f" tracker changed by: {' '.join(changed) or 'neither'}")
    print(f"reruns: {len(reruns) - len(moved)} of {len(reruns)} scenarios post nothing and report the same actions"
          " with the same state and with a fresh one")
PY
