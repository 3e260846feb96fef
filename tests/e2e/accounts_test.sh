#!/usr/bin/env bash
# The account journey through the built binary, as a client sees it:
# register → read the code from the .eml file → verify → login → me → refresh → logout.
FERR_BIN=${1:?usage: accounts_test.sh PATH_TO_BINARY}
source "$(dirname "$0")/lib.sh"
new_database e2e || exit 1

mail_dir="$E2E_WORK/mail"
start_server accounts "DATABASE_URL=$E2E_DATABASE_URL" "FERRLABS_MAIL=file:$mail_dir" \
  FERRLABS_PASSWORD_MEMORY_KIB=1024 FERRLABS_PASSWORD_ITERATIONS=1 \
  JWT_SECRET=e2e-secret-that-is-long-enough-0123456789 || { finish; exit 1; }

post() { curl -s -w '\n%{http_code}' -X POST -H 'Content-Type: application/json' "$@"; }
body() { sed '$d' <<<"$1"; }
status() { tail -n1 <<<"$1"; }

email="journey-$$@example.com"
password="a long and memorable passphrase"

r=$(post -d "{\"email\":\"$email\",\"password\":\"$password\",\"display_name\":\"Journey\"}" "$(url /auth/register)")
check "register answers 202" 202 "$(status "$r")"
check "register body" '{"status":"verification_pending"}' "$(body "$r")"

deadline=$((SECONDS + 20))
until grep -rls "$email" "$mail_dir" >/dev/null 2>&1 || [ $SECONDS -ge $deadline ]; do sleep 0.05; done
eml=$(grep -rls "$email" "$mail_dir" | head -n1)
[ -n "$eml" ] && pass "the verification mail is written as an .eml file" || fail "the verification mail is written as an .eml file"
check_contains "the .eml file has RFC 5322 headers" "Subject: " "$(cat "$eml" 2>/dev/null)"
code=$(grep -oE 'code is [0-9]{6}' "$eml" | grep -oE '[0-9]{6}')
check "the mail holds a six-digit code" 1 "$(grep -cE '^[0-9]{6}$' <<<"$code")"

r=$(post -d "{\"email\":\"$email\",\"code\":\"$code\"}" "$(url /auth/verify-email)")
check "verify-email answers 200" 200 "$(status "$r")"
check "verify-email returns a bearer token" Bearer "$(body "$r" | jq -r .token_type)"

