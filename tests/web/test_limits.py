"""Request bodies are bounded: refused by their declared length or as they stream past the
limit, by a deadline however slowly they come, by their JSON depth, and refused unread when
the request could only be refused (no session, no CSRF token, not signed in)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from tempfile import SpooledTemporaryFile
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi import FastAPI
from starlette import formparsers
from starlette.formparsers import MultiPartParser
from starlette.types import Message

from rbm.domain.workflow import Role
from rbm.store.tables import TABLES
from rbm.web.app import create_app
from rbm.web.limits import json_depth
from tests.web.conftest import Client

ClientFor = Callable[[Role | None], Client]
CHUNK = 64 * 1024
EDIT = "/api/records/budget_fact/1"  # needs a signed-in user and, with a cookie, CSRF


@dataclass
class Stream:
    """A client's body as the server receives it: `chunks` chunks of CHUNK bytes (None:
    without end), then, if `stall`, nothing more ever; counts the bytes the server took."""

    chunks: int | None
    stall: bool = False
    taken: int = 0
    sent: list[Message] = field(default_factory=list)

    async def receive(self) -> Message:
        if self.chunks is not None and self.taken >= self.chunks * CHUNK:
            if self.stall:
                await asyncio.Event().wait()
            return {"type": "http.disconnect"}
        self.taken += CHUNK
        more = self.chunks is None or self.taken < self.chunks * CHUNK or self.stall
        return {"type": "http.request", "body": b"x" * CHUNK, "more_body": more}

    async def send(self, message: Message) -> None:
        self.sent.append(message)

    @property
    def status(self) -> int:
        return int(self.sent[0]["status"])

    @property
    def json(self) -> Any:
        return json.loads(b"".join(m.get("body", b"") for m in self.sent[1:]))


def call(
    app: FastAPI, stream: Stream, headers: dict[str, str], method: str = "PATCH", path: str = EDIT
) -> Stream:
    """Send one request straight to the ASGI application, its body from `stream`."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "root_path": "",
        "query_string": b"",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver", 80),
    }
    asyncio.run(app(scope, stream.receive, stream.send))
    return stream


def cookie_headers(client: Client, csrf: str | None = None) -> dict[str, str]:
    """The client's session cookie and CSRF token as request headers."""
    cookies = "; ".join(f"{name}={value}" for name, value in client.http.cookies.items())
    return {"cookie": cookies, "x-csrf-token": csrf or client.csrf, "accept-language": "en"}


JSON = {"content-type": "application/json", "accept-language": "en"}
TOKEN = {"authorization": "Bearer not-a-token"}  # not refused early: tokens need the store


def test_a_declared_length_over_the_limit_is_refused_unread(app: FastAPI) -> None:
    stream = call(app, Stream(chunks=None), {**TOKEN, **JSON, "content-length": str(512 << 20)})
    assert stream.status == 413
    assert stream.taken == 0
    assert stream.json["error"]["code"] == "too_large"
    assert "1048576" in stream.json["error"]["message"]
    assert (b"connection", b"close") in stream.sent[0]["headers"]


def test_a_chunked_body_is_cut_off_at_the_limit(app: FastAPI) -> None:
    stream = call(app, Stream(chunks=None), {**TOKEN, **JSON})
    assert stream.status == 413
    assert 1 << 20 < stream.taken <= (1 << 20) + CHUNK  # read up to the limit, not beyond


def test_a_multipart_form_over_the_limit_is_refused_before_the_route_reads_it(
    client_for: ClientFor,
) -> None:
    pia = client_for(Role.PLANNER)
    big = b"x" * ((1 << 20) + 1)
    response = pia.http.post(
        "/records/budget_fact/1",
        data={"csrf": pia.csrf, "version": "0"},
        files={"upload": ("big.bin", big, "application/octet-stream")},
    )
    assert response.status_code == 413
    assert "text/html" in response.headers["content-type"]


