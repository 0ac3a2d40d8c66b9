"""What the application keeps between requests is invisible: a cached page is the page
rendered afresh, with the session's own CSRF token; a change made through the web, by another
worker or by another program shows on the next request; a disabled user is refused at once."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from jinja2 import DictLoader, Environment, StrictUndefined
from starlette.requests import Request

from rbm.cli.serve import BUILDS_ENV, web_app
from rbm.domain.dataset import Dataset
from rbm.domain.workflow import Role
from rbm.store.accounts import disable_user
from rbm.store.database import URL_ENV
from rbm.store.tables import TABLES, users
from rbm.web import render
from rbm.web.app import create_app
from rbm.web.config import SECRET_ENV, WebConfig, utc_now
from rbm.web.state import Pages, Probe, Snapshot
from tests.web.conftest import Client, Clock

ClientFor = Callable[[Role | None], Client]
PAGES = ("/", "/sectors/pt")  # the overview (Table 5) and pt's dashboard


@pytest.fixture
def worker(web_url: str, tmp_path: Path, clock: Clock) -> Iterator[FastAPI]:
    """A second application on the same store, as a second worker process would be (on the
    same clock: sessions expire by it)."""
    config = WebConfig(web_url, secret="test-secret", builds=tmp_path / "other", clock=clock)
    other = create_app(config)
    yield other
    other.state.rbm.engine.dispose()


def _as(client: Client, app: FastAPI) -> Client:
    """The same session (cookie and CSRF token) on another application."""
    twin = Client(app)
    twin.http.cookies = client.http.cookies
    twin.csrf = client.csrf
    return twin


def _fresh(web_url: str, tmp_path: Path, client: Client, url: str, clock: Clock) -> str:
    """`url` as an application started now renders it for this session: nothing cached."""
    config = WebConfig(web_url, secret="test-secret", builds=tmp_path / "fresh", clock=clock)
    app = create_app(config)
    try:
        return _as(client, app).get(url).text
    finally:
        app.state.rbm.engine.dispose()


def _executed_pt(app: FastAPI) -> tuple[int, int]:
    """pt's first expenditure line (its dashboard, and Table 5's pt row, add it up)."""
    table = TABLES["budget_facts"]
    with app.state.rbm.engine.connect() as connection:
        row = connection.execute(
            sa.select(table.c.row_id, table.c.amount)
            .where(table.c.sector == "pt", table.c.phase == "executed")
            .order_by(table.c.row_id)
        ).first()
    assert row is not None
    return int(row[0]), int(row[1])


def _edit(client: Client, row_id: int, amount: int) -> None:
    record = client.get(f"/api/records/budget_fact/{row_id}").json()
    url = f"/api/records/budget_fact/{row_id}"
    saved = client.send(
        "PATCH", url, {"version": record["version"], "changes": {"amount": str(amount)}}
    )
    assert saved.status_code == 200, saved.text


def test_a_cached_page_is_the_page_rendered_afresh_before_and_after_a_web_edit(
    client_for: ClientFor, app: FastAPI, web_url: str, tmp_path: Path, clock: Clock
) -> None:
    pia = client_for(Role.PLANNER)
    before = {url: pia.get(url).text for url in PAGES}
    assert len(app.state.rbm.snapshot().pages) == len(PAGES)  # both pages are cached
    for url in PAGES:
        assert pia.get(url).text == before[url] == _fresh(web_url, tmp_path, pia, url, clock)
    row_id, amount = _executed_pt(app)
    _edit(pia, row_id, amount + 1000)
    for url in PAGES:
        after = pia.get(url).text
        assert after != before[url], f"{url} shows the edit"
        assert after == _fresh(web_url, tmp_path, pia, url, clock)


def test_an_edit_made_through_another_worker_shows_on_the_next_request(
    client_for: ClientFor,
    app: FastAPI,
    worker: FastAPI,
    web_url: str,
    tmp_path: Path,
    clock: Clock,
) -> None:
    pia = client_for(Role.PLANNER)
    before = pia.get("/sectors/pt").text
    row_id, amount = _executed_pt(app)
    _edit(_as(pia, worker), row_id, amount + 1000)  # the session is good on both workers
    after = pia.get("/sectors/pt").text
    assert after != before
    assert after == _fresh(web_url, tmp_path, pia, "/sectors/pt", clock)


def test_each_session_finds_its_own_csrf_token_in_a_cached_page(client_for: ClientFor) -> None:
    first, second = client_for(Role.VIEWER), client_for(Role.VIEWER)  # one user, two sessions
    assert first.csrf != second.csrf
    for client in (first, second, first):
        html = client.get("/").text
        tokens = re.findall(r'(?:content|value)="([^"]+)"', html)
        assert render.CSRF_MARK not in html
        assert f'<meta name="csrf-token" content="{client.csrf}">' in html
        assert f'name="csrf" value="{client.csrf}"' in html  # the sign-out form
        other = second.csrf if client is first else first.csrf
        assert other not in tokens


def test_a_disabled_user_is_refused_on_the_next_request(
    client_for: ClientFor, web_url: str
) -> None:
    vera = client_for(Role.VIEWER)
    assert vera.get("/").status_code == 200
    assert vera.get("/api/me").json()["name"] == "vera"
    other_program = sa.create_engine(web_url)  # as `rbm user disable` would
    try:
        disable_user(other_program, "vera")
    finally:
        other_program.dispose()
    assert vera.get("/api/me").status_code == 401
    assert vera.get("/").status_code == 303


def test_the_probe_moves_with_every_commit_on_either_backend(app: FastAPI, web_url: str) -> None:
    probe = app.state.rbm.probe
    first = probe.version()
    assert first is not None and probe.version() == first
    disable_user(app.state.rbm.engine, "vera")  # through a pooled connection of this process
    second = probe.version()
    assert second != first
    other_program = sa.create_engine(web_url)  # as `rbm user enable` would, from outside
    try:
        with other_program.begin() as connection:
            connection.execute(users.update().where(users.c.name == "vera").values(active=True))
    finally:
        other_program.dispose()
    assert probe.version() not in (first, second)


def test_a_probe_that_cannot_reach_postgresql_means_ask_the_store(app: FastAPI) -> None:
    probe = Probe(sa.create_engine("postgresql+psycopg://nobody@127.0.0.1:1/none"))
    assert probe.version() is None
    assert app.state.rbm.probe.version() is not None


def test_workers_built_from_the_environment_share_sessions(
    client_for: ClientFor,
    web_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    clock: Clock,
) -> None:
    monkeypatch.setenv(URL_ENV, web_url)
    monkeypatch.setenv(SECRET_ENV, "test-secret")
    monkeypatch.setenv(BUILDS_ENV, str(tmp_path / "served"))
    built = web_app()
    try:
        assert built.state.rbm.config.url == web_url
        assert built.state.rbm.config.builds == tmp_path / "served"
        clock.now = utc_now()  # the built worker keeps real time, and sessions expire by it
        vera = client_for(Role.VIEWER)
        assert _as(vera, built).get("/api/me").json()["name"] == "vera"
    finally:
        built.state.rbm.engine.dispose()


def _request(snap: Snapshot) -> Request:
    scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": []}
    request = Request({**scope, "server": ("testserver", 80)})
    request.state.snapshot = snap
    return request


def test_a_cached_template_that_reads_the_request_is_rendered_for_each_request(
    wipo: Dataset, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = Environment(
        loader=DictLoader({"kept.html": "{{ path }} {{ csrf }}", "own.html": "{{ request.url }}"}),
        undefined=StrictUndefined,
    )
    monkeypatch.setattr(render, "CACHED_PAGES", frozenset({"kept.html", "own.html"}))
    monkeypatch.setattr(render, "_UNCACHEABLE", set())
    snap = Snapshot(wipo, ())
    for token in ("one", "two"):
        request = _request(snap)
        context = {"request": request, "user": None, "path": "/", "csrf": token}
        assert render._render(request, env.get_template("kept.html"), "en", 200, context) == (
            f"/ {token}"
        )
        own = render._render(request, env.get_template("own.html"), "en", 200, context)
        assert own == "http://testserver/"
    assert len(snap.pages) == 1
    assert render._UNCACHEABLE == {"own.html"}


def test_pages_keeps_the_most_recently_used() -> None:
    pages = Pages(size=2)
    pages.put("a", "A")
    pages.put("b", "B")
    assert pages.get("a") == "A"  # now b is the least recently used
    pages.put("c", "C")
    assert (pages.get("a"), pages.get("b"), pages.get("c")) == ("A", None, "C")
    assert len(pages) == 2
