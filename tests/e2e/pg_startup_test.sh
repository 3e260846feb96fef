#!/usr/bin/env bash
# Start-up while PostgreSQL is down (docs/postgres.md, "Start-up"): `serve` listens at once and
# waits for the database within FERRLABS_DATABASE_WAIT_S. Meanwhile /health is 200, /readyz 503
# and every other route 503 SERVICE_UNAVAILABLE with Retry-After; the cluster then comes up and
# the same process becomes ready and serves. Past the bound the process exits 2 with one line;
# SIGTERM while waiting exits 0. Runs on a cluster of its own, stopped before the binary starts.
FERR_BIN=${1:?usage: pg_startup_test.sh PATH_TO_BINARY}
source "$(dirname "$0")/lib.sh"
cluster_script="$(dirname "$0")/../../scripts/pg-test-cluster.sh"
cluster_dir="$E2E_WORK/cluster"
server_url=$("$cluster_script" start "$cluster_dir") || { fail "the private cluster starts"; finish; exit 1; }
stop_cluster() { "$cluster_script" stop "$cluster_dir" >/dev/null 2>&1; cleanup; }
trap stop_cluster EXIT
# Its port and URL are known; the server is down until `resume`.
"$cluster_script" pause "$cluster_dir" || fail "the cluster stops"

mail_dir="$E2E_WORK/mail"
# These servers are checked while they wait for the database: listening is enough.
E2E_AWAIT_DATABASE=0
common=("DATABASE_URL=$server_url" "FERRLABS_MAIL=file:$mail_dir" FERRLABS_PASSWORD_MEMORY_KIB=1024
  FERRLABS_PASSWORD_ITERATIONS=1 FERRLABS_AUTH_RATE=0 FERRLABS_INGEST_RATE=0
  JWT_SECRET=e2e-secret-that-is-long-enough-0123456789)

# 1. The database comes up after the binary.
start_server waiting "${common[@]}" FERRLABS_DATABASE_WAIT_S=300 ||
  { fail "the server listens while the database is down"; finish; exit 1; }
wait_for_line "$SERVER_LOG" '"msg":"database not available, retrying"' 30 &&
  pass "a failed attempt is logged" || fail "a failed attempt is logged"
check "/health is 200 while the database is down" 200 "$(status_of GET /health)"
check "/readyz is 503 while the database is down" 503 "$(status_of GET /readyz)"
headers=$(curl -s -o "$E2E_WORK/body" -D - --max-time 15 -X POST -H 'Content-Type: application/json' \
  -d '{"email":"ada@example.com","password":"a long and memorable passphrase"}' \
  "$(url /auth/register)" | tr -d '\r')
check_contains "a business route is a 503" "HTTP/1.1 503" "$headers"
check_contains "with Retry-After" "Retry-After: 1" "$headers"
check "and the API's error code" SERVICE_UNAVAILABLE "$(jq -r .code "$E2E_WORK/body")"
check "a telemetry envelope is a 503" 503 "$(status_of POST /v1/telemetry -H 'Content-Type: application/json' \
  -d '{"surface":"ferrflow","event":"cli.run","schema_version":1,"properties":{"command":"release"}}')"
kill -0 "$SERVER_PID" 2>/dev/null && pass "the process keeps running" || fail "the process keeps running"

"$cluster_script" resume "$cluster_dir" >/dev/null || fail "the cluster starts"
wait_for_line "$SERVER_LOG" '"msg":"database ready"' 60 &&
  pass "the wait ends once the database answers" || fail "the wait ends once the database answers"
check "ready without a restart" 200 "$(status_of GET /readyz)"
password="a long and memorable passphrase"
token=$(active_account ada@example.com "$password" "$mail_dir")
check "an account journey works" 200 "$(status_of GET /auth/me -H "Authorization: Bearer $token")"
check "and logins" 200 "$(status_of POST /auth/login -H 'Content-Type: application/json' \
  -d "{\"email\":\"ada@example.com\",\"password\":\"$password\"}")"
stop_server TERM
check "SIGTERM exits 0" 0 "$SERVER_EXIT"
if grep -q "postgres://" "$SERVER_LOG"; then fail "the database URL never reaches the log"; else pass "the database URL never reaches the log"; fi

# 2. The bound is exceeded: status 2 and one line naming the variables.
"$cluster_script" pause "$cluster_dir" || fail "the cluster stops again"
launch_server bounded "${common[@]}" FERRLABS_DATABASE_WAIT_S=1
wait "$SERVER_PID"
check "past FERRLABS_DATABASE_WAIT_S the process exits 2" 2 "$?"
last=$(tail -n 1 "$E2E_WORK/bounded/server.log")
check_contains "with the one-line error" \
  "invalid configuration: DATABASE_URL: the database did not answer within 1 s (FERRLABS_DATABASE_WAIT_S)" "$last"
if grep -q "postgres://" "$E2E_WORK/bounded/server.log"; then fail "no URL in that error"; else pass "no URL in that error"; fi

# 3. SIGTERM while waiting.
start_server interrupted "${common[@]}" FERRLABS_DATABASE_WAIT_S=300 ||
  { fail "the second server listens"; finish; exit 1; }
wait_for_line "$SERVER_LOG" '"msg":"database not available, retrying"' 30 ||
  fail "the second server is waiting"
stop_server TERM
check "SIGTERM while waiting exits 0" 0 "$SERVER_EXIT"
grep -q '"msg":"stopped"' "$SERVER_LOG" && pass "after the usual shutdown" || fail "after the usual shutdown"

finish
