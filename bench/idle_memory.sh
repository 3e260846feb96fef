#!/usr/bin/env bash
# Memory held by idle keep-alive connections, and whether it comes back (operations.md: "4 000
# idle keep-alive connections opened, then timed out: memory back within 10 MiB of idle").
#
#   bench/idle_memory.sh [CONNECTIONS] [BINARY]
#
# Starts the release binary on SQLite with caps that admit CONNECTIONS from 127.0.0.1, measures
# its resident memory idle, with CONNECTIONS idle keep-alive connections, and after the server's
# idle timeout (30 s) closed them; then shows that one client over its cap is refused. Everything
# stays on 127.0.0.1 and stops by itself (about a minute).
set -euo pipefail
cd "$(dirname "$0")/.."
CONNECTIONS=${1:-4000}
BIN=$(realpath "${2:-./build/release/src/ferrlabs-api}")
[ -x "$BIN" ] || { echo "build the release preset first (make release)"; exit 1; }

source bench/lib.sh
bench_workspace

# start NAME [VAR=VALUE…]: a server on two I/O threads; sets pid and port.
start() {
  local name=$1
  shift
  start_server "$name" "$BIN" sqlite:./bench.db FERRLABS_THREADS=2 "$@"
  pid=${pids[-1]}
  local port_var="port_$name"
  port=${!port_var}
}

echo "== $CONNECTIONS idle keep-alive connections (caps raised to admit them)"
start raised FERRLABS_MAX_CONNECTIONS=$((CONNECTIONS + 100)) FERRLABS_MAX_CONNECTIONS_PER_CLIENT=$((CONNECTIONS + 100))
/usr/bin/python3 bench/idle_memory.py "$pid" "$port" "$CONNECTIONS" 90
kill "$pid"; wait "$pid" 2>/dev/null || true

echo "== the default per-client cap (256): $((256 + 44)) connections from one address"
start default_cap
/usr/bin/python3 bench/idle_memory.py "$pid" "$port" 300 90 open-only
# The refusals are counted in /metrics (retried: the server may still be closing the 256).
for _ in $(seq 50); do
  metrics=$(curl -sf "http://127.0.0.1:$port/metrics") && break
  sleep 0.1
done
grep '^http_connections_refused_total' <<<"${metrics:-}" || true
