#!/usr/bin/env bash
# The public statistics over a large raw volume (issue 14, item 15; method and figures in
# docs/performance.md):
#
#   bench/stats.sh [EVENTS] [SECONDS]                 SQLite (default 10 000 000 events, 10 s runs)
#   BENCH_DATABASE=postgres bench/stats.sh …         a throwaway PostgreSQL cluster instead
#   BENCH_BASELINE=<git revision> bench/stats.sh …   also that revision's binary (SQLite), on a
#                                                     database of its own seeded the same way
#
# Migrates a fresh database, writes EVENTS raw events straight into telemetry_events (ten catalog
# events over the last 89 days, 20 000 user and 2 000 org pseudonyms), then computes their hourly
# counts with the backfill statement of the hourly-counts migration (the one copy of that SQL) and
# times it. Two servers then read the same database: one as shipped (FERRLABS_STATS_CACHE_S=5) and
# one with the cache off (every request computes from the hourly counts: the cost the cache hides).
# Against each, `wrk -t2 -c16 --latency`: GET /telemetry, GET /fr/telemetry, GET
# /v1/telemetry/stats (30 days) and ?days=90. Everything listens on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
EVENTS=${1:-10000000}
DURATION=${2:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
DATABASE=${BENCH_DATABASE:-sqlite}
BIN=$PWD/build/release/src/ferrlabs-api
[ -x "$BIN" ] || { echo "build the release preset first (make release)"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh"; exit 1; }

source bench/lib.sh
BASELINE_BIN=""
if [ -n "${BENCH_BASELINE:-}" ]; then
  [ "$DATABASE" = sqlite ] || { echo "BENCH_BASELINE runs on SQLite only"; exit 2; }
  baseline_binary "$BENCH_BASELINE"
fi

bench_workspace

now_ms=$(($(date +%s) * 1000))
from_ms=$((now_ms - 89 * 86400000))
span_ms=$((89 * 86400000))
stride=$((span_ms / EVENTS))  # ms between consecutive events, spread evenly over the 89 days
# Event number i: the kind i % 20 picks (event, surface, subject); its time (in order, a little
# jittered), pseudonyms and id follow from i, so both backends store the same rows.
kinds="(0,'ferrflow','cli.run','none'),(1,'ferrflow','cli.run','none'),(2,'ferrflow','cli.run','none'),
(3,'ferrflow','cli.run','none'),(4,'ferrflow','cli.run','none'),(5,'ferrflow','cli.run','none'),
(6,'ferrflow','cli.run','none'),(7,'ferrflow','cli.run','none'),(8,'ferrflow','cli.run','none'),
(9,'ferrflow','cli.run','none'),(10,'ferrflow','cli.error','none'),(11,'ferrflow','cli.error','none'),
(12,'ferrlabs','auth.login','user'),(13,'ferrlabs','auth.login','user'),(14,'ferrlabs','auth.signup','user'),
(15,'ferrvault','vault.secret.injected','org'),(16,'ferrtrack','track.issue.created','org'),
(17,'ferrfleet','fleet.agent.run','org'),(18,'ferrlabs','product.tier_changed','org'),
(19,'ferrgrowth','growth.site.published','org')"

if [ "$DATABASE" = postgres ]; then
  database_url=$(start_cluster)
  sql() { psql -X -q -A -t -v ON_ERROR_STOP=1 "$database_url" -c "$1"; }
  seed() {
    sql "INSERT INTO telemetry_events (id, surface, event, org_hash, user_hash, properties,
           schema_version, origin, occurred_at, received_at)
         SELECT ('00000000-0000-7000-8000-' || lpad(to_hex(i), 12, '0'))::uuid, k.surface, k.event,
                CASE WHEN k.subject = 'org' THEN lpad(to_hex((i * 7919) % 2000), 32, '0') END,
                CASE WHEN k.subject = 'user' THEN lpad(to_hex((i * 7919) % 20000), 32, '0') END,
                '{}', 1, 'ingest', ms_to_ts($from_ms + i * $stride + (i * 7741) % $stride),
                ms_to_ts($from_ms + i * $stride + (i * 7741) % $stride)
         FROM generate_series(0::bigint, $EVENTS - 1) AS i
         JOIN (VALUES $kinds) AS k (slot, surface, event, subject) ON k.slot = i % 20"
  }
  backfill_from=src/storage/postgres/migrations/0015_telemetry_hourly.sql
  backfill_start='^INSERT INTO telemetry_hourly'
else
  database_url=sqlite:$work/bench.db
  sql() { sqlite3 "$work/bench.db" "$1"; }
  seed_sqlite() {
    sqlite3 "$1" "PRAGMA journal_mode = WAL;
      WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < $EVENTS - 1),
      k(slot, surface, event, subject) AS (VALUES $kinds)
      INSERT INTO telemetry_events (id, surface, event, org_hash, user_hash, properties,
        schema_version, origin, occurred_at, received_at)
      SELECT printf('00000000-0000-7000-8000-%012x', i), k.surface, k.event,
             CASE WHEN k.subject = 'org' THEN printf('%032x', (i * 7919) % 2000) END,
             CASE WHEN k.subject = 'user' THEN printf('%032x', (i * 7919) % 20000) END,
             '{}', 1, 'ingest', $from_ms + i * $stride + (i * 7741) % $stride,
             $from_ms + i * $stride + (i * 7741) % $stride
      FROM n JOIN k ON k.slot = i % 20;" >/dev/null
  }
  seed() { seed_sqlite "$work/bench.db"; }
  backfill_from=src/storage/sqlite/migrations/0012_telemetry_hourly.sql
  backfill_start='^WITH counts AS'
