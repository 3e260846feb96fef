#!/usr/bin/python3
"""Raw HTTP/1.1 over TCP for the black-box suites: bytes no well-behaved client would send.

  raw_http.py send PORT        sends standard input on one connection; prints the status of each
                               answer, one per line, then `closed` (the server closed) or `open`
                               (still open after 5 s of silence)
  raw_http.py hold PORT ADDR…  opens one connection from each local address in turn, all held
                               open together, each sending GET /health; prints `served` or
                               `refused` (closed without an answer) for each, on one line

Only 127.0.0.0/8 is ever spoken to.
"""
import socket
import sys

SILENCE = 5.0


def read_answers(sock, want=None):
    """Statuses of the answers on `sock` and whether the server closed it."""
    sock.settimeout(SILENCE)
    data, statuses, closed = b"", [], False
    while want is None or len(statuses) < want:
        while True:  # take every complete answer out of the buffer
            end = data.find(b"\r\n\r\n")
            if end < 0:
                break
            head = data[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if len(data) < end + 4 + length:
                break
            statuses.append(int(head.split(" ")[1]))
            data = data[end + 4 + length:]
            if want is not None and len(statuses) >= want:
                return statuses, closed
        try:
            chunk = sock.recv(65536)
        except socket.timeout:
            break
        except ConnectionResetError:
            chunk = b""
        if not chunk:
            closed = True
            break
        data += chunk
    return statuses, closed


def send(port):
    payload = sys.stdin.buffer.read()
    with socket.create_connection(("127.0.0.1", port), timeout=10) as sock:
        sock.sendall(payload)
        statuses, closed = read_answers(sock)
    for status in statuses:
        print(status)
    print("closed" if closed else "open")


def hold(port, addresses):
    held, results = [], []
    for address in addresses:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind((address, 0))
        sock.connect(("127.0.0.1", port))
        held.append(sock)
        try:
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
            statuses, _ = read_answers(sock, want=1)
        except OSError:
            statuses = []
        results.append("served" if statuses == [200] else "refused")
    print(" ".join(results))
    for sock in held:
        sock.close()


if __name__ == "__main__":
    if sys.argv[1] == "send":
        send(int(sys.argv[2]))
    else:
        hold(int(sys.argv[2]), sys.argv[3:])
