"""What the application keeps between requests: the store, sessions, the login throttle, the
report-build jobs, and a snapshot of the current biennium rebuilt only when its data changes.

Knowing whether the data changed used to cost two queries a request (the generation), and
knowing who asks one more (the user). `Probe` tells cheaply whether anything at all was
committed since it last looked, by this process, another worker or the CLI alike; the
generation and the users are asked again only then. This is exact, not a time window: a web
edit commits before its response is sent, so the next request, whichever worker serves it,
sees the probe move and the new data. On SQLite the probe is `PRAGMA data_version` (a few
microseconds, no I/O); on PostgreSQL it is the server's transaction snapshot, one small query
on a connection kept for the purpose. Other backends ask on every request.
"""

from __future__ import annotations

import sqlite3
import threading
import weakref
from collections import OrderedDict
from collections.abc import AsyncIterator, Callable, Hashable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Annotated, Any, Generic, TypeVar

import sqlalchemy as sa
from anyio import to_thread
from fastapi import Depends, FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from rbm.domain.dataset import Dataset
from rbm.engine.rating.report import RatingReport, rating_report
from rbm.engine.reconcile.findings import Reconciliation
from rbm.engine.reconcile.run import reconcile
from rbm.report.build.report import build_report
from rbm.report.model import Block, ChartView, ReportView, TableView
from rbm.store.read import read_dataset
from rbm.store.tables import audit_log, bienniums
from rbm.web.config import WebConfig
from rbm.web.errors import ApiError
from rbm.web.jobs import Jobs
from rbm.web.session import Sessions
from rbm.web.throttle import Throttle

if TYPE_CHECKING:
    import psycopg

    from rbm.web.representations import Representation

T = TypeVar("T")
V = TypeVar("V")

# Worker threads for sync routes (anyio's default is 40). They share one interpreter lock, so
# more threads add no speed, only unfairness: under 50 connections, 40 threads handed the lock
# about at random and p95 was 2.5 to 3 times p50; with 8 it is close to p50, at the same
# throughput. Eight still leave room for requests that wait on the store or on a slow file.
WORKER_THREADS = 8


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    to_thread.current_default_thread_limiter().total_tokens = WORKER_THREADS
    yield


class Probe:
    """Whether the store changed: a value that moves whenever any connection commits (a
    pooled one of this process, another process's). None means "ask the store": other
    backends, in-memory databases, and a probe that failed (it never waits on a writer).

    SQLite: `PRAGMA data_version` on a connection kept for the purpose. PostgreSQL: the
    server's current snapshot (`pg_current_snapshot()`: the oldest transaction still running,
    the next to start, those in progress), which is the same text twice only if no
    transaction that wrote anything committed in between, on any database of the server
    (a false alarm costs a look at the store, never a stale answer)."""

    def __init__(self, engine: sa.Engine) -> None:
        self._sqlite: sqlite3.Connection | None = None
        self._postgres: psycopg.Connection[Any] | None = None
        self._engine = engine
        self._lock = threading.Lock()
        if engine.dialect.name == "sqlite" and engine.url.database not in (None, "", ":memory:"):
            args, params = engine.dialect.create_connect_args(engine.url)  # as the pool does
            connect: Callable[..., sqlite3.Connection] = sqlite3.connect
            connection = connect(*args, **{**params, "check_same_thread": False, "timeout": 0})
            self._sqlite = connection
            weakref.finalize(self, connection.close)

    def version(self) -> Hashable | None:
        if self._sqlite is not None:
            try:
                with self._lock:
                    row = self._sqlite.execute("PRAGMA data_version").fetchone()
            except sqlite3.Error:
                return None
            return int(row[0])
        if self._engine.dialect.name == "postgresql":
            return self._postgres_version()
        return None

    def _postgres_version(self) -> str | None:
        import psycopg  # the PostgreSQL driver, installed with the backend that needs it

        with self._lock:
            try:
                if self._postgres is None or self._postgres.closed:
                    self._postgres = self._connect()
                found = self._postgres.execute("SELECT pg_current_snapshot()::text").fetchone()
            except psycopg.Error:
                if self._postgres is not None:
                    self._postgres.close()
                self._postgres = None  # connect again next time; meanwhile ask the store
                return None
        return None if found is None else str(found[0])

    def _connect(self) -> psycopg.Connection[Any]:
        import psycopg

        _, params = self._engine.dialect.create_connect_args(self._engine.url)
        params = {k: v for k, v in params.items() if k != "context"}  # SQLAlchemy's adapters
        # autocommit: each look is its own statement, never an open transaction; a server
        # that does not answer within a second counts as "ask the store"
        connection = psycopg.connect(
            **params, autocommit=True, connect_timeout=2, options="-c statement_timeout=1000"
        )
        weakref.finalize(self, connection.close)
        return connection


