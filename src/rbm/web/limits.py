"""Bounded request bodies: a pure ASGI middleware in front of every route.

Before a byte of the body is read, a request is refused when its Content-Length is over the
limit (413), when it could only fail the CSRF check (403: a cookie request that changes
state without a valid session, or without the token in a header and not as a form) or when
its route needs a signed-in user and the session has none (401). The body is then read here,
counted as it streams (chunked bodies too) and cut off at the limit (413), within a deadline
for the whole body however slowly it trickles in (408); a JSON body nested deeper than
allowed is refused (422). The route gets the body from memory: nothing reaches the disk (no
route takes uploads, so a multipart form is at most the limit, held in memory by Starlette).
"""

from __future__ import annotations

import hmac
import re
from collections.abc import Callable
from typing import Any

import anyio
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rbm.i18n import t
from rbm.web.auth import CSRF_HEADER, SAFE_METHODS, bearer, session_of
from rbm.web.errors import respond
from rbm.web.language import language
from rbm.web.security_log import web_event

# a JSON string (escapes included) and the brackets that nest, outside strings
JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
BRACKETS = re.compile(rb"[\[\]{}]")
OPENING = frozenset(b"[{")
REASONS = {  # for the security log
    "web.error.413": "body too large",
    "web.error.408": "body too slow",
    "web.error.json_depth": "json too deep",
    "web.error.csrf": "csrf",
    "web.error.401": "not signed in",
}


class TooLarge(Exception):
    """The body grew past the limit while it was read."""


class Gone(Exception):
    """The client went away before sending the whole body."""


def json_depth(body: bytes, limit: int) -> int:
    """How deep the arrays and objects of a JSON text nest, counted up to `limit` + 1 (the
    count stops there); strings are skipped, so a bracket inside one does not count."""
    depth = deepest = 0
    for match in BRACKETS.finditer(JSON_STRING.sub(b"", body)):
        if match.group()[0] in OPENING:
            depth += 1
            deepest = max(deepest, depth)
            if deepest > limit:
                break
        else:
            depth -= 1
    return deepest


def content_length(headers: Headers) -> int | None:
    """The declared length of the body; None if not declared (chunked) or not a number
    (uvicorn refuses those before they get here)."""
    value = headers.get("content-length")
    return int(value) if value is not None and value.isdigit() else None


def is_json(headers: Headers) -> bool:
    """Whether FastAPI would parse the body as JSON (it does without a content type too)."""
    kind = headers.get("content-type", "").split(";")[0].strip().lower()
    return not kind or kind == "application/json" or kind.endswith("+json")


def early_refusal(request: Request, needs_sign_in: Callable[[Scope], bool]) -> int | None:
    """The status a request with a body will get whatever its body holds (403: the CSRF
    check cannot pass; 401: the route needs a signed-in user and the session has none), or
    None. Mirrors `rbm.web.auth.csrf_check` and `Rule`, as far as they go without the body."""
    if request.method in SAFE_METHODS or bearer(request) is not None:
        return None
    session = session_of(request)
    if session is None:
        return 403
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" not in request.headers.get("content-type", ""):
        return 403
    # compared as bytes: compare_digest refuses a str with non-ASCII characters
    if sent is not None and not hmac.compare_digest(sent.encode(), session.csrf.encode()):
        return 403
    if session.sid is None and needs_sign_in(request.scope):
        return 401
    return None


async def read_body(receive: Receive, limit: int) -> bytes:
    """The whole body, refused with TooLarge as soon as it passes `limit` bytes."""
    chunks: list[bytes] = []
    size = 0
    while True:
        message = await receive()
        if message["type"] == "http.disconnect":
            raise Gone
        chunk: bytes = message.get("body", b"")
        size += len(chunk)
        if size > limit:
            raise TooLarge
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def replay(body: bytes, receive: Receive) -> Receive:
    """A `receive` that gives the body read already, then listens to the client again."""
    given = False

    async def receive_again() -> Message:
        nonlocal given
        if given:
            return await receive()
        given = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive_again


class BodyLimits:
    """The middleware: `app.add_middleware(BodyLimits, max_bytes=…, max_depth=…, seconds=…,
    needs_sign_in=…)`."""

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        max_depth: int,
        seconds: float,
        needs_sign_in: Callable[[Scope], bool],
    ) -> None:
        self.app = app
        self.max_bytes = max_bytes
        self.max_depth = max_depth
        self.seconds = seconds
        self.needs_sign_in = needs_sign_in

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        declared = content_length(request.headers)
        if declared is not None and declared > self.max_bytes:
            await self.refuse(request, send, 413, "web.error.413", limit=self.max_bytes)
            return
        status = early_refusal(request, self.needs_sign_in)
        if status is not None:
            key = "web.error.csrf" if status == 403 else "web.error.401"
            await self.refuse(request, send, status, key)
            return
        try:
            with anyio.fail_after(self.seconds):
                body = await read_body(receive, self.max_bytes)
        except TooLarge:
            await self.refuse(request, send, 413, "web.error.413", limit=self.max_bytes)
            return
        except TimeoutError:
            await self.refuse(request, send, 408, "web.error.408", seconds=f"{self.seconds:g}")
            return
        except Gone:
            return
        if body and is_json(request.headers):
            if json_depth(body, self.max_depth) > self.max_depth:
                await self.refuse(request, send, 422, "web.error.json_depth", limit=self.max_depth)
                return
        await self.app(scope, replay(body, receive), send)

    async def refuse(
        self, request: Request, send: Send, status: int, key: str, **params: Any
    ) -> None:
        """The error in the application's one shape; the connection is closed after a refusal
        that left the body unread, so the client cannot go on sending it."""
        unread = status in (408, 413) or (status in (401, 403) and _has_body(request.headers))
        details = {k: v for k, v in params.items() if k in ("limit",)}

        def build() -> Response:  # the page may read the store: not on the event loop
            web_event(request, "refused", status=status, reason=REASONS[key])
            message = t(key, language(request), **params)
            headers = {"Connection": "close"} if unread else None
            return respond(request, status, message, details, headers)

        response = await run_in_threadpool(build)

        async def nothing() -> Message:
            return {"type": "http.disconnect"}

        await response(request.scope, nothing, send)


def _has_body(headers: Headers) -> bool:
    return content_length(headers) not in (None, 0) or "transfer-encoding" in headers
