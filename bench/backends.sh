#!/usr/bin/env bash
# The storage backends side by side (issue 13; method and figures in docs/performance.md):
#
#   bench/backends.sh [ROUNDS] [SECONDS]
#   BENCH_BASELINE=<git revision> bench/backends.sh …   also the release binary of that revision
#   BENCH_BASELINE_DATABASE=postgres …                 that binary on PostgreSQL (a database of
#                                                       its own in the same cluster), not SQLite
#
# Starts, at once and for the whole run: this release binary on SQLite, the same binary on a
# throwaway PostgreSQL cluster (scripts/pg-test-cluster.sh, fsync off, on these same cores), and,
# with BENCH_BASELINE, the baseline revision's release binary on SQLite or PostgreSQL (built once into
# build/baseline-<rev>/ from `git archive`, no network). Each round runs, against each server in
# turn, `wrk -t2 -c$CONNECTIONS`: an authenticated GET /v1/orgs/{slug}, then a PATCH of a
# subscription alternating tiers (every request changes the tier, writes an audit row and emits
# product.tier_changed); then pgbench on the same cluster with the very statements one such
# request sends, in the same round trips (the statement files of src/storage/postgres/statements,
# parameters bound the same way; BEGIN travels with the first statements and COMMIT with the
# last, as pipelines). The same read is also run with a personal API token in both headers
# (issue 15: presenting a token must cost no more than an access token). It prints every run,
# the medians and the ratios the issues ask for.
# Everything listens on 127.0.0.1 only, and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
DURATION=${2:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
PGBENCH_CLIENTS=${BENCH_PGBENCH_CLIENTS:-16}
BIN=$PWD/build/release/src/ferrlabs-api
STATEMENTS=$PWD/src/storage/postgres/statements
[ -x "$BIN" ] || { echo "build the release preset first (make release)"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh"; exit 1; }
PGBENCH=${PGBENCH:-/usr/lib/postgresql/15/bin/pgbench}
[ -x "$PGBENCH" ] || PGBENCH=$(command -v pgbench)

source bench/lib.sh
# The baseline binary, built once per revision.
BASELINE_BIN=""
if [ -n "${BENCH_BASELINE:-}" ]; then
  baseline_binary "$BENCH_BASELINE"
fi

bench_workspace

pg_url=$(start_cluster)
psql_q() { psql -X -q -A -t "$pg_url" -c "$1"; }

# start NAME BINARY DATABASE_URL: a server in $work/NAME, rate limits off; sets port_NAME.
start() { start_server "$1" "$2" "$3" FERRLABS_AUTH_RATE=0 FERRLABS_INGEST_RATE=0; }

# setup NAME: an account, an org `acme` with ferrflow live; sets token_NAME (an access token)
# and pat_NAME (a personal API token; "null" on a baseline that predates them).
setup() {
  local name=$1 port_var="port_$1"
  bench_account "http://127.0.0.1:${!port_var}" "$work/$name/mail"
  call POST /v1/orgs "$token" '{"slug":"acme","name":"Acme"}' >/dev/null
  call POST /v1/orgs/acme/subscriptions "$token" '{"product":"ferrflow","tier":"team"}' >/dev/null
  printf -v "token_$name" '%s' "$token"
  printf -v "pat_$name" '%s' "$(call POST /v1/auth/tokens "$token" '{"name":"bench","scopes":["*"]}' | jq -r .plaintext 2>/dev/null)"
}

servers=(sqlite postgres)
start sqlite "$BIN" "sqlite:./bench.db"
start postgres "$BIN" "$pg_url"
BASELINE_DATABASE=${BENCH_BASELINE_DATABASE:-sqlite}
if [ -n "$BASELINE_BIN" ]; then
  case $BASELINE_DATABASE in
    sqlite) start baseline "$BASELINE_BIN" "sqlite:./bench.db" ;;
    postgres)
      psql_q "CREATE DATABASE baseline"
      start baseline "$BASELINE_BIN" "${pg_url%/*}/baseline"
      ;;
    *) echo "BENCH_BASELINE_DATABASE: sqlite or postgres"; exit 2 ;;
  esac
  servers+=(baseline)
fi
for s in "${servers[@]}"; do setup "$s"; done