class Pages(Generic[V]):
    """Pages (or /api answers) made from one snapshot, the least recently used dropped beyond
    `size` (the key holds the URL's query, which a client chooses, so the count must be
    bounded)."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._found: OrderedDict[Hashable, V] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._found)

    def get(self, key: Hashable) -> V | None:
        with self._lock:
            found = self._found.get(key)
            if found is not None:
                self._found.move_to_end(key)
            return found

    def put(self, key: Hashable, value: V) -> None:
        with self._lock:
            self._found[key] = value
            self._found.move_to_end(key)
            while len(self._found) > self.size:
                self._found.popitem(last=False)


@dataclass
class Snapshot:
    """The latest biennium and what the engine derives from it, each computed on first use;
    `pages` holds pages rendered from it (rbm.web.render) and `representations` the /api
    answers (rbm.web.representations), dropped with the snapshot when the data change."""

    dataset: Dataset
    generation: tuple[object, ...]
    pages: Pages[str] = field(default_factory=Pages, compare=False, repr=False)
    representations: Pages[Representation] = field(default_factory=Pages, compare=False, repr=False)

    @cached_property
    def report(self) -> ReportView:
        return build_report(self.dataset)

    @cached_property
    def blocks(self) -> dict[str, Block]:
        """The report's tables and charts by id, found once rather than on every request."""
        found: dict[str, Block] = {}
        for section in self.report.walk():
            for block in section.blocks:
                if isinstance(block, TableView | ChartView):
                    found[block.id] = block
        return found

    @cached_property
    def ratings(self) -> RatingReport:
        return rating_report(self.dataset)

    @cached_property
    def reconciliation(self) -> Reconciliation:
        return reconcile(self.dataset)


@dataclass
class AppState:
    config: WebConfig
    engine: sa.Engine
    sessions: Sessions
    throttle: Throttle = field(default_factory=Throttle)
    jobs: Jobs = field(default_factory=Jobs)
    probe: Probe = field(init=False)
    _snapshot: Snapshot | None = None
    _fresh: tuple[Hashable, Snapshot] | None = None  # the snapshot, and the probe's version then
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _kept: dict[Hashable, object] = field(default_factory=dict)
    _kept_version: Hashable | None = None
    _kept_lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.probe = Probe(self.engine)

    def generation(self) -> tuple[object, ...]:
        """Changes whenever the data does: every web change writes the audit trail, and a
        load rewrites the biennium's row."""
        with self.engine.connect() as connection:
            last = connection.execute(sa.select(sa.func.max(audit_log.c.id))).scalar()
            rows = connection.execute(sa.select(bienniums)).all()
        return (last, tuple(tuple(row) for row in rows))

    def version(self, request: Request | None = None) -> Hashable | None:
        """The probe's version, read once per GET request: read after the request arrived, it
        shows every commit made before, and the request makes none of its own. A request that
        may write, or none, reads it afresh."""
        if request is None or request.method not in ("GET", "HEAD"):
            return self.probe.version()
        if not hasattr(request.state, "probe_version"):
            request.state.probe_version = self.probe.version()
        found: Hashable | None = request.state.probe_version
        return found

    def snapshot(self, request: Request | None = None) -> Snapshot:
        # the probe is read before the generation, so a commit in between moves it again
        version = self.version(request)
        fresh = self._fresh
        if fresh is not None and version is not None and fresh[0] == version:
            return fresh[1]
        generation = self.generation()
        with self._lock:
            current = self._snapshot
            if current is None or current.generation != generation:
                dataset = read_dataset(self.engine)
                if dataset is None:
                    raise ApiError(404, "web.error.no_biennium")
                current = self._snapshot = Snapshot(dataset, generation)
            if version is not None:
                self._fresh = (version, current)
            return current

    def unchanged(self, request: Request | None = None) -> Snapshot | None:
        """The snapshot if the probe has seen no commit since it was confirmed, else None
        (then `snapshot()` asks the store); never waits, so it may run on the event loop."""
        version = self.version(request)
        fresh = self._fresh
        return (
            fresh[1] if fresh is not None and version is not None and fresh[0] == version else None
        )

    def kept(self, key: Hashable, load: Callable[[], T], request: Request | None = None) -> T:
        """`load()`, kept until the probe sees a commit (asked every time without a probe);
        for what is read on every request and changes rarely, such as the signed-in user."""
        version = self.version(request)
        found, value = self._recall(key, version)
        if found:
            return value  # type: ignore[return-value]
        loaded = load()
        if version is not None:
            with self._kept_lock:
                # a value is kept with the version read before it was loaded, and is used only
                # while the probe still shows that version: no commit since
                if self._kept_version != version:
                    self._kept.clear()
                    self._kept_version = version
                self._kept[key] = loaded
        return loaded

    def recall(self, key: Hashable, request: Request | None = None) -> tuple[bool, object]:
        """(True, value) if `kept` holds a value for `key` read since the last commit; never
        waits, so it may run on the event loop."""
        return self._recall(key, self.version(request))

    def _recall(self, key: Hashable, version: Hashable | None) -> tuple[bool, object]:
        with self._kept_lock:
            if version is not None and version == self._kept_version and key in self._kept:
                return True, self._kept[key]
        return False, None


def app_state(request: Request) -> AppState:
    state = request.app.state.rbm
    assert isinstance(state, AppState)
    return state


async def snapshot(request: Request) -> Snapshot:
    """The route's snapshot: taken on the event loop when the probe shows no change (a sync
    dependency costs a hop to a worker thread and back on every request), else in a thread."""
    state = app_state(request)
    snap = state.unchanged(request)
    if snap is None:
        snap = await run_in_threadpool(state.snapshot, request)
    request.state.snapshot = snap  # the page renderer caches pages on the request's snapshot
    return snap


Current = Annotated[Snapshot, Depends(snapshot)]  # the latest biennium, as a route parameter
