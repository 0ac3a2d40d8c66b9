"""Benchmark: the web application under load. Loads the embedded WIPO dataset into a
temporary SQLite store (or a new PostgreSQL database, `--db`), adds a viewer, starts
`rbm serve` on a free loopback port, signs in, times the cold first request (snapshot build
and chart drawing), warms up, then runs wrk with 50 connections for a bounded time against
each page or /api path; prints p50/p95/p99 latency and requests/s. Not a test. Needs wrk
(`scripts/system-deps bench`).

usage: .venv/bin/python -m bench.web [--db URL|postgresql] [--duration 20] [--connections 50]
                                     [--workers 2] [--path / --path /api/finance] [--json FILE]

From Python: `bench.web.run(db_url, paths, duration, connections, workers, warmup)` returns
the figures as a dict (`results`: one per path, latencies in milliseconds).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from rbm import datasets
from rbm.datapackage.package import read_package
from rbm.domain.workflow import Role
from rbm.store.accounts import add_user
from rbm.store.database import open_store
from rbm.store.load import load_dataset
from rbm.web.config import SECRET_ENV

USER = "bench"
PASSWORD = "a-long-bench-password"
PATHS = ("/", "/sectors/pt")  # the default; /api paths too, e.g. /api/finance

# wrk's --latency shows p50/p75/p90/p99 only; this script prints one JSON line with p95 too,
# and counts every answer that is not a 200 (a 303 to /login would otherwise look fast and
# successful). Each wrk thread has its own Lua state, so done() reads the threads' counts.
WRK_SCRIPT = """
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) not_ok = 0 end
function response(status, headers, body)
  if status ~= 200 then not_ok = not_ok + 1 end
end
function done(summary, latency, requests)
  local bad = 0
  for _, t in ipairs(threads) do bad = bad + t:get("not_ok") end
  local seconds = summary.duration / 1e6
  local e = summary.errors
  io.write(string.format(
    'RESULT {"requests": %d, "seconds": %.3f, "rps": %.1f, "p50": %.2f, "p95": %.2f, '
    .. '"p99": %.2f, "max": %.2f, "not_200": %d, "connect_errors": %d, "read_errors": %d, '
    .. '"write_errors": %d, "timeouts": %d}\\n',
    summary.requests, seconds, summary.requests / seconds,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000,
    latency:percentile(99) / 1000, latency.max / 1000, bad,
    e.connect, e.read, e.write, e.timeout))
