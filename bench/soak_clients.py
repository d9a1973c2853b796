#!/usr/bin/env python3
#
# bench/soak_clients.py: the connection churn of bench/soak.sh, against an HTTP server on
# 127.0.0.1 (the example server's /hello). For --seconds it runs, besides the script's wrk:
#   - churn: connect, one GET /hello, close; alternately with "Connection: close" (the server
#     closes first) and keep-alive (the client closes after the response). Every response must
#     be a 200 with the page's text; any failure counts as an error;
#   - resets: connections closed with SO_LINGER 0 (an RST): before sending anything, after a
#     whole request (response unread), after reading the response, and after half a request;
#   - half-open: --half-open connections that each send half a request and hold it for 1 to
#     --hold-max seconds: the server's deadline closes those held longer than it; the client
#     closes the others (half with a FIN, half with an RST). Each is replaced at once.
# At the end it writes the counts as JSON to --report; errors are what the server should not
# have caused (a refused or failed connect, a reset or EOF where a response was due, a wrong
# response, data sent to a half-open client).
#
# With --prime N it does only this instead: N connections that each send half a request, held
# together for 2 s and closed (bench/soak.sh primes the server with them before the soak).
#
# usage: soak_clients.py --port P --seconds S --report FILE [--churn-rate N] [--reset-rate N]
#                        [--half-open N] [--hold-max S]
#        soak_clients.py --port P --prime N
#
# Copyright (c) 2026 The boost_sockn developers.
# Distributed under the Boost Software License, Version 1.0. (See accompanying file
# LICENSE_1_0.txt or copy at https://www.boost.org/LICENSE_1_0.txt)
#

import argparse
import collections
import json
import random
import selectors
import socket
import struct
import threading
import time

REQUEST = "GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\nUser-Agent: soak\r\n{}\r\n"
HALF_REQUEST = b"GET /hello HTTP/1.1\r\nHost: 127.0.0.1\r\n"
LINGER_ZERO = struct.pack("ii", 1, 0)


class Counts:
    """Counters shared by the client threads, and the first few error messages of each kind."""

    def __init__(self):
        self.lock = threading.Lock()
        self.counts = collections.Counter()
        self.errors = collections.Counter()
        self.examples = collections.defaultdict(list)

    def add(self, name, n=1):
        with self.lock:
            self.counts[name] += n

    def error(self, kind, detail):
        with self.lock:
            self.errors[kind] += 1
            if len(self.examples[kind]) < 3:
                self.examples[kind].append(detail)


def connect(port, timeout=5.0):
    s = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s


def reset(s):
    try:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, LINGER_ZERO)
    except OSError:
        pass
    s.close()


