#!/usr/bin/env bash
# Login benchmarks on loopback with the production argon2id parameters (m = 19 MiB, t = 2):
#
#   bench/login.sh [SAMPLES]
#
# 1. Enumeration timing: median latency of a login with an unknown e-mail against a login with
#    a wrong password for a known account (both must cost one argon2id verification).
# 2. Login burst: 64 connections logging in for 10 s while a second wrk measures GET /health;
#    reports the /health p99 (target ≤ 20 ms) and the peak resident memory of the server.
# Everything stays on 127.0.0.1 and stops by itself.
set -euo pipefail
cd "$(dirname "$0")/.."
SAMPLES=${1:-40}
BIN=$PWD/build/release/src/ferrlabs-api
[ -x "$BIN" ] || { echo "build the release preset first (make release)"; exit 1; }

source bench/lib.sh
bench_workspace

start_server api "$BIN" sqlite:./bench.db FERRLABS_AUTH_RATE=0
pid=${pids[-1]}
base="http://127.0.0.1:$port_api"
password="benchmark passphrase that is long"

post() { curl -s -o /dev/null -w '%{time_total}\n' -X POST -H 'Content-Type: application/json' -d "$2" "$base$1"; }

# Known accounts: each takes at most 4 wrong passwords, below the lock at 5.
accounts=$(((SAMPLES + 3) / 4))
for i in $(seq "$accounts"); do
  email="bench$i@example.com"
  post /auth/register "{\"email\":\"$email\",\"password\":\"$password\"}" >/dev/null
  for _ in $(seq 200); do grep -rqs "$email" "$work/api/mail" && break; sleep 0.02; done
  code=$(grep -rhs -A30 "$email" "$work/api/mail" | grep -oE 'code is [0-9]{6}' | head -n1 | grep -oE '[0-9]{6}')
  post /auth/verify-email "{\"email\":\"$email\",\"code\":\"$code\"}" >/dev/null
done

: >"$work/unknown"; : >"$work/wrong"
for s in $(seq "$SAMPLES"); do
  post /auth/login "{\"email\":\"nobody$s@example.com\",\"password\":\"$password\"}" >>"$work/unknown"
  i=$(((s - 1) / 4 + 1))
  post /auth/login "{\"email\":\"bench$i@example.com\",\"password\":\"not the password at all\"}" >>"$work/wrong"
done
median_ms() { sort -g "$1" | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.1f", m*1000}'; }
unknown=$(median_ms "$work/unknown")
wrong=$(median_ms "$work/wrong")
echo "login, unknown e-mail:   median ${unknown} ms over $SAMPLES"
echo "login, wrong password:   median ${wrong} ms over $SAMPLES"
awk -v a="$unknown" -v b="$wrong" 'BEGIN {printf "ratio unknown/wrong:     %.2f (1.00 = indistinguishable)\n", a/b}'

# Login burst.
BENCH_EMAIL=bench1@example.com BENCH_PASSWORD="$password" \
  wrk -t1 -c64 -d10s -s bench/login.lua "$base/auth/login" >"$work/burst" &
burst=$!
wrk -t1 -c8 -d10s --latency "$base/health" >"$work/health" &
health=$!
peak=0
while kill -0 "$burst" 2>/dev/null; do
  rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
  [ "$rss" -gt "$peak" ] && peak=$rss
  sleep 0.2
done
wait "$burst" "$health"
echo "burst: $(awk '/^Requests\/sec:/ {print $2}' "$work/burst") logins/s with 64 connections"
echo "GET /health during the burst: p99 $(awk '$1 == "99%" {print $2}' "$work/health"), $(awk '/^Requests\/sec:/ {print $2}' "$work/health") req/s"
echo "peak resident memory during the burst: $((peak / 1024)) MiB"
