# Helpers for the black-box suites: they drive the built binary exactly as an operator would.
# Usage: source lib.sh; FERR_BIN is the binary under test.
set -uo pipefail

: "${FERR_BIN:?FERR_BIN must name the ferrlabs-api binary}"
FERR_BIN=$(realpath "$FERR_BIN")
E2E_WORK=$(mktemp -d)
E2E_PASSED=0
E2E_FAILED=0
E2E_PIDS=()

# The backend under test: FERR_E2E_BACKEND=postgres runs the suite on databases of its own in the
# throwaway cluster named by FERR_TEST_PG_URL_FILE (the ctest fixture of tests/postgres starts and
# stops it); otherwise on SQLite files under E2E_WORK.
E2E_BACKEND=${FERR_E2E_BACKEND:-sqlite}
E2E_PG_DATABASES=()
if [ "$E2E_BACKEND" = postgres ]; then
  : "${FERR_TEST_PG_URL_FILE:?FERR_TEST_PG_URL_FILE must name the URL file of the test cluster}"
  E2E_PG_SERVER_URL=$(cat "$FERR_TEST_PG_URL_FILE")
fi

cleanup() {
  for pid in "${E2E_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  for name in "${E2E_PG_DATABASES[@]}"; do
    psql -q -X "$E2E_PG_SERVER_URL" -c "DROP DATABASE IF EXISTS $name WITH (FORCE)" >/dev/null 2>&1
  done
  rm -rf "$E2E_WORK"
}
trap cleanup EXIT

# new_database NAME: a fresh, empty database for NAME on the backend under test; sets
# E2E_DATABASE_URL to its DATABASE_URL (a SQLite file relative to the server's directory, or a new
# PostgreSQL database, dropped at exit).
new_database() {
  if [ "$E2E_BACKEND" = postgres ]; then
    local name="e2e_${1}_$$"
    psql -q -X "$E2E_PG_SERVER_URL" -c "CREATE DATABASE $name" >/dev/null || return 1
    E2E_PG_DATABASES+=("$name")
    E2E_DATABASE_URL="${E2E_PG_SERVER_URL%/*}/$name"
  else
    E2E_DATABASE_URL="sqlite:./data/$1.db"
  fi
}

