#!/usr/bin/env bash
# CPU time the server spends per request, two builds side by side (docs/performance.md):
#
#   bench/cpu_per_request.sh BASELINE [NEW_BIN] [PAIRS] [SECONDS]
#   BENCH_LOAD=single|batch|health bench/cpu_per_request.sh …   (default: single)
#
# On this shared two-core machine the rate of one build moves by a quarter between identical
# runs a minute apart; the CPU its process spends per request moves far less, so a change meant
# to make a request cheaper is measured so. BASELINE is a release binary or a git revision (built
# once into build/baseline-<rev>/). Each pair starts a fresh server on SQLite for the baseline,
# then for the new build (default: build/release), logging at info, rate limits off, and runs
# `wrk -t2 -c64` for SECONDS against it, reading the process's user + system time from
# /proc/<pid>/stat before and after and the machine's idle time from /proc/stat. Prints every
# run, then the medians per build. Everything stays on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -ge 1 ] || { sed -n '2,5p' "$0"; exit 2; }
source bench/lib.sh
if [ -x "$1" ]; then BASELINE=$1; else baseline_binary "$1" && BASELINE=$BASELINE_BIN; fi
NEW=${2:-$PWD/build/release/src/ferrlabs-api}
PAIRS=${3:-3}
DURATION=${4:-8}
LOAD=${BENCH_LOAD:-single}
for bin in "$BASELINE" "$NEW"; do [ -x "$bin" ] || { echo "not an executable: $bin"; exit 1; }; done
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh"; exit 1; }

bench_workspace

write_envelope_bodies
case $LOAD in
  single) path=/v1/telemetry wrk_args=(-s bench/post.lua) body=$work/single.json ;;
  batch) path=/v1/telemetry/batch wrk_args=(-s bench/post.lua) body=$work/batch.json ;;
  health) path=/health wrk_args=() body="" ;;
  *) echo "BENCH_LOAD is single, batch or health"; exit 2 ;;
esac

# measure NAME BIN: one run against a fresh server; appends "rps p99_ms cpu_us_per_request idle%".
measure() {
  local name=$1 bin=$2
  rm -rf "$work/run"
  start_server run "$bin" sqlite:./bench.db FERRLABS_AUTH_RATE=0 FERRLABS_INGEST_RATE=0
  local pid=${pids[-1]}
  local cpu0 idle0 start cpu1 idle1 end
  cpu0=$(cpu_ticks "$pid") idle0=$(idle_ticks) start=$(date +%s.%N)
  BENCH_BODY=$body wrk -t2 -c64 -d"${DURATION}s" --latency "${wrk_args[@]}" \
    "http://127.0.0.1:$port_run$path" >"$work/wrk.out"
  cpu1=$(cpu_ticks "$pid") idle1=$(idle_ticks) end=$(date +%s.%N)
  kill -TERM "$pid"; wait "$pid" || true
  unset 'pids[-1]'
  local rps p99 requests
  read -r rps p99 _ requests < <(wrk_summary "$work/wrk.out")
  awk -v rps="$rps" -v p99="$p99" -v requests="$requests" -v cpu=$((cpu1 - cpu0)) \
    -v idle=$((idle1 - idle0)) -v hz="$clock_ticks" -v cores="$(nproc)" -v start="$start" -v end="$end" \
    'BEGIN {printf "%.0f %.2f %.1f %.0f\n", rps, p99, cpu * 1e6 / hz / requests, 100 * idle / hz / cores / (end - start)}' \
    >>"$work/$name"
  tail -n1 "$work/$name"
}

echo "$LOAD: $path, wrk -t2 -c64 -d${DURATION}s, $PAIRS pairs (baseline first), $(nproc) cores"
echo "columns: req/s p99_ms server_cpu_us_per_request machine_idle_%"
for pair in $(seq "$PAIRS"); do
  printf "pair %d  baseline " "$pair"
  measure baseline "$BASELINE"
  printf "        new      "
  measure new "$NEW"
done
echo
for name in baseline new; do
  printf "%-8s medians: %8.0f req/s  p99 %.2f ms  %.1f µs of server CPU per request  %.0f %% idle\n" \
    "$name" "$(median $name 1)" "$(median $name 2)" "$(median $name 3)" "$(median $name 4)"
done
printf "new / baseline, CPU per request: %.3f\n" \
  "$(awk -v a="$(median new 3)" -v b="$(median baseline 3)" 'BEGIN {print a / b}')"
