#!/usr/bin/env bash
# Builds the libFuzzer targets (the `fuzz` preset: clang, ASan + UBSan) and
# runs each for SECONDS (default 30), starting from its seed corpus (the
# project's own fixtures, see fuzz/CMakeLists.txt) and the saved crash corpus.
# Prints executions per target and their total. A crash stops the script with
# exit 1; the input is copied to fuzz/regressions/<target>/ to be fixed and
# committed (ctest then replays it in every build).
#
#   bash scripts/fuzz.sh [SECONDS]      e.g. bash scripts/fuzz.sh 600 for a longer run
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-30}

cmake --preset fuzz >/dev/null
targets=$(cut -d' ' -f1 build-fuzz/fuzz-targets.txt)
cmake --build --preset fuzz --target $(for t in $targets; do printf '%s_fuzz ' "$t"; done)

work=build-fuzz/runs
mkdir -p "$work"
total=0
status=0
printf '%-14s %14s %10s %s\n' target executions exec/s result
while read -r name seeds; do
  corpus="$work/corpus-$name"
  mkdir -p "$corpus" "$work/crashes-$name"
  log="$work/$name.log"
  # The saved crash corpus, when this target has one (git keeps no empty folders).
  regressions=()
  [ -d fuzz/regressions/"$name" ] && regressions=(fuzz/regressions/"$name")
  # -timeout: an input running over 10 s is a hang; -rss_limit_mb: a leak or blow-up.
  if ./build-fuzz/fuzz/"$name"_fuzz "$corpus" "${regressions[@]}" $seeds \
      -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 \
      -artifact_prefix="$work/crashes-$name/" >"$log" 2>&1; then
    result=ok
  else
    result="CRASH (see $log)"
    status=1
    for f in "$work/crashes-$name"/*; do
      [ -f "$f" ] || continue
      mkdir -p fuzz/regressions/"$name"
      cp "$f" fuzz/regressions/"$name"/ && echo "fuzz.sh: saved $f to fuzz/regressions/$name/" >&2
    done
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | tail -1 | grep -o '[0-9]*$' || echo 0)
  total=$((total + runs))
  printf '%-14s %14s %10s %s\n' "$name" "$runs" "$rate" "$result"
done < build-fuzz/fuzz-targets.txt
printf '%-14s %14s\n' total "$total"
exit $status
