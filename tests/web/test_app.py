"""Signing in, sessions, CSRF and the login throttle."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import FastAPI
from fastapi.testclient import TestClient

from rbm.domain.workflow import Role
from rbm.store.accounts import create_token
from tests.web.conftest import Client, Clock


def test_anonymous_pages_redirect_to_login_and_the_api_answers_401(
    client_for: Callable[[Role | None], Client],
) -> None:
    client = client_for(None)
    page = client.get("/")
    assert page.status_code == 303
    assert page.headers["location"] == "/login?next=/"
    api = client.get("/api/overview")
    assert api.status_code == 401
    assert api.json()["error"]["code"] == "unauthenticated"


def test_the_session_cookie_is_httponly_and_samesite_lax(
    client_for: Callable[[Role | None], Client],
) -> None:
    client = client_for(None)
    response = client.login("pia")
    cookie = response.headers["set-cookie"].lower()
    assert "httponly" in cookie and "samesite=lax" in cookie
    assert "secure" not in cookie  # plain http in tests; https requests get Secure


def test_a_form_without_the_csrf_token_is_refused(
    client_for: Callable[[Role | None], Client],
) -> None:
    client = client_for(None)
    response = client.http.post("/login", data={"name": "pia", "password": "x" * 12})
    assert response.status_code == 403
    assert "reload the page" in response.text or "刷新" in response.text


def test_login_is_throttled_after_five_failures(
    client_for: Callable[[Role | None], Client], clock: Clock
) -> None:
    client = client_for(None)
    for _ in range(5):
        assert client.login("pia", "wrong password").status_code == 401
    refused = client.login("pia")
    assert refused.status_code == 429
    assert int(refused.headers["retry-after"]) > 0
    clock.advance(minutes=16)
    assert client.login("pia").status_code == 303


def test_a_signed_in_user_sees_the_overview(client_for: Callable[[Role | None], Client]) -> None:
    client = client_for(Role.VIEWER)
    page = client.get("/", headers={"accept-language": "en"})
    assert page.status_code == 200
    assert "Key financial data" in page.text
    data = client.get("/api/overview").json()
    assert data["blocks"][0]["id"] == "table-1"


def test_api_tokens_authenticate_scripts_without_csrf(
    client_for: Callable[[Role | None], Client], app: FastAPI
) -> None:
    token = create_token(app.state.rbm.engine, "vera", app.state.rbm.config.clock())
    client = client_for(None)
    me = client.get("/api/me", headers={"authorization": f"Bearer {token}"})
    assert me.json() == {"name": "vera", "role": "viewer", "sectors": []}
    bad = client.get("/api/me", headers={"authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_over_https_the_session_cookie_is_secure(app: FastAPI) -> None:
    client = TestClient(app, base_url="https://testserver", follow_redirects=False)
    cookie = client.get("/login").headers["set-cookie"].lower()
    assert "secure" in cookie and "httponly" in cookie and "samesite=lax" in cookie