def read_response(s):
    """One response (Content-Length framed, or to EOF without it): (status, body)."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = s.recv(4096)
        if not chunk:
            raise ConnectionError("EOF before the response header")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = None
    for line in lines[1:]:
        name, _, value = line.partition(":")
        if name.strip().lower() == "content-length":
            length = int(value.strip())
    if length is None:
        while True:
            chunk = s.recv(4096)
            if not chunk:
                break
            body += chunk
    else:
        while len(body) < length:
            chunk = s.recv(4096)
            if not chunk:
                raise ConnectionError("EOF in the response body")
            body += chunk
    return status, body


class Pacer:
    """Spreads `rate` actions per second evenly; never bunches up after a stall."""

    def __init__(self, rate):
        self.period = 1.0 / rate
        self.next = time.monotonic()

    def wait(self, stop):
        now = time.monotonic()
        self.next = max(self.next + self.period, now)
        delay = self.next - now
        if delay > 0:
            stop.wait(delay)


def churn_worker(port, rate, stop, counts):
    pacer = Pacer(rate)
    close_first = True
    while not stop.is_set():
        pacer.wait(stop)
        if stop.is_set():
            break
        kind = "churn_server_closes" if close_first else "churn_client_closes"
        header = "Connection: close\r\n" if close_first else ""
        close_first = not close_first
        try:
            s = connect(port)
        except OSError as e:
            counts.error("connect", repr(e))
            continue
        try:
            s.sendall(REQUEST.format(header).encode())
            status, body = read_response(s)
            if status != 200 or not body.startswith(b"Hello from http_server"):
                counts.error("churn_response", "status {} body {!r}".format(status, body[:40]))
            elif kind == "churn_server_closes" and s.recv(1) != b"":
                counts.error("churn_response", "data after a Connection: close response")
            else:
                counts.add(kind)
        except (OSError, ConnectionError, ValueError, IndexError) as e:
            counts.error(kind, repr(e))
        finally:
            s.close()


def reset_worker(port, rate, stop, counts):
    pacer = Pacer(rate)
    kinds = ["reset_at_once", "reset_after_request", "reset_after_response", "reset_after_half"]
    i = 0
    while not stop.is_set():
        pacer.wait(stop)
        if stop.is_set():
            break
        kind = kinds[i % len(kinds)]
        i += 1
        try:
            s = connect(port)
        except OSError as e:
            counts.error("connect", repr(e))
            continue
        try:
            if kind == "reset_after_request":
                s.sendall(REQUEST.format("").encode())
            elif kind == "reset_after_response":
                s.sendall(REQUEST.format("").encode())
                status, _ = read_response(s)
                if status != 200:
                    counts.error("reset_response", "status {}".format(status))
            elif kind == "reset_after_half":
                s.sendall(HALF_REQUEST)
            counts.add(kind)
        except (OSError, ConnectionError, ValueError, IndexError) as e:
            counts.error(kind, repr(e))
        finally:
            reset(s)


def half_open(port, n, hold_max, stop, counts):
    """n half-open connections, each replaced when it ends; one thread, a selector."""
    sel = selectors.DefaultSelector()
    deadline = {}

    def open_one():
        try:
            s = connect(port)
            s.sendall(HALF_REQUEST)
        except OSError as e:
            counts.error("connect", repr(e))
            return False
        s.setblocking(False)
        sel.register(s, selectors.EVENT_READ)
        deadline[s] = time.monotonic() + random.uniform(1.0, hold_max)
        counts.add("half_open_opened")
        return True

    def drop(s, how):
        sel.unregister(s)
        del deadline[s]
        if how == "rst":
            reset(s)
        else:
            s.close()

    while not stop.is_set():
        while len(deadline) < n and not stop.is_set():
            if not open_one():
                stop.wait(0.1)
                break
        for key, _ in sel.select(timeout=0.1):
            s = key.fileobj
            try:
                data = s.recv(4096)
            except OSError:
                # The server's close at its deadline may come as an RST: Beast closes a socket
                # whose peer's bytes it has read, so a FIN is expected, but either ends it.
                counts.add("half_open_closed_by_server")
                counts.add("half_open_server_reset")
                drop(s, "fin")
                continue
            if data:
                counts.error("half_open_data", repr(data[:40]))
            else:
                counts.add("half_open_closed_by_server")
            drop(s, "fin")
        now = time.monotonic()
        for s, due in list(deadline.items()):
            if due <= now:
                how = random.choice(["fin", "rst"])
                counts.add("half_open_closed_by_client_" + how)
                drop(s, how)
    for s in list(deadline):
        drop(s, "fin")


def prime(port, n, hold):
    """n connections, each waiting on half a request, held together for `hold` seconds, then
    closed: the widest the server will be idle-waiting during the soak, before it starts."""
    held = []
    try:
        for _ in range(n):
            s = connect(port)
            s.sendall(HALF_REQUEST)
            held.append(s)
        time.sleep(hold)
    finally:
        for s in held:
            s.close()
    return len(held)


def main():
    p = argparse.ArgumentParser(description="connection churn for bench/soak.sh")
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--seconds", type=float)
    p.add_argument("--report")
    p.add_argument("--prime", type=int, metavar="N",
                   help="instead of the churn: hold N half-open connections for 2 s, then close them")
    p.add_argument("--churn-rate", type=float, default=120.0,
                   help="connect + request + close per second, over two threads")
    p.add_argument("--reset-rate", type=float, default=40.0, help="RST closes per second")
    p.add_argument("--half-open", type=int, default=200, help="half-open connections held")
    p.add_argument("--hold-max", type=float, default=15.0,
                   help="a half-open connection is held 1 to this many seconds")
    a = p.parse_args()
    if a.prime is not None:
        print("primed with %d connections" % prime(a.port, a.prime, 2.0))
        return
    if a.seconds is None or a.report is None:
        p.error("--seconds and --report are required without --prime")

    counts = Counts()
    stop = threading.Event()
    threads = [
        threading.Thread(target=churn_worker, args=(a.port, a.churn_rate / 2, stop, counts)),
        threading.Thread(target=churn_worker, args=(a.port, a.churn_rate / 2, stop, counts)),
        threading.Thread(target=reset_worker, args=(a.port, a.reset_rate, stop, counts)),
        threading.Thread(target=half_open, args=(a.port, a.half_open, a.hold_max, stop, counts)),
    ]
    start = time.monotonic()
    for t in threads:
        t.start()
    stop.wait(a.seconds)
    stop.set()
    for t in threads:
        t.join()
    with open(a.report, "w") as f:
        json.dump({"seconds": round(time.monotonic() - start, 1),
                   "counts": dict(counts.counts), "errors": dict(counts.errors),
                   "examples": dict(counts.examples)}, f, indent=1, sort_keys=True)


if __name__ == "__main__":
    main()
