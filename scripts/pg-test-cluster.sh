#!/usr/bin/env bash
# A throwaway PostgreSQL 15 cluster for tests (tests/postgres, docs/postgres.md).
#
#   pg-test-cluster.sh start DIR     initdb + start; prints postgres://postgres@127.0.0.1:PORT/postgres
#                               (also written to DIR/url)
#   pg-test-cluster.sh restart DIR   fast stop, then start again on the same port; prints the URL
#   pg-test-cluster.sh pause DIR     fast stop, keeping the data (an outage, for reconnection tests)
#   pg-test-cluster.sh resume DIR    start a paused cluster again on the same port; prints the URL
#   pg-test-cluster.sh stop DIR      immediate stop, then removes DIR (always succeeds)
#
# The server listens on 127.0.0.1 only (on a free port) and on a unix socket of its own, trusts
# local connections and runs with fsync off: never for real data. initdb refuses to run as root,
# so as root the cluster belongs to the `postgres` system user. Every step is bounded in time.
set -euo pipefail

pg_bin=${PG_BIN:-/usr/lib/postgresql/15/bin}
usage() { echo "usage: $0 start|restart|pause|resume|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
command=$1
dir=$(realpath -m -- "$2")
fail() { echo "pg-test-cluster: $*" >&2; exit 1; }

# Runs a server program as the cluster owner: `postgres` when we are root, else ourselves.
# From / so that the owner never trips over a working directory it may not enter.
as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    (cd / && timeout 60 runuser -u postgres -- "$@")
  else
    (cd / && timeout 60 "$@")
  fi
}

# Where the data directory and the socket live: DIR itself when the owner can use it and the
# socket path fits the 107-byte limit of unix sockets, else a private directory under /tmp
# (recorded in DIR/root so that stop finds and removes it).
choose_root() {
  local root=$dir
  if [ "$(id -u)" -eq 0 ]; then
    chown postgres: "$dir"
    # The owner must also be able to reach DIR: a clone under /root is not reachable.
    runuser -u postgres -- test -w "$dir" -a -x "$dir" 2>/dev/null || root=""
  fi
  # pg_ctl hands the socket directory to a shell: no blanks in it.
  if [ -n "$root" ] && { [ ${#root} -gt 80 ] || [[ "$root" =~ [[:space:]] ]]; }; then root=""; fi
  if [ -z "$root" ]; then
    root=$(mktemp -d /tmp/ferr-pg.XXXXXX)
    [ "$(id -u)" -eq 0 ] && chown postgres: "$root"
  fi
  echo "$root" >"$dir/root"
}

# Starts the server on port $1; fails (without waiting long) when the port is taken.
start_server() {
  local root port=$1
  root=$(cat "$dir/root")
  as_owner "$pg_bin/pg_ctl" start -w -t 30 -D "$root/data" -l "$root/server.log" \
    -o "-p $port -k $root" >/dev/null 2>&1
}

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

print_url() {
  local url
  url="postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
  echo "$url" >"$dir/url"
  echo "$url"
}

do_stop() {
  [ -d "$dir" ] || return 0
  local root=$dir
  [ -f "$dir/root" ] && root=$(cat "$dir/root")
  if [ -f "$root/data/postmaster.pid" ]; then
    if ! as_owner "$pg_bin/pg_ctl" stop -m immediate -w -t 20 -D "$root/data" >/dev/null 2>&1; then
      # pg_ctl could not stop it in time: end the postmaster of this cluster (and only it) by id.
      local pid
      pid=$(head -n 1 "$root/data/postmaster.pid" 2>/dev/null || true)
      if [[ "$pid" =~ ^[0-9]+$ ]]; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
  fi
  # Only a directory this script made under /tmp is removed beside DIR.
  if [ "$root" != "$dir" ] && [[ "$root" == /tmp/ferr-pg.* ]]; then rm -rf -- "$root"; fi
  rm -rf -- "$dir"
}

do_start() {
  [ -x "$pg_bin/initdb" ] || fail "$pg_bin/initdb is missing: run scripts/install-deps.sh"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || fail "the postgres system user is missing (package postgresql)"
  fi
  # A cluster left behind by an interrupted run is stopped first.
  do_stop
  mkdir -p "$dir"
  choose_root
  local root
  root=$(cat "$dir/root")
  if ! as_owner "$pg_bin/initdb" -D "$root/data" -U postgres --auth=trust -E UTF8 --no-locale \
      --no-sync --no-instructions >"$dir/initdb.log" 2>&1; then
    cat "$dir/initdb.log" >&2
    fail "initdb failed"
  fi
  cat >>"$root/data/postgresql.conf" <<'EOF'
# pg-test-cluster.sh: a throwaway test cluster
listen_addresses = '127.0.0.1'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
EOF
  # A random port, tried until the server binds one: cheaper and safer than guessing which are
  # free (another process may take a port between a check and the bind).
  local attempt port
  for attempt in $(seq 1 20); do
    port=$((20000 + RANDOM % 12000))
    port_in_use "$port" && continue
    rm -f "$root/server.log"
    if start_server "$port"; then
      echo "$port" >"$dir/port"
      print_url
      return 0
    fi
    grep -q "could not bind\|Address already in use\|could not create lock file" \
      "$root/server.log" 2>/dev/null || break
  done
  tail -n 20 "$root/server.log" >&2 2>/dev/null || true
  do_stop
  fail "the server did not start (attempt $attempt)"
}

cluster_root() {
  if [ ! -f "$dir/port" ] || [ ! -f "$dir/root" ]; then fail "no cluster in $dir"; fi
  cat "$dir/root"
}

do_pause() {
  local root
  root=$(cluster_root)
  as_owner "$pg_bin/pg_ctl" stop -m fast -w -t 30 -D "$root/data" >/dev/null 2>&1 \
    || fail "the server did not stop"
}

do_resume() {
  local root
  root=$(cluster_root)
  start_server "$(cat "$dir/port")" || { tail -n 20 "$root/server.log" >&2; fail "start failed"; }
  print_url
}

case "$command" in
  start) do_start ;;
  restart) do_pause && do_resume ;;
  pause) do_pause ;;
  resume) do_resume ;;
  stop) do_stop ;;
  *) usage ;;
esac
