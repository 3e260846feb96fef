#!/usr/bin/env bash
# Telemetry through the built binary: server events land in the database with the configured
# key's id and no trace of the key in the log; ingested envelopes are stored once, with no address
# in the database or in the log; a SIGTERM under load (logins and ingestion) loses no accepted
# event; the `purge` command rolls up and removes what is older than the retention window.
FERR_BIN=${1:?usage: telemetry_test.sh PATH_TO_BINARY}
source "$(dirname "$0")/lib.sh"
new_database e2e || exit 1

salt=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
mail_dir="$E2E_WORK/mail"
server_env=("DATABASE_URL=$E2E_DATABASE_URL" "FERRLABS_MAIL=file:$mail_dir"
  FERRLABS_PASSWORD_MEMORY_KIB=1024 FERRLABS_PASSWORD_ITERATIONS=1 FERRLABS_TELEMETRY_SALT=$salt
  FERRLABS_AUTH_RATE=0 FERRLABS_INGEST_RATE=0 FERRLABS_LOG=info
  JWT_SECRET=e2e-secret-that-is-long-enough-0123456789)
start_server telemetry "${server_env[@]}" || { finish; exit 1; }
# sql QUERY: its rows as `a|b|c` lines on either backend. The few queries that differ in dialect
# use the helpers below: ts MS (a time literal), is_hex32 COLUMN, as_text COLUMN, columns_of TABLE.
if [ "$E2E_BACKEND" = postgres ]; then
  sql() { psql -X -q -A -t "$E2E_DATABASE_URL" -c "$1"; }
  ts() { echo "ms_to_ts($1)"; }
  is_hex32() { echo "$1 ~ '^[0-9a-f]{32}\$'"; }
  as_text() { echo "$1::text"; }
  columns_of() {
    echo "SELECT string_agg(column_name, ' ' ORDER BY ordinal_position) FROM information_schema.columns WHERE table_name = '$1'"
  }
else
  db="$SERVER_DIR/data/e2e.db"
  sql() { sqlite3 -batch -noheader "$db" "$1"; }
  ts() { echo "$1"; }
  is_hex32() { echo "$1 GLOB '$(printf '[0-9a-f]%.0s' {1..32})'"; }
  as_text() { echo "$1"; }
  columns_of() { echo "SELECT group_concat(name, ' ') FROM pragma_table_info('$1')"; }
fi

# wait_for_rows SQL N: waits (at most 10 s) until the count query answers N; prints the answer.
wait_for_rows() {
  local deadline=$((SECONDS + 10)) n
  while n=$(sql "$1" 2>/dev/null); [ "$n" != "$2" ] && [ $SECONDS -lt $deadline ]; do sleep 0.05; done
  echo "$n"
}

password="a long and memorable passphrase"
token=$(active_account ada@example.com "$password" "$mail_dir")
check "auth.signup is written by the emitter" 1 \
  "$(wait_for_rows "SELECT count(*) FROM telemetry_events WHERE event = 'auth.signup'" 1)"
check "with the key id of the configured salt, origin server" "8e1199f3|server|ferrlabs" \
  "$(sql "SELECT key_id, origin, surface FROM telemetry_events WHERE event = 'auth.signup'")"
check "the user is a 32-hex pseudonym, never an id or an e-mail" 1 \
  "$(sql "SELECT count(*) FROM telemetry_events WHERE $(is_hex32 user_hash)")"
check "the table has no column for an IP, a user agent, an e-mail or a raw id" \
  "id event_id surface event org_hash user_hash properties schema_version origin key_id occurred_at received_at" \
  "$(sql "$(columns_of telemetry_events)")"

# Ingestion: a client's envelope is stored once, answered only when durable.
envelope='{"surface":"ferrflow","event":"cli.run","schema_version":1,"event_id":"0190f5c2-7b1a-7cde-8f00-123456789abc","properties":{"command":"release","exit_code":0,"duration_ms":812,"cli_version":"4.6.1","os":"linux","arch":"x86_64"}}'
ingest() { curl -s -X POST -H 'Content-Type: application/json' -H 'X-Forwarded-For: 203.0.113.77' -d "$1" "$(url "${2:-/v1/telemetry}")"; }
check "an envelope is accepted" '{"accepted":1,"duplicates":0}' "$(ingest "$envelope")"
check "and stored at once, origin ingest, no key id" "ingest|ferrflow|" \
  "$(sql "SELECT origin, surface, key_id FROM telemetry_events WHERE event = 'cli.run'")"
check "its retry is a duplicate" '{"accepted":0,"duplicates":1}' "$(ingest "$envelope")"
check "a batch stores the valid envelopes and reports the rest" \
  '{"accepted":1,"duplicates":1,"rejected":[{"index":1,"code":"VALIDATION_FAILED","field":"properties.os","error":"properties.os must be one of linux, macos, windows"}]}' \
  "$(ingest "{\"events\":[{\"surface\":\"ferrvault\",\"event\":\"vault.secret.injected\",\"schema_version\":1,\"properties\":{\"kind\":\"native\"}},{\"surface\":\"ferrflow\",\"event\":\"cli.run\",\"schema_version\":1,\"properties\":{\"os\":\"beos\"}},$envelope]}" /v1/telemetry/batch)"
