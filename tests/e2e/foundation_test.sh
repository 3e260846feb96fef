#!/usr/bin/env bash
# Black-box checks of the binary: commands, configuration errors, serving, graceful stop.
FERR_BIN=${1:?usage: foundation_test.sh PATH_TO_BINARY}
source "$(dirname "$0")/lib.sh"

# --- commands that do not serve ---
out=$("$FERR_BIN" version)
check "version prints the name and a semantic version" 1 "$(grep -cE '^ferrlabs-api [0-9]+\.[0-9]+\.[0-9]+$' <<<"$out")"

salt1=$("$FERR_BIN" gen-salt)
salt2=$("$FERR_BIN" gen-salt)
check "gen-salt prints 64 lowercase hex characters" 1 "$(grep -cE '^[0-9a-f]{64}$' <<<"$salt1")"
[ "$salt1" != "$salt2" ] && pass "gen-salt is random" || fail "gen-salt is random"

help=$("$FERR_BIN" --help)
check "--help exits 0" 0 $?
for command in serve migrate gen-salt version; do
  check_contains "--help lists $command" "$command" "$help"
done
serve_help=$("$FERR_BIN" serve --help)
check_contains "serve --help names the environment variable of each flag" "FERRLABS_TELEMETRY_SALT" "$serve_help"

# --- invalid configuration: one clear line naming the variable, exit status 2 ---
expect_config_error() {
  local variable=$1
  shift
  local err
  # Bounded: a configuration wrongly accepted would serve for ever (timeout's 124 fails the check).
  err=$(cd "$E2E_WORK" && timeout 30 env "$@" "$FERR_BIN" serve 2>&1 >/dev/null)
  local status=$?
  check "$variable invalid ($*): exit status 2" 2 "$status"
  check "$variable invalid ($*): one line" 1 "$(wc -l <<<"$err")"
  check_contains "$variable invalid ($*): names the variable" "invalid configuration: $variable:" "$err"
}
expect_config_error FERRLABS_LISTEN FERRLABS_LISTEN=nonsense
expect_config_error FERRLABS_TELEMETRY_SALT FERRLABS_TELEMETRY_SALT=abc
expect_config_error FERRLABS_TELEMETRY_SALT FERRLABS_TELEMETRY_SALT="$(printf 'zz%.0s' {1..32})"
expect_config_error DATABASE_URL DATABASE_URL=mysql://localhost/db
expect_config_error DATABASE_URL DATABASE_URL=sqlite:/proc/ferrlabs/forbidden.db
expect_config_error JWT_SECRET FERRLABS_ENV=production FERRLABS_TELEMETRY_SALT="$salt1"
expect_config_error FERRLABS_TELEMETRY_SALT FERRLABS_ENV=production JWT_SECRET=0123456789abcdef0123456789abcdef
expect_config_error FERRLABS_LOG FERRLABS_LOG=loud
# Issue 14 item 13: the log transport (codes and reset links in the log) is refused in production,
# as FERRLABS_MAIL's default and when named; so is anything but 0 or 1 for the plaintext override.
prod_secrets=(FERRLABS_ENV=production FERRLABS_TELEMETRY_SALT="$salt1" JWT_SECRET=0123456789abcdef0123456789abcdef)
expect_config_error FERRLABS_MAIL "${prod_secrets[@]}"
expect_config_error FERRLABS_MAIL "${prod_secrets[@]}" FERRLABS_MAIL=log
err=$(cd "$E2E_WORK" && timeout 30 env "${prod_secrets[@]}" FERRLABS_MAIL=log "$FERR_BIN" serve 2>&1 >/dev/null)
check "production with FERRLABS_MAIL=log: the exact line" \
  "invalid configuration: FERRLABS_MAIL: log (mail text in the log) is refused when FERRLABS_ENV=production: use smtp://, smtps:// or file:DIR" "$err"
