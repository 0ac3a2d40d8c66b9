"""Load check: the web process under oversized and slow request bodies. Loads the WIPO
dataset into a temporary SQLite store, starts `rbm serve` on a free loopback port, then at
once: `--streamed` signed-in clients each stream a 512 MB chunked JSON body (the server must
count it and cut it off), `--declared` anonymous clients each declare and start sending a
512 MB multipart upload, and `--slow` signed-in clients trickle a small body a byte a second
(the server's body deadline must end them). Prints the server's resident memory before, its
peak during and its memory after, what each client got, and whether a page still answered
during the attack. Not a test.

usage: .venv/bin/python -m bench.web_bodies [--streamed 20] [--declared 20] [--slow 20]
                                            [--megabytes 512]
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path

from bench.web import free_port, prepare, request, sign_in, wait_until_up
from rbm.web.config import SECRET_ENV

TARGET = "/api/records/budget_fact/1"
CHUNK = 1 << 20


def memory(pid: int) -> dict[str, int]:
    """The process's resident memory now and its peak so far, in MB (from /proc)."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if name in ("VmRSS", "VmHWM"):
            found[name] = int(value.split()[0]) // 1024
    return found


def status_of(sock: socket.socket) -> str:
    """The status the server answered with, or what happened to the connection."""
    try:
        sock.settimeout(60)
        head = sock.recv(4096)
    except OSError as exc:
        return type(exc).__name__
    match = re.match(rb"HTTP/1\.1 (\d{3})", head)
    return match.group(1).decode() if match else "closed"


def streamed(port: int, headers: str, megabytes: int, results: list[str]) -> None:
    """Stream a chunked body of `megabytes` MB until the server stops taking it."""
    sent = 0
    with socket.create_connection(("127.0.0.1", port)) as sock:
        try:
            sock.sendall(headers.encode() + b"Transfer-Encoding: chunked\r\n\r\n")
            chunk = b"%x\r\n" % CHUNK + b"[" * CHUNK + b"\r\n"
            while sent < megabytes:
                sock.sendall(chunk)
                sent += 1
            sock.sendall(b"0\r\n\r\n")
        except OSError:
            pass
        results.append(f"{status_of(sock)} after {sent} MB sent")


def declared(port: int, headers: str, megabytes: int, results: list[str]) -> None:
    """Declare a `megabytes` MB multipart upload and send it until the server stops it."""
    sent = 0
    boundary = "bench" + secrets.token_hex(4)
    head = (
        f"{headers}Content-Type: multipart/form-data; boundary={boundary}\r\n"
        f"Content-Length: {megabytes * CHUNK}\r\n\r\n"
        f'--{boundary}\r\nContent-Disposition: form-data; name="f"; filename="x.bin"\r\n\r\n'
    )
    with socket.create_connection(("127.0.0.1", port)) as sock:
        try:
            sock.sendall(head.encode())
            while sent < megabytes:
                sock.sendall(b"\0" * CHUNK)
                sent += 1
        except OSError:
            pass
        results.append(f"{status_of(sock)} after {sent} MB sent")


def slow(port: int, headers: str, seconds: int, results: list[str]) -> None:
    """Declare a small JSON body and send a byte a second."""
    with socket.create_connection(("127.0.0.1", port)) as sock:
        sent = 0
        try:
            sock.sendall(f"{headers}Content-Length: {seconds + 10}\r\n\r\n".encode())
            sock.setblocking(True)
            for _ in range(seconds):
                sock.sendall(b" ")
                sent += 1
                time.sleep(1)
                sock.settimeout(0.01)
                try:
                    if sock.recv(1, socket.MSG_PEEK):
                        break  # the server answered
                except (BlockingIOError, TimeoutError):
                    pass
                sock.settimeout(None)
        except OSError:
            pass
        results.append(f"{status_of(sock)} after {sent} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--streamed", type=int, default=20, help="signed-in chunked clients")
    parser.add_argument("--declared", type=int, default=20, help="anonymous upload clients")
    parser.add_argument("--slow", type=int, default=20, help="clients sending a byte a second")
    parser.add_argument("--megabytes", type=int, default=512, help="size of each large body")
    parser.add_argument("--slow-seconds", type=int, default=60, help="how long a slow one tries")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        prepare(url)
        port = free_port()
        rbm = Path(sys.executable).with_name("rbm")
        command = [str(rbm), "--db", url, "serve", "--port", str(port), "--builds", tmp]
        env = {**os.environ, SECRET_ENV: secrets.token_hex(32)}
        log = Path(tmp) / "server.log"
        with log.open("wb") as out:
            server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_up(port, server, log)
            cookie = sign_in(port)
            status, _, html = request(port, "GET", "/", headers={"Cookie": cookie})
            assert status == 200
            match = re.search(r'name="csrf-token" content="([^"]+)"', html)
            assert match
            signed = (
                f"PATCH {TARGET} HTTP/1.1\r\nHost: bench\r\nCookie: {cookie}\r\n"
                f"X-CSRF-Token: {match.group(1)}\r\nContent-Type: application/json\r\n"
            )
            anonymous = "POST /records/budget_fact/1 HTTP/1.1\r\nHost: bench\r\n"
            before = memory(server.pid)
            results: dict[str, list[str]] = {"streamed": [], "declared": [], "slow": []}
            groups = (
                (streamed, signed, args.megabytes, "streamed", args.streamed),
                (declared, anonymous, args.megabytes, "declared", args.declared),
                (slow, signed, args.slow_seconds, "slow", args.slow),
            )
            threads = [
                threading.Thread(target=client, args=(port, head, amount, results[group]))
                for client, head, amount, group, count in groups
                for _ in range(count)
            ]
            started = time.monotonic()
            for thread in threads:
                thread.start()
            time.sleep(2)
            page_started = time.perf_counter()
            page_status, _, _ = request(port, "GET", "/sectors/pt", headers={"Cookie": cookie})
            page_ms = (time.perf_counter() - page_started) * 1000
            for thread in threads:
                thread.join()
            elapsed = time.monotonic() - started
            after = memory(server.pid)
        finally:
            server.terminate()
            server.wait(timeout=30)

    print(
        f"{args.streamed} streamed x {args.megabytes} MB (signed in, chunked), "
        f"{args.declared} declared x {args.megabytes} MB (anonymous multipart), "
        f"{args.slow} slow (a byte a second); {elapsed:.0f} s in all"
    )
    print(f"server RSS before: {before['VmRSS']} MB (peak so far {before['VmHWM']} MB)")
    print(f"server RSS after:  {after['VmRSS']} MB (peak during the run {after['VmHWM']} MB)")
    print(f"a page during the attack: {page_status} in {page_ms:.0f} ms")
    for group, answers in results.items():
        counts = Counter(re.sub(r"after \d+", "after N", a) for a in answers)
        sizes = [int(a.split("after ")[1].split()[0]) for a in answers]
        spread = f" (N from {min(sizes)} to {max(sizes)})" if sizes else ""
        print(f"{group:>9}: " + ", ".join(f"{n} x {text}" for text, n in counts.items()) + spread)


if __name__ == "__main__":
    main()
