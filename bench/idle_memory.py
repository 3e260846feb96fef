#!/usr/bin/python3
"""Resident memory of a running server before, with and after N idle keep-alive connections.

Usage: idle_memory.py PID PORT N [TIMEOUT_S] [open-only]

Each connection sends one GET /health, reads its answer and then stays silent, as a browser's or
a proxy's idle keep-alive connection does; the server closes them when its idle timeout passes.
Prints one line per phase (RSS in MiB from /proc/PID/status). Talks to 127.0.0.1 only and stops
by itself: every wait is bounded by TIMEOUT_S (default 90 s). With `open-only` it reports how
many connections were admitted and closes them at once.
"""
import resource
import selectors
import socket
import sys
import time

pid, port, count = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
timeout = float(sys.argv[4]) if len(sys.argv) > 4 else 90.0
open_only = len(sys.argv) > 5 and sys.argv[5] == "open-only"
REQUEST = b"GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"


def rss_mib():
    """(resident, of which anonymous: heap and stacks), in MiB. The rest is the binary's and the
    libraries' pages, which grow once as code paths run for the first time (timeouts, say)."""
    values = {}
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            name, _, rest = line.partition(":")
            if name in ("VmRSS", "RssAnon"):
                values[name] = int(rest.split()[0]) / 1024.0
    return values["VmRSS"], values["RssAnon"]


def settle(seconds=1.5):
    """The lowest RSS over a short window: the server trims its heap shortly after closes."""
    low = rss_mib()
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        time.sleep(0.1)
        low = min(low, rss_mib())
    return low


def answered(sock):
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(4096)
        if not chunk:
            return False
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(body) < length:
        chunk = sock.recv(4096)
        if not chunk:
            return False
        body += chunk
    return head.startswith(b"HTTP/1.1 200")


soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))

# Warm-up: the first requests allocate what every later one reuses (caches, pools, arenas).
for _ in range(50):
    with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
        s.sendall(REQUEST)
        answered(s)
before = settle()

deadline = time.monotonic() + timeout
conns, refused = [], 0
for _ in range(count):
    s = socket.create_connection(("127.0.0.1", port), timeout=10)
    s.sendall(REQUEST)
    try:
        ok = answered(s)
    except OSError:
        ok = False
    if ok:
        conns.append(s)
    else:
        refused += 1
        s.close()
    if time.monotonic() > deadline:
        break
with_idle = settle(0.5)
print(f"opened {len(conns)} idle keep-alive connections ({refused} refused)", flush=True)
if open_only:
    sys.exit(0)

# Wait for the server to close every connection (its idle timeout), bounded.
selector = selectors.DefaultSelector()
for s in conns:
    s.setblocking(False)
    selector.register(s, selectors.EVENT_READ)
open_count = len(conns)
started = time.monotonic()
while open_count and time.monotonic() < started + timeout:
    for key, _ in selector.select(timeout=1.0):
        try:
            data = key.fileobj.recv(4096)
        except OSError:
            data = b""
        if not data:
            selector.unregister(key.fileobj)
            key.fileobj.close()
            open_count -= 1
closed_after = time.monotonic() - started
after = settle()
print(f"the server closed {len(conns) - open_count} of them within {closed_after:.1f} s", flush=True)
print(f"{'phase':<28} {'RSS MiB':>8} {'anon MiB':>9}")
print(f"{'idle (after warm-up)':<28} {before[0]:8.1f} {before[1]:9.1f}")
print(f"{'with the idle connections':<28} {with_idle[0]:8.1f} {with_idle[1]:9.1f}")
print(f"{'after they timed out':<28} {after[0]:8.1f} {after[1]:9.1f}")
print(f"back within {after[0] - before[0]:.1f} MiB of idle (target: within 10 MiB); "
      f"{(with_idle[1] - before[1]) * 1024 / max(1, len(conns)):.1f} KiB per idle connection")
sys.exit(0 if open_count == 0 else 1)
