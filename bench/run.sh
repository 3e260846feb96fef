#!/usr/bin/env bash
# Load benchmarks on loopback (see docs/performance.md for the method and the latest figures).
#
#   bench/run.sh [ROUNDS] [SECONDS]
#
# Starts Debian's nginx as the reference ceiling and the release binary on SQLite, then runs wrk
# against each, alternating, ROUNDS times. Prints each round and the medians, and the ratio of
# the API to nginx within the same run (the machine is shared and noisy: absolute numbers drift,
# ratios within one run hold). Everything stops by itself; nothing leaves 127.0.0.1.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
DURATION=${2:-10}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
WRK_THREADS=${BENCH_WRK_THREADS:-2}
BIN=./build/release/src/ferrlabs-api
[ -x "$BIN" ] || { echo "build the release preset first (make release)"; exit 1; }
command -v wrk >/dev/null || { echo "wrk is missing: scripts/install-deps.sh"; exit 1; }

source bench/lib.sh
bench_workspace

free_port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# --- reference: nginx ---
nginx_port=$(free_port)
mkdir -p "$work/nginx"
sed -e "s|@DIR@|$work/nginx|g" -e "s|@PORT@|$nginx_port|g" bench/nginx.conf.template >"$work/nginx/nginx.conf"
/usr/sbin/nginx -c "$work/nginx/nginx.conf" -p "$work/nginx" &
pids+=($!)

# --- the API: release build, SQLite, logging at info ---
start_server api "$BIN" sqlite:./bench.db
api_port=$port_api
for _ in $(seq 200); do curl -sf "http://127.0.0.1:$nginx_port/health" >/dev/null && break; sleep 0.05; done

# run_wrk URL: prints "requests_per_second p99_ms"
run_wrk() {
  wrk -t"$WRK_THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "$1" >"$work/wrk.out"
  local rps p99 bad
  read -r rps p99 bad _ < <(wrk_summary "$work/wrk.out")
  if [ "$bad" -gt 0 ]; then echo "non-2xx responses in run: $bad" >&2; fi
  echo "$rps $p99"
}

echo "wrk -t$WRK_THREADS -c$CONNECTIONS -d${DURATION}s, $ROUNDS rounds, $(nproc) cores"
printf "%-6s %-26s %12s %10s\n" round target req/s p99_ms
: >"$work/nginx.rps"; : >"$work/health.rps"; : >"$work/health.p99"
for round in $(seq "$ROUNDS"); do
  read -r rps p99 < <(run_wrk "http://127.0.0.1:$nginx_port/health")
  printf "%-6s %-26s %12.0f %10.2f\n" "$round" "nginx /health" "$rps" "$p99"
  echo "$rps" >>"$work/nginx.rps"
  read -r rps p99 < <(run_wrk "http://127.0.0.1:$api_port/health")
  printf "%-6s %-26s %12.0f %10.2f\n" "$round" "ferrlabs-api /health" "$rps" "$p99"
  echo "$rps" >>"$work/health.rps"; echo "$p99" >>"$work/health.p99"
done

nginx_median=$(median nginx.rps 1)
health_median=$(median health.rps 1)
echo
printf "median nginx /health:        %10.0f req/s\n" "$nginx_median"
printf "median ferrlabs-api /health: %10.0f req/s (p99 %.2f ms)\n" "$health_median" "$(median health.p99 1)"
awk -v a="$health_median" -v n="$nginx_median" 'BEGIN {printf "ratio api/nginx:             %10.2f (target >= 0.80)\n", a/n}'
rss_kib=$(awk '/VmRSS/ {print $2}' "/proc/${pids[1]}/status")
printf "API resident memory after the runs: %d MiB\n" $((rss_kib / 1024))