pass() { E2E_PASSED=$((E2E_PASSED + 1)); echo "ok   - $1"; }
fail() { E2E_FAILED=$((E2E_FAILED + 1)); echo "FAIL - $1"; [ $# -gt 1 ] && echo "       $2"; }

# check NAME EXPECTED ACTUAL
check() {
  if [ "$2" == "$3" ]; then pass "$1"; else fail "$1" "expected [$2], got [$3]"; fi
}

# check_contains NAME NEEDLE HAYSTACK
check_contains() {
  if [[ "$3" == *"$2"* ]]; then pass "$1"; else fail "$1" "[$2] not found in [${3:0:400}]"; fi
}

# wait_for_line FILE PATTERN [SECONDS]: waits until a line matching PATTERN appears in FILE.
wait_for_line() {
  local deadline=$((SECONDS + ${3:-20}))
  while ! grep -q "$2" "$1" 2>/dev/null; do
    [ $SECONDS -ge $deadline ] && return 1
    sleep 0.05
  done
}

# start_server NAME [ENV=VALUE ...]: starts `serve` on a free port in its own directory; sets
# SERVER_PID, SERVER_PORT, SERVER_LOG and SERVER_DIR.
start_server() {
  launch_server "$@" && await_server "$1"
}

# launch_server NAME [ENV=VALUE ...]: starts `serve` like start_server without waiting for it
# (await_server NAME does), so that several can start at once; sets SERVER_PID.
launch_server() {
  local name=$1
  shift
  mkdir -p "$E2E_WORK/$name"
  # Emptied here, not only by the background redirection below: a restart under the same name
  # would otherwise let await_server read the previous run's "listening" line (and port).
  : >"$E2E_WORK/$name/server.log"
  # On PostgreSQL `serve` listens before the database is ready (docs/postgres.md, "Start-up"):
  # await_server then also waits for it, unless E2E_AWAIT_DATABASE=0 (pg_startup_test.sh).
  rm -f "$E2E_WORK/$name/on-postgres"
  local arg
  for arg in "$@"; do
    [[ "$arg" == DATABASE_URL=postgres* ]] && : >"$E2E_WORK/$name/on-postgres"
  done
  # FERRLABS_STATS_CACHE_S=0: the suites read the statistics right after writing events.
  (cd "$E2E_WORK/$name" && exec env FERRLABS_LISTEN=127.0.0.1:0 FERRLABS_THREADS=2 FERRLABS_STATS_CACHE_S=0 "$@" "$FERR_BIN" serve) \
    2>"$E2E_WORK/$name/server.log" >"$E2E_WORK/$name/stdout.log" &
  SERVER_PID=$!
  E2E_PIDS+=("$SERVER_PID")
}

# await_server NAME: waits until server NAME listens; sets SERVER_PORT, SERVER_LOG, SERVER_DIR.
await_server() {
  SERVER_DIR="$E2E_WORK/$1"
  SERVER_LOG="$SERVER_DIR/server.log"
  if ! wait_for_line "$SERVER_LOG" '"msg":"listening"' 60; then
    echo "server $1 did not start:"; cat "$SERVER_LOG"
    return 1
  fi
  SERVER_PORT=$(grep '"msg":"listening"' "$SERVER_LOG" | jq -r .port)
  if [ -f "$SERVER_DIR/on-postgres" ] && [ "${E2E_AWAIT_DATABASE:-1}" != 0 ] &&
    ! wait_for_line "$SERVER_LOG" '"msg":"database ready"' 60; then
    echo "server $1 did not reach its database:"; cat "$SERVER_LOG"
    return 1
  fi
}

# stop_server [SIGNAL]: signals the server and sets SERVER_EXIT to its exit status.
stop_server() {
  kill "-${1:-TERM}" "$SERVER_PID"
  wait "$SERVER_PID"
  SERVER_EXIT=$?
}

url() { echo "http://127.0.0.1:$SERVER_PORT$1"; }

# status_of METHOD PATH [curl args...]: prints the HTTP status.
status_of() {
  local method=$1 path=$2
  shift 2
  curl -s -o /dev/null -w '%{http_code}' -X "$method" "$@" "$(url "$path")"
}

finish() {
  echo "$E2E_PASSED passed, $E2E_FAILED failed"
  [ "$E2E_FAILED" -eq 0 ]
}

# api METHOD PATH TOKEN [BODY] [curl args...]: a JSON call; prints the body, then the status on
# a last line of its own (read them with body_of and status_in).
api() {
  local method=$1 path=$2 token=$3 data=${4:-}
  shift 4 2>/dev/null || shift $#
  local args=(-s -w '\n%{http_code}' -X "$method" -H 'Content-Type: application/json')
  [ -n "$token" ] && args+=(-H "Authorization: Bearer $token")
  [ -n "$data" ] && args+=(-d "$data")
  curl "${args[@]}" "$@" "$(url "$path")"
}
body_of() { sed '$d' <<<"$1"; }
status_in() { tail -n1 <<<"$1"; }

# active_account EMAIL PASSWORD MAIL_DIR: registers, reads the code from the .eml file, verifies;
# prints the access token.
active_account() {
  local email=$1 password=$2 mail_dir=$3
  api POST /auth/register "" "{\"email\":\"$email\",\"password\":\"$password\"}" >/dev/null
  local deadline=$((SECONDS + 20)) eml=""
  until eml=$(grep -rls "$email" "$mail_dir" 2>/dev/null | head -n1) && [ -n "$eml" ] ||
    [ $SECONDS -ge $deadline ]; do sleep 0.05; done
  local code
  code=$(grep -oE 'code is [0-9]{6}' "$eml" | grep -oE '[0-9]{6}')
  body_of "$(api POST /auth/verify-email "" "{\"email\":\"$email\",\"code\":\"$code\"}")" |
    jq -r .access_token
}
