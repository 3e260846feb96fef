#!/usr/bin/env bash
# Two API instances on one PostgreSQL database at once (operations.md, "Backends"): any instance
# serves any request. A session made on one works on the other (and its revocation too), so do
# API tokens and account erasure, login throttling and opt-out flags hold across both, and events
# sent to both land once.
FERR_BIN=${1:?usage: multi_instance_test.sh PATH_TO_BINARY}
source "$(dirname "$0")/lib.sh"
[ "$E2E_BACKEND" = postgres ] || { echo "multi_instance_test.sh needs FERR_E2E_BACKEND=postgres"; exit 1; }
new_database shared || exit 1
sql() { psql -X -q -A -t "$E2E_DATABASE_URL" -c "$1"; }

mail_dir="$E2E_WORK/mail"
# Per-IP rate limits are per instance by design: switched off so only the shared state decides.
server_env=("DATABASE_URL=$E2E_DATABASE_URL" "FERRLABS_MAIL=file:$mail_dir"
  FERRLABS_PASSWORD_MEMORY_KIB=1024 FERRLABS_PASSWORD_ITERATIONS=1 FERRLABS_AUTH_RATE=0
  FERRLABS_INGEST_RATE=0 FERRLABS_TELEMETRY_SALT=000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f
  JWT_SECRET=e2e-secret-that-is-long-enough-0123456789)
# Both start at once: the migrations' advisory lock makes one apply them and the other wait.
launch_server a "${server_env[@]}"
a_pid=$SERVER_PID
launch_server b "${server_env[@]}"
b_pid=$SERVER_PID
await_server a || { finish; exit 1; }
a_port=$SERVER_PORT
await_server b || { finish; exit 1; }
b_port=$SERVER_PORT
on_a() { SERVER_PORT=$a_port "$@"; }
on_b() { SERVER_PORT=$b_port "$@"; }
check "both instances are ready" "200 200" "$(on_a status_of GET /readyz) $(on_b status_of GET /readyz)"
migrations=$(find "$(dirname "$0")/../../src/storage/postgres/migrations" -name "[0-9]*.sql" | wc -l)
check "the schema was migrated once" "$migrations" "$(sql "SELECT count(*) FROM schema_migrations")"

# Sessions: signed up and verified on A, used and refreshed on B, revoked on A.
password="a long and memorable passphrase"
token=$(on_a active_account ada@example.com "$password" "$mail_dir")
check "a token made on A is accepted by B" 200 \
  "$(on_b status_of GET /auth/me -H "Authorization: Bearer $token")"
login=$(on_a api POST /auth/login "" "{\"email\":\"ada@example.com\",\"password\":\"$password\"}")
refresh=$(body_of "$login" | jq -r .refresh_token)
rotated=$(on_b api POST /auth/refresh "" "{\"refresh_token\":\"$refresh\"}")
check "a refresh token issued by A rotates on B" 200 "$(status_in "$rotated")"
successor=$(body_of "$rotated" | jq -r .refresh_token)
replayed=$(on_a api POST /auth/refresh "" "{\"refresh_token\":\"$refresh\"}")
check "the spent token replayed on A within the grace window gets B's successor" \
  "200 $successor" "$(status_in "$replayed") $(body_of "$replayed" | jq -r .refresh_token)"
check "a logout on A" 204 \
  "$(on_a status_of POST /auth/logout -H "Authorization: Bearer $(body_of "$replayed" | jq -r .access_token)")"
check "revokes the session for B too" 401 \
  "$(on_b status_of POST /auth/refresh -H 'Content-Type: application/json' -d "{\"refresh_token\":\"$successor\"}")"

# API tokens: made on A, used on B with both headers, revoked on A: refused by B at once (no
# cache holds a token); an org token dies on B when its creator is demoted on A; an erasure on A
# kills every credential of the person on B.
dora=$(on_a active_account dora@example.com "$password" "$mail_dir")
pat=$(body_of "$(on_a api POST /v1/auth/tokens "$dora" '{"name":"mcp","scopes":["*"]}')" | jq -r .plaintext)
pat_id=$(body_of "$(on_a api GET /v1/auth/tokens "$dora")" | jq -r '.[0].id')
check "a personal token made on A works on B, in both headers" 200 \
  "$(on_b status_of GET /v1/auth/me -H "Authorization: Bearer $pat" -H "x-api-token: $pat")"