def test_a_multipart_upload_within_the_limit_never_goes_to_disk(
    app: FastAPI, client_for: ClientFor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Starlette holds a part in memory up to its spool size: the limit must not pass it
    assert app.state.rbm.config.max_body_bytes <= MultiPartParser.spool_max_size
    rolled: list[int] = []

    class Watched(SpooledTemporaryFile[bytes]):
        def rollover(self) -> None:
            rolled.append(self.tell())
            super().rollover()

    monkeypatch.setattr(formparsers, "SpooledTemporaryFile", Watched)
    pia = client_for(Role.PLANNER)
    response = pia.http.post(
        "/records/budget_fact/1",
        data={"csrf": pia.csrf, "version": "0"},
        files={"upload": ("big.bin", b"x" * ((1 << 20) - 4096), "application/octet-stream")},
    )
    assert response.status_code != 413  # read, parsed (and then refused or not by the route)
    assert rolled == []


def test_without_a_session_a_body_is_refused_unread(app: FastAPI) -> None:
    for headers in (JSON, {"content-type": "multipart/form-data; boundary=x"}):
        stream = call(app, Stream(chunks=None), {**headers, "accept-language": "en"})
        assert stream.status == 403
        assert stream.taken == 0
        assert stream.json["error"]["code"] == "forbidden"


def test_a_wrong_csrf_header_and_a_signed_out_session_are_refused_unread(
    app: FastAPI, client_for: ClientFor
) -> None:
    anonymous = client_for(None)  # a session (for its CSRF token), nobody signed in
    wrong = call(app, Stream(chunks=None), {**JSON, **cookie_headers(anonymous, "wrong-é")})
    assert (wrong.status, wrong.taken) == (403, 0)
    nobody = call(app, Stream(chunks=None), {**JSON, **cookie_headers(anonymous)})
    assert (nobody.status, nobody.taken) == (401, 0)
    # a public route (sign-in) still reads its body
    login = call(
        app,
        Stream(chunks=1),
        {"content-type": "application/x-www-form-urlencoded", **cookie_headers(anonymous)},
        method="POST",
        path="/login",
    )
    assert login.taken == CHUNK


def test_a_body_that_stalls_is_refused_at_the_deadline(app: FastAPI) -> None:
    config = replace(app.state.rbm.config, body_seconds=0.2)
    quick = create_app(config)
    try:
        stream = call(quick, Stream(chunks=2, stall=True), {**TOKEN, **JSON})
    finally:
        quick.state.rbm.engine.dispose()
    assert stream.status == 408
    assert stream.json["error"]["code"] == "timeout"
    assert "0.2 seconds" in stream.json["error"]["message"]


def _nested(depth: int) -> str:
    return '{"version": 0, "changes": {"note": ' + "[" * (depth - 2) + "]" * (depth - 2) + "}}"


def test_json_nested_deeper_than_allowed_is_refused(client_for: ClientFor) -> None:
    pia = client_for(Role.PLANNER)
    headers = {"X-CSRF-Token": pia.csrf, **JSON}
    deep = pia.http.patch(EDIT, content=_nested(33), headers=headers)
    assert deep.status_code == 422
    assert "32 levels" in deep.json()["error"]["message"]
    allowed = pia.http.patch(EDIT, content=_nested(32), headers=headers)
    assert allowed.status_code != 422 or "levels" not in allowed.json()["error"]["message"]


@pytest.mark.parametrize(
    ("text", "depth"),
    [
        (b"1", 0),
        (b"[]", 1),
        (b'{"a": [[{}]]}', 4),
        (b'["[[[[", "\\"[[["]', 1),  # brackets in strings, escaped quotes
        (b"[" * 100_000, 33),  # the count stops past the limit
    ],
)
def test_json_depth_skips_strings_and_stops_past_the_limit(text: bytes, depth: int) -> None:
    assert json_depth(text, 32) == depth


def test_an_ordinary_edit_still_goes_through(app: FastAPI, client_for: ClientFor) -> None:
    table = TABLES["budget_facts"]
    with app.state.rbm.engine.connect() as connection:
        row_id, amount = connection.execute(
            sa.select(table.c.row_id, table.c.amount).order_by(table.c.row_id).limit(1)
        ).one()
    pia = client_for(Role.PLANNER)
    url = f"/api/records/budget_fact/{row_id}"
    record = pia.get(url).json()
    changes = {"amount": str(int(amount) + 1000)}
    saved = pia.send("PATCH", url, {"version": record["version"], "changes": changes})
    assert saved.status_code == 200, saved.text
