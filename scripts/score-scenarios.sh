#!/usr/bin/env bash
# Runs the gardener on scenario folders (default: ../shared/scenarios/public/p1..p3)
# exactly as the acceptance criteria say, and scores each with score.py.
#   bash scripts/score-scenarios.sh [SCENARIO_DIR...]
# Needs a built ./build/log-gardener and ../shared. Work files go to out/scores/.
set -euo pipefail
cd "$(dirname "$0")/.."
shared=../shared/scenarios
[ -d "$shared" ] || { echo "score-scenarios: $shared is absent" >&2; exit 2; }
bin=./build/log-gardener
dirs=("$@")
[ ${#dirs[@]} -gt 0 ] || dirs=("$shared"/public/p1 "$shared"/public/p2 "$shared"/public/p3)
for dir in "${dirs[@]}"; do
  name=$(basename "$dir")
  work=out/scores/$name
  rm -rf "$work" && mkdir -p "$work"
  read -r svc start end < <(python3 -c 'import json,sys; t=json.load(open(sys.argv[1])); print(t["service"], t["window"]["start"], t["window"]["end"])' "$dir/task.json")
  $bin issues import "$dir/issues.json" --tracker "local:$work/T.db" >/dev/null
  $bin run --source "file:$dir/logs.ndjson" --service "$svc" --since "$start" --until "$end" \
    --tracker "local:$work/T.db" --state "sqlite:$work/S.db" --json "$work/OUT.json" --worklog "$work/W" -q
  echo "== $name"
  python3 "$shared/score.py" --truth "$dir/truth.json" --result "$work/OUT.json" --json-out "$work/score.json" --quiet
  # A second identical run must change nothing.
  before=$($bin issues export --tracker "local:$work/T.db" | sha256sum)
  $bin run --source "file:$dir/logs.ndjson" --service "$svc" --since "$start" --until "$end" \
    --tracker "local:$work/T.db" --state "sqlite:$work/S.db" --json "$work/OUT2.json" -q
  after=$($bin issues export --tracker "local:$work/T.db" | sha256sum)
  [ "$before" = "$after" ] && echo "   rerun: tracker unchanged" || echo "   rerun: TRACKER CHANGED"
done
