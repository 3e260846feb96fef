#!/usr/bin/env bash
# Black-box checks of HTTP framing on raw sockets (issue 14): Transfer-Encoding smuggling in
# every order, the Host rule, X-Forwarded-For lines behind a proxy, and the connection caps.
FERR_BIN=${1:?usage: http_test.sh PATH_TO_BINARY}
source "$(dirname "$0")/lib.sh"
RAW=(/usr/bin/python3 "$(dirname "$0")/raw_http.py")

# raw BYTES: sends BYTES (printf escapes) on one connection; prints the statuses and then
# closed/open, space-separated.
raw() { printf "$1" | "${RAW[@]}" send "$SERVER_PORT" | tr '\n' ' ' | sed 's/ $//'; }

start_server framing DATABASE_URL=sqlite::memory: || { finish; exit 1; }

# --- Transfer-Encoding (RFC 9112 §6.1, §6.3): one 400, then the connection closed ---
next='GET /v1/telemetry/catalog HTTP/1.1\r\nHost: x\r\n\r\n'
for te in gzip xchunked identity '' 'chunked, identity' 'chunked\r\nTransfer-Encoding: gzip'; do
  check "Transfer-Encoding [$te] without Content-Length: 400 and close, the rest never runs" \
    "400 closed" "$(raw "GET /health HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: $te\r\n\r\n$next")"
done
for te in chunked gzip identity; do
  check "Transfer-Encoding: $te before Content-Length: 400 and close" "400 closed" \
    "$(raw "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: $te\r\nContent-Length: 2\r\n\r\n{}$next")"
  check "Transfer-Encoding: $te after Content-Length: 400 and close" "400 closed" \
    "$(raw "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 2\r\nTransfer-Encoding: $te\r\n\r\n{}$next")"
done
check "Transfer-Encoding in HTTP/1.0: 400 and close" "400 closed" \
  "$(raw "POST /auth/login HTTP/1.0\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n")"
check "a chunked body is still read, and the next request served" "400 200 closed" \
  "$(raw "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\nGET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")"

# --- Host (RFC 9112 §3.2) ---
check "HTTP/1.1 without Host: 400 and close" "400 closed" "$(raw "GET /health HTTP/1.1\r\n\r\n$next")"
check "HTTP/1.1 with two Host lines: 400 and close" "400 closed" \
  "$(raw "GET /health HTTP/1.1\r\nHost: a\r\nHost: a\r\n\r\n$next")"
check "HTTP/1.1 with a Host that is no host: 400 and close" "400 closed" \
  "$(raw "GET /health HTTP/1.1\r\nHost: a b\r\n\r\n$next")"
check "HTTP/1.1 with one Host: served, kept open" "200 200 closed" \
  "$(raw "GET /health HTTP/1.1\r\nHost: a\r\n\r\nGET /health HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")"
check "HTTP/1.0 without Host: served" "200 closed" "$(raw "GET /health HTTP/1.0\r\n\r\n")"
check "HTTP/1.0 with two Host lines: 400" "400 closed" "$(raw "GET /health HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n")"
stop_server TERM

# --- X-Forwarded-For behind one trusted proxy that adds its own line (HAProxy) ---
start_server proxy DATABASE_URL=sqlite::memory: TRUSTED_PROXY_HOPS=1 FERRLABS_AUTH_RATE=1 \
  FERRLABS_PASSWORD_MEMORY_KIB=64 FERRLABS_PASSWORD_ITERATIONS=1 || { finish; exit 1; }
logins=""
for i in $(seq 60); do
  [ "$i" -eq 60 ] && close='Connection: close\r\n' || close=''
  logins+="POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\n"
  logins+="X-Forwarded-For: 10.0.$i.1\r\nX-Forwarded-For: 10.9.9.9\r\n$close\r\n"
  logins+='{"email":"x@example.com","password":"p"}'
done
answers=$(raw "$logins")
limited=$(tr ' ' '\n' <<<"$answers" | grep -c '^429$')
check "60 logins through the proxy all got an answer" 60 "$(tr ' ' '\n' <<<"$answers" | grep -c '^[0-9]')"
if [ "$limited" -ge 40 ]; then
  pass "the proxy's line picks the bucket, not the client's forged one ($limited of 60 limited)"
else
  fail "the proxy's line picks the bucket, not the client's forged one" "only $limited of 60 got 429: $answers"
fi
check "a client behind the proxy keeps its own bucket" "401 closed" \
  "$(raw "POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 40\r\nX-Forwarded-For: 10.9.9.10\r\nConnection: close\r\n\r\n{\"email\":\"y@example.com\",\"password\":\"p\"}")"
stop_server TERM

# --- connection caps: over either one, the connection is closed at once ---
start_server caps DATABASE_URL=sqlite::memory: FERRLABS_MAX_CONNECTIONS=3 \
  FERRLABS_MAX_CONNECTIONS_PER_CLIENT=2 || { finish; exit 1; }
check "per client 2, in total 3: the third from one address and the fourth in all are refused" \
  "served served refused served refused" \
  "$("${RAW[@]}" hold "$SERVER_PORT" 127.0.0.1 127.0.0.1 127.0.0.1 127.0.0.2 127.0.0.3)"
metrics=""
for _ in $(seq 100); do metrics=$(curl -sf "$(url /metrics)") && break; sleep 0.05; done
check_contains "refusals per client are counted" \
  'http_connections_refused_total{cap="FERRLABS_MAX_CONNECTIONS_PER_CLIENT"} 1' "$metrics"
check_contains "refusals over the total are counted" \
  'http_connections_refused_total{cap="FERRLABS_MAX_CONNECTIONS"} 1' "$metrics"
stop_server TERM
check "the server stops cleanly" 0 "$SERVER_EXIT"

finish
