"""Signing in: back-off per (account, address) so nobody can lock anybody out, the client
address behind trusted proxies only, bounded memory, and odd input refused like a wrong
password (never a 500)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from starlette.requests import Request
from typer.testing import CliRunner

from rbm.cli import app as cli
from rbm.web.config import WebConfig
from rbm.web.throttle import Throttle, client_address
from tests.web.conftest import PASSWORD, Clock

NOW = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)


def _sign_in(
    app: FastAPI, address: str, name: str, password: str, headers: dict[str, str] | None = None
) -> httpx.Response:
    client = TestClient(app, follow_redirects=False, client=(address, 50000))
    match = re.search(r'name="csrf-token" content="([^"]+)"', client.get("/login").text)
    assert match
    return client.post(
        "/login",
        data={"name": name, "password": password, "csrf": match.group(1)},
        headers=headers or {},
    )


def test_wrong_passwords_from_one_address_do_not_lock_the_user_out(
    app: FastAPI, clock: Clock
) -> None:
    """Five wrong passwords from anywhere used to lock the account for 15 minutes."""
    attacker, user = "203.0.113.7", "198.51.100.9"
    for _ in range(5):
        assert _sign_in(app, attacker, "pia", "wrong password").status_code == 401
    refused = _sign_in(app, attacker, "pia", PASSWORD)
    assert refused.status_code == 429
    assert refused.headers["retry-after"] == "1"  # then 2, 4, 8 s ... up to 15 minutes
    assert _sign_in(app, user, "pia", PASSWORD).status_code == 303  # at once, elsewhere
    assert _sign_in(app, attacker, "vic", PASSWORD).status_code == 303  # other accounts too
    clock.advance(seconds=1)
    assert _sign_in(app, attacker, "pia", PASSWORD).status_code == 303


def test_x_forwarded_for_from_an_untrusted_client_does_not_escape_the_throttle(
    app: FastAPI,
) -> None:
    """The per-address throttle believed X-Forwarded-For from any client."""
    for n in range(5):
        forged = {"x-forwarded-for": f"192.0.2.{n}"}
        assert _sign_in(app, "203.0.113.7", "pia", "wrong", forged).status_code == 401
    forged = {"x-forwarded-for": "192.0.2.99"}
    assert _sign_in(app, "203.0.113.7", "pia", PASSWORD, forged).status_code == 429


def test_odd_sign_in_input_is_a_plain_failure(app: FastAPI) -> None:
    """A NUL byte in the name gave a 500 on PostgreSQL."""
    odd = [("pia\x00", PASSWORD), ("\x00", "x"), ("pia", PASSWORD + "\x00"), ("p" * 200, "x")]
    for n, (name, password) in enumerate(odd):
        response = _sign_in(app, f"203.0.113.{n}", name, password)
        assert response.status_code == 401, name
        assert "csrf-token" in response.text and "\x00" not in response.text


def test_back_off_doubles_per_pair_and_forgets() -> None:
    throttle = Throttle()
    waits: list[int] = []
    for _ in range(16):
        throttle.failed("ana", "a", NOW)
        waits.append(throttle.retry_after("ana", "a", NOW))
    assert waits[:4] == [0, 0, 0, 0]
    assert waits[4:10] == [1, 2, 4, 8, 16, 32]
    assert waits[-1] == 900  # capped at 15 minutes
    assert throttle.retry_after("ANA ", "a", NOW) == 900  # the same account
    assert throttle.retry_after("ana", "b", NOW) == 0  # another address: nothing
    assert throttle.retry_after("ana", "a", NOW + timedelta(minutes=15)) == 0
    throttle.succeeded("ana", "a")
    assert throttle.retry_after("ana", "a", NOW) == 0
    for _ in range(5):
        throttle.failed("ana", "a", NOW)
    assert throttle.retry_after("ana", "a", NOW + timedelta(hours=1)) == 0  # forgotten


def test_an_address_that_sprays_many_accounts_backs_off() -> None:
    throttle = Throttle()
    for n in range(50):
        assert throttle.retry_after(f"user{n}", "a", NOW) == 0
        throttle.failed(f"user{n}", "a", NOW)
    assert throttle.retry_after("somebody else", "a", NOW) == 1
    throttle.succeeded("user1", "a")  # signing in to one's own account resets nothing
    assert throttle.retry_after("somebody else", "a", NOW) == 1
    assert throttle.retry_after("somebody else", "b", NOW) == 0


def test_the_throttle_stays_bounded_with_new_names() -> None:
    """Its memory grew by 40 MB every 40,000 names."""
    throttle = Throttle()
    for n in range(100_000):
        throttle.failed(f"name-{n}", f"10.{n // 65536}.{n // 256 % 256}.{n % 256}", NOW)
    assert len(throttle) <= throttle.size == 10_000
    # the newest are kept
    assert throttle.retry_after("name-99999", "10.1.134.159", NOW) == 0
    for _ in range(4):
        throttle.failed("name-99999", "10.1.134.159", NOW)
    assert throttle.retry_after("name-99999", "10.1.134.159", NOW) == 1


def _request(peer: str, forwarded: list[str]) -> Request:
    headers = [(b"x-forwarded-for", value.encode()) for value in forwarded]
    return Request({"type": "http", "client": (peer, 1), "headers": headers})


@pytest.mark.parametrize(
    ("peer", "forwarded", "trusted", "expected"),
    [
        ("203.0.113.7", ["1.2.3.4"], (), "203.0.113.7"),
        ("203.0.113.7", ["1.2.3.4"], ("10.0.0.0/8",), "203.0.113.7"),
        ("10.0.0.2", ["1.2.3.4"], ("10.0.0.0/8",), "1.2.3.4"),
        # a client's own X-Forwarded-For is passed on before the proxy's entry: not believed
        ("10.0.0.2", ["6.6.6.6, 1.2.3.4"], ("10.0.0.0/8",), "1.2.3.4"),
        ("10.0.0.2", ["6.6.6.6", "1.2.3.4, 10.0.0.9"], ("10.0.0.0/8",), "1.2.3.4"),
        ("::1", ["2001:db8::1"], ("::1",), "2001:db8::1"),
        ("10.0.0.2", [], ("10.0.0.2",), "10.0.0.2"),
        ("10.0.0.2", ["not an address"], ("10.0.0.2",), "not an address"),
    ],
)
def test_client_address_believes_only_trusted_proxies(
    peer: str, forwarded: list[str], trusted: tuple[str, ...], expected: str
) -> None:
    assert client_address(_request(peer, forwarded), trusted) == expected


def test_serve_passes_trusted_proxies_on(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    started: dict[str, Any] = {}
    monkeypatch.setattr("rbm.cli.serve.create_app", lambda config: config)
    monkeypatch.setattr("rbm.cli.serve.uvicorn.run", lambda app, **kw: started.update(kw, app=app))
    runner = CliRunner()
    db = ["--db", f"sqlite:///{tmp_path / 'rbm.db'}"]
    bad = runner.invoke(cli, [*db, "serve", "--trusted-proxy", "proxy.example"])
    assert bad.exit_code == 2 and "proxy.example" in bad.stderr
    log = tmp_path / "security.log"
    args = ["--trusted-proxy", "10.0.0.0/8", "--trusted-proxy", "10.1.1.1", "--security-log"]
    good = runner.invoke(cli, [*db, "serve", *args, str(log)])
    assert good.exit_code == 0, good.output
    config = started["app"]
    assert isinstance(config, WebConfig)
    assert config.trusted_proxies == ("10.0.0.0/8", "10.1.1.1")
    assert config.security_log == log
    assert started["forwarded_allow_ips"] == ["10.0.0.0/8", "10.1.1.1"]
    runner.invoke(cli, [*db, "serve"])
    assert started["forwarded_allow_ips"] == ["127.0.0.1", "::1"]  # a proxy on this machine
    runner.invoke(cli, [*db, "serve", "--no-proxy-headers"])
    assert started["forwarded_allow_ips"] == [] and started["proxy_headers"] is False
