#!/usr/bin/env bash
# The PostgreSQL schema (src/storage/postgres/migrations) on a private throwaway cluster:
#   - the files: numbered 1..n, embeddable, applied in order each in its own transaction, and the
#     same schema when all are applied in one transaction (as the migrator does);
#   - the business tables reject what the SQLite ones reject: each case runs on SQLite (its own
#     migrations) and on PostgreSQL and must end the same way;
#   - telemetry_events: exact columns and order, range partitioning by day, partitions made ahead
#     (idempotent, safe from two sessions), the batch insert (duplicates, rows without id,
#     concurrent writers), opt-out states and their change times, rows in the right partition,
#     retention (rollups, merge rule, dropped partitions, pruned ids, concurrent runs);
#   - the concurrency statements under real contention (a second session is started
#     only once the first holds its locks, and the first commits only once the second is seen
#     waiting on a lock).
# The statements are the files of src/storage/postgres/statements/, the very text the repositories
# embed and run (src/CMakeLists.txt): every one of them is prepared against the schema here, as
# the server prepares it for the code (parameter types inferred), and the concurrency cases run
# them as shipped.
#
# Usage: bash tests/postgres/schema_test.sh   (works as root: scripts/pg-test-cluster.sh runs the
# server as `postgres`). Prints TAP-like `ok - …` / `not ok - …` lines; exits 1 on any failure.
set -euo pipefail

# Bounded in time whatever happens: the run lives under `timeout`, which signals the whole process
# group (psql included; not the cluster, which pg_ctl starts in a session of its own), and the
# EXIT trap always stops the cluster.
if [ -z "${FERR_SCHEMA_TEST_BOUNDED:-}" ]; then
  export FERR_SCHEMA_TEST_BOUNDED=1
  exec timeout -k 120 "${FERR_SCHEMA_TEST_TIMEOUT:-420}" bash "$0" "$@"
fi

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
migrations=$root/src/storage/postgres/migrations
sqlite_migrations=$root/src/storage/sqlite/migrations
statement_files=$root/src/storage/postgres/statements
cluster=$(mktemp -d "${TMPDIR:-/tmp}/ferr-schema-cluster.XXXXXX")
work=$(mktemp -d "${TMPDIR:-/tmp}/ferr-schema-work.XXXXXX")
bg_pids=()

cleanup() {
  local pid
  # Only the sessions this script started, by their ids.
  for pid in "${bg_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$root/scripts/pg-test-cluster.sh" stop "$cluster" >/dev/null 2>&1 || true
  rm -rf -- "$work"
}
trap cleanup EXIT
trap 'exit 143' TERM INT HUP

passed=0
failed=0
ok() {
  echo "ok - $1"
  passed=$((passed + 1))
}
not_ok() {
  echo "not ok - $1"
  shift
  local line
  for line in "$@"; do printf '#   %s\n' "$line"; done
  failed=$((failed + 1))
}
# check NAME EXPECTED ACTUAL
check() {
  if [ "$2" == "$3" ]; then ok "$1"; else not_ok "$1" "expected: $2" "got:      $3"; fi
}

