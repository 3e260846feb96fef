#!/usr/bin/env bash
# The organization scenario through the built binary: two users, one org, a member added, a
# subscription activated (retried with the same Idempotency-Key), re-tiered and canceled, the
# org-wide telemetry opt-out toggled, and the audit log read back — also after a restart.
FERR_BIN=${1:?usage: orgs_test.sh PATH_TO_BINARY}
source "$(dirname "$0")/lib.sh"
new_database e2e || exit 1

mail_dir="$E2E_WORK/mail"
server_env=("DATABASE_URL=$E2E_DATABASE_URL" "FERRLABS_MAIL=file:$mail_dir"
  FERRLABS_PASSWORD_MEMORY_KIB=1024 FERRLABS_PASSWORD_ITERATIONS=1
  JWT_SECRET=e2e-secret-that-is-long-enough-0123456789)
start_server orgs "${server_env[@]}" || { finish; exit 1; }

password="a long and memorable passphrase"
alice=$(active_account alice@example.com "$password" "$mail_dir")
bob=$(active_account bob@example.com "$password" "$mail_dir")
[ ${#alice} -gt 20 ] && [ ${#bob} -gt 20 ] && pass "two active accounts" || fail "two active accounts"

r=$(api POST /v1/orgs "$alice" '{"slug":"acme","name":"Acme"}')
check "alice creates acme" 201 "$(status_in "$r")"
check "alice is its owner on the free plan" "owner free 1" \
  "$(body_of "$r" | jq -r '"\(.role) \(.plan) \(.member_count)"')"
check "bob cannot see acme" ORG_NOT_FOUND "$(body_of "$(api GET /v1/orgs/acme "$bob")" | jq -r .code)"

r=$(api POST /v1/orgs/acme/members "$alice" '{"email":"bob@example.com","role":"admin"}')
check "alice adds bob as admin" "201 admin" "$(status_in "$r") $(body_of "$r" | jq -r .role)"
bob_id=$(body_of "$r" | jq -r .user_id)
check "bob now sees acme" admin "$(body_of "$(api GET /v1/orgs/acme "$bob")" | jq -r .role)"

key=(-H "Idempotency-Key: activate-ferrflow-1")
r=$(api POST /v1/orgs/acme/subscriptions "$bob" '{"product":"ferrflow","tier":"pro"}' "${key[@]}")
check "bob activates ferrflow on pro" "201 active pro" \
  "$(status_in "$r") $(body_of "$r" | jq -r '"\(.status) \(.tier)"')"
first=$(body_of "$r")
r=$(api POST /v1/orgs/acme/subscriptions "$bob" '{"product":"ferrflow","tier":"pro"}' "${key[@]}")
check "the retry with the same key replays the answer" "201 $first" "$(status_in "$r") $(body_of "$r")"
r=$(api POST /v1/orgs/acme/subscriptions "$bob" '{"product":"ferrflow","tier":"team"}' "${key[@]}")
check "the key with another body is refused" "422 IDEMPOTENCY_KEY_REUSED" \
  "$(status_in "$r") $(body_of "$r" | jq -r .code)"
check "the plan follows the subscription" pro "$(body_of "$(api GET /v1/orgs/acme "$alice")" | jq -r .plan)"

r=$(api PATCH /v1/orgs/acme/subscriptions/ferrflow "$alice" '{"tier":"enterprise"}')
check "alice re-tiers ferrflow to enterprise" "200 enterprise" "$(status_in "$r") $(body_of "$r" | jq -r .tier)"
r=$(api DELETE /v1/orgs/acme/subscriptions/ferrflow "$alice")
check "alice cancels ferrflow" "200 canceled" "$(status_in "$r") $(body_of "$r" | jq -r .status)"
check "a canceled subscription has a cancellation time" true \
  "$(body_of "$r" | jq -r '.canceled_at | test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:.]{12}Z$")')"
check "the plan is free again" free "$(body_of "$(api GET /v1/orgs/acme "$bob")" | jq -r .plan)"

r=$(api PUT /v1/orgs/acme/telemetry-prefs "$bob" '{"telemetry_opt_out":true}')
check "bob opts acme out of telemetry" '200 {"telemetry_opt_out":true}' "$(status_in "$r") $(body_of "$r")"
r=$(api PUT /v1/orgs/acme/telemetry-prefs "$alice" '{"telemetry_opt_out":false}')
check "alice opts it back in" 200 "$(status_in "$r")"

expected_actions="telemetry.opt_out.update telemetry.opt_out.update subscription.canceled \
subscription.tier_changed subscription.activated org.member.added org.created"
read_audit() { body_of "$(api GET /v1/orgs/acme/audit "$1")" | jq -r '[.[].action] | join(" ")'; }
check "the audit log holds every change, newest first" "$expected_actions" "$(read_audit "$alice")"
check "the member entry names bob" "$bob_id" \
  "$(body_of "$(api GET /v1/orgs/acme/audit "$alice")" | jq -r '.[] | select(.action == "org.member.added") | .target')"
check "the opt-out entries record from and to" '{"from":true,"to":false} {"from":false,"to":true}' \
  "$(body_of "$(api GET /v1/orgs/acme/audit?limit=2 "$alice")" | jq -c '.[].metadata' | paste -sd' ')"

stop_server TERM
check "SIGTERM exits 0" 0 "$SERVER_EXIT"
start_server orgs "${server_env[@]}" || { finish; exit 1; }
check "after a restart the audit log is still there" "$expected_actions" "$(read_audit "$bob")"
check "and the subscription row too" "ferrflow canceled" \
  "$(body_of "$(api GET /v1/orgs/acme/subscriptions "$bob")" | jq -r '.[] | "\(.product) \(.status)"')"
stop_server TERM

finish
