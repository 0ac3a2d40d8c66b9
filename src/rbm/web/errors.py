"""One error shape for the API and friendly pages for people; never a stack trace.

    {"error": {"status": 409, "code": "conflict", "message": "…", "details": {…}}}

`code` is stable for scripts; `message` is in the request's language; `details` carries
what the client needs to recover (e.g. the current version and who changed it)."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI
from fastapi.exceptions import RequestValidationError
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rbm.i18n import keys, t
from rbm.web.language import language

log = logging.getLogger("rbm.web")

CODES = {
    400: "bad_request",
    401: "unauthenticated",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    408: "timeout",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "too_many_attempts",
    500: "internal",
}


class ApiError(Exception):
    """A refusal with a status, a catalogue key for its message and details for the client."""

    def __init__(
        self, status: int, key: str, details: dict[str, Any] | None = None, **params: object
    ) -> None:
        super().__init__(key)
        self.status = status
        self.key = key
        self.details = details or {}
        self.params = params
        self.headers: dict[str, str] = {}


def wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/api"


def error_body(status: int, message: str, details: dict[str, Any]) -> dict[str, Any]:
    code = CODES.get(status, "error")
    return {"error": {"status": status, "code": code, "message": message, "details": details}}


def respond(
    request: Request,
    status: int,
    message: str,
    details: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """The error as JSON for /api, as a page for people (a login redirect when signed out)."""
    if wants_json(request):
        return JSONResponse(error_body(status, message, details or {}), status, headers)
    if status == 401:
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(f"/login?next={quote(target, safe='/')}", 303)
    from rbm.web.render import error_page  # render → auth → state → errors: import late

    return error_page(request, status, message, details or {}, headers)


def install(app: FastAPI) -> None:
    """Register the handlers that turn every failure into the one shape."""

    @app.exception_handler(ApiError)
    async def api_error(request: Request, exc: ApiError) -> Response:
        message = t(exc.key, language(request), **exc.params)
        return respond(request, exc.status, message, exc.details, exc.headers)

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        key = f"web.error.{exc.status_code}"
        lang = language(request)
        message = t(key if key in keys(lang) else "web.error.other", lang)
        return respond(request, exc.status_code, message, {}, dict(exc.headers or {}))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = [
            {"location": [str(p) for p in error.get("loc", ())], "problem": error.get("msg", "")}
            for error in exc.errors()
        ]
        message = t("web.error.422", language(request))
        return respond(request, 422, message, {"problems": problems})

    @app.exception_handler(Exception)
    async def crashed(request: Request, exc: Exception) -> Response:
        # only if `Crashes` is not installed: Starlette re-raises after this, and uvicorn
        # then closes the connection
        log.exception("unexpected error on %s %s", request.method, request.url.path)
        return respond(request, 500, t("web.error.500", language(request)))


def internal_error(request: Request) -> Response:
    """The 500 in the one shape; plain JSON if even the error page fails (e.g. no store)."""
    try:
        return respond(request, 500, t("web.error.500", language(request)))
    except Exception:
        log.exception("could not render the error page")
        return JSONResponse(error_body(500, t("web.error.500", "en"), {}), 500)


class Crashes:
    """A pure ASGI middleware that turns an unexpected exception into a finished 500.

    Starlette's own last-resort handler sends the 500 and then raises the exception again
    for the server to see, and uvicorn answers that by closing the connection: the client
    got a reset after its 500. Here the exception is logged and ends with the response, so
    the connection stays open. If the response had started, it cannot be mended: the
    exception goes on and the server closes the connection, as it must."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def sending(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, sending)
        except Exception:
            request = Request(scope)
            log.exception("unexpected error on %s %s", request.method, request.url.path)
            if started:
                raise
            response = await run_in_threadpool(internal_error, request)
            await response(scope, receive, send)
