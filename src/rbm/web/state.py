"""What the application keeps between requests: the store, sessions, the login throttle, the
report-build jobs, and a snapshot of the current biennium rebuilt only when its data changes."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Annotated

import sqlalchemy as sa
from fastapi import Depends
from starlette.requests import Request

from rbm.domain.dataset import Dataset
from rbm.engine.rating.report import RatingReport, rating_report
from rbm.engine.reconcile.findings import Reconciliation
from rbm.engine.reconcile.run import reconcile
from rbm.report.build.report import build_report
from rbm.report.model import ReportView
from rbm.store.read import read_dataset
from rbm.store.tables import audit_log, bienniums
from rbm.web.config import WebConfig
from rbm.web.errors import ApiError
from rbm.web.jobs import Jobs
from rbm.web.session import Sessions
from rbm.web.throttle import Throttle


@dataclass
class Snapshot:
    """The latest biennium and what the engine derives from it, each computed on first use."""

    dataset: Dataset
    generation: tuple[object, ...]

    @cached_property
    def report(self) -> ReportView:
        return build_report(self.dataset)

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
    _snapshot: Snapshot | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def generation(self) -> tuple[object, ...]:
        """Changes whenever the data does: every web change writes the audit trail, and a
        load rewrites the biennium's row."""
        with self.engine.connect() as connection:
            last = connection.execute(sa.select(sa.func.max(audit_log.c.id))).scalar()
            rows = connection.execute(sa.select(bienniums)).all()
        return (last, tuple(tuple(row) for row in rows))

    def snapshot(self) -> Snapshot:
        generation = self.generation()
        with self._lock:
            current = self._snapshot
            if current is not None and current.generation == generation:
                return current
            dataset = read_dataset(self.engine)
            if dataset is None:
                raise ApiError(404, "web.error.no_biennium")
            self._snapshot = Snapshot(dataset, generation)
            return self._snapshot


def app_state(request: Request) -> AppState:
    state = request.app.state.rbm
    assert isinstance(state, AppState)
    return state


def snapshot(request: Request) -> Snapshot:
    return app_state(request).snapshot()


Current = Annotated[Snapshot, Depends(snapshot)]  # the latest biennium, as a route parameter
