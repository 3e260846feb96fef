# Helpers for the black-box suites: they drive the built binary exactly as an operator would.
# Usage: source lib.sh; FERR_BIN is the binary under test.
set -uo pipefail

: "${FERR_BIN:?FERR_BIN must name the ferrlabs-api binary}"
FERR_BIN=$(realpath "$FERR_BIN")
E2E_WORK=$(mktemp -d)
E2E_PASSED=0
E2E_FAILED=0
E2E_PIDS=()

cleanup() {
  for pid in "${E2E_PIDS[@]}"; do kill -KILL "$pid" 2>/dev/null; done
  rm -rf "$E2E_WORK"
}
trap cleanup EXIT

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
  local name=$1
  shift
  SERVER_DIR="$E2E_WORK/$name"
  mkdir -p "$SERVER_DIR"
  SERVER_LOG="$SERVER_DIR/server.log"
  (cd "$SERVER_DIR" && exec env FERRLABS_LISTEN=127.0.0.1:0 FERRLABS_THREADS=2 "$@" "$FERR_BIN" serve) \
    2>"$SERVER_LOG" >"$SERVER_DIR/stdout.log" &
  SERVER_PID=$!
  E2E_PIDS+=("$SERVER_PID")
  if ! wait_for_line "$SERVER_LOG" '"msg":"listening"' 60; then
    echo "server $name did not start:"; cat "$SERVER_LOG"
    return 1
  fi
  SERVER_PORT=$(grep '"msg":"listening"' "$SERVER_LOG" | jq -r .port)
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