expect_config_error FERRLABS_MAIL_ALLOW_PLAINTEXT FERRLABS_MAIL_ALLOW_PLAINTEXT=yes
err=$("$FERR_BIN" serve --threads 0 2>&1 >/dev/null)
check "a bad flag value exits 2" 2 $?
check_contains "a bad flag value names the variable" "FERRLABS_THREADS" "$err"
"$FERR_BIN" serve --no-such-flag >/dev/null 2>&1
check "an unknown flag exits 2" 2 $?

# --- migrate ---
mkdir -p "$E2E_WORK/migrate"
out=$(cd "$E2E_WORK/migrate" && "$FERR_BIN" migrate --database-url sqlite:./data/db.sqlite 2>/dev/null)
check "migrate succeeds" 0 $?
check_contains "migrate reports what it applied" "applied" "$out"
[ -f "$E2E_WORK/migrate/data/db.sqlite" ] && pass "migrate creates the database file" || fail "migrate creates the database file"
out=$(cd "$E2E_WORK/migrate" && "$FERR_BIN" migrate --database-url sqlite:./data/db.sqlite 2>/dev/null)
check_contains "a second migrate applies nothing" "0 migrations applied" "$out"

# --- serving with the defaults (SQLite under ./var/) ---
start_server main || { finish; exit 1; }
[ -f "$SERVER_DIR/var/ferrlabs.db" ] && pass "the default database lives under ./var/" || fail "the default database lives under ./var/"
check_contains "the missing salt is warned about loudly" "FERRLABS_TELEMETRY_SALT is not set" "$(cat "$SERVER_LOG")"
check "GET /health is 200" 200 "$(status_of GET /health)"
check "GET /health body" '{"status":"ok","service":"ferrlabs-api","version":"'"$("$FERR_BIN" version | cut -d' ' -f2)"'"}' "$(curl -s "$(url /health)")"
check "GET /readyz is 200" 200 "$(status_of GET /readyz)"
check "unknown route is 404" 404 "$(status_of GET /v1/unknown)"
check "wrong method is 405" 405 "$(status_of PUT /health)"
check_contains "/metrics counts /health" 'http_requests_total{method="GET",route="/health",status="200"} 2' "$(curl -s "$(url /metrics)")"

port=$SERVER_PORT
err=$(cd "$E2E_WORK" && FERRLABS_LISTEN="127.0.0.1:$port" DATABASE_URL=sqlite::memory: "$FERR_BIN" serve 2>&1 >/dev/null)
check "a port in use exits 2" 2 $?
check_contains "a port in use names FERRLABS_LISTEN on the last line" "invalid configuration: FERRLABS_LISTEN:" "$(tail -n1 <<<"$err")"

stop_server TERM
check "SIGTERM exits 0" 0 "$SERVER_EXIT"
check_contains "the shutdown is logged" '"msg":"stopped"' "$(cat "$SERVER_LOG")"
bad_lines=$(grep -vc '^{.*}$' "$SERVER_LOG")
check "every log line is a JSON object" 0 "$bad_lines"
jq -e . "$SERVER_LOG" >/dev/null 2>&1 && pass "every log line parses as JSON" || fail "every log line parses as JSON"
if grep -q '127.0.0.1"' <(grep '"msg":"request"' "$SERVER_LOG"); then
  fail "access lines carry no client address"
else
  pass "access lines carry no client address"
fi

start_server production FERRLABS_ENV=production DATABASE_URL=sqlite::memory: \
  FERRLABS_TELEMETRY_SALT="$salt1" JWT_SECRET=0123456789abcdef0123456789abcdef \
  FERRLABS_MAIL="file:$E2E_WORK/production-mail" || { finish; exit 1; }
check "production serves with a real mail transport" 200 "$(status_of GET /health)"
if grep -q "is not set" "$SERVER_LOG"; then fail "no ephemeral-secret warning when both are set"; else pass "no ephemeral-secret warning when both are set"; fi
stop_server TERM

start_server sigint DATABASE_URL=sqlite::memory: || { finish; exit 1; }
stop_server INT
check "SIGINT exits 0" 0 "$SERVER_EXIT"

finish