check "it is revoked on A" 200 "$(status_in "$(on_a api DELETE "/v1/auth/tokens/$pat_id" "$dora")")"
check "and refused by B at once" 401 \
  "$(on_b status_of GET /v1/auth/me -H "Authorization: Bearer $pat" -H "x-api-token: $pat")"
check "dora creates an org on A" 201 \
  "$(status_in "$(on_a api POST /v1/orgs "$dora" '{"slug":"dora-co","name":"Dora Co"}')")"
on_a active_account eve@example.com "$password" "$mail_dir" >/dev/null
check "eve joins it as an admin" 201 "$(status_in "$(on_a api POST /v1/orgs/dora-co/members "$dora" \
  '{"email":"eve@example.com","role":"admin"}')")"
eve=$(body_of "$(on_b api POST /auth/login "" "{\"email\":\"eve@example.com\",\"password\":\"$password\"}")" | jq -r .access_token)
eve_id=$(body_of "$(on_b api GET /v1/auth/me "$eve")" | jq -r .id)
org_token=$(body_of "$(on_b api POST /v1/orgs/dora-co/tokens "$eve" '{"name":"bot","scopes":["*"]}')" | jq -r .plaintext)
check "eve's org token works on A" 200 "$(on_a status_of GET /v1/orgs/dora-co -H "x-api-token: $org_token")"
check "dora demotes eve on A" 200 "$(status_in "$(on_a api PATCH "/v1/orgs/dora-co/members/$eve_id" "$dora" '{"role":"member"}')")"
check "eve's creator-owned token is refused by B" 401 \
  "$(on_b status_of GET /v1/orgs/dora-co -H "x-api-token: $org_token")"
eve_pat=$(body_of "$(on_b api POST /v1/auth/tokens "$eve" '{"name":"ci","scopes":["*"]}')" | jq -r .plaintext)
# Her login on B is written by B's emitter (asynchronously): wait for it beside ada's, so that
# the erasure below has a row of hers to delete.
logins() { sql "SELECT count(*) FROM telemetry_events WHERE event = 'auth.login'"; }
deadline=$((SECONDS + 10))
until [ "$(logins)" = 2 ] || [ $SECONDS -ge $deadline ]; do sleep 0.05; done
check "eve's login is stored beside ada's" 2 "$(logins)"
check "eve erases her account on A" 204 \
  "$(status_in "$(on_a api DELETE /v1/auth/me "$eve" "{\"password\":\"$password\"}")")"
check "her session and her token are refused by B" "401 401" \
  "$(on_b status_of GET /v1/auth/me -H "Authorization: Bearer $eve") $(on_b status_of GET /v1/auth/me -H "x-api-token: $eve_pat")"
check "her auth.login row is deleted, ada's kept" 1 "$(logins)"
left_of_eve="SELECT (SELECT count(*) FROM users WHERE id = '$eve_id' OR email = 'eve@example.com')
  + (SELECT count(*) FROM sessions WHERE user_id = '$eve_id')
  + (SELECT count(*) FROM refresh_tokens r JOIN sessions s ON s.id = r.session_id WHERE s.user_id = '$eve_id')
  + (SELECT count(*) FROM api_tokens WHERE user_id = '$eve_id')
  + (SELECT count(*) FROM org_memberships WHERE user_id = '$eve_id')
  + (SELECT count(*) FROM user_prefs WHERE user_id = '$eve_id')
  + (SELECT count(*) FROM verification_codes WHERE user_id = '$eve_id')
  + (SELECT count(*) FROM password_resets WHERE user_id = '$eve_id')
  + (SELECT count(*) FROM idempotency_keys WHERE user_id = '$eve_id')
  + (SELECT count(*) FROM login_throttle WHERE email = 'eve@example.com')
  + (SELECT count(*) FROM mail_throttle WHERE email = 'eve@example.com')"
check "no row of eve is left but audit actor ids" 0 "$(sql "$left_of_eve")"
check "whose audit entries keep her id" 1 \
  "$(sql "SELECT (count(*) > 0)::int FROM org_audit_log WHERE actor_id = '$eve_id'")"

# Login throttling counts failures made on either instance.
on_a active_account bob@example.com "$password" "$mail_dir" >/dev/null
bad='{"email":"bob@example.com","password":"not the password at all"}'
for i in 1 2 3; do on_a status_of POST /auth/login -H 'Content-Type: application/json' -d "$bad" >/dev/null; done
for i in 1 2; do on_b status_of POST /auth/login -H 'Content-Type: application/json' -d "$bad" >/dev/null; done
check "five failures split over A and B lock the account on A" 423 \
  "$(on_a status_of POST /auth/login -H 'Content-Type: application/json' -d "{\"email\":\"bob@example.com\",\"password\":\"$password\"}")"
check "and on B" 423 \
  "$(on_b status_of POST /auth/login -H 'Content-Type: application/json' -d "{\"email\":\"bob@example.com\",\"password\":\"$password\"}")"

# Opt-out: set on A, honoured by B's emitter for the next event.
carol=$(on_a active_account carol@example.com "$password" "$mail_dir")
check "carol opts out on A" 200 "$(status_in "$(on_a api PUT /v1/me/telemetry-prefs "$carol" '{"telemetry_opt_out":true}')")"
check "B reads the flag" '{"telemetry_opt_out":true}' \
  "$(body_of "$(on_b api GET /v1/me/telemetry-prefs "$carol")")"
check "carol logs in on B" 200 \
  "$(on_b status_of POST /auth/login -H 'Content-Type: application/json' -d "{\"email\":\"carol@example.com\",\"password\":\"$password\"}")"
opted_out() { on_b curl -s "$(url /metrics)" | grep 'telemetry_events_total{outcome="opted_out"}' | awk '{print $2}'; }
deadline=$((SECONDS + 10))
until [ "$(opted_out)" = 1 ] || [ $SECONDS -ge $deadline ]; do sleep 0.05; done
check "B's emitter suppressed carol's auth.login" 1 "$(opted_out)"

# Events sent to both land once: the same envelope (one event_id) ingested on A and on B, and
# one distinct envelope each.
envelope() {
  echo "{\"surface\":\"ferrflow\",\"event\":\"cli.run\",\"schema_version\":1,\"event_id\":\"$1\",\"properties\":{\"command\":\"release\"}}"
}
ingest() { curl -s -X POST -H 'Content-Type: application/json' -d "$1" "$(url /v1/telemetry)"; }
shared_id=0190f5c2-7b1a-7cde-8f00-00000000aaaa
check "A stores the envelope" '{"accepted":1,"duplicates":0}' "$(on_a ingest "$(envelope $shared_id)")"
check "B sees it as a duplicate" '{"accepted":0,"duplicates":1}' "$(on_b ingest "$(envelope $shared_id)")"
on_a ingest "$(envelope 0190f5c2-7b1a-7cde-8f00-00000000000a)" >/dev/null
on_b ingest "$(envelope 0190f5c2-7b1a-7cde-8f00-00000000000b)" >/dev/null
check "three distinct envelopes, three rows" 3 "$(sql "SELECT count(*) FROM telemetry_events WHERE event = 'cli.run'")"
# Concurrent duplicates: both instances receive the same 20 envelopes at the same time.
clients=()
for i in $(seq 10 29); do
  id=0190f5c2-7b1a-7cde-8f00-0000000000$i
  on_a ingest "$(envelope $id)" >"$E2E_WORK/race-a-$i" &
  clients+=($!)
  on_b ingest "$(envelope $id)" >"$E2E_WORK/race-b-$i" &
  clients+=($!)
done
wait "${clients[@]}"  # not a bare `wait`: the servers are children too
check "racing copies: 20 accepted in all" 20 "$(cat "$E2E_WORK"/race-* | grep -o '"accepted":1' | wc -l)"
check "and one row each" 23 "$(sql "SELECT count(*) FROM telemetry_events WHERE event = 'cli.run'")"

# Both stop cleanly, and the server events they accepted were written: ada's login on A (bob's
# were refused, carol's opted out, eve's went with her account).
kill -TERM "$a_pid" "$b_pid"
wait "$a_pid"; a_exit=$?
wait "$b_pid"; b_exit=$?
check "both exit 0 on SIGTERM" "0 0" "$a_exit $b_exit"
check "one auth.login row in all" 1 "$(sql "SELECT count(*) FROM telemetry_events WHERE event = 'auth.login'")"

finish
