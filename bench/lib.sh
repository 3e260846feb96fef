# shellcheck shell=bash
# Sourced by the benchmark scripts (run from the project root).
#
#   bench_workspace       makes the scratch directory `work` and the array `pids`, and on exit kills
#                         every process in `pids`, stops the PostgreSQL cluster of $work/cluster if
#                         one was started (start_cluster) and removes `work`
#   start_cluster         starts a throwaway PostgreSQL cluster in $work/cluster and prints its URL
#   baseline_binary REV   builds REV's release binary once into build/baseline-<short rev>/ (from
#                         `git archive`: no network) and sets BASELINE_BIN and rev to it
#   start_server NAME BINARY DATABASE_URL [VAR=VALUE…]
#                         a server in $work/NAME listening on a free port of 127.0.0.1 (logging at
#                         info, mail to files, a fixed JWT secret, then the given variables);
#                         returns once it answers /readyz and sets port_NAME
#   write_envelope_bodies the request bodies of the ingestion loads: $work/single.json (one
#                         cli.run envelope) and $work/batch.json (a batch of 100 of them)
#   wrk_summary FILE      "requests_per_second p99_ms non_2xx requests" of a `wrk --latency` report
#   record_wrk NAME URL [wrk args…]
#                         runs `wrk -t2 -c$CONNECTIONS -d${DURATION}s --latency` against URL,
#                         appends its wrk_summary line to $work/NAME and prints it
#   median NAME COLUMN    the median of column COLUMN of $work/NAME

bench_workspace() {
  work=$(mktemp -d)
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if [ -d "$work/cluster" ]; then scripts/pg-test-cluster.sh stop "$work/cluster" >/dev/null 2>&1 || true; fi
  rm -rf "$work"
}

start_cluster() { scripts/pg-test-cluster.sh start "$work/cluster"; }

baseline_binary() {
  rev=$(git rev-parse --short "$1")
  local base_dir=$PWD/build/baseline-$rev
  BASELINE_BIN=$base_dir/build/release/src/ferrlabs-api
  if [ ! -x "$BASELINE_BIN" ]; then
    echo "building the baseline $rev into $base_dir (once)"
    rm -rf "$base_dir" && mkdir -p "$base_dir"
    git archive "$rev" | tar -x -C "$base_dir"
    (cd "$base_dir" && cmake --preset release >/dev/null && cmake --build build/release --target ferrlabs-api -j2 >/dev/null)
  fi
}

start_server() {
  local name=$1 bin url=$3
  bin=$(realpath "$2")  # the server runs in $work/NAME
  shift 3
  mkdir -p "$work/$name"
  (cd "$work/$name" && exec env FERRLABS_LISTEN=127.0.0.1:0 FERRLABS_LOG=info \
    "FERRLABS_MAIL=file:$work/$name/mail" JWT_SECRET=bench-secret-bench-secret-bench-secret \
    "DATABASE_URL=$url" "$@" "$bin" serve) 2>"$work/$name/log" &
  pids+=($!)
  for _ in $(seq 400); do grep -q '"msg":"listening"' "$work/$name/log" 2>/dev/null && break; sleep 0.05; done
  printf -v "port_$name" '%s' "$(grep '"msg":"listening"' "$work/$name/log" | sed -E 's/.*"port":([0-9]+).*/\1/')"
  # On PostgreSQL the server listens before its database is ready (operations.md): wait for it.
  local port_var="port_$name"
  for _ in $(seq 400); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:${!port_var}/readyz")" = 200 ] && break
    sleep 0.05
  done
}

write_envelope_bodies() {
  envelope='{"surface":"ferrflow","event":"cli.run","properties":{"command":"release","exit_code":0,"duration_ms":812,"cli_version":"4.6.1","os":"linux","arch":"x86_64"},"schema_version":1}'
  echo "$envelope" >"$work/single.json"
  { printf '{"events":['; for i in $(seq 100); do [ "$i" -gt 1 ] && printf ','; printf '%s' "$envelope"; done; printf ']}'; } >"$work/batch.json"
}

wrk_summary() {
  awk '
    /^Requests\/sec:/ {rps=$2}
    /requests in/ {requests=$1}
    /Non-2xx/ {bad=$NF}
    $1 == "99%" {v=$2; if (v ~ /us$/) {sub(/us$/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms$/,"",v)} else if (v ~ /s$/) {sub(/s$/,"",v); v=v*1000}; p99=v}
    END {printf "%s %s %d %d\n", rps, p99, bad, requests}' "$1"
}

record_wrk() {
  local name=$1 url=$2
  shift 2
  wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency "$@" "$url" >"$work/wrk.out"
  wrk_summary "$work/wrk.out" >>"$work/$name"
  tail -n1 "$work/$name"
}

median() { awk "{print \$$2}" "$work/$1" | sort -g | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }

# CPU time (user + system) of process PID, and the machine's idle time, in clock ticks.
clock_ticks=$(getconf CLK_TCK)
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
idle_ticks() { awk '/^cpu / {print $5 + $6}' /proc/stat; }

# call METHOD PATH [TOKEN] [BODY]: a JSON request to the server bench_account last set up.
call() { curl -s -X "$1" -H 'Content-Type: application/json' ${3:+-H "Authorization: Bearer $3"} ${4:+-d "$4"} "$bench_base$2"; }

# bench_account BASE_URL MAIL_DIR: registers bench@example.com on BASE_URL and verifies it with
# the code mailed to MAIL_DIR; sets `token` to its access token (15 minutes: enough for the
# default runs) and points `call` at BASE_URL.
bench_account() {
  bench_base=$1
  local mail=$2 email=bench@example.com password="benchmark passphrase that is long" code
  call POST /auth/register "" "{\"email\":\"$email\",\"password\":\"$password\"}" >/dev/null
  for _ in $(seq 200); do grep -rqs "$email" "$mail" && break; sleep 0.02; done
  code=$(grep -rhs "$email" -A30 "$mail" | grep -oE 'code is [0-9]{6}' | head -n1 | grep -oE '[0-9]{6}')
  token=$(call POST /auth/verify-email "" "{\"email\":\"$email\",\"code\":\"$code\"}" | jq -r .access_token)
}

# retier_orgs BASE_URL MAIL_DIR: bench_account, then the orgs `on` and `off` with a ferrflow
# subscription each, `off` opted out of telemetry (the re-tier loads).
retier_orgs() {
  bench_account "$1" "$2"
  for org in on off; do
    call POST /v1/orgs "$token" "{\"slug\":\"$org\",\"name\":\"$org\"}" >/dev/null
    call POST "/v1/orgs/$org/subscriptions" "$token" '{"product":"ferrflow"}' >/dev/null
  done
  call PUT /v1/orgs/off/telemetry-prefs "$token" '{"telemetry_opt_out":true}' >/dev/null
}