url=$("$root/scripts/pg-test-cluster.sh" start "$cluster")
base=${url%/*}
db_url() { echo "$base/$1"; }

# Every session: bounded connection and statements, no user psqlrc.
export PGCONNECT_TIMEOUT=10
export PGOPTIONS="-c statement_timeout=60s"

# sql DB [PSQL_ARGS…] < SCRIPT: runs the script on DB (statements one by one, stopping at the
# first error); prints rows unaligned without headers, and errors with their SQLSTATE. Prepared
# statements are loaded with `\i :P/NAME.sql` (statements/NAME.sql as `PREPARE NAME AS …`).
sql() {
  local db=$1
  shift
  psql -X -q -A -t -v ON_ERROR_STOP=1 -v VERBOSITY=verbose -v P="$work/prep" "$@" \
    -d "$(db_url "$db")" -f - 2>&1
}
# The rows of `sql` on one line, separated by spaces.
line() { paste -sd ' ' -; }
# run DB < SCRIPT: a set-up step; its failure ends the test with the error.
run() {
  local out
  if ! out=$(sql "$1"); then
    not_ok "set-up on $1" "$out"
    echo "# $passed passed, $failed failed"
    exit 1
  fi
}
# The sum of the integers given (anything else counts as a failure of the caller's check).
sum() {
  local total=0 n
  for n in "$@"; do
    [[ "$n" =~ ^[0-9]+$ ]] || { echo "not a count: $n"; return; }
    total=$((total + n))
  done
  echo "$total"
}
day_ms() { echo $(($(date -u -d "$1" +%s) * 1000)); }

# ---------------------------------------------------------------------------------------------
# The statements: statements/NAME.sql becomes `PREPARE NAME AS <file>;`, without parameter types,
# as libpq prepares it for the code.
mkdir -p "$work/prep"
for f in "$statement_files"/*.sql; do
  name=$(basename "$f" .sql)
  { printf 'PREPARE %s AS\n' "$name"; cat "$f"; printf '\n;\n'; } >"$work/prep/$name.sql"
done
statements=$(cd "$work/prep" && ls -- *.sql | sed 's/\.sql$//' | sort)

# ---------------------------------------------------------------------------------------------
# The migration files.
mapfile -t files < <(cd "$migrations" && ls -- [0-9][0-9][0-9][0-9]_*.sql | sort)
expected_numbers=$(seq -f '%04g' 1 "${#files[@]}" | line)
check "migration files are numbered 0001..n without gaps" "$expected_numbers" \
  "$(printf '%s\n' "${files[@]}" | cut -c1-4 | line)"
embeddable=yes
for f in "${files[@]}"; do
  # Embedded as a raw string literal and sent in one transaction by the migrator: no psql
  # meta-command, no transaction control, nothing that cannot run in a transaction.
  if grep -qE '^[[:space:]]*\\' "$migrations/$f" ||
    grep -qiE '^[[:space:]]*(BEGIN|COMMIT|ROLLBACK|START TRANSACTION)[[:space:]]*;' "$migrations/$f" ||
    grep -qiE 'CONCURRENTLY|\)ferrsql"' "$migrations/$f" ||
    grep -qiE 'CREATE TABLE[^;]*schema_migrations' "$migrations/$f"; then
    embeddable="no: $f"
  fi
done
check "no file has a meta-command, transaction control, CONCURRENTLY or schema_migrations" \
  yes "$embeddable"

# new_db NAME: a database with every migration applied in order, each file in its own
# transaction (psql --single-transaction, ON_ERROR_STOP).
new_db() {
  local f out
  psql -X -q -v ON_ERROR_STOP=1 -d "$url" -c "CREATE DATABASE $1" >/dev/null
  for f in "${files[@]}"; do
    if ! out=$(psql -X -q -v ON_ERROR_STOP=1 --single-transaction -d "$(db_url "$1")" \
      -f "$migrations/$f" 2>&1); then
      echo "$out"
      return 1
    fi
  done
}

if new_db main; then ok "every migration applies in order, each in its own transaction"; else
  not_ok "every migration applies in order, each in its own transaction"
fi
# What the migrator does: every pending file in one and the same transaction.
psql -X -q -d "$url" -c "CREATE DATABASE one_tx" >/dev/null
{
  echo "BEGIN;"
  for f in "${files[@]}"; do cat "$migrations/$f"; echo; done
  echo "COMMIT;"
} >"$work/all.sql"
if out=$(psql -X -q -v ON_ERROR_STOP=1 -d "$(db_url one_tx)" -f "$work/all.sql" 2>&1); then
  ok "all migrations apply in a single transaction too"
else
  not_ok "all migrations apply in a single transaction too" "$out"
fi
# (Comments and the random key of pg_dump's \restrict guard differ from run to run.)
pg_dump -s -O -x -d "$(db_url main)" | grep -vE '^(--|\\(un)?restrict )' >"$work/main.schema"
pg_dump -s -O -x -d "$(db_url one_tx)" | grep -vE '^(--|\\(un)?restrict )' >"$work/one_tx.schema"
if diff -q "$work/main.schema" "$work/one_tx.schema" >/dev/null; then
  ok "both ways give the same schema (pg_dump --schema-only)"
else
  not_ok "both ways give the same schema (pg_dump --schema-only)" \
    "$(diff "$work/main.schema" "$work/one_tx.schema" | head -n 5)"
fi
check "no migration creates schema_migrations (the migrator does)" "" \
  "$(sql main <<<"SELECT to_regclass('schema_migrations')")"

# Every statement is one statement (the extended protocol refuses several) and valid against the
# schema.
several=""
for f in "$statement_files"/*.sql; do
  if sed 's/--.*//' "$f" | grep -q ';'; then several="$several $(basename "$f")"; fi
done
check "no statement file holds a semicolon outside comments" "" "$several"
bad=""
for s in $statements; do
  if ! out=$(sql main <<<"\\i :P/$s.sql"); then bad="$bad $s: $out"; fi
done
check "every statement file prepares against the schema" "" "$bad"

# Test helpers, in their own schema (created after the dump comparison). wait_for_blocked(app)
# returns once a session named `app` waits on a lock (true) or after 20 s (false); the holder
# calls it before committing, so the waiter really did wait.
test_support=$(cat <<'EOF'
CREATE SCHEMA test_support;
CREATE FUNCTION test_support.wait_for_blocked(app text)
RETURNS boolean
LANGUAGE plpgsql
AS $$
DECLARE
  deadline timestamptz := clock_timestamp() + INTERVAL '20 seconds';
BEGIN
  LOOP
    PERFORM pg_stat_clear_snapshot();
    IF EXISTS (SELECT FROM pg_stat_activity
               WHERE application_name = app AND wait_event_type = 'Lock') THEN
      RETURN true;
    END IF;
    IF clock_timestamp() > deadline THEN
      RETURN false;
    END IF;
    PERFORM pg_sleep(0.02);
  END LOOP;
END;
$$;
-- The column KEY of a JSON array of rows, as the array insert_batch takes (absent = NULL).
CREATE FUNCTION test_support.uuids(batch json, key text) RETURNS uuid[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg((e ->> key)::uuid ORDER BY ord), '{}')
  FROM json_array_elements(batch) WITH ORDINALITY AS t (e, ord) $$;
CREATE FUNCTION test_support.texts(batch json, key text) RETURNS text[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg(e ->> key ORDER BY ord), '{}')
  FROM json_array_elements(batch) WITH ORDINALITY AS t (e, ord) $$;
CREATE FUNCTION test_support.integers(batch json, key text) RETURNS integer[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg((e ->> key)::integer ORDER BY ord), '{}')
  FROM json_array_elements(batch) WITH ORDINALITY AS t (e, ord) $$;
CREATE FUNCTION test_support.bigints(batch json, key text) RETURNS bigint[] LANGUAGE sql AS $$
  SELECT coalesce(array_agg((e ->> key)::bigint ORDER BY ord), '{}')
  FROM json_array_elements(batch) WITH ORDINALITY AS t (e, ord) $$;
EOF
)
run main <<<"$test_support"

# holder DB APP OUT < SCRIPT: runs SCRIPT in the background as session APP (the script ends by
# waiting for its waiter, then commits), and returns once that session has reached the wait.
holder() {
  local db=$1 app=$2 out=$3 i
  # Background jobs of a script read /dev/null unless told otherwise: keep the script in a file.
  cat >"$out.sql"
  PGAPPNAME=$app sql "$db" <"$out.sql" >"$out" &
  bg_pids+=("$!")
  for i in $(seq 1 400); do
    if [ "$(sql "$db" <<<"SELECT count(*) FROM pg_stat_activity
                            WHERE application_name = '$app' AND query LIKE '%wait_for_blocked%'")" = 1 ]; then
      return 0
    fi
    sleep 0.05
  done
  echo "holder $app never reached its wait" >>"$out"
}
wait_all() {
  local pid
  for pid in "${bg_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  bg_pids=()
}

# ---------------------------------------------------------------------------------------------
# Business tables: the same cases on SQLite and on PostgreSQL.
# @T is a time (SQLite: Unix ms; PostgreSQL: ms_to_ts(Unix ms)), @TRUE/@FALSE a flag.
now_ms=1777939200000 # 2026-05-05T00:00:00Z
for_sqlite() {
  local s=${1//@TRUE/1}
  s=${s//@FALSE/0}
  echo "${s//@T/$now_ms}"
}
for_postgres() {
  local s=${1//@TRUE/true}
  s=${s//@FALSE/false}
  echo "${s//@T/ms_to_ts($now_ms)}"
}
U_ADA=00000000-0000-7000-8000-00000000000a
U_BOB=00000000-0000-7000-8000-00000000000b
ORG=00000000-0000-7000-8000-0000000000a1
SESSION=00000000-0000-7000-8000-0000000000e1
MISSING=00000000-0000-7000-8000-0000000000ff
fixture="
INSERT INTO users (id, email, password_hash, status, created_at, updated_at) VALUES
  ('$U_ADA', 'ada@example.com', 'h', 'active', @T, @T),
  ('$U_BOB', 'bob@example.com', 'h', 'pending', @T, @T);
INSERT INTO organizations (id, slug, name, created_at, updated_at) VALUES
  ('$ORG', 'acme', 'Acme', @T, @T);
INSERT INTO org_memberships (org_id, user_id, role, joined_at) VALUES ('$ORG', '$U_ADA', 'owner', @T);
INSERT INTO subscriptions (id, org_id, product, tier, status, created_at, updated_at) VALUES
  ('00000000-0000-7000-8000-0000000000c1', '$ORG', 'ferrflow', 'free', 'active', @T, @T);
INSERT INTO sessions (id, user_id, created_at, last_active_at, expires_at) VALUES ('$SESSION', '$U_ADA', @T, @T, @T);
INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ('tok1', '$SESSION', @T);
INSERT INTO verification_codes (user_id, code_hash, expires_at) VALUES ('$U_BOB', 'c', @T);
INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) VALUES ('$U_ADA', 'k1', 'fp', @T);
INSERT INTO org_audit_log (id, org_id, actor_id, action, target, created_at) VALUES
  ('00000000-0000-7000-8000-0000000000d1', '$ORG', '$U_ADA', 'org.created', 'acme', @T);
INSERT INTO telemetry_daily VALUES ('2026-05-03', 'ferrflow', 'cli.run', 1, 0, 0);
INSERT INTO telemetry_hourly (hour, event, count) VALUES (1777773600000, 'cli.run', 3);
"
sqlite_db=$work/sqlite.db
for f in "$sqlite_migrations"/[0-9][0-9][0-9][0-9]_*.sql; do sqlite3 -bail "$sqlite_db" <"$f"; done
sqlite3 -bail "$sqlite_db" "PRAGMA foreign_keys = ON; $(for_sqlite "$fixture")"
run main <<<"$(for_postgres "$fixture")"

# How a case ended: "ok" (committed… then rolled back), "reject" (a constraint or a value was
# refused), or the unexpected error itself.
sqlite_outcome() {
  local out
  if out=$(sqlite3 -bail -batch "$sqlite_db" \
    "PRAGMA foreign_keys = ON; BEGIN; $(for_sqlite "$1"); ROLLBACK;" 2>&1); then
    echo ok
  elif [[ "$out" == *"constraint failed"* ]]; then echo reject; else echo "error: $out"; fi
}
postgres_outcome() {
  local out
  if out=$(sql main <<<"BEGIN; $(for_postgres "$1"); ROLLBACK;"); then
    echo ok
  elif [[ "$out" =~ ERROR:\ \ (23[0-9A-Z]{3}|22[0-9A-Z]{3}|42804): ]]; then
    echo reject
  else
    echo "error: $out"
  fi
}
# Cases: EXPECTED|WHAT|SQL. EXPECTED is the outcome on both engines, or `pg-only` for a
# deliberate extra check of this schema (accepted by SQLite, refused here).
while IFS='|' read -r expected what case; do
  [ -z "$expected" ] && continue
  lite=$(sqlite_outcome "$case")
  pg=$(postgres_outcome "$case")
  if [ "$expected" = pg-only ]; then
    check "constraint (PostgreSQL only, deliberate): $what" "sqlite=ok postgres=reject" \
      "sqlite=$lite postgres=$pg"
  else
    check "constraint: $what" "sqlite=$expected postgres=$expected" "sqlite=$lite postgres=$pg"
  fi
done <<EOF
reject|a second account with the same e-mail|INSERT INTO users (id, email, password_hash, status, created_at, updated_at) VALUES ('$MISSING', 'ada@example.com', 'h', 'pending', @T, @T)
ok|an e-mail differing only in case (byte-wise, as SQLite; the service lower-cases)|INSERT INTO users (id, email, password_hash, status, created_at, updated_at) VALUES ('$MISSING', 'Ada@example.com', 'h', 'pending', @T, @T)
reject|a second user with the same id|INSERT INTO users (id, email, password_hash, status, created_at, updated_at) VALUES ('$U_ADA', 'new@example.com', 'h', 'pending', @T, @T)
reject|user status outside pending/active|INSERT INTO users (id, email, password_hash, status, created_at, updated_at) VALUES ('$MISSING', 'new@example.com', 'h', 'banned', @T, @T)
reject|user without a password hash|INSERT INTO users (id, email, status, created_at, updated_at) VALUES ('$MISSING', 'new@example.com', 'active', @T, @T)
reject|verification code of an unknown user|INSERT INTO verification_codes (user_id, code_hash, expires_at) VALUES ('$MISSING', 'c', @T)
reject|a second code for one user|INSERT INTO verification_codes (user_id, code_hash, expires_at) VALUES ('$U_BOB', 'c2', @T)
ok|login throttle of an unknown address (no foreign key)|INSERT INTO login_throttle (email, consecutive_failures, last_failure_at) VALUES ('nobody@example.com', 1, @T)
reject|session of an unknown user|INSERT INTO sessions (id, user_id, created_at, last_active_at, expires_at) VALUES ('$MISSING', '$MISSING', @T, @T, @T)
reject|refresh token of an unknown session|INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ('tok2', '$MISSING', @T)
reject|a refresh token hash stored twice|INSERT INTO refresh_tokens (token_hash, session_id, expires_at) VALUES ('tok1', '$SESSION', @T)
reject|password reset of an unknown user|INSERT INTO password_resets (token_hash, user_id, created_at, expires_at) VALUES ('r', '$MISSING', @T, @T)
reject|user_prefs opt-out that is not a flag|INSERT INTO user_prefs (user_id, telemetry_opt_out, updated_at) VALUES ('$U_ADA', 2, @T)
ok|user_prefs opt-out flag|INSERT INTO user_prefs (user_id, telemetry_opt_out, updated_at) VALUES ('$U_ADA', @TRUE, @T)
reject|a second org with the same slug|INSERT INTO organizations (id, slug, name, created_at, updated_at) VALUES ('$MISSING', 'acme', 'Other', @T, @T)
ok|a slug differing only in case|INSERT INTO organizations (id, slug, name, created_at, updated_at) VALUES ('$MISSING', 'Acme', 'Other', @T, @T)
reject|renaming an org to a taken slug|INSERT INTO organizations (id, slug, name, created_at, updated_at) VALUES ('$MISSING', 'other', 'Other', @T, @T); UPDATE organizations SET slug = 'acme' WHERE id = '$MISSING'
reject|org opt-out that is not a flag|UPDATE organizations SET telemetry_opt_out = 2 WHERE id = '$ORG'
reject|member role outside owner/admin/member/viewer|INSERT INTO org_memberships (org_id, user_id, role, joined_at) VALUES ('$ORG', '$U_BOB', 'billing', @T)
ok|member role viewer|INSERT INTO org_memberships (org_id, user_id, role, joined_at) VALUES ('$ORG', '$U_BOB', 'viewer', @T)
reject|the same member twice|INSERT INTO org_memberships (org_id, user_id, role, joined_at) VALUES ('$ORG', '$U_ADA', 'member', @T)
reject|membership in an unknown org|INSERT INTO org_memberships (org_id, user_id, role, joined_at) VALUES ('$MISSING', '$U_ADA', 'member', @T)
reject|membership of an unknown user|INSERT INTO org_memberships (org_id, user_id, role, joined_at) VALUES ('$ORG', '$MISSING', 'member', @T)
reject|audit entry id used twice|INSERT INTO org_audit_log (id, org_id, actor_id, action, target, created_at) VALUES ('00000000-0000-7000-8000-0000000000d1', '$ORG', '$U_ADA', 'org.updated', 'acme', @T)
reject|audit entry of an unknown org|INSERT INTO org_audit_log (id, org_id, actor_id, action, target, created_at) VALUES ('$MISSING', '$MISSING', '$U_ADA', 'org.updated', 'acme', @T)
ok|audit entry by an actor without an account (no foreign key)|INSERT INTO org_audit_log (id, org_id, actor_id, action, target, created_at) VALUES ('$MISSING', '$ORG', '$MISSING', 'org.updated', 'acme', @T)
pg-only|audit metadata that is not a JSON object|INSERT INTO org_audit_log (id, org_id, actor_id, action, target, metadata, created_at) VALUES ('$MISSING', '$ORG', '$U_ADA', 'org.updated', 'acme', '[1]', @T)
reject|unknown product|INSERT INTO subscriptions (id, org_id, product, tier, status, created_at, updated_at) VALUES ('$MISSING', '$ORG', 'ferrmail', 'free', 'active', @T, @T)
reject|unknown tier|INSERT INTO subscriptions (id, org_id, product, tier, status, created_at, updated_at) VALUES ('$MISSING', '$ORG', 'ferrvault', 'gold', 'active', @T, @T)
reject|unknown status|INSERT INTO subscriptions (id, org_id, product, tier, status, created_at, updated_at) VALUES ('$MISSING', '$ORG', 'ferrvault', 'free', 'paused', @T, @T)
reject|a second row for one org and product|INSERT INTO subscriptions (id, org_id, product, tier, status, created_at, updated_at) VALUES ('$MISSING', '$ORG', 'ferrflow', 'pro', 'canceled', @T, @T)
ok|another product of the same org|INSERT INTO subscriptions (id, org_id, product, tier, status, created_at, updated_at) VALUES ('$MISSING', '$ORG', 'ferrvault', 'team', 'trialing', @T, @T)
reject|subscription of an unknown org|INSERT INTO subscriptions (id, org_id, product, tier, status, created_at, updated_at) VALUES ('$MISSING', '$MISSING', 'ferrvault', 'free', 'active', @T, @T)
reject|idempotency key twice for one user|INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) VALUES ('$U_ADA', 'k1', 'fp2', @T)
ok|the same idempotency key for another user|INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) VALUES ('$U_BOB', 'k1', 'fp', @T)
ok|idempotency key of a caller that is no user (an org-owned API token)|INSERT INTO idempotency_keys (user_id, key, fingerprint, created_at) VALUES ('$MISSING', 'k1', 'fp', @T)
ok|personal API token|INSERT INTO api_tokens (id, token_hash, token_prefix, name, scopes, user_id, org_id, owner, created_by, created_at) VALUES ('00000000-0000-7000-8000-0000000000a1', 'h1', 'fl_pat_abcde', 'ci', '*', '$U_ADA', NULL, NULL, '$U_ADA', @T)
ok|org API token owned by the org|INSERT INTO api_tokens (id, token_hash, token_prefix, name, scopes, user_id, org_id, owner, created_by, created_at) VALUES ('00000000-0000-7000-8000-0000000000a2', 'h2', 'fl_org_abcde', 'bot', 'read', NULL, '$ORG', 'org', '$MISSING', @T)
reject|API token scopes outside * and read|INSERT INTO api_tokens (id, token_hash, token_prefix, name, scopes, user_id, org_id, owner, created_by, created_at) VALUES ('00000000-0000-7000-8000-0000000000a4', 'h4', 'fl_pat_abcde', 'ci', 'write', '$U_ADA', NULL, NULL, '$U_ADA', @T)
reject|API token both personal and of an org|INSERT INTO api_tokens (id, token_hash, token_prefix, name, scopes, user_id, org_id, owner, created_by, created_at) VALUES ('00000000-0000-7000-8000-0000000000a5', 'h5', 'fl_pat_abcde', 'ci', '*', '$U_ADA', '$ORG', 'org', '$U_ADA', @T)
reject|org API token without an owner|INSERT INTO api_tokens (id, token_hash, token_prefix, name, scopes, user_id, org_id, owner, created_by, created_at) VALUES ('00000000-0000-7000-8000-0000000000a6', 'h6', 'fl_org_abcde', 'ci', '*', NULL, '$ORG', NULL, '$U_ADA', @T)
reject|org API token owner outside creator/org|INSERT INTO api_tokens (id, token_hash, token_prefix, name, scopes, user_id, org_id, owner, created_by, created_at) VALUES ('00000000-0000-7000-8000-0000000000a7', 'h7', 'fl_org_abcde', 'ci', '*', NULL, '$ORG', 'me', '$U_ADA', @T)
reject|personal API token of an unknown user|INSERT INTO api_tokens (id, token_hash, token_prefix, name, scopes, user_id, org_id, owner, created_by, created_at) VALUES ('00000000-0000-7000-8000-0000000000a8', 'h8', 'fl_pat_abcde', 'ci', '*', '$MISSING', NULL, NULL, '$MISSING', @T)
reject|telemetry origin outside server/ingest|INSERT INTO telemetry_events (id, surface, event, properties, schema_version, origin, occurred_at, received_at) VALUES ('$MISSING', 'ferrflow', 'cli.run', '{}', 1, 'import', @T, @T)
reject|telemetry event without a surface|INSERT INTO telemetry_events (id, event, properties, schema_version, origin, occurred_at, received_at) VALUES ('$MISSING', 'cli.run', '{}', 1, 'ingest', @T, @T)
pg-only|telemetry properties that are not a JSON object|INSERT INTO telemetry_events (id, surface, event, properties, schema_version, origin, occurred_at, received_at) VALUES ('$MISSING', 'ferrflow', 'cli.run', '"x"', 1, 'ingest', @T, @T)
reject|a second rollup row for one day, surface and event|INSERT INTO telemetry_daily VALUES ('2026-05-03', 'ferrflow', 'cli.run', 2, 0, 0)
ok|an hourly cell|INSERT INTO telemetry_hourly (hour, event, count) VALUES (1777777200000, 'cli.run', 3)
reject|an hourly cell off the hour|INSERT INTO telemetry_hourly (hour, event, count) VALUES (1777773600001, 'cli.error', 3)
reject|an hourly cell with a negative count|INSERT INTO telemetry_hourly (hour, event, count) VALUES (1777777200000, 'cli.run', -1)
reject|a second hourly cell for one hour and event|INSERT INTO telemetry_hourly (hour, event, count) VALUES (1777773600000, 'cli.run', 1)
EOF

# Defaults and cascades read back the same on both.
both_same() { # WHAT SQL
  local lite pg
  lite=$(sqlite3 -bail -batch "$sqlite_db" \
    "PRAGMA foreign_keys = ON; BEGIN; $(for_sqlite "$2"); ROLLBACK;" 2>&1 | line)
  pg=$(sql main <<<"BEGIN; $(for_postgres "$2"); ROLLBACK;" | line)
  check "same on both: $1" "$lite" "$pg"
}
both_same "user defaults (timezone UTC, locale en)" \
  "INSERT INTO users (id, email, password_hash, status, created_at, updated_at) VALUES ('$MISSING', 'new@example.com', 'h', 'pending', @T, @T); SELECT timezone, locale FROM users WHERE id = '$MISSING'"
both_same "deleting a user removes its sessions, tokens, codes, memberships and keys" \
  "DELETE FROM users WHERE id IN ('$U_ADA', '$U_BOB'); SELECT count(*) FROM sessions; SELECT count(*) FROM refresh_tokens; SELECT count(*) FROM verification_codes; SELECT count(*) FROM org_memberships; SELECT count(*) FROM idempotency_keys"
both_same "deleting an org removes its members, subscriptions and audit trail" \
  "DELETE FROM organizations WHERE id = '$ORG'; SELECT count(*) FROM org_memberships; SELECT count(*) FROM subscriptions; SELECT count(*) FROM org_audit_log"
both_same "audit entries are numbered in insertion order" \
  "INSERT INTO org_audit_log (id, org_id, actor_id, action, target, created_at) VALUES ('$MISSING', '$ORG', '$U_ADA', 'org.updated', 'acme', @T); SELECT action FROM org_audit_log ORDER BY seq"
check "opt-out flags default to false" "f f" \
  "$(sql main <<<"SELECT telemetry_opt_out FROM organizations WHERE id = '$ORG';
                  BEGIN; INSERT INTO user_prefs (user_id, updated_at) VALUES ('$U_BOB', now());
                  SELECT telemetry_opt_out FROM user_prefs WHERE user_id = '$U_BOB'; ROLLBACK;" | line)"
check "audit metadata is returned as written (json keeps key order and spacing)" \
  '{"from":"owner","to":"admin"} {}' \
  "$(sql main <<<"BEGIN;
    INSERT INTO org_audit_log (id, org_id, actor_id, action, target, metadata, created_at)
    VALUES ('$MISSING', '$ORG', '$U_ADA', 'org.member.role_changed', 'x', '{\"from\":\"owner\",\"to\":\"admin\"}', now());
    SELECT metadata FROM org_audit_log ORDER BY seq DESC; ROLLBACK;" | line)"
check "ms_to_ts and ts_to_ms are exact inverses over a wide range of milliseconds" "0" \
  "$(sql main <<<"SELECT count(*) FROM (
      SELECT ms FROM unnest(ARRAY[0, -1, -1001, 1777939200000, 1777939200999, 253402300799999,
                                  -62135596800000]::bigint[]) AS ms
      UNION ALL
      SELECT (random() * 2.5e14 - 6.2e13)::bigint FROM generate_series(1, 20000)) AS t
    WHERE ts_to_ms(ms_to_ts(ms)) <> ms OR extract(epoch FROM ms_to_ts(ms)) * 1000 <> ms")"
check "ms_to_ts does not depend on the session time zone" "2026-05-05 00:00:00+00" \
  "$(sql main <<<"SET TimeZone = 'Pacific/Kiritimati'; CREATE TEMP TABLE t AS SELECT ms_to_ts($now_ms) AS ts;
                  SET TimeZone = 'UTC'; SELECT ts FROM t;")"

# ---------------------------------------------------------------------------------------------
# telemetry_events: shape and partitioning.
check "telemetry_events has exactly the columns of telemetry.md §5, in order" \
  "id event_id surface event org_hash user_hash properties schema_version origin key_id occurred_at received_at" \
  "$(sql main <<<"SELECT string_agg(attname, ' ' ORDER BY attnum) FROM pg_attribute
                  WHERE attrelid = 'telemetry_events'::regclass AND attnum > 0 AND NOT attisdropped")"
check "with the intended types" \
  "uuid,uuid,text,text,text,text,jsonb,integer,text,text,timestamp with time zone,timestamp with time zone" \
  "$(sql main <<<"SELECT string_agg(format_type(atttypid, atttypmod), ',' ORDER BY attnum) FROM pg_attribute
                  WHERE attrelid = 'telemetry_events'::regclass AND attnum > 0 AND NOT attisdropped")"
check "telemetry_events is partitioned by range on occurred_at" "p|RANGE (occurred_at)" \
  "$(sql main <<<"SELECT relkind, pg_get_partkeydef(oid) FROM pg_class WHERE oid = 'telemetry_events'::regclass")"
check "it has a default partition and no daily partition before the first call" "telemetry_events_default" \
  "$(sql main <<<"SELECT string_agg(inhrelid::regclass::text, ' ') FROM pg_inherits
                  WHERE inhparent = 'telemetry_events'::regclass")"
check "occurred_at is indexed (partitioned index)" "1" \
  "$(sql main <<<"SELECT count(*) FROM pg_index WHERE indrelid = 'telemetry_events'::regclass
                  AND pg_get_indexdef(indexrelid) LIKE '%(occurred_at)'")"

partitions() { # DB LIKE-PATTERN: the daily partitions whose name matches, by name
  sql "$1" <<<"SELECT coalesce(string_agg(c.relname, ' ' ORDER BY c.relname), '')
               FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
               WHERE i.inhparent = 'telemetry_events'::regclass AND c.relname LIKE '$2'"
}
check "ensure-partitions creates the 7 days asked for" "7" \
  "$(sql main <<<"\\i :P/ensure_partitions.sql
                  EXECUTE ensure_partitions('2026-05-01', 7)")"
check "named telemetry_events_pYYYYMMDD" \
  "telemetry_events_p20260501 telemetry_events_p20260502 telemetry_events_p20260503 telemetry_events_p20260504 telemetry_events_p20260505 telemetry_events_p20260506 telemetry_events_p20260507" \
  "$(partitions main 'telemetry_events_p202605%')"
check "a second call creates nothing (idempotent)" "0" \
  "$(sql main <<<"\\i :P/ensure_partitions.sql
                  EXECUTE ensure_partitions('2026-05-01', 7)")"
check "overlapping calls create only the missing days" "2" \
  "$(sql main <<<"SELECT telemetry_ensure_partitions('2026-05-06', 4)")"
check "bounds are UTC midnights whatever the session's time zone" \
  "FOR VALUES FROM ('2026-05-10 00:00:00+00') TO ('2026-05-11 00:00:00+00')" \
  "$(sql main <<<"SET TimeZone = 'America/New_York'; SELECT telemetry_ensure_partitions('2026-05-10', 1);
                  SET TimeZone = 'UTC';
                  SELECT pg_get_expr(relpartbound, oid) FROM pg_class WHERE relname = 'telemetry_events_p20260510'" |
    tail -n 1)"
check "each partition has the primary key and the occurred_at index" "2" \
  "$(sql main <<<"SELECT count(*) FROM pg_index WHERE indrelid = 'telemetry_events_p20260503'::regclass")"
check "a negative day count is refused" "22023" \
  "$(sql main <<<"SELECT telemetry_ensure_partitions('2026-05-01', -1)" | grep -oE '22023' | head -n 1)"

# Two sessions at once, unsynchronised: each partition is made once.
for s in 1 2; do
  sql main >"$work/ensure.$s" <<<"SELECT telemetry_ensure_partitions('2026-06-01', 20)" &
  bg_pids+=("$!")
done
wait_all
check "two simultaneous sessions both succeed and create 20 partitions between them" "20" \
  "$(sum "$(cat "$work/ensure.1")" "$(cat "$work/ensure.2")")"
check "and exactly 20 exist" "20" \
  "$(partitions main 'telemetry_events_p202606%' | wc -w)"
# The second waits for the first (advisory lock), then finds everything made.
holder main ensure_holder "$work/ensure.holder" <<'EOF'
BEGIN;
SELECT telemetry_ensure_partitions('2026-07-01', 5);
SELECT test_support.wait_for_blocked('ensure_waiter');
COMMIT;
EOF
waiter=$(PGAPPNAME=ensure_waiter sql main <<<"SELECT telemetry_ensure_partitions('2026-07-01', 5)") || true
wait_all
check "a session calling while another holds the maintenance lock waits, then creates nothing" \
  "5 t | 0" "$(line <"$work/ensure.holder") | $waiter"

# ---------------------------------------------------------------------------------------------
# The batch insert (statements/insert_batch.sql).
# ev ID EVENT_ID|- OCCURRED_MS [ORG_HASH|- [EVENT [USER_HASH]]]: one ingested row as JSON.
ev() {
  local event_id=null org=null user=null
  [ "${2:--}" != - ] && event_id="\"$2\""
  [ "${4:--}" != - ] && org="\"$4\""
  [ "${6:--}" != - ] && user="\"$6\""
  printf '{"id":"%s","event_id":%s,"surface":"ferrflow","event":"%s","org_hash":%s,"user_hash":%s,"properties":"{\\"command\\":\\"release\\"}","schema_version":1,"origin":"ingest","key_id":null,"occurred_at":%s,"received_at":%s}' \
    "$1" "$event_id" "${5:-cli.run}" "$org" "$user" "$3" "$now_ms"
}
uid() { printf '0190f5c2-7b1a-7cde-8f00-%012d' "$1"; }
# batch_args SQL_JSON: insert_batch's twelve column arrays from a JSON array of rows (an SQL
# expression), the layout the store sends (migrations/README.md, "Insert a batch"; psql sends them
# as text, the store in binary: the statement reads either).
batch_args() {
  local b=$1 k
  for k in "uuids id" "uuids event_id" "texts surface" "texts event" "texts org_hash" \
    "texts user_hash" "texts properties" "integers schema_version" "texts origin" \
    "texts key_id" "bigints occurred_at" "bigints received_at"; do
    printf 'test_support.%s(%s, '"'"'%s'"'"'), ' "${k% *}" "$b" "${k#* }"
  done
}
insert() { # DB JSON_ARRAY: the answer rows of insert-batch (evidence cap 5), on one line
  sql "$1" -v batch="$2" <<<"\\i :P/insert_batch.sql
                            EXECUTE insert_batch($(batch_args ":'batch'") 5)" | line
}
A=$(uid 900001)
B=$(uid 900002)
check "a batch: a repeated event_id is a duplicate, rows without event_id are always new" \
  "1|t 2|t 3|f 4|t 5|t" \
  "$(insert main "[$(ev "$(uid 1)" "$A" "$now_ms"),$(ev "$(uid 2)" "$B" "$now_ms"),$(ev "$(uid 3)" "$A" "$now_ms"),$(ev "$(uid 4)" - "$now_ms"),$(ev "$(uid 5)" - "$now_ms")]")"
check "a later batch: an event_id already stored is a duplicate" "1|f 2|t" \
  "$(insert main "[$(ev "$(uid 6)" "$B" "$now_ms"),$(ev "$(uid 7)" "$(uid 900003)" "$now_ms")]")"
check "only the new rows are stored, the first holder of an id wins" \
  "5 $(uid 1)" \
  "$(sql main <<<"SELECT count(*) FROM telemetry_events WHERE occurred_at = ms_to_ts($now_ms) AND origin = 'ingest';
                  SELECT id FROM telemetry_events WHERE event_id = '$A'" | line)"
hour_ms=$((now_ms - now_ms % 3600000))
check "the hour's cell counts the rows written, not the duplicates" "5" \
  "$(sql main <<<"SELECT count FROM telemetry_hourly WHERE hour = $hour_ms AND event = 'cli.run'")"
u() { printf '%032d' "$1"; }
insert main "[$(ev "$(uid 40)" - "$now_ms" - cli.error "$(u 7)"),$(ev "$(uid 41)" - "$now_ms" - cli.error "$(u 3)"),$(ev "$(uid 42)" - "$now_ms" - cli.error "$(u 5)"),$(ev "$(uid 43)" - "$now_ms" - cli.error "$(u 6)"),$(ev "$(uid 44)" - "$now_ms" - cli.error "$(u 2)"),$(ev "$(uid 45)" - "$now_ms" - cli.error "$(u 4)"),$(ev "$(uid 46)" - "$now_ms" - cli.error "$(u 3)")]" >/dev/null
check "a cell keeps the 5 smallest distinct pseudonyms of its events" "7|2,3,4,5,6" \
  "$(sql main <<<"SELECT count || '|' || array_to_string(ARRAY(SELECT ltrim(x, '0') FROM unnest(users) x), ',')
                  FROM telemetry_hourly WHERE hour = $hour_ms AND event = 'cli.error'")"
insert main "[$(ev "$(uid 47)" - "$now_ms" - cli.error "$(u 1)"),$(ev "$(uid 48)" - "$now_ms" - cli.error "$(u 9)")]" >/dev/null
check "a later batch merges under the cell's lock: smaller ones enter, the largest leave" "9|1,2,3,4,5" \
  "$(sql main <<<"SELECT count || '|' || array_to_string(ARRAY(SELECT ltrim(x, '0') FROM unnest(users) x), ',')
                  FROM telemetry_hourly WHERE hour = $hour_ms AND event = 'cli.error'")"
check "every stored event_id is in the registry, once" "3 3" \
  "$(sql main <<<"SELECT count(*) FROM telemetry_event_ids; SELECT count(DISTINCT event_id) FROM telemetry_events" | line)"
check "properties are stored as the same object (jsonb, telemetry.md §5)" 't' \
  "$(sql main <<<"SELECT properties = '{\"command\":\"release\"}'::jsonb FROM telemetry_events WHERE id = '$(uid 4)'")"
props='{"command":"release","exit_code":0,"duration_ms":812,"cli_version":"4.6.1","os":"linux","arch":"x86_64","note":"a \"quoted\" \\\\ é"}'
props_json=$(jq -cn --arg p "$props" '$p')
check "including escapes and non-ASCII text" "$(jq -cS . <<<"$props")" \
  "$(insert main "[{\"id\":\"$(uid 8)\",\"surface\":\"ferrflow\",\"event\":\"cli.run\",\"properties\":$props_json,\"schema_version\":1,\"origin\":\"ingest\",\"occurred_at\":$now_ms,\"received_at\":$now_ms}]" >/dev/null
    sql main <<<"SELECT properties FROM telemetry_events WHERE id = '$(uid 8)'" | jq -cS .)"
check "an empty batch is fine" "" "$(insert main "[]")"

# Rows land in the partition of their UTC day; a day without one lands in the default partition.
last_ms_of_may3=$((1777766400000 + 86400000 - 1)) # 2026-05-03T23:59:59.999Z
insert main "[$(ev "$(uid 10)" - "$last_ms_of_may3"),$(ev "$(uid 11)" - $((last_ms_of_may3 + 1))),$(ev "$(uid 12)" - $(($(day_ms 2026-08-10) + 5 * 3600000)))]" >/dev/null
check "rows land in the right daily partition (23:59:59.999 and midnight), others in default" \
  "telemetry_events_p20260503 telemetry_events_p20260504 telemetry_events_default" \
  "$(sql main <<<"SELECT tableoid::regclass FROM telemetry_events WHERE id IN ('$(uid 10)', '$(uid 11)', '$(uid 12)') ORDER BY id" | line)"
check "creating the missing day moves its rows out of the default partition" \
  "1 telemetry_events_p20260810 0" \
  "$(sql main <<<"SELECT telemetry_ensure_partitions('2026-08-10', 1);
                  SELECT tableoid::regclass FROM telemetry_events WHERE id = '$(uid 12)';
                  SELECT count(*) FROM telemetry_events_default" | line)"
check "a partition of a day holds only that day" "0" \
  "$(sql main <<<"SELECT count(*) FROM telemetry_events
                  WHERE tableoid <> 'telemetry_events_default'::regclass
                    AND 'telemetry_events_p' || to_char(occurred_at AT TIME ZONE 'UTC', 'YYYYMMDD') <> tableoid::regclass::text")"

# Opt-out states (server rows): what the writer reads before deciding
# (domain/telemetry/opt_out.hpp), and when each flag last changed, maintained by the statements
# that set them.
ORG_OPEN=00000000-0000-7000-8000-000000000101
ORG_HIDDEN=00000000-0000-7000-8000-000000000102
U_QUIET=00000000-0000-7000-8000-000000000103
run main <<EOF
INSERT INTO organizations (id, slug, name, created_at, updated_at) VALUES
  ('$ORG_OPEN', 'open', 'Open', now(), now()), ('$ORG_HIDDEN', 'hidden', 'Hidden', now(), now());
INSERT INTO users (id, email, password_hash, status, created_at, updated_at) VALUES
  ('$U_QUIET', 'quiet@example.com', 'h', 'active', now(), now());
EOF
set_org() { # OPTED_OUT MS ORG
  sql main <<<"\\i :P/set_org_opt_out.sql
               EXECUTE set_org_opt_out($1, $2, '$3')" >/dev/null
}
set_user() { # USER OPTED_OUT MS
  sql main <<<"\\i :P/set_user_opt_out.sql
               EXECUTE set_user_opt_out('$1', $2, $3)" >/dev/null
}
states() { # ORG_IDS_JSON USER_IDS_JSON: the opt_out_states answer, sorted, on one line
  sql main <<<"\\i :P/opt_out_states.sql
               EXECUTE opt_out_states('$1', '$2')" | sort | line
}
set_org true 1000 "$ORG_HIDDEN"
set_user "$U_QUIET" true 2000
check "opt-out states: stored flags with their change times; no row, no answer" \
  "org|$ORG_OPEN|f| org|$ORG_HIDDEN|t|1000 user|$U_QUIET|t|2000" \
  "$(states "[\"$ORG_OPEN\",\"$ORG_HIDDEN\",\"$MISSING\"]" "[\"$U_QUIET\",\"$U_ADA\"]")"
set_org false 3000 "$ORG_HIDDEN"
set_user "$U_QUIET" false 4000
set_org false 5000 "$ORG_HIDDEN"
set_user "$U_QUIET" false 6000
set_org false 7000 "$ORG_OPEN"
check "a change moves the change time; setting the same value again does not" \
  "org|$ORG_OPEN|f| org|$ORG_HIDDEN|f|3000 user|$U_QUIET|f|4000" \
  "$(states "[\"$ORG_OPEN\",\"$ORG_HIDDEN\"]" "[\"$U_QUIET\"]")"
set_user "$U_ADA" false 8000
check "a user's first row: opting in is no change" "user|$U_ADA|f|" \
  "$(states "[]" "[\"$U_ADA\"]")"

# Two writers of one event_id: the second waits for the first's outcome.
C=$(uid 900010)
D=$(uid 900011)
holder main ev_holder "$work/ev.holder" <<EOF
BEGIN;
\\i :P/insert_batch.sql
EXECUTE insert_batch($(batch_args "'[$(ev "$(uid 30)" "$C" "$now_ms")]'") 5);
SELECT test_support.wait_for_blocked('ev_waiter');
COMMIT;
EOF
waiter=$(PGAPPNAME=ev_waiter insert main "[$(ev "$(uid 31)" "$C" "$now_ms")]") || true
wait_all
check "concurrent writers of one event_id: the one that waited gets a duplicate" \
  "1|t t | 1|f" "$(line <"$work/ev.holder") | $waiter"
holder main ev_holder2 "$work/ev.holder2" <<EOF
BEGIN;
\\i :P/insert_batch.sql
EXECUTE insert_batch($(batch_args "'[$(ev "$(uid 32)" "$D" "$now_ms")]'") 5);
SELECT test_support.wait_for_blocked('ev_waiter2');
ROLLBACK;
EOF
waiter=$(PGAPPNAME=ev_waiter2 insert main "[$(ev "$(uid 33)" "$D" "$now_ms")]") || true
wait_all
check "… and stores it when the first rolls back" "1|t t | 1|t" \
  "$(line <"$work/ev.holder2") | $waiter"
check "each of the two ids is stored once" "1 1" \
  "$(sql main <<<"SELECT count(*) FROM telemetry_events WHERE event_id = '$C';
                  SELECT count(*) FROM telemetry_events WHERE event_id = '$D'" | line)"

# ---------------------------------------------------------------------------------------------
# live_credentials (migration 0016): on PostgreSQL a table of the live session and personal-token
# ids, kept by triggers on both sources.
LC_USER=00000000-0000-7000-8000-000000000301
LC_SESSION=00000000-0000-7000-8000-000000000302
LC_TOKEN=00000000-0000-7000-8000-000000000303
run main <<EOF
INSERT INTO users (id, email, password_hash, status, created_at, updated_at) VALUES
  ('$LC_USER', 'live@example.com', 'h', 'active', now(), now());
INSERT INTO sessions (id, user_id, created_at, last_active_at, expires_at) VALUES
  ('$LC_SESSION', '$LC_USER', now(), now(), now());
INSERT INTO api_tokens (id, token_hash, token_prefix, name, scopes, user_id, org_id, owner, created_by, created_at) VALUES
  ('$LC_TOKEN', 'live-h', 'fl_pat_live0', 'ci', '*', '$LC_USER', NULL, NULL, '$LC_USER', now());
EOF
live_ids() { sql main <<<"SELECT id FROM live_credentials WHERE user_id = '$LC_USER' ORDER BY id" | line; }
check "a new session and a new personal token are live credentials" "$LC_SESSION $LC_TOKEN" "$(live_ids)"
run main <<<"UPDATE sessions SET last_active_at = now() WHERE id = '$LC_SESSION'"
check "a session's other updates leave it listed" "$LC_SESSION $LC_TOKEN" "$(live_ids)"
run main <<<"UPDATE sessions SET revoked_at = now() WHERE id = '$LC_SESSION'"
check "a revoked session is no longer" "$LC_TOKEN" "$(live_ids)"
run main <<<"DELETE FROM users WHERE id = '$LC_USER'"
check "deleting the user (its tokens cascade) leaves none" "" "$(live_ids)"

# ---------------------------------------------------------------------------------------------
# Retention: the TelemetryStore contract's scenario, plus the default partition, de-dup ids and
# an existing rollup.
new_db ret || { not_ok "set-up: database ret"; exit 1; }
run ret <<<"$test_support"
D3=$(day_ms 2026-05-03)
D4=$(day_ms 2026-05-04)
D5=$(day_ms 2026-05-05)
H=3600000
E1=$(uid 910001)
E2=$(uid 910002)
E3=$(uid 910003)
run ret <<<"SELECT telemetry_ensure_partitions('2026-05-03', 3);
  INSERT INTO telemetry_daily VALUES ('2026-05-04', 'ferrflow', 'cli.error', 10, 3, 5);"
insert ret "[$(ev "$(uid 40)" - $((D3 + H)) "$(printf 'a%.0s' {1..32})"),$(ev "$(uid 41)" - $((D3 + 23 * H)) "$(printf 'b%.0s' {1..32})"),$(ev "$(uid 42)" - $((D3 + 2 * H)) "$(printf 'a%.0s' {1..32})"),$(ev "$(uid 43)" "$E2" $((D3 + 3 * H)) - cli.run "$(printf 'c%.0s' {1..32})"),$(ev "$(uid 44)" - $((D4 + 5 * H)) - cli.error),$(ev "$(uid 45)" - $((D5 + H))),$(ev "$(uid 46)" "$E3" $((D5 + 2 * H))),$(ev "$(uid 47)" "$E1" "$(day_ms 2026-04-20)" - cli.run "$(printf 'd%.0s' {1..32})")]" >/dev/null
check "set-up: rows in three daily partitions and the default partition" \
  "telemetry_events_default|1 telemetry_events_p20260503|4 telemetry_events_p20260504|1 telemetry_events_p20260505|2" \
  "$(sql ret <<<"SELECT tableoid::regclass, count(*) FROM telemetry_events GROUP BY 1 ORDER BY 1" | line)"
check "nothing before the oldest row: nothing expires" "0|0" \
  "$(sql ret <<<"\\i :P/expire_telemetry.sql
                 EXECUTE expire_telemetry($(day_ms 2026-04-20))")"
check "set-up: the batch counted its rows into 8 hourly cells" "8 8" \
  "$(sql ret <<<"SELECT count(*) FROM telemetry_hourly; SELECT sum(count) FROM telemetry_hourly" | line)"
check "expiring before 2026-05-05 rolls up 3 days and removes 6 raw rows" "3|6" \
  "$(sql ret <<<"\\i :P/expire_telemetry.sql
                 EXECUTE expire_telemetry($D5)")"
check "… and their hourly cells go with them (the store runs both in one transaction)" "2" \
  "$(sql ret <<<"\\i :P/expire_hourly.sql
                 EXECUTE expire_hourly($D5);
                 SELECT count(*) FROM telemetry_hourly")"
check "the rollups: counts, distinct orgs and users, merged into the existing row" \
  "2026-04-20|ferrflow|cli.run|1|0|1 2026-05-03|ferrflow|cli.run|4|2|1 2026-05-04|ferrflow|cli.error|11|3|5" \
  "$(sql ret <<<"SELECT to_char(day, 'YYYY-MM-DD'), surface, event, count, distinct_orgs, distinct_users
                 FROM telemetry_daily ORDER BY 1, 2, 3" | line)"
check "the expired days' partitions are dropped, the young one stays, default is emptied" \
  "telemetry_events_default|0 telemetry_events_p20260505|2" \
  "$(sql ret <<<"SELECT c.relname, (SELECT count(*) FROM telemetry_events e WHERE e.tableoid = c.oid)
                 FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                 WHERE i.inhparent = 'telemetry_events'::regclass ORDER BY 1" | line)"
check "the de-dup ids of expired events are pruned, the young one's stays" "$E3" \
  "$(sql ret <<<"SELECT string_agg(event_id::text, ' ') FROM telemetry_event_ids")"
check "daily-counts reads rolled-up and raw days alike" \
  "2026-04-20|cli.run|1|0|1 2026-05-03|cli.run|4|2|1 2026-05-04|cli.error|11|3|5 2026-05-05|cli.run|2|0|0" \
  "$(sql ret <<<"\\i :P/daily_counts.sql
                 EXECUTE daily_counts($(day_ms 2026-04-01), $(day_ms 2026-05-06), 5)" | line)"
check "daily-counts ranges are half-open" "2026-05-05|cli.run|2|0|0" \
  "$(sql ret <<<"\\i :P/daily_counts.sql
                 EXECUTE daily_counts($D5, $(day_ms 2026-05-06), 5)" | line)"
check "counts-since reads the hourly cells of the days still raw" "cli.run|2|0|0" \
  "$(sql ret <<<"\\i :P/counts_since.sql
                 EXECUTE counts_since($(day_ms 2026-04-01), 5)" | line)"
check "a second pass removes nothing" "0|0" \
  "$(sql ret <<<"SELECT * FROM telemetry_expire_before(ms_to_ts($D5))")"
check "an expired event's id is free again, a young one's is still a duplicate" "1|t 2|f" \
  "$(insert ret "[$(ev "$(uid 48)" "$E2" $((D5 + 3 * H))),$(ev "$(uid 49)" "$E3" $((D5 + 3 * H)))]")"
check "a cutoff inside a day removes only that day's earlier rows (by DELETE)" \
  "1|2 telemetry_events_p20260505|1 2026-05-05|ferrflow|cli.run|2|0|0" \
  "$(sql ret <<<"SELECT * FROM telemetry_expire_before(ms_to_ts($((D5 + 2 * H + 1))));
                 SELECT tableoid::regclass, count(*) FROM telemetry_events GROUP BY 1;
                 SELECT to_char(day, 'YYYY-MM-DD'), surface, event, count, distinct_orgs, distinct_users
                 FROM telemetry_daily WHERE day = '2026-05-05'" | line)"

# Two retention passes at once: nothing rolled up twice, nothing lost.
new_db ret2 || { not_ok "set-up: database ret2"; exit 1; }
run ret2 <<<"$test_support"
run ret2 <<<"
  SELECT telemetry_ensure_partitions('2026-03-01', 10);
  INSERT INTO telemetry_events (id, surface, event, org_hash, schema_version, origin, occurred_at, received_at)
  SELECT gen_random_uuid(), 'ferrflow', 'cli.run', 'o' || (g % 7), 1, 'ingest',
         timestamptz '2026-03-01 00:00:00+00' + g * INTERVAL '7 minutes', now()
  FROM generate_series(0, 1999) AS g;"
holder ret2 ret_holder "$work/ret.holder" <<<"BEGIN;
  SELECT * FROM telemetry_expire_before('2026-03-04 00:00:00+00');
  SELECT test_support.wait_for_blocked('ret_waiter');
  COMMIT;"
waiter=$(PGAPPNAME=ret_waiter sql ret2 <<<"SELECT * FROM telemetry_expire_before('2026-03-04 00:00:00+00')") || true
wait_all
expected_rows=$(sql ret2 <<<"SELECT count(*) FROM generate_series(0, 1999) AS g
                             WHERE timestamptz '2026-03-01 00:00:00+00' + g * INTERVAL '7 minutes' < '2026-03-04 00:00:00+00'") || true
check "a pass started while another runs waits for it, then finds nothing to do" \
  "3|$expected_rows t | 0|0" "$(line <"$work/ret.holder") | $waiter"
for s in 1 2; do
  sql ret2 >"$work/ret.$s" <<<"SELECT * FROM telemetry_expire_before('2026-03-08 00:00:00+00')" &
  bg_pids+=("$!")
done
wait_all
check "two simultaneous passes: every row rolled up exactly once" "2000 2000" \
  "$(sql ret2 <<<"SELECT sum(count) + (SELECT count(*) FROM telemetry_events) FROM telemetry_daily;
                  SELECT $(sum "$(cut -d'|' -f2 "$work/ret.1")" "$(cut -d'|' -f2 "$work/ret.2")" "$expected_rows")
                         + (SELECT count(*) FROM telemetry_events)" | line)"
check "and the distinct counts are those of the raw days" "0" \
  "$(sql ret2 <<<"SELECT count(*) FROM telemetry_daily WHERE distinct_orgs <> 7")"

# ---------------------------------------------------------------------------------------------
# The concurrency statements (migrations/README.md, "Concurrency").
ORG_RACE=00000000-0000-7000-8000-000000000201
U_OWNER1=00000000-0000-7000-8000-000000000202
U_OWNER2=00000000-0000-7000-8000-000000000203
run main <<EOF
INSERT INTO users (id, email, password_hash, status, created_at, updated_at) VALUES
  ('$U_OWNER1', 'o1@example.com', 'h', 'active', now(), now()),
  ('$U_OWNER2', 'o2@example.com', 'h', 'active', now(), now());
INSERT INTO organizations (id, slug, name, created_at, updated_at) VALUES
  ('$ORG_RACE', 'race', 'Race', now(), now());
INSERT INTO org_memberships (org_id, user_id, role, joined_at) VALUES
  ('$ORG_RACE', '$U_OWNER1', 'owner', ms_to_ts($now_ms)),
  ('$ORG_RACE', '$U_OWNER2', 'owner', ms_to_ts($now_ms));
EOF

# Last owner: two owners demote each other; with lock_org the second counts one owner.
holder main owner_holder "$work/owner.holder" <<EOF
BEGIN;
\\i :P/lock_org.sql
\\i :P/member_for_change.sql
\\i :P/change_role.sql
EXECUTE lock_org('$ORG_RACE');
EXECUTE member_for_change('$ORG_RACE', '$U_OWNER1');
EXECUTE change_role('admin', '$ORG_RACE', '$U_OWNER1');
SELECT test_support.wait_for_blocked('owner_waiter');
COMMIT;
EOF
waiter=$(PGAPPNAME=owner_waiter sql main <<EOF | line
BEGIN;
\\i :P/lock_org.sql
\\i :P/member_for_change.sql
EXECUTE lock_org('$ORG_RACE');
EXECUTE member_for_change('$ORG_RACE', '$U_OWNER2');
ROLLBACK;
EOF
) || true
wait_all
check "last owner: after lock_org the concurrent demotion is seen (1 owner left: refuse)" \
  "1 $U_OWNER1|o1@example.com||owner|$now_ms|2 $U_OWNER1|o1@example.com||admin|$now_ms t | 1 $U_OWNER2|o2@example.com||owner|$now_ms|1" \
  "$(line <"$work/owner.holder") | $waiter"

# Two identical activations: one row, the second gets nothing back (SUBSCRIPTION_ALREADY_ACTIVE).
activate() { # ID PRODUCT TIER NOW
  echo "\\i :P/activate_subscription.sql
EXECUTE activate_subscription('$1', '$ORG_RACE', '$2', '$3', $4);"
}
holder main sub_holder "$work/sub.holder" <<EOF
BEGIN;
$(activate "$(uid 301)" ferrvault pro "$now_ms")
SELECT test_support.wait_for_blocked('sub_waiter');
COMMIT;
EOF
waiter=$(PGAPPNAME=sub_waiter sql main <<<"$(activate "$(uid 302)" ferrvault pro "$now_ms")") || true
wait_all
check "two concurrent identical activations: one row, the waiter gets no row back" \
  "$(uid 301)|ferrvault|pro|active|$now_ms|$now_ms| t | <none> | 1" \
  "$(line <"$work/sub.holder") | ${waiter:-<none>} | $(sql main <<<"SELECT count(*) FROM subscriptions WHERE org_id = '$ORG_RACE'")"
check "a canceled subscription is reactivated in place (same id and created_at)" \
  "$(uid 301)|ferrvault|team|active|$now_ms|$((now_ms + 2000))|" \
  "$(sql main <<<"UPDATE subscriptions SET status = 'canceled', canceled_at = ms_to_ts($((now_ms + 1000)))
                  WHERE org_id = '$ORG_RACE' AND product = 'ferrvault';
                  $(activate "$(uid 303)" ferrvault team $((now_ms + 2000)))")"
check "lock-subscription reads the row" "$(uid 301)|ferrvault|team|active|$now_ms|$((now_ms + 2000))|" \
  "$(sql main <<<"\\i :P/lock_subscription.sql
                  EXECUTE lock_subscription('$ORG_RACE', 'ferrvault')")"

# Two registrations of one e-mail: one account; the second finds it with lock-user-by-email.
register() { # ID NOW
  echo "\\i :P/register_user.sql
EXECUTE register_user('$1', 'race@example.com', 'hash', NULL, $2);"
}
holder main reg_holder "$work/reg.holder" <<EOF
BEGIN;
$(register "$(uid 401)" "$now_ms")
SELECT test_support.wait_for_blocked('reg_waiter');
COMMIT;
EOF
waiter=$(PGAPPNAME=reg_waiter sql main <<EOF | line
BEGIN;
$(register "$(uid 402)" "$now_ms")
\\i :P/lock_user_by_email.sql
EXECUTE lock_user_by_email('race@example.com');
COMMIT;
EOF
) || true
wait_all
check "two concurrent registrations of one e-mail: one account, found by the second" \
  "$(uid 401) t | $(uid 401)|race@example.com|pending||UTC|en|$now_ms|$now_ms|hash|| | 1" \
  "$(line <"$work/reg.holder") | $waiter | $(sql main <<<"SELECT count(*) FROM users WHERE email = 'race@example.com'")"

# Login failures counted from five sessions at once: each sees its own count.
for s in 1 2 3 4 5; do
  sql main >"$work/login.$s" <<<"\\i :P/login_failure.sql
                                 EXECUTE login_failure('throttled@example.com', $now_ms)" &
  bg_pids+=("$!")
done
wait_all
check "five simultaneous login failures count 1..5, one each" "1 2 3 4 5" \
  "$(cat "$work"/login.[1-5] | sort -n | line)"

# Idempotency claims.
claim() { # KEY NOW ABANDONED_BEFORE
  echo "\\i :P/claim_idempotency.sql
EXECUTE claim_idempotency('$U_OWNER1', '$1', 'fp-$1', $2, $3);"
}
read_key() {
  echo "\\i :P/read_idempotency.sql
EXECUTE read_idempotency('$U_OWNER1', '$1');"
}
check "claim: a new key is taken" "t" "$(sql main <<<"$(claim k 1000 0)")"
check "claim: in flight and not abandoned, it is held (nothing back, then read it)" "fp-k||" \
  "$(sql main <<<"$(claim k 2000 500)
                  $(read_key k)")"
check "claim: abandoned in flight, it is taken over" "t" "$(sql main <<<"$(claim k 5000 1500)")"
check "claim: completed, it is held with its response" 'fp-k|201|{"a":1}' \
  "$(sql main <<<"UPDATE idempotency_keys SET status = 201, body = '{\"a\":1}' WHERE user_id = '$U_OWNER1' AND key = 'k';
                  $(claim k 9000 8000)
                  $(read_key k)")"
check "expire-idempotency deletes entries older than its bound" "0" \
  "$(sql main <<<"\\i :P/expire_idempotency.sql
                  EXECUTE expire_idempotency(6000);
                  SELECT count(*) FROM idempotency_keys WHERE user_id = '$U_OWNER1' AND key = 'k' AND created_at = ms_to_ts(5000)")"
holder main key_holder "$work/key.holder" <<EOF
BEGIN;
$(claim k2 "$now_ms" 0)
SELECT test_support.wait_for_blocked('key_waiter');
COMMIT;
EOF
waiter=$(PGAPPNAME=key_waiter sql main <<<"$(claim k2 "$now_ms" 0)") || true
wait_all
check "two concurrent claims of one key: only the first takes it" "t t | <none>" \
  "$(line <"$work/key.holder") | ${waiter:-<none>}"

mail() { # NOW NOT_SINCE
  sql main <<<"\\i :P/mail_slot.sql
               EXECUTE mail_slot('m@example.com', $1, $2)"
}
first=$(mail 1000 -59000) || true
second=$(mail 30000 -30000) || true
third=$(mail 61000 1000) || true
check "mail-slot: first mail goes, a second within the minute does not, a later one does" \
  "1 | <none> | 1" "${first:-<none>} | ${second:-<none>} | ${third:-<none>}"

echo "# $passed passed, $failed failed"
[ "$failed" -eq 0 ]
