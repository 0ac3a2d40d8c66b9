"""Sessions and API tokens end when they should, on both backends: signing out, the idle and
absolute lifetimes, disabling the user, a token's expiry and its revocation."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import sqlalchemy as sa
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rbm.domain.workflow import Role
from rbm.store.accounts import create_token, disable_user, list_tokens, revoke_token
from rbm.store.tables import TABLES
from rbm.web.app import create_app
from rbm.web.config import WebConfig
from rbm.web.session import COOKIE
from tests.web.conftest import Client, Clock

ClientFor = Callable[[Role | None], Client]


def _replay(app: FastAPI, cookie: str) -> TestClient:
    """Another client that sends a copy of a session cookie taken earlier."""
    replayed = TestClient(app, follow_redirects=False)
    replayed.cookies.set(COOKIE, cookie)
    return replayed


def test_a_cookie_replayed_after_sign_out_saves_nothing(
    client_for: ClientFor, app: FastAPI
) -> None:
    """It used to save an edit (200) for 12 hours after signing out."""
    pia = client_for(Role.PLANNER)
    cookie, csrf = pia.http.cookies[COOKIE], pia.csrf
    with app.state.rbm.engine.connect() as connection:
        table = TABLES["budget_facts"]
        first = connection.execute(
            sa.select(table.c.position, table.c.amount).order_by(table.c.position)
        ).first()
    assert first is not None
    position, amount = first
    assert _replay(app, cookie).get("/api/me").status_code == 200
    assert pia.form("/logout", {}).status_code == 303
    replayed = _replay(app, cookie)
    assert replayed.get("/api/me").status_code == 401
    assert replayed.get("/").headers["location"].startswith("/login")
    edit = replayed.patch(
        f"/api/records/budget_fact/{position}",
        json={"version": 0, "changes": {"amount": str(amount + 1)}},
        headers={"X-CSRF-Token": csrf},
    )
    assert edit.status_code == 401
    assert pia.get("/api/me").status_code == 401  # the client's own new cookie is anonymous


def test_sign_out_on_one_worker_holds_on_another(
    client_for: ClientFor, web_url: str, tmp_path: Path, clock: Clock
) -> None:
    """Workers share the store, not memory: a second application on the same store stands
    for another worker process."""
    pia = client_for(Role.PLANNER)
    cookie = pia.http.cookies[COOKIE]
    other = create_app(
        WebConfig(web_url, secret="test-secret", builds=tmp_path / "other", clock=clock)
    )
    try:
        assert _replay(other, cookie).get("/api/me").status_code == 200
        pia.form("/logout", {})
        assert _replay(other, cookie).get("/api/me").status_code == 401
    finally:
        other.state.rbm.engine.dispose()


def test_sessions_end_when_idle_and_after_their_lifetime(
    client_for: ClientFor, clock: Clock
) -> None:
    vera = client_for(Role.VIEWER)  # idle 60 minutes, 12 hours in all (WebConfig defaults)
    clock.advance(minutes=59)
    assert vera.get("/api/me").status_code == 200  # and it was seen now
    clock.advance(minutes=59)
    assert vera.get("/api/me").status_code == 200
    clock.advance(minutes=61)
    assert vera.get("/api/me").status_code == 401

    ada = client_for(Role.ADMINISTRATOR)
    for _ in range(14):  # busy all day: the idle limit never bites, the lifetime does
        clock.advance(minutes=50)
        assert ada.get("/api/me").status_code == 200
    clock.advance(minutes=50)  # 12 h 30 after signing in
    assert ada.get("/api/me").status_code == 401


def test_disabling_a_user_ends_its_sessions_and_tokens(
    client_for: ClientFor, app: FastAPI, clock: Clock
) -> None:
    engine = app.state.rbm.engine
    vera = client_for(Role.VIEWER)
    token = create_token(engine, "vera", clock())
    bearer = {"authorization": f"Bearer {token}"}
    assert vera.get("/api/me", headers=bearer).status_code == 200
    assert vera.get("/api/me").status_code == 200
    disable_user(engine, "vera", clock())
    assert vera.get("/api/me").status_code == 401
    assert vera.get("/api/me", headers=bearer).status_code == 401


def test_tokens_expire_and_can_be_revoked(
    client_for: ClientFor, app: FastAPI, clock: Clock
) -> None:
    engine = app.state.rbm.engine
    anonymous = client_for(None)
    short = create_token(engine, "vic", clock(), days=1)
    kept = create_token(engine, "vic", clock())

    def status(token: str) -> int:
        return anonymous.get("/api/me", headers={"authorization": f"Bearer {token}"}).status_code

    assert status(short) == 200 and status(kept) == 200
    clock.advance(days=1)
    assert status(short) == 401
    assert status(kept) == 200
    used = list_tokens(engine, "vic")
    assert used[1].last_used_at == clock()
    revoke_token(engine, used[1].id, clock())
    assert status(kept) == 401


def test_signing_in_again_ends_the_previous_session(client_for: ClientFor, app: FastAPI) -> None:
    pia = client_for(Role.PLANNER)
    before = pia.http.cookies[COOKIE]
    assert pia.login("pia").status_code == 303
    assert _replay(app, before).get("/api/me").status_code == 401
    assert pia.get("/api/me").json()["name"] == "pia"