end
"""


@dataclass(frozen=True)
class Result:
    path: str
    requests: int
    seconds: float
    rps: float
    p50: float  # milliseconds
    p95: float
    p99: float
    max: float
    not_200: int
    connect_errors: int
    read_errors: int
    write_errors: int
    timeouts: int

    @property
    def failed(self) -> int:
        """Answers that were not a 200, and requests without an answer."""
        errors = self.connect_errors + self.read_errors + self.write_errors + self.timeouts
        return self.not_200 + errors


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def prepare(url: str) -> None:
    """The WIPO dataset and one viewer, written to the store at `url`."""
    path = datasets.embedded(datasets.DEFAULT)
    assert path is not None
    dataset = read_package(path).dataset
    assert dataset is not None
    engine = open_store(url)
    try:
        assert load_dataset(engine, dataset).valid
        add_user(engine, USER, Role.VIEWER, PASSWORD, (), datetime.now(UTC))
    finally:
        engine.dispose()


def request(
    port: int, method: str, path: str, body: str = "", headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request(method, path, body or None, headers or {})
        response = connection.getresponse()
        cookies = [v for k, v in response.getheaders() if k.lower() == "set-cookie"]
        found = dict(c.split(";", 1)[0].split("=", 1) for c in cookies)
        return response.status, found, response.read().decode()
    finally:
        connection.close()


def wait_until_up(
    port: int, server: subprocess.Popen[bytes], log: Path, timeout: float = 60
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            tail = log.read_text(encoding="utf-8", errors="replace")[-2000:]
            raise SystemExit(f"the server stopped (exit code {server.returncode}):\n{tail}")
        try:
            request(port, "GET", "/login")
            return
        except OSError:
            time.sleep(0.1)
    raise SystemExit("the server did not answer")


def sign_in(port: int) -> str:
    """The session cookie of the viewer, as a Cookie header (English pages)."""
    _, cookies, html = request(port, "GET", "/login")
    match = re.search(r'name="csrf-token" content="([^"]+)"', html)
    assert match, "the login page carries the CSRF token"
    form = f"name={USER}&password={PASSWORD}&csrf={match.group(1)}&next=/"
    status, signed, _ = request(
        port,
        "POST",
        "/login",
        form,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Cookie": f"rbm_session={cookies['rbm_session']}",
        },
    )
    assert status == 303 and "rbm_session" in signed, f"sign-in failed ({status})"
    return f"rbm_session={signed['rbm_session']}; rbm_lang=en"


def run_wrk(
    port: int, path: str, cookie: str, seconds: float, connections: int, script: Path
) -> Result:
    command = [
        "wrk",
        f"--threads={min(2, connections)}",
        f"--connections={connections}",
        f"--duration={round(seconds)}s",
        "--timeout=10s",
        f"--script={script}",
        f"--header=Cookie: {cookie}",
        f"http://127.0.0.1:{port}{path}",
    ]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    line = next(x for x in out.splitlines() if x.startswith("RESULT "))
    return Result(path, **json.loads(line.removeprefix("RESULT ")))


@contextmanager
def store(db_url: str | None, folder: str) -> Iterator[str]:
    """The store to serve, loaded by `prepare`: a SQLite file in `folder` (None), a new
    database on the PostgreSQL server of `db_url` (dropped afterwards), or, for
    `db_url == "postgresql"`, a new database on a throwaway server started for the run."""
    if db_url is None:
        url = f"sqlite:///{folder}/bench.db"
        prepare(url)
        yield url
        return
    with ExitStack() as stack:
        if db_url == "postgresql":
            from tests import postgres  # the test suite's throwaway server (initdb, fsync off)

            db_url = stack.enter_context(postgres.server())
        name = f"bench_{secrets.token_hex(6)}"
        admin = sa.create_engine(db_url, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(sa.text(f'CREATE DATABASE "{name}"'))
        try:
            url = db_url.rsplit("/", 1)[0] + f"/{name}"
            prepare(url)
            yield url
        finally:
            with admin.connect() as connection:
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()


def run(
    db_url: str | None = None,
    paths: Sequence[str] = PATHS,
    duration: float = 20,
    connections: int = 50,
    workers: int | None = None,
    warmup: float = 5,
) -> dict[str, Any]:
    """Serve the WIPO dataset from `db_url` (see `store`) and load each path with wrk, one
    after the other; the figures as `main --json` writes them."""
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: run scripts/system-deps bench (as root)")
    with tempfile.TemporaryDirectory() as tmp, store(db_url, tmp) as url:
        script = Path(tmp) / "report.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        port = free_port()
        rbm = Path(sys.executable).with_name("rbm")
        command = [str(rbm), "--db", url, "serve", "--port", str(port), "--builds", tmp]
        if workers is not None:
            command += ["--workers", str(workers)]
        # one secret for every worker, so a session signed by one is read by the others
        env = {**os.environ, SECRET_ENV: secrets.token_hex(32)}
        log = Path(tmp) / "server.log"
        with log.open("wb") as out:
            server = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
        load = os.getloadavg()[0]  # other work on the machine skews the figures
        try:
            wait_until_up(port, server, log)
            cookie = sign_in(port)
            # the first request of a page: the overview's builds the snapshot and draws its
            # charts, the dashboard's draws its own (in whichever worker takes it)
            cold: dict[str, float] = {}
            for path in paths:
                started = time.perf_counter()
                status, _, body = request(port, "GET", path, headers={"Cookie": cookie})
                cold[path] = (time.perf_counter() - started) * 1000
                assert status == 200, f"{path} answered {status}"
                if not path.startswith("/api"):
                    assert USER in body, f"{path} does not show the signed-in user"
            results = []
            for path in paths:
                # warm every worker (each has its own snapshot and drawn charts)
                run_wrk(port, path, cookie, warmup, connections, script)
                results.append(run_wrk(port, path, cookie, duration, connections, script))
        finally:
            server.terminate()
            server.wait(timeout=30)
    return {
        "backend": "sqlite" if db_url is None else "postgresql",
        "connections": connections,
        "duration": duration,
        "workers": workers or 1,
        "cores": os.cpu_count(),
        "load_average": load,
        "cold_ms": cold,
        "results": [{**asdict(r), "failed": r.failed} for r in results],
    }


def report(data: dict[str, Any]) -> str:
    """The figures of `run` as a table."""
    lines = [
        f"{data['backend']}, {data['connections']} connections, {data['duration']:g} s a page, "
        f"{data['workers']} worker(s), {data['cores']} cores, "
        f"load average {data['load_average']:.1f} before the run",
        f"{'page':<16} {'cold':>8} {'requests':>9} {'req/s':>8} "
        f"{'p50':>8} {'p95':>8} {'p99':>8} {'failed':>8}",
    ]
    for r in data["results"]:
        lines.append(
            f"{r['path']:<16} {data['cold_ms'][r['path']]:>6.0f}ms {r['requests']:>9,} "
            f"{r['rps']:>8.1f} {r['p50']:>6.1f}ms {r['p95']:>6.1f}ms {r['p99']:>6.1f}ms "
            f"{r['failed']:>8}"
        )
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument(
        "--db",
        help="a PostgreSQL server URL (a database is created on it for the run), or "
        "`postgresql` for a throwaway server; SQLite when absent",
    )
    parser.add_argument("--duration", type=float, default=20, help="seconds of load per page")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=None, help="uvicorn worker processes")
    parser.add_argument(
        "--path", action="append", help=f"pages or /api paths to load (default {PATHS})"
    )
    parser.add_argument("--warmup", type=float, default=5, help="seconds of load before each")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    data = run(
        args.db, args.path or PATHS, args.duration, args.connections, args.workers, args.warmup
    )
    print(report(data))
    if args.json:
        args.json.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
