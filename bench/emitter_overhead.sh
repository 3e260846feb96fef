#!/usr/bin/env bash
# The emitter's cost to the requests that emit (operations.md: re-tier throughput with telemetry
# on ≥ 0.95 × off), measured so that the machine's drift cancels out:
#
#   bench/emitter_overhead.sh [PAIRS] [SECONDS]        (BENCH_BIN: another build)
#
# One server on SQLite (logging at info, rate limits off) and two orgs of one account, `on` and
# `off` (opted out, so its re-tiers emit nothing). Each pair re-tiers one org for SECONDS, then
# the other, `wrk -t2 -c64` with bench/retier.lua, the order swapped from one pair to the next.
# Before each run the script waits until the emitter's queue is empty (the `telemetry_queue_depth`
# gauge), so that no run writes events another run emitted. Prints every run (req/s, p99, the
# server's CPU per request from /proc/<pid>/stat), then the medians, the on/off ratio of each pair
# and their median. Everything stays on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
PAIRS=${1:-6}
DURATION=${2:-5}
BIN=${BENCH_BIN:-$PWD/build/release/src/ferrlabs-api}
[ -x "$BIN" ] || { echo "build the release preset first (make release)"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh"; exit 1; }
source bench/lib.sh
bench_workspace

start_server api "$BIN" sqlite:./bench.db FERRLABS_AUTH_RATE=0 FERRLABS_INGEST_RATE=0
pid=${pids[-1]}
base="http://127.0.0.1:$port_api"
retier_orgs "$base" "$work/api/mail"

queue_empty() {
  for _ in $(seq 200); do
    curl -s "$base/metrics" | grep -qE '^telemetry_queue_depth 0$' && return 0
    sleep 0.05
  done
  echo "the emitter's queue did not empty within 10 s" >&2
  return 1
}

# run ORG: one run; appends "rps p99_ms cpu_us_per_request" to $work/ORG.
run() {
  local org=$1 cpu0 cpu1 rps p99 requests
  queue_empty
  cpu0=$(cpu_ticks "$pid")
  BENCH_PATH=/v1/orgs/$org/subscriptions/ferrflow BENCH_AUTH=$token \
    wrk -t2 -c64 -d"${DURATION}s" --latency -s bench/retier.lua "$base" >"$work/wrk.out"
  queue_empty  # the events of this run are written before its CPU is read
  cpu1=$(cpu_ticks "$pid")
  read -r rps p99 _ requests < <(wrk_summary "$work/wrk.out")
  awk -v rps="$rps" -v p99="$p99" -v requests="$requests" -v cpu=$((cpu1 - cpu0)) -v hz="$clock_ticks" \
    'BEGIN {printf "%.0f %.2f %.1f\n", rps, p99, cpu * 1e6 / hz / requests}' >>"$work/$org"
  printf "  %-4s %s\n" "$org" "$(tail -n1 "$work/$org")"
}

echo "PATCH …/subscriptions/ferrflow, wrk -t2 -c64 -d${DURATION}s, $PAIRS pairs, $(nproc) cores"
echo "columns: req/s p99_ms server_cpu_us_per_request"
for pair in $(seq "$PAIRS"); do
  echo "pair $pair"
  if [ $((pair % 2)) -eq 1 ]; then run on; run off; else run off; run on; fi
done
paste -d' ' "$work/on" "$work/off" | awk '{print $1 / $4}' >"$work/ratio"

echo
for org in on off; do
  printf "telemetry %-3s medians: %8.0f req/s  p99 %.2f ms  %.1f µs of server CPU per request\n" \
    "$org" "$(median "$org" 1)" "$(median "$org" 2)" "$(median "$org" 3)"
done
printf "on / off, by pair: %s\n" "$(awk '{printf "%.2f ", $1}' "$work/ratio")"
printf "on / off: %.3f (median of the pairs; target >= 0.95); CPU per request on / off: %.3f\n" \
  "$(median ratio 1)" "$(awk -v a="$(median on 3)" -v b="$(median off 3)" 'BEGIN {print a / b}')"
