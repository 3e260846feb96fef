#!/usr/bin/env bash
# Telemetry benchmarks on loopback (method and figures in docs/performance.md):
#
#   bench/telemetry.sh [ROUNDS] [SECONDS]
#   BENCH_DATABASE=postgres bench/telemetry.sh [ROUNDS] [SECONDS]
#   BENCH_BIN=path/to/ferrlabs-api bench/telemetry.sh …   another build (alternate runs with a baseline)
#
# Against one release server on SQLite, or on a throwaway PostgreSQL cluster of its own
# (scripts/pg-test-cluster.sh, stopped at the end), logging at info, rate limits off; alternating within each
# round: GET /health; POST /v1/telemetry with one envelope; POST /v1/telemetry/batch with 100
# envelopes; authenticated GET /v1/orgs/{slug}; and PATCH …/subscriptions/{product} alternating
# tiers on an org that emits (telemetry on) and on one that has opted out (telemetry off: the
# emitter still queues the event, the writer then skips it). After the runs it checks that every
# accepted envelope was persisted. Everything stays on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
DURATION=${2:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
BIN=${BENCH_BIN:-$PWD/build/release/src/ferrlabs-api}  # BENCH_BIN: another build (a baseline)
[ -x "$BIN" ] || { echo "build the release preset first (make release)"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh"; exit 1; }

DATABASE=${BENCH_DATABASE:-sqlite}
source bench/lib.sh
bench_workspace
if [ "$DATABASE" = postgres ]; then
  database_url=$(start_cluster)
  sql() { psql -X -q -A -t "$database_url" -c "$1"; }
else
  database_url=sqlite:./bench.db
  sql() { sqlite3 "$work/api/bench.db" "$1"; }
fi

start_server api "$BIN" "$database_url" FERRLABS_AUTH_RATE=0 FERRLABS_INGEST_RATE=0
pid=${pids[-1]}
base="http://127.0.0.1:$port_api"

# An account (access tokens last 15 minutes: enough for the default runs), two orgs, one opted out.
retier_orgs "$base" "$work/api/mail"

write_envelope_bodies

echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds, $(nproc) cores, $DATABASE"
for round in $(seq "$ROUNDS"); do
  echo "round $round"
  printf "  %-34s %s\n" "GET /health" "$(record_wrk health "$base/health")"
  printf "  %-34s %s\n" "POST /v1/telemetry" "$(BENCH_BODY=$work/single.json record_wrk single "$base/v1/telemetry" -s bench/post.lua)"
  printf "  %-34s %s\n" "POST /v1/telemetry/batch (100)" "$(BENCH_BODY=$work/batch.json record_wrk batch "$base/v1/telemetry/batch" -s bench/post.lua)"
  printf "  %-34s %s\n" "GET /v1/orgs/on (authenticated)" "$(record_wrk org "$base/v1/orgs/on" -H "Authorization: Bearer $token")"
  printf "  %-34s %s\n" "PATCH tier, telemetry on" "$(BENCH_PATH=/v1/orgs/on/subscriptions/ferrflow BENCH_AUTH=$token record_wrk retier_on "$base" -s bench/retier.lua)"
  printf "  %-34s %s\n" "PATCH tier, telemetry off" "$(BENCH_PATH=/v1/orgs/off/subscriptions/ferrflow BENCH_AUTH=$token record_wrk retier_off "$base" -s bench/retier.lua)"
done

peak_rss=$(awk '/VmHWM/ {print int($2 / 1024)}' "/proc/$pid/status")
kill -TERM "$pid"; wait "$pid" || true
ingested=$(sql "SELECT count(*) FROM telemetry_events WHERE origin = 'ingest'")
answered=$(awk '{s += ($4 - $3)} END {print s}' "$work/single")
answered_batch=$(awk '{s += ($4 - $3) * 100} END {print s}' "$work/batch")
tier_events=$(sql "SELECT count(*) FROM telemetry_events WHERE event = 'product.tier_changed'")

echo
echo "columns: req/s p99_ms non-2xx requests; medians over $ROUNDS rounds"
printf "GET /health                 %10.0f req/s\n" "$(median health 1)"
printf "POST /v1/telemetry          %10.0f req/s  p99 %.2f ms  (%.2f x /health; targets >= 25000, >= 0.5 x, p99 <= 10 ms)\n" \
  "$(median single 1)" "$(median single 2)" "$(awk -v a="$(median single 1)" -v b="$(median health 1)" 'BEGIN {print a/b}')"
printf "POST /v1/telemetry/batch    %10.0f events/s (100 per request; target >= 100000)\n" "$(awk -v r="$(median batch 1)" 'BEGIN {print r*100}')"
printf "GET /v1/orgs/{slug}         %10.0f req/s (target >= 15000)\n" "$(median org 1)"
printf "PATCH tier, telemetry on    %10.0f req/s\n" "$(median retier_on 1)"
printf "PATCH tier, telemetry off   %10.0f req/s  (ratio on/off %.2f, target >= 0.95)\n" "$(median retier_off 1)" \
  "$(awk -v a="$(median retier_on 1)" -v b="$(median retier_off 1)" 'BEGIN {print a/b}')"
# wrk counts the requests answered within each run; those still in flight when a run ends are
# stored too, so every answered envelope is persisted when persisted >= answered.
verdict=$([ "$ingested" -ge $((answered + answered_batch)) ] && echo "every answered envelope persisted" || echo "MISSING ROWS")
echo "persisted ingest rows: $ingested; envelopes answered 2xx: $((answered + answered_batch)) ($verdict)"
echo "product.tier_changed rows (org 'on' only): $tier_events"
echo "peak resident memory of the server: $peak_rss MiB (target under load <= 200 MiB)"
