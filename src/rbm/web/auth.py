"""Who is asking, and whether they may: an API token (Authorization: Bearer) or the session
cookie; every route declares its rule with `allow(...)` or `PUBLIC`, and the tests read the
rules back from the routes."""

from __future__ import annotations

import hmac
from datetime import timedelta
from typing import Annotated, Any

from fastapi import Depends
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request

from rbm.domain.workflow import Role, User
from rbm.store.accounts import SessionRecord, check_token, session_record, touch_session
from rbm.web.errors import ApiError
from rbm.web.security_log import web_event
from rbm.web.session import Session
from rbm.web.state import app_state

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
ANYONE = frozenset(Role)
CSRF_HEADER = "x-csrf-token"
CSRF_FIELD = "csrf"


def bearer(request: Request) -> str | None:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def session_of(request: Request) -> Session | None:
    if not hasattr(request.state, "session"):
        request.state.session = app_state(request).sessions.read(request)
    session = request.state.session
    return session if isinstance(session, Session) else None


def _idle(request: Request) -> timedelta:
    return timedelta(minutes=app_state(request).config.session_idle_minutes)


def _session_key(sid: str) -> tuple[str, str]:
    return ("session", sid)


def _session_user(request: Request, session: Session | None) -> User | None:
    """The user of a live session: its record is kept until the next commit (so signing out
    or disabling, both commits, count from the next request on); its last sight is written
    at most once a minute."""
    if session is None or session.sid is None:
        return None
    state = app_state(request)
    sid = session.sid
    record = state.kept(_session_key(sid), lambda: session_record(state.engine, sid), request)
    now = state.config.clock()
    if record is None or not record.live(now, _idle(request)):
        return None
    if record.stale(now):
        touch_session(state.engine, sid, now)
    return record.user


def current_user(request: Request) -> User | None:
    """The signed-in user (token first, then session), looked up once per request."""
    if hasattr(request.state, "user"):
        found = request.state.user
        return found if isinstance(found, User) else None
    state = app_state(request)
    token = bearer(request)
    user: User | None
    if token is not None:
        checked = check_token(state.engine, token, state.config.clock())
        if checked.user is None:
            web_event(request, "refused", status=401, reason=f"token {checked.refusal}")
            raise ApiError(401, "web.error.token")
        user = checked.user
        web_event(request, "token.use", user.name, token=checked.token_id)
    else:
        user = _session_user(request, session_of(request))
    request.state.user = user
    return user


def known_user(request: Request) -> tuple[bool, User | None]:
    """(True, the user) if `current_user` can tell without asking or writing the store, else
    (False, None); token users are always looked up."""
    if hasattr(request.state, "user"):
        return True, current_user(request)
    if bearer(request) is not None:
        return False, None
    session = session_of(request)
    if session is None or session.sid is None:
        request.state.user = None
        return True, None
    state = app_state(request)
    found, record = state.recall(_session_key(session.sid), request)
    if not found or not (record is None or isinstance(record, SessionRecord)):
        return False, None
    now = state.config.clock()
    if record is None or not record.live(now, _idle(request)):
        request.state.user = None
        return True, None
    if record.stale(now):
        return False, None  # its last sight is due: written in a worker thread
    request.state.user = record.user
    return True, record.user


class Rule:
    """A route's access rule: the roles allowed, or None for a public route."""

    def __init__(self, roles: frozenset[Role] | None) -> None:
        self.roles = roles

    async def __call__(self, request: Request) -> User | None:
        # on the event loop when the user is known since the last commit; the store is asked
        # in a worker thread (a sync dependency would make that hop on every request)
        found, user = known_user(request)
        if not found:
            user = await run_in_threadpool(current_user, request)
        if self.roles is None:
            return user
        if user is None:
            web_event(request, "refused", status=401, reason="not signed in")
            raise ApiError(401, "web.error.401")
        if user.role not in self.roles:
            web_event(request, "refused", user.name, status=403, reason="role")
            raise ApiError(403, "web.error.403")
        return user

    def allows(self, role: Role | None) -> bool:
        return self.roles is None or (role is not None and role in self.roles)


def allow(*roles: Role) -> Any:
    """`user: User = allow(Role.PLANNER)`; with no roles, any signed-in user."""
    return Depends(Rule(frozenset(roles) or ANYONE))


PUBLIC: Any = Depends(Rule(None))
SignedIn = Annotated[User, allow()]  # any signed-in user
Anyone = Annotated[User | None, PUBLIC]  # public; the user when signed in


def _same(sent: str, expected: str) -> bool:
    return hmac.compare_digest(sent.encode(), expected.encode())


async def csrf_check(request: Request) -> None:
    """Every state-changing request made with the session cookie carries the session's CSRF
    token, in the X-CSRF-Token header or the `csrf` form field; token clients need none."""
    if request.method in SAFE_METHODS or bearer(request) is not None:
        return
    session = session_of(request)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None and "form" in request.headers.get("content-type", ""):
        value = (await request.form()).get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    # compared as bytes: compare_digest refuses a str with non-ASCII characters
    if session is None or sent is None or not _same(sent, session.csrf):
        web_event(request, "refused", status=403, reason="csrf")
        raise ApiError(403, "web.error.csrf")
