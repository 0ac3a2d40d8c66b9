"""The authorization matrix: every route × every role (and anonymous), generated from the
app's routes, so a new route without a rule — or without a sample to call it with — fails."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.routing import APIRoute

from rbm.domain.workflow import Role
from rbm.web.app import routes, rule_of
from rbm.web.jobs import Jobs
from tests.web.conftest import FOCAL_PIE, Client

ClientFor = Callable[[Role | None], Client]
ROLES: tuple[Role | None, ...] = (None, *Role)
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# a value for each path parameter, so every route is called on something that exists
SAMPLES: dict[str, str] = {
    "name": "tables.json",
    "entity": "risk",
    "record": "R-3.1-1",
    "id": f"{FOCAL_PIE}.1",
    "sector": "pt",
}
# where one parameter name means different things on different routes
PATH_SAMPLES: dict[str, dict[str, str]] = {
    "/static/{name}": {"name": "web.css"},
    "/sectors/{code}": {"code": "pt"},
    "/api/sectors/{code}": {"code": "pt"},
    "/projects/{code}": {"code": "cmp-36"},
    "/api/projects/{code}": {"code": "cmp-36"},
    "/framework/pillars/{code}": {"code": "1"},
    "/api/framework/pillars/{code}": {"code": "1"},
    "/framework/results/{code}": {"code": "1.1"},
    "/api/framework/results/{code}": {"code": "1.1"},
    "/framework/indicators/{id}": {"id": FOCAL_PIE},
    "/api/framework/indicators/{id}": {"id": FOCAL_PIE},
}


def _url(route: APIRoute, job: str = "job") -> str:
    samples = {**SAMPLES, "job_id": job, **PATH_SAMPLES.get(route.path, {})}

    def fill(match: re.Match[str]) -> str:
        name = match.group(1).split(":")[0]
        assert name in samples, f"add a sample for {{{name}}} of {route.path} to SAMPLES"
        return samples[name]

    return re.sub(r"\{([^}]+)\}", fill, route.path)


def _routes(app: FastAPI, job: str = "job") -> list[tuple[str, str, APIRoute]]:
    return [
        (method, _url(route, job), route) for route in routes() for method in sorted(route.methods)
    ]


@pytest.fixture
def job(app: FastAPI) -> str:
    """A finished build, so the build routes have something to show (a runner writing one
    small file stands in for the report's renderers)."""

    def runner(dataset: object, folder: Path, *_: object) -> list[Path]:
        path = folder / "tables.json"
        path.write_text('{"tables": []}', encoding="utf-8")
        return [path]

    state = app.state.rbm
    state.jobs = Jobs(runner=runner)
    started = state.jobs.start(
        state.snapshot().dataset, state.config.builds, "pia", ["json"], ["en"], state.config.clock
    )
    deadline = time.monotonic() + 30
    while (job := state.jobs.get(started.id, state.config.builds)).active:
        assert time.monotonic() < deadline
        time.sleep(0.02)
    assert job.state == "done"
    return job.id


def test_every_route_declares_a_rule(app: FastAPI) -> None:
    assert [route.path for route in routes() if rule_of(route) is None] == []
    assert len(_routes(app)) >= 10


def test_the_openapi_document_lists_every_api_route_and_nothing_else(client_for: ClientFor) -> None:
    document = client_for(None).get("/api/openapi.json").json()
    listed = {(m.upper(), path) for path, item in document["paths"].items() for m in item}
    served = {
        (m, re.sub(r":\w+}", "}", r.path))
        for r in routes()
        for m in r.methods
        if r.include_in_schema
    }
    assert listed == served
    assert all(path.startswith("/api/") for _, path in listed)


def test_there_is_no_route_that_edits_or_deletes_the_audit_trail(app: FastAPI) -> None:
    for method, url, _ in _routes(app):
        assert not (url.startswith(("/audit", "/api/audit")) and method in UNSAFE), url


@pytest.mark.parametrize("role", ROLES, ids=lambda r: r.value if r else "anonymous")
def test_the_authorization_matrix(
    app: FastAPI, client_for: ClientFor, role: Role | None, job: str
) -> None:
    client = client_for(role)
    wrong: list[str] = []
    for method, url, route in _routes(app, job):
        rule = rule_of(route)
        assert rule is not None
        allowed = rule.allows(role)
        api = url.startswith("/api/")
        if method in UNSAFE:
            # a body no route accepts: an allowed caller gets past the rule, then fails
            # validation (and starts, changes or builds nothing)
            response = client.send(method, url, []) if api else client.form(url, {})
        else:
            response = client.get(url)
        status = response.status_code
        if url in ("/login", "/logout") and method in UNSAFE:
            client = client_for(role)  # signing in or out ends the session the others use
        if not allowed:
            expected = "401" if role is None and api else "303 to /login" if role is None else "403"
            ok = (
                status == 401
                if role is None and api
                else status == 303 and response.headers["location"].startswith("/login")
                if role is None
                else status == 403
            )
        else:
            expected = "< 400" if method not in UNSAFE else "not 401/403/404, < 500"
            ok = (
                status < 400
                if method not in UNSAFE
                else status not in (401, 403, 404) and status < 500
            )
        if not ok:
            wrong.append(f"{method} {url}: {status}, expected {expected}")
    assert wrong == []
