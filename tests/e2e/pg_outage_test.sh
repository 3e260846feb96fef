#!/usr/bin/env bash
# PostgreSQL going away and coming back under a running instance (operations.md, "Backends"):
# while it is down, requests that need it get 503 SERVICE_UNAVAILABLE with Retry-After within a
# bounded time (never a hang, never a crash), /readyz says 503 and /health stays 200; once it is
# back, the same process serves again without a restart. Runs on a cluster of its own, which it
# pauses and resumes.
FERR_BIN=${1:?usage: pg_outage_test.sh PATH_TO_BINARY}
source "$(dirname "$0")/lib.sh"
cluster_script="$(dirname "$0")/../../scripts/pg-test-cluster.sh"
cluster_dir="$E2E_WORK/cluster"
server_url=$("$cluster_script" start "$cluster_dir") || { fail "the private cluster starts"; finish; exit 1; }
stop_cluster() { "$cluster_script" stop "$cluster_dir" >/dev/null 2>&1; cleanup; }
trap stop_cluster EXIT

mail_dir="$E2E_WORK/mail"
start_server outage "DATABASE_URL=$server_url" "FERRLABS_MAIL=file:$mail_dir" \
  FERRLABS_PASSWORD_MEMORY_KIB=1024 FERRLABS_PASSWORD_ITERATIONS=1 FERRLABS_AUTH_RATE=0 \
  FERRLABS_INGEST_RATE=0 JWT_SECRET=e2e-secret-that-is-long-enough-0123456789 ||
  { finish; exit 1; }
password="a long and memorable passphrase"
token=$(active_account ada@example.com "$password" "$mail_dir")
check "ready while the database runs" 200 "$(status_of GET /readyz)"
check "a session works" 200 "$(status_of GET /auth/me -H "Authorization: Bearer $token")"

"$cluster_script" pause "$cluster_dir" || fail "the cluster pauses"
# headers_of METHOD PATH [curl args...]: status line and headers, bounded to 15 s.
headers_of() {
  local method=$1 path=$2
  shift 2
  curl -s -o "$E2E_WORK/body" -D - --max-time 15 -X "$method" "$@" "$(url "$path")" | tr -d '\r'
}
me=$(headers_of GET /auth/me -H "Authorization: Bearer $token")
check_contains "a read while it is down is a 503" "HTTP/1.1 503" "$me"
check_contains "with Retry-After" "Retry-After: 1" "$me"
check "and the API's error code" SERVICE_UNAVAILABLE "$(jq -r .code "$E2E_WORK/body")"
login=$(headers_of POST /auth/login -H 'Content-Type: application/json' \
  -d "{\"email\":\"ada@example.com\",\"password\":\"$password\"}")
check_contains "a login is a 503" "HTTP/1.1 503" "$login"
ingest=$(headers_of POST /v1/telemetry -H 'Content-Type: application/json' \
  -d '{"surface":"ferrflow","event":"cli.run","schema_version":1,"properties":{"command":"release"}}')
check_contains "an envelope is a 503, not a 202" "HTTP/1.1 503" "$ingest"
check_contains "which the client retries later" "Retry-After: 1" "$ingest"
check "/readyz reports 503" 503 "$(status_of GET /readyz --max-time 15)"
check "/health stays 200 (no restart wanted)" 200 "$(status_of GET /health --max-time 15)"
kill -0 "$SERVER_PID" 2>/dev/null && pass "the process is still running" || fail "the process is still running"

"$cluster_script" resume "$cluster_dir" >/dev/null || fail "the cluster resumes"
deadline=$((SECONDS + 30))
until [ "$(status_of GET /readyz --max-time 15)" = 200 ] || [ $SECONDS -ge $deadline ]; do sleep 0.1; done
check "ready again without a restart" 200 "$(status_of GET /readyz)"
check "the session made before the outage still works" 200 \
  "$(status_of GET /auth/me -H "Authorization: Bearer $token")"
check "logins work again" 200 "$(status_of POST /auth/login -H 'Content-Type: application/json' \
  -d "{\"email\":\"ada@example.com\",\"password\":\"$password\"}")"
stop_server TERM
check "SIGTERM exits 0" 0 "$SERVER_EXIT"
if grep -q "postgres://" "$SERVER_LOG"; then fail "the database URL never reaches the log"; else pass "the database URL never reaches the log"; fi

finish
