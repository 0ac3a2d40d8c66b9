"""Signing in and out, and the stylesheets every page links."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from pydantic import BaseModel

from rbm.i18n import t
from rbm.store.accounts import MAX_NAME, authenticate, open_session, revoke_session
from rbm.web.auth import Anyone, SignedIn, session_of
from rbm.web.errors import ApiError
from rbm.web.language import language
from rbm.web.render import page, web_environment
from rbm.web.security_log import web_event
from rbm.web.session import Session
from rbm.web.state import app_state
from rbm.web.throttle import client_address

router = APIRouter()


class Me(BaseModel):
    name: str
    role: str
    sectors: list[str]


def _safe_next(target: str | None) -> str:
    """Only a path on this site, so the login form cannot redirect elsewhere."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


@router.get("/login", include_in_schema=False)
def login_form(request: Request, user: Anyone, next: str = "/") -> Response:
    return page(request, "web/login.html", next=_safe_next(next), name="", failure=None)


@router.post("/login", include_in_schema=False)
def login(
    request: Request,
    user: Anyone,
    name: Annotated[str, Form(max_length=200)],
    password: Annotated[str, Form(max_length=1000)],
    next: Annotated[str, Form(max_length=2000)] = "/",
) -> Response:
    state = app_state(request)
    address = client_address(request, state.config.trusted_proxies)
    now = state.config.clock()
    shown = name[:MAX_NAME]  # what the log keeps of a name typed in
    wait = state.throttle.retry_after(name, address, now)
    if wait:
        web_event(request, "signin.throttled", shown, retry_after=wait)
        error = ApiError(429, "web.error.throttled", {"retry_after": wait}, seconds=wait)
        error.headers["Retry-After"] = str(wait)
        raise error
    found = authenticate(state.engine, name, password)
    if found is None:
        state.throttle.failed(name, address, now)
        web_event(request, "signin.failure", shown)
        failure = t("web.login.failed", language(request))
        shown_again = name if name.isprintable() else ""  # no control characters echoed
        return page(
            request,
            "web/login.html",
            401,
            next=_safe_next(next),
            name=shown_again,
            failure=failure,
        )
    state.throttle.succeeded(name, address)
    previous = session_of(request)
    if previous is not None and previous.sid is not None:
        revoke_session(state.engine, previous.sid, now)  # one sign-in, one live session
    lifetime = timedelta(hours=state.config.session_hours)
    sid = open_session(state.engine, found.name, now, lifetime)
    web_event(request, "signin.success", found.name)
    response = RedirectResponse(_safe_next(next), 303)
    # a new CSRF token with every sign-in, so a token seen before cannot be replayed
    state.sessions.write(request, response, Session(sid, Session.anonymous().csrf))
    return response


@router.post("/logout", include_in_schema=False)
def logout(request: Request, user: Anyone) -> Response:
    """Sign out: the session ends in the store, so its cookie is worth nothing afterwards."""
    state = app_state(request)
    session = session_of(request)
    if session is not None and session.sid is not None:
        if revoke_session(state.engine, session.sid, state.config.clock()):
            web_event(request, "session.revoke", user.name if user else None, reason="sign-out")
    response = RedirectResponse("/login", 303)
    state.sessions.write(request, response, Session.anonymous())
    return response


@router.get("/api/me", response_model=Me)
def me(user: SignedIn) -> Me:
    """The signed-in user."""
    return Me(name=user.name, role=user.role.value, sectors=list(user.sectors))


@router.get("/static/{name}", include_in_schema=False)
def stylesheet(request: Request, name: str, user: Anyone) -> Response:
    if name not in ("report.css", "web.css"):
        raise ApiError(404, "web.error.404")
    css = web_environment(language(request)).get_template(name).render()
    return Response(css, media_type="text/css", headers={"Cache-Control": "max-age=3600"})