# pgbench scripts from the statement files: `$N` becomes the variable the request binds there.
# stmt FILE VALUE1 VALUE2 …: the statement with $1, $2, … replaced (highest first), then `;`.
stmt() {
  local file=$STATEMENTS/$1.sql text
  shift
  text=$(grep -vE '^[[:space:]]*--' "$file")
  for ((i = $#; i >= 1; i--)); do text=${text//\$$i/${!i}}; done
  printf '%s;\n' "$text"
}
user_id=$(psql_q "SELECT id FROM users LIMIT 1")
session_id=$(psql_q "SELECT id FROM sessions WHERE revoked_at IS NULL ORDER BY created_at DESC LIMIT 1")
org_id=$(psql_q "SELECT id FROM organizations WHERE slug = 'acme'")
now_ms="(extract(epoch FROM clock_timestamp()) * 1000)::bigint"
# The authenticated read: one statement, the session check inside it.
stmt org_for_member "'$user_id'" "'acme'" "'$session_id'" >"$work/read.sql"
# The re-tier: the read above, then [BEGIN, lock-org, lock-subscription] and
# [update, audit row, COMMIT], each pair of brackets one pipeline (one round trip).
for tier in pro team; do
  {
    stmt org_for_member "'$user_id'" "'acme'" "'$session_id'"
    echo '\startpipeline'
    echo 'BEGIN;'
    stmt lock_org "'$org_id'"
    stmt lock_subscription "'$org_id'" "'ferrflow'"
    echo '\endpipeline'
    echo '\startpipeline'
    stmt change_tier "'$tier'" "$now_ms" "'$org_id'" "'ferrflow'"
    stmt insert_audit "gen_random_uuid()" "'$org_id'" "'$user_id'" "'subscription.tier_changed'" \
      "'ferrflow'" "'{\"from\":\"team\",\"to\":\"$tier\"}'" "$now_ms"
    echo 'COMMIT;'
    echo '\endpipeline'
  } >"$work/retier_$tier.sql"
done

# run_pgbench NAME SCRIPT…: appends "tps" to $work/NAME.
run_pgbench() {
  local name=$1
  shift
  local args=()
  for f in "$@"; do args+=(-f "$f"); done
  "$PGBENCH" -n -M prepared -c "$PGBENCH_CLIENTS" -j 2 -T "$DURATION" "${args[@]}" "$pg_url" >"$work/pgbench.out" 2>&1 ||
    { cat "$work/pgbench.out"; exit 1; }
  awk '/^tps = / {printf "%d\n", $3}' "$work/pgbench.out" >>"$work/$name"
  tail -n1 "$work/$name"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", a / b}'; }

echo "wrk -t2 -c$CONNECTIONS -d${DURATION}s, pgbench -c$PGBENCH_CLIENTS -j2, $ROUNDS rounds, $(nproc) cores; servers: ${servers[*]}"
for round in $(seq "$ROUNDS"); do
  echo "round $round"
  for s in "${servers[@]}"; do
    port_var="port_$s" token_var="token_$s"
    base="http://127.0.0.1:${!port_var}"
    printf "  %-9s %-30s %s\n" "$s" "GET /v1/orgs/acme" "$(record_wrk "read_$s" "$base/v1/orgs/acme" -H "Authorization: Bearer ${!token_var}")"
    printf "  %-9s %-30s %s\n" "$s" "PATCH …/subscriptions/ferrflow" "$(BENCH_PATH=/v1/orgs/acme/subscriptions/ferrflow BENCH_AUTH=${!token_var} record_wrk "write_$s" "$base" -s bench/retier.lua)"
    pat_var="pat_$s"
    [ "${!pat_var}" = null ] || printf "  %-9s %-30s %s\n" "$s" "GET /v1/orgs/acme (API token)" \
      "$(record_wrk "pat_$s" "$base/v1/orgs/acme" -H "Authorization: Bearer ${!pat_var}" -H "x-api-token: ${!pat_var}")"
  done
  printf "  %-9s %-30s %s\n" pgbench "read statement" "$(run_pgbench pgbench_read "$work/read.sql")"
  printf "  %-9s %-30s %s\n" pgbench "re-tier statements" "$(run_pgbench pgbench_write "$work/retier_pro.sql" "$work/retier_team.sql")"
done

echo
echo "medians over $ROUNDS rounds (req/s; p99 ms)"
for s in "${servers[@]}"; do
  printf "%-9s read %8.0f (p99 %6.2f)   re-tier %8.0f (p99 %6.2f)   non-2xx %d/%d\n" "$s" \
    "$(median "read_$s" 1)" "$(median "read_$s" 2)" "$(median "write_$s" 1)" "$(median "write_$s" 2)" \
    "$(median "read_$s" 3)" "$(median "write_$s" 3)"
done
printf "%-9s read %8.0f tps              re-tier %8.0f tps\n" pgbench "$(median pgbench_read 1)" "$(median pgbench_write 1)"
echo
printf "PostgreSQL / SQLite:   read %s (target >= 0.5)   re-tier %s (target >= 0.4)\n" \
  "$(ratio "$(median read_postgres 1)" "$(median read_sqlite 1)")" "$(ratio "$(median write_postgres 1)" "$(median write_sqlite 1)")"
printf "PostgreSQL / pgbench:  read %s                   re-tier %s (where PostgreSQL is the ceiling: target >= 0.8)\n" \
  "$(ratio "$(median read_postgres 1)" "$(median pgbench_read 1)")" "$(ratio "$(median write_postgres 1)" "$(median pgbench_write 1)")"
printf "API token / access token, same read:  SQLite %s   PostgreSQL %s (target >= 1, within noise)\n" \
  "$(ratio "$(median pat_sqlite 1)" "$(median read_sqlite 1)")" "$(ratio "$(median pat_postgres 1)" "$(median read_postgres 1)")"
if [ -n "$BASELINE_BIN" ]; then
  printf "%s, this / baseline %s:  read %s   re-tier %s (target >= 1, within noise)\n" "$BASELINE_DATABASE" "$rev" \
    "$(ratio "$(median "read_$BASELINE_DATABASE" 1)" "$(median read_baseline 1)")" \
    "$(ratio "$(median "write_$BASELINE_DATABASE" 1)" "$(median write_baseline 1)")"
fi
