"""The web application under test: the WIPO dataset loaded once per backend into a template
database, a fresh copy per test, one user of every role, and clients signed in as each."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rbm.domain.dataset import Dataset
from rbm.domain.workflow import Role
from rbm.store.accounts import add_user
from rbm.store.database import open_store
from rbm.store.load import load_dataset
from rbm.web.app import create_app
from rbm.web.config import WebConfig
from tests import postgres

PASSWORD = "correct horse battery"
# one user per role; the focal point answers for Patents and Technology (pt)
USERS: dict[Role, tuple[str, tuple[str, ...]]] = {
    Role.ADMINISTRATOR: ("ada", ()),
    Role.PLANNER: ("pia", ()),
    Role.FOCAL_POINT: ("fay", ("pt",)),
    Role.VALIDATOR: ("vic", ()),
    Role.VIEWER: ("vera", ()),
}
FOCAL_PIE = "1.1-06"  # an indicator linked to pt (its PIEs start with this id)
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


class Clock:
    """A clock the tests move by hand."""

    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


def _populate(url: str, dataset: Dataset) -> None:
    engine = open_store(url)
    try:
        load_dataset(engine, dataset)
        for role, (name, sectors) in USERS.items():
            add_user(engine, name, role, PASSWORD, sectors, START)
    finally:
        engine.dispose()


@pytest.fixture(
    scope="session", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def web_template(
    request: pytest.FixtureRequest, wipo: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[str, str]]:
    """(backend, template) with the WIPO dataset and the users: a SQLite file or a database."""
    if request.param == "sqlite":
        path = tmp_path_factory.mktemp("web") / "template.db"
        _populate(f"sqlite:///{path}", wipo)
        yield "sqlite", str(path)
        return
    server_url: str = request.getfixturevalue("pg_server")
    with postgres.database(server_url, "tpl") as url:
        _populate(url, wipo)
        yield "postgresql", url


@pytest.fixture
def web_url(web_template: tuple[str, str], tmp_path: Path) -> Iterator[str]:
    """A fresh copy of the template store for one test."""
    backend, template = web_template
    if backend == "sqlite":
        target = tmp_path / "rbm.db"
        shutil.copyfile(template, target)
        yield f"sqlite:///{target}"
        return
    base, name = template.rsplit("/", 1)
    with postgres.database(f"{base}/postgres", template=name) as url:
        yield url


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def app(web_url: str, tmp_path: Path, clock: Clock) -> Iterator[FastAPI]:
    application = create_app(
        WebConfig(web_url, secret="test-secret", builds=tmp_path / "builds", clock=clock)
    )
    yield application
    application.state.rbm.engine.dispose()


class Client:
    """A TestClient that keeps its session and adds the CSRF token to what it sends."""

    def __init__(self, app: FastAPI) -> None:
        self.http = TestClient(app, follow_redirects=False)
        self.csrf = ""

    def refresh_csrf(self) -> str:
        html = self.http.get("/login").text
        match = re.search(r'name="csrf-token" content="([^"]+)"', html)
        assert match, "every page carries the CSRF token"
        self.csrf = match.group(1)
        return self.csrf

    def login(self, name: str, password: str = PASSWORD) -> httpx.Response:
        self.refresh_csrf()
        response = self.http.post(
            "/login", data={"name": name, "password": password, "csrf": self.csrf, "next": "/"}
        )
        if response.status_code == 303:
            self.refresh_csrf()  # a new token comes with the new session
        return response

    def get(self, url: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(url, **kwargs)

    def form(self, url: str, data: dict[str, str]) -> httpx.Response:
        return self.http.post(url, data={**data, "csrf": self.csrf})

    def send(self, method: str, url: str, json: Any = None) -> httpx.Response:
        return self.http.request(method, url, json=json, headers={"X-CSRF-Token": self.csrf})


@pytest.fixture
def client_for(app: FastAPI) -> Callable[[Role | None], Client]:
    """A client signed in with `role` (None: anonymous, with a session for its CSRF token)."""

    def make(role: Role | None) -> Client:
        client = Client(app)
        if role is None:
            client.refresh_csrf()
        else:
            assert client.login(USERS[role][0]).status_code == 303
        return client

    return make