r=$(post -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$(url /auth/login)")
check "login answers 200" 200 "$(status "$r")"
access=$(body "$r" | jq -r .access_token)
refresh=$(body "$r" | jq -r .refresh_token)

me=$(curl -s -H "Authorization: Bearer $access" "$(url /auth/me)")
check "me returns the verified user" "$email true Journey" "$(jq -r '"\(.email) \(.email_verified) \(.display_name)"' <<<"$me")"
me_v1=$(curl -s -H "Authorization: Bearer $access" "$(url /v1/auth/me)")
check "/v1/auth/me answers like its alias /auth/me" "$me" "$me_v1"
check "/v1/health answers like /health" "$(curl -s "$(url /health)")" "$(curl -s "$(url /v1/health)")"
me_cookie=$(curl -s -H "Cookie: fl_session=$access" "$(url /auth/me)" | jq -r .email)
check "the fl_session cookie authenticates too" "$email" "$me_cookie"

r=$(post -d "{\"refresh_token\":\"$refresh\"}" "$(url /auth/refresh)")
check "refresh answers 200" 200 "$(status "$r")"
access2=$(body "$r" | jq -r .access_token)
refresh2=$(body "$r" | jq -r .refresh_token)
[ "$refresh2" != "$refresh" ] && pass "refresh rotates the refresh token" || fail "refresh rotates the refresh token"

check "logout through /v1 answers 204" 204 "$(status_of POST /v1/auth/logout -H "Authorization: Bearer $access2")"
check "the logged-out token is rejected at once" 401 "$(status_of GET /auth/me -H "Authorization: Bearer $access2")"
r=$(post -d "{\"refresh_token\":\"$refresh2\"}" "$(url /auth/refresh)")
check "the logged-out family cannot refresh" 401 "$(status "$r")"
check "its error code" AUTH_SESSION_EXPIRED "$(body "$r" | jq -r .code)"

# Sessions: a second login from a named client, listed with its User-Agent, then revoked.
r=$(post -A "e2e-script/1.0" -d "{\"email\":\"$email\",\"password\":\"$password\"}" "$(url /v1/auth/login)")
check "a second login answers 200" 200 "$(status "$r")"
check "the user object tells the last login" true "$(body "$r" | jq '.user.last_login_at | type == "string"')"
script_access=$(body "$r" | jq -r .access_token)
sessions=$(curl -s -H "Authorization: Bearer $script_access" "$(url /v1/me/sessions)")
check "the sessions: the verification's and the script's, newest first, the caller's marked" \
  "e2e-script/1.0 true null | curl false null" \
  "$(jq -r '[.[] | "\(.user_agent | sub("^curl/.*"; "curl")) \(.current) \(.ip)"] | join(" | ")' <<<"$sessions")"
first_session=$(jq -r '.[1].id' <<<"$sessions")
check "revoking another session answers 204" 204 \
  "$(status_of DELETE "/v1/me/sessions/$first_session" -H "Authorization: Bearer $script_access")"
check "and it is gone from the list" 1 \
  "$(curl -s -H "Authorization: Bearer $script_access" "$(url /v1/me/sessions)" | jq length)"
check "revoking it again is 404 SESSION_NOT_FOUND" "404 SESSION_NOT_FOUND" \
  "$(curl -s -w ' %{http_code}' -X DELETE -H "Authorization: Bearer $script_access" "$(url "/v1/me/sessions/$first_session")" | awk '{print $NF}') $(curl -s -X DELETE -H "Authorization: Bearer $script_access" "$(url "/v1/me/sessions/$first_session")" | jq -r .code)"
r=$(curl -s -X PATCH -H 'Content-Type: application/json' -H "Authorization: Bearer $script_access" \
  -d '{"avatar_url":"https://cdn.example.com/me.png"}' "$(url /v1/auth/me)")
check "the avatar URL is set and shown" "https://cdn.example.com/me.png" "$(jq -r .avatar_url <<<"$r")"

# The export (right of access): an attachment holding the person's data and telemetry rows.
headers="$E2E_WORK/export.headers"
export=$(curl -s -D "$headers" -H "Authorization: Bearer $script_access" "$(url /v1/auth/me/export)")
check "the export is an attachment named after the user" \
  "attachment; filename=\"ferrlabs-export-$(jq -r .user.id <<<"$export").json\"" \
  "$(grep -i '^content-disposition:' "$headers" | cut -d' ' -f2- | tr -d '\r')"
check "it holds the user, the sessions and the sign-up's telemetry row" "$email 1 true" \
  "$(jq -r '"\(.user.email) \(.sessions | length) \(any(.telemetry.events[]; .event == "auth.signup"))"' <<<"$export")"
check "a second export within the minute is 429" 429 \
  "$(status_of GET /v1/auth/me/export -H "Authorization: Bearer $script_access")"

check "unknown e-mail login is 401" 401 "$(status "$(post -d '{"email":"nobody@example.com","password":"whatever passphrase"}' "$(url /auth/login)")")"

stop_server TERM
check "SIGTERM exits 0" 0 "$SERVER_EXIT"
if grep -q "$code" "$SERVER_LOG"; then fail "the verification code never reaches the log"; else pass "the verification code never reaches the log"; fi
if grep -q "$password" "$SERVER_LOG"; then fail "the password never reaches the log"; else pass "the password never reaches the log"; fi

finish