fi

server_env=(FERRLABS_LISTEN=127.0.0.1:0 FERRLABS_LOG=info "FERRLABS_MAIL=file:$work/mail"
  JWT_SECRET=bench-secret-bench-secret-bench-secret)
seconds_since() { awk -v s="$1" -v e="$(date +%s.%N)" 'BEGIN {printf "%.1f", e - s}'; }

echo "migrating, then seeding $EVENTS raw events ($DATABASE)"
env "${server_env[@]}" "DATABASE_URL=$database_url" "$BIN" migrate >/dev/null 2>&1
started=$(date +%s.%N)
seed
echo "  seeded in $(seconds_since "$started") s"
started=$(date +%s.%N)
sql "DELETE FROM telemetry_hourly; $(sed -n "/$backfill_start/,\$p" "$backfill_from")"
echo "  hourly counts computed in $(seconds_since "$started") s: $(sql "SELECT count(*) FROM telemetry_hourly") cells over $(sql "SELECT count(*) FROM telemetry_events") raw events"

servers=(cached uncached)
start_server cached "$BIN" "$database_url" FERRLABS_STATS_CACHE_S=5
start_server uncached "$BIN" "$database_url" FERRLABS_STATS_CACHE_S=0
if [ -n "$BASELINE_BIN" ]; then
  echo "seeding the baseline's database the same way"
  env "${server_env[@]}" "DATABASE_URL=sqlite:$work/baseline.db" "$BASELINE_BIN" migrate >/dev/null 2>&1
  seed_sqlite "$work/baseline.db"
  # A baseline that reads hourly counts gets them computed the same way (older ones read raw rows).
  if [ -n "$(sqlite3 "$work/baseline.db" "SELECT name FROM sqlite_master WHERE name = 'telemetry_hourly'")" ]; then
    sqlite3 "$work/baseline.db" "DELETE FROM telemetry_hourly; $(sed -n "/$backfill_start/,\$p" "$backfill_from")"
  fi
  start_server baseline "$BASELINE_BIN" "sqlite:$work/baseline.db"
  servers+=(baseline)
fi

echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s; servers: ${servers[*]}"
printf "%-9s %-28s %12s %10s %8s\n" server path req/s p99_ms non2xx
for s in "${servers[@]}"; do
  port_var="port_$s"
  for path in /telemetry /fr/telemetry /v1/telemetry/stats "/v1/telemetry/stats?days=90"; do
    wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --timeout 30s --latency "http://127.0.0.1:${!port_var}$path" >"$work/wrk.out"
    read -r rps p99 bad _ < <(wrk_summary "$work/wrk.out")
    printf "%-9s %-28s %12.0f %10.2f %8d\n" "$s" "$path" "$rps" "$p99" "$bad"
  done
done
echo "targets: GET /telemetry and /v1/telemetry/stats p99 <= 50 ms, >= 1000 page loads/s from 16 clients"
