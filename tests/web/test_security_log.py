"""The security event log: sign-ins, failures, throttling, refusals, token use and signing
out, each a JSON line with the user, the address, the time and the route, on the logger
`rbm.security` and in the file WebConfig names."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rbm.store.accounts import create_token
from rbm.web.app import create_app
from rbm.web.config import WebConfig
from tests.web.conftest import PASSWORD, START, Clock


@pytest.fixture
def logged(web_url: str, tmp_path: Path, clock: Clock) -> Iterator[tuple[FastAPI, Path]]:
    """The application with a security log file."""
    log = tmp_path / "security.log"
    config = WebConfig(
        web_url, secret="test-secret", builds=tmp_path / "builds", clock=clock, security_log=log
    )
    application = create_app(config)
    yield application, log
    application.state.rbm.engine.dispose()


def _events(caplog: pytest.LogCaptureFixture) -> list[dict[str, Any]]:
    return [json.loads(r.getMessage()) for r in caplog.records if r.name == "rbm.security"]


def test_security_events_are_logged_as_json_lines(
    logged: tuple[FastAPI, Path], caplog: pytest.LogCaptureFixture, clock: Clock
) -> None:
    """Sign-ins, failures, throttles and refusals were only access lines, without the user."""
    app, log = logged
    caplog.set_level(logging.INFO, logger="rbm.security")
    client = TestClient(app, follow_redirects=False, client=("203.0.113.7", 50000))

    def csrf() -> str:
        match = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text)
        assert match
        return match.group(1)

    def sign_in(name: str, password: str) -> int:
        data = {"name": name, "password": password, "csrf": csrf()}
        return client.post("/login", data=data).status_code

    assert client.get("/api/overview").status_code == 401  # refused: not signed in
    assert client.post("/login", data={"name": "pia", "password": "x"}).status_code == 403
    for _ in range(5):
        assert sign_in("pia", "wrong password") == 401
    assert sign_in("pia", PASSWORD) == 429
    clock.advance(seconds=2)
    assert sign_in("vera", PASSWORD) == 303
    token = create_token(app.state.rbm.engine, "vera", clock())
    headers = {"authorization": f"Bearer {token}"}
    assert client.get("/api/me", headers=headers).status_code == 200
    assert client.get("/api/me", headers={"authorization": "Bearer forged"}).status_code == 401
    edit = {"version": 0, "changes": {"amount": "1"}}
    assert client.patch("/api/records/budget_fact/1", json=edit, headers=headers).status_code == 403
    assert client.post("/logout", data={"csrf": csrf()}).status_code == 303

    events = _events(caplog)
    assert [(e["event"], e["user"]) for e in events] == [
        ("refused", None),
        ("refused", None),
        *[("signin.failure", "pia")] * 5,
        ("signin.throttled", "pia"),
        ("signin.success", "vera"),
        ("token.use", "vera"),
        ("refused", None),
        ("token.use", "vera"),
        ("refused", "vera"),  # a viewer may not edit
        ("session.revoke", "vera"),
    ]
    first, throttled = events[0], events[7]
    assert first["status"] == 401 and first["route"] == "GET /api/overview"
    assert events[1]["reason"] == "csrf" and events[1]["status"] == 403
    assert throttled["retry_after"] == 1 and throttled["route"] == "POST /login"
    assert {e["address"] for e in events} == {"203.0.113.7"}
    assert events[0]["time"] == START.isoformat()
    assert events[8]["time"] == (START.replace(second=2)).isoformat()
    assert events[10]["reason"] == "token unknown"
    assert events[12]["status"] == 403 and events[12]["reason"] == "role"
    assert isinstance(events[9]["token"], int) and token not in json.dumps(events)
    assert PASSWORD not in json.dumps(events)
    written = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
    assert written == events