check "a hostile body is a 400" 400 \
  "$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' -d '{"surface":' "$(url /v1/telemetry)")"

# Load: four clients log in over and over and two send envelopes; SIGTERM arrives in the middle.
# Every login answered 200 must have its auth.login row, and every envelope answered 202 its row,
# once the process has exited.
api POST /auth/logout "$token" >/dev/null
load_dir="$E2E_WORK/load"
mkdir -p "$load_dir"
for client in 1 2 3 4; do
  (
    while :; do
      code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        -d "{\"email\":\"ada@example.com\",\"password\":\"$password\"}" "$(url /auth/login)")
      [ "$code" = 200 ] && echo ok >>"$load_dir/$client"
      [ "$code" = 000 ] && break
    done
  ) &
done
for client in 1 2; do
  (
    while :; do
      code=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
        -d '{"surface":"ferrtrack","event":"track.issue.created","schema_version":1,"properties":{"source":"ui"}}' \
        "$(url /v1/telemetry)")
      [ "$code" = 202 ] && echo ok >>"$load_dir/ingest-$client"
      [ "$code" = 000 ] && break
    done
  ) &
done
# SIGTERM once both loads have a hundred answers (or after 30 s: a sanitizer build on a busy
# machine is slow; the checks below only need both loads to have been running).
count() { cat "$@" 2>/dev/null | wc -l; }
deadline=$((SECONDS + 30))
until { [ "$(count "$load_dir"/[0-9])" -ge 100 ] && [ "$(count "$load_dir"/ingest-*)" -ge 100 ]; } ||
  [ $SECONDS -ge $deadline ]; do sleep 0.05; done
stop_server TERM
wait  # the clients stop once the server is gone
check "SIGTERM under load exits 0" 0 "$SERVER_EXIT"
answered=$(cat "$load_dir"/[0-9] | wc -l)
[ "$answered" -ge 20 ] && pass "the load ran ($answered logins answered 200)" || fail "the load ran" "$answered"
logged_in=$(sql "SELECT count(*) FROM telemetry_events WHERE event = 'auth.login'")
check "every answered login has its auth.login row" "$answered" "$logged_in"
if [ "$logged_in" != "$answered" ]; then
  # What the server says it answered, to tell a lost answer from a lost row.
  echo "  server's access lines for /auth/login, by status:"
  grep '"route":"/auth/login"' "$SERVER_LOG" | grep -oE '"status":[0-9]+' | sort | uniq -c
  grep -E '"msg":"(draining|stopped)"' "$SERVER_LOG"
fi
accepted=$(cat "$load_dir"/ingest-* | wc -l)
[ "$accepted" -ge 20 ] && pass "ingestion ran under load ($accepted envelopes answered 202)" || fail "ingestion ran under load" "$accepted"
check "every envelope answered 202 has its row" "$accepted" \
  "$(sql "SELECT count(*) FROM telemetry_events WHERE event = 'track.issue.created'")"
check "the log has access lines for ingestion" 1 \
  "$(grep -c '"route":"/v1/telemetry/batch"' "$SERVER_LOG")"
if grep -qE '127\.0\.0\.1|203\.0\.113\.77' <(grep -v '"msg":"listening"' "$SERVER_LOG"); then
  fail "no client address reaches the log"
else
  pass "no client address reaches the log"
fi
check "nor the database" 0 \
  "$(sql "SELECT count(*) FROM telemetry_events WHERE $(as_text properties) LIKE '%203.0.113%' OR $(as_text properties) LIKE '%127.0.0.1%'")"
if grep -q "$salt" "$SERVER_LOG"; then fail "the salt never reaches the log"; else pass "the salt never reaches the log"; fi

# purge: rows older than the window go after their day is rolled up.
old=$(( ($(date +%s) - 100 * 86400) * 1000 ))
sql "INSERT INTO telemetry_events (id, surface, event, properties, schema_version, origin, occurred_at, received_at)
     VALUES ('0190f5c2-7b1a-7cde-8f00-000000000001', 'ferrflow', 'cli.run', '{}', 1, 'ingest', $(ts $old), $(ts $old)),
            ('0190f5c2-7b1a-7cde-8f00-000000000002', 'ferrflow', 'cli.run', '{}', 1, 'ingest', $(ts $old), $(ts $old))"
out=$(cd "$SERVER_DIR" && env "${server_env[@]}" "$FERR_BIN" purge 2>/dev/null)
check "purge prints what it removed" \
  "removed 2 raw telemetry events older than 90 days (1 day rolled up into telemetry_daily)" "$out"
check "the day's rollup stays" "ferrflow|cli.run|2" \
  "$(sql "SELECT surface, event, count FROM telemetry_daily")"
check "the old rows are gone" 0 "$(sql "SELECT count(*) FROM telemetry_events WHERE occurred_at = $(ts $old)")"
check "younger rows stay" "$answered" "$(sql "SELECT count(*) FROM telemetry_events WHERE event = 'auth.login'")"
check "a second purge removes nothing" \
  "removed 0 raw telemetry events older than 90 days (0 days rolled up into telemetry_daily)" \
  "$(cd "$SERVER_DIR" && env "${server_env[@]}" "$FERR_BIN" purge 2>/dev/null)"

finish
